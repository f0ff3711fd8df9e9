import { contractDocumentSchema, type ContractDocument } from "../../../server/domain/contracts/contract-document";
import { describeContract } from "../../../server/domain/qualification/describe";
import { amountText, checkContractFields, documentToFields, fieldsToDocument, parseAmount, parsePercent, percentText, type ContractFields } from "~/lib/contract-form";
import { STARTER_CONTRACT } from "~/lib/contract-json";

const TZ = "America/New_York";
const NOW = new Date("2026-12-07T15:00:00Z");
const parse = (doc: unknown): ContractDocument => contractDocumentSchema.parse(doc);

/** A full contract written by hand, as a power user would in the JSON editor. */
const HAND_WRITTEN = {
  effectiveFrom: "2027-01-01T05:00:00Z",
  qualification: {
    requiredFields: ["phone", "zip", "budget"],
    serviceArea: { match: "zip_and_state", zips: ["11201", "11215", "11217"], states: ["NY"] },
    minCallSeconds: 60,
    businessHours: { mon: [["08:00", "12:00"], ["13:00", "18:00"]], sat: [["09:00", "13:00"]] },
    duplicate: { windowDays: 45, fields: ["phone"] },
    blocked: { phones: ["+12125550100"], emails: ["spam@example.com"], emailDomains: ["mailinator.com"] },
    custom: [
      { field: "budget", op: "min", value: 2000 },
      { field: "service", op: "in", value: ["roof repair", "gutters"] },
      { field: "owner", op: "equals", value: true },
    ],
    spam: { honeypot: false, rejectInvalidPhone: true },
  },
  pricing: {
    retainerCents: 50000,
    retainerProration: "none",
    leadPriceCents: 7500,
    tiers: [{ upTo: 100, priceCents: 7500 }, { upTo: null, priceCents: 6000 }],
    acquisitionPriceCents: 20000,
    revshareBps: 1250,
    monthlyCap: { leads: 200, spendCents: 1500000 },
  },
  disputes: { windowDays: 10, reasons: ["wrong_number", "duplicate", "spam"], autoApprove: ["duplicate"], agencyResponseDays: 2, maxReturnRateBps: 1500 },
};

describe("the contract builder's form ⇄ document", () => {
  it("reads amounts and percentages exactly, refusing what is not one", () => {
    expect([parseAmount("75"), parseAmount("75.5"), parseAmount("$1,250.06"), parseAmount("0.01"), parseAmount("19.99")]).toEqual([7500, 7550, 125006, 1, 1999]);
    expect([parseAmount("75.555"), parseAmount("-5"), parseAmount("abc"), parseAmount("1,25")]).toEqual([null, null, null, null]);
    expect([parsePercent("10"), parsePercent("12.5"), parsePercent("0.01%"), parsePercent("ten")]).toEqual([1000, 1250, 1, null]);
    expect([amountText(7500), amountText(1), percentText(1250), percentText(1000), percentText(1)]).toEqual(["75.00", "0.01", "12.5", "10", "0.01"]);
  });

  it("turns the fields of a hand-written contract back into the same document", () => {
    const fields = documentToFields(HAND_WRITTEN, TZ);
    expect(fields.takesEffect).toBe("2027-01-01T00:00");
    const { document, problems } = fieldsToDocument(fields, TZ);
    expect(problems).toEqual([]);
    expect(parse(document)).toEqual(parse(HAND_WRITTEN));
  });

  it("round-trips the starter contract, leaving out what is off or empty as a person would", () => {
    const { document } = fieldsToDocument(documentToFields(STARTER_CONTRACT, TZ), TZ);
    expect(parse(document)).toEqual(parse(STARTER_CONTRACT));
    const bare = fieldsToDocument(documentToFields({}, TZ), TZ).document as { qualification: Record<string, unknown>; pricing: Record<string, unknown> };
    expect(Object.keys(bare.qualification).sort()).toEqual(["custom", "minCallSeconds", "requiredFields"]);
    expect(bare.pricing).toEqual({ retainerProration: "daily" });
  });

  it("splits pasted ZIP lists and upper-cases states", () => {
    const fields: ContractFields = { ...documentToFields({}, TZ), "area.zips": "11201, 11215\n11217 11201", "area.states": "ny nj", "area.match": "zip_or_state" };
    expect((fieldsToDocument(fields, TZ).document.qualification as { serviceArea: unknown }).serviceArea).toEqual({ match: "zip_or_state", zips: ["11201", "11215", "11217"], states: ["NY", "NJ"] });
  });

  it("names a mistyped amount with its document path and still reads the rest", () => {
    const fields: ContractFields = { ...documentToFields(STARTER_CONTRACT, TZ), "price.retainer": "five hundred", "area.zips": "10001 1002" };
    const check = checkContractFields(fields, { timeZone: TZ, currency: "USD", now: NOW, inForce: null });
    expect(check.issues).toEqual(
      expect.arrayContaining([
        { path: ["pricing", "retainerCents"], message: "must be an amount like 75.00" },
        { path: ["qualification", "serviceArea", "zips", 1], message: "must be a 5-digit ZIP" },
      ]),
    );
    expect(check.changes).toBeNull();
    expect(check.reading.area).toEqual([]);
    expect(check.reading.price).toEqual(["$75.00 per lead for the first 100 leads each month, then $60.00."]);
  });

  it("reads each section as the published contract reads, and compares with the version in force", () => {
    const inForce = { ...parse(STARTER_CONTRACT), effectiveFrom: "2026-12-01T05:00:00Z" };
    const fields: ContractFields = { ...documentToFields(STARTER_CONTRACT, TZ), "price.lead": "80", "tiers.0.upTo": "", "tiers.0.price": "", "tiers.1.upTo": "", "tiers.1.price": "" };
    const check = checkContractFields(fields, { timeZone: TZ, currency: "USD", now: NOW, inForce });
    expect(check.issues).toEqual([]);
    expect(check.reading.price).toEqual(["$80.00 per lead."]);
    const whole = describeContract(parse(check.document));
    for (const lines of Object.values(check.reading).slice(0, -1)) for (const l of lines) expect(whole).toContain(l);
    expect(check.changes).toEqual(expect.arrayContaining(["Lead price: $75.00 → $80.00", "Volume pricing: $75.00 per lead for the first 100 leads each month, then $60.00 → none"]));
    expect(check.reading.effective[0]).toMatch(/^Judges leads received from Dec 7, 2026, 10:00 AM \(America\/New_York\) — when you publish\.$/);
  });
});
