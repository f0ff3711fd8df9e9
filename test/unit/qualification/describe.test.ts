import { contractDocumentSchema, type ContractDocument, type ContractDocumentInput } from "../../../server/domain/contracts/contract-document";
import { collapseZipRanges, describeContract, diffContracts, formatBps } from "../../../server/domain/qualification/describe";
import { DESIGN_EXAMPLE, designExample } from "./fixtures";

function doc(input: ContractDocumentInput): ContractDocument {
  return contractDocumentSchema.parse(input);
}

/** The docs/architecture.md example with some parts replaced. */
function example(change: (d: ContractDocumentInput) => ContractDocumentInput): ContractDocument {
  return doc(change(structuredClone(DESIGN_EXAMPLE)));
}

describe("describeContract", () => {
  it("describes the example in docs/architecture.md contract line by line", () => {
    const lines = describeContract(designExample());

    expect(lines).toEqual([
      "Leads must have a phone and a ZIP.",
      "Service area: ZIPs 10001 and 10002, or anywhere in the state NY (a lead's state is the one its ZIP is in).",
      "Calls count after 90 seconds of conversation.",
      "Business hours (client's time zone): Monday and Tuesday 08:00–18:00; closed Wednesday to Sunday.",
      "A lead with the same phone or email as an earlier lead within 30 days is a duplicate.",
      "Blocked phones: +12125550100.",
      "Blocked email domains, including their subdomains: mailinator.com.",
      "budget must be at least 5000.",
      "Leads with a phone number that cannot be dialled are rejected.",
      "Form submissions that fill in the hidden spam-trap field are rejected.",
      "$75.00 per lead for the first 100 leads each month, then $60.00.",
      "$200.00 per acquisition.",
      "10% revenue share.",
      "Monthly cap: 200 billable leads.",
      "Disputes within 7 days for: wrong number, out of area, duplicate, spam, not looking, other; duplicates are approved automatically; the agency answers within 3 days or the dispute is approved; returns are capped at 20% of a month's leads.",
    ]);
  });

  it("describes a minimal contract with only its defaults", () => {
    const lines = describeContract(doc({}));

    expect(lines).toEqual([
      "Calls count after 90 seconds of conversation.",
      "Leads with a phone number that cannot be dialled are rejected.",
      "Form submissions that fill in the hidden spam-trap field are rejected.",
      "Disputes within 7 days for: wrong number, out of area, duplicate, spam, not looking, other; the agency answers within 3 days or the dispute is approved.",
    ]);
  });

  it("collapses consecutive ZIPs into ranges and lists several states", () => {
    const lines = describeContract(
      doc({ qualification: { serviceArea: { zips: ["10005", "10001", "10003", "10002", "10004", "10010", "10012"], states: ["NY", "NJ"] } } }),
    );

    expect(lines).toContain("Service area: ZIPs 10001–10005, 10010 and 10012, or anywhere in the states NJ and NY (a lead's state is the one its ZIP is in).");
  });

  it("describes required custom fields, every custom operator and spam checks turned off", () => {
    const lines = describeContract(
      doc({
        qualification: {
          requiredFields: ["email", "name", "owner"],
          minCallSeconds: 1,
          custom: [
            { field: "owner", op: "equals", value: "yes" },
            { field: "service", op: "in", value: ["roof", "siding", "gutters"] },
            { field: "tenure", op: "not_in", value: ["renter"] },
            { field: "sqft", op: "max", value: 4000 },
            { field: "permit", op: "matches", value: "^P-\\d{4}$" },
          ],
          spam: { honeypot: false, rejectInvalidPhone: false },
        },
      }),
    );

    expect(lines.slice(0, 7)).toEqual([
      "Leads must have an email, a name and an owner.",
      "Calls count after 1 second of conversation.",
      'owner must be "yes".',
      'service must be one of "roof", "siding" or "gutters".',
      'tenure must not be "renter".',
      "sqft must be at most 4000.",
      "permit must match the pattern ^P-\\d{4}$.",
    ]);
    expect(lines).toHaveLength(8);
  });

  it("groups weekdays with the same hours and shows split days", () => {
    const lines = describeContract(
      doc({
        qualification: {
          businessHours: {
            mon: [["08:00", "18:00"]],
            tue: [["08:00", "18:00"]],
            wed: [["08:00", "18:00"]],
            thu: [["08:00", "18:00"]],
            fri: [["08:00", "12:00"], ["13:00", "17:00"]],
            sun: [["10:00", "14:00"]],
          },
        },
      }),
    );

    expect(lines).toContain(
      "Business hours (client's time zone): Monday to Thursday 08:00–18:00; Friday 08:00–12:00 and 13:00–17:00; closed Saturday; Sunday 10:00–14:00.",
    );
  });

  it("says how a partial month's retainer is billed, and reads a stored version without the setting as billed in full", () => {
    const whole = doc({ pricing: { retainerCents: 50_000, retainerProration: "none" } });
    const stored = doc({ pricing: { retainerCents: 50_000 } });
    delete (stored.pricing as { retainerProration?: string }).retainerProration;

    expect(describeContract(whole)).toContain("$500.00 monthly retainer; billed in full even for a partial month.");
    expect(describeContract(stored)).toContain("$500.00 monthly retainer; billed in full even for a partial month.");
    expect(diffContracts(whole, doc({ pricing: { retainerCents: 50_000 } }))).toEqual(["Retainer for a partial month: billed in full → by the day"]);
  });

  it("describes a retainer, a flat lead price, three tiers, a spend cap and a revenue share with decimals", () => {
    const flat = describeContract(doc({ pricing: { retainerCents: 50_000, leadPriceCents: 4_000, revshareBps: 1_250, monthlyCap: { spendCents: 500_000 } } }));
    const tiered = describeContract(
      doc({
        pricing: {
          tiers: [
            { upTo: 100, priceCents: 7_500 },
            { upTo: 250, priceCents: 6_000 },
            { upTo: null, priceCents: 5_000 },
          ],
          monthlyCap: { leads: 300, spendCents: 1_000_000 },
        },
      }),
    );

    expect(flat.filter((l) => /\$|%|cap/.test(l))).toEqual([
      "$500.00 monthly retainer; a first or last partial month is billed by the day.",
      "$40.00 per lead.",
      "12.5% revenue share.",
      "Monthly cap: $5,000.00 billed.",
    ]);
    expect(tiered.filter((l) => /\$|cap/.test(l))).toEqual([
      "$75.00 per lead for the first 100 leads each month, $60.00 for leads 101–250, then $50.00.",
      "Monthly cap: 300 billable leads or $10,000.00 billed, whichever comes first.",
    ]);
  });

  it("writes amounts in the client's currency", () => {
    const lines = describeContract(doc({ pricing: { leadPriceCents: 4_000 } }), { currency: "EUR" });

    expect(lines).toContain("€40.00 per lead.");
  });

  it("says when leads cannot be disputed", () => {
    const lines = describeContract(doc({ disputes: { windowDays: 0 } }));

    expect(lines[lines.length - 1]).toBe("Leads cannot be disputed.");
  });

  it("is deterministic", () => {
    expect(describeContract(designExample())).toEqual(describeContract(designExample()));
  });
});

describe("describeContract: the service area in each match mode", () => {
  const reads = (serviceArea: object) => describeContract(contractDocumentSchema.parse({ qualification: { serviceArea } }))[0];

  it.each<[string, object, string]>([
    ["ZIP or state", { match: "zip_or_state", zips: ["11201", "11202"], states: ["NY"] }, "Service area: ZIPs 11201 and 11202, or anywhere in the state NY (a lead's state is the one its ZIP is in)."],
    ["ZIP and state", { match: "zip_and_state", zips: ["11201", "07030"], states: ["NY"] }, "Service area: ZIPs 07030 and 11201, and only in the state NY (a lead's state is the one its ZIP is in)."],
    ["ZIP only", { match: "zip_only", zips: ["11201"] }, "Service area: ZIP 11201 only; the state is not considered."],
    ["states alone", { states: ["NJ", "NY"] }, "Service area: the states NJ and NY (a lead's state is the one its ZIP is in)."],
    ["ZIPs alone, as stored before match existed", { zips: ["11201"] }, "Service area: ZIP 11201."],
  ])("%s", (_case, serviceArea, line) => {
    expect(reads(serviceArea)).toBe(line);
  });
});

describe("diffContracts", () => {
  it("finds nothing between a contract and itself", () => {
    expect(diffContracts(designExample(), designExample())).toEqual([]);
  });

  it("names a price change and added ZIPs", () => {
    const after = example((d) => ({
      ...d,
      qualification: { ...d.qualification, serviceArea: { zips: ["10001", "10002", "10006"], states: ["NY"] } },
      pricing: { ...d.pricing, leadPriceCents: 6_000 },
    }));

    expect(diffContracts(designExample(), after)).toEqual(["Service area ZIPs added: 10006", "Lead price: $75.00 → $60.00"]);
  });

  it("names a change of the service area's match mode", () => {
    const after = example((d) => ({ ...d, qualification: { ...d.qualification, serviceArea: { match: "zip_only", zips: ["10001", "10002"] } } }));

    expect(diffContracts(designExample(), after)).toEqual(["Service area match: ZIP or state → ZIP only", "Service area states removed: NY"]);
  });

  it("lists every kind of change in document order", () => {
    const after = example((d) => ({
      effectiveFrom: "2027-01-01T05:00:00Z",
      qualification: {
        requiredFields: ["phone", "email"],
        serviceArea: { zips: ["10001"], states: ["NY", "NJ"] },
        minCallSeconds: 60,
        businessHours: { mon: [["09:00", "17:00"]], tue: [["08:00", "18:00"]], sat: [["10:00", "12:00"]] },
        duplicate: { windowDays: 14, fields: ["phone"] },
        blocked: { phones: [], emails: ["spam@example.com"], emailDomains: ["mailinator.com", "guerrillamail.com"] },
        custom: [{ field: "budget", op: "min", value: 6000 }],
        spam: { honeypot: false },
      },
      pricing: {
        retainerCents: 50_000,
        leadPriceCents: 7_500,
        tiers: [{ upTo: null, priceCents: 7_000 }],
        acquisitionPriceCents: 25_000,
        revshareBps: 1_250,
      },
      disputes: { ...d.disputes, windowDays: 14, reasons: ["wrong_number", "duplicate", "spam"], autoApprove: ["duplicate", "spam"], agencyResponseDays: 5, maxReturnRateBps: 1_500 },
    }));

    const lines = diffContracts(designExample(), after);

    expect(lines).toEqual([
      "Effective from: 1 December 2026, 00:00 UTC → 1 January 2027, 05:00 UTC",
      "Required fields added: email",
      "Required fields removed: zip",
      "Service area ZIPs removed: 10002",
      "Service area states added: NJ",
      "Minimum call length: 90 s → 60 s",
      "Business hours Monday: 08:00–18:00 → 09:00–17:00",
      "Business hours Saturday: closed → 10:00–12:00",
      "Duplicate window: 30 days → 14 days",
      "Duplicate fields: phone, email → phone",
      "Blocked phones removed: +12125550100",
      "Blocked emails added: spam@example.com",
      "Blocked email domains added: guerrillamail.com",
      "Custom rule removed: budget must be at least 5000",
      "Custom rule added: budget must be at least 6000",
      "Honeypot check: on → off",
      "Monthly retainer: $0.00 → $500.00",
      "Volume pricing: $75.00 per lead for the first 100 leads each month, then $60.00 → $70.00 per lead",
      "Acquisition price: $200.00 → $250.00",
      "Revenue share: 10% → 12.5%",
      "Monthly cap: 200 billable leads → none",
      "Dispute window: 7 days → 14 days",
      "Dispute reasons removed: not looking, other, out of area",
      "Automatically approved dispute reasons added: spam",
      "Agency response time: 3 days → 5 days",
      "Maximum return rate: 20% → 15%",
    ]);
  });

  it("reports adding and removing whole rules", () => {
    const bare = doc({});

    expect(diffContracts(bare, designExample()).slice(0, 12)).toEqual([
      "Effective from: not set → 1 December 2026, 00:00 UTC",
      "Required fields added: phone, zip",
      "Service area ZIPs added: 10001, 10002",
      "Service area states added: NY",
      "Business hours added: Monday and Tuesday 08:00–18:00; closed Wednesday to Sunday",
      "Duplicate rule: none → same phone or email within 30 days",
      "Blocked phones added: +12125550100",
      "Blocked email domains added: mailinator.com",
      "Custom rule added: budget must be at least 5000",
      "Lead price: $0.00 → $75.00",
      "Volume pricing: none → $75.00 per lead for the first 100 leads each month, then $60.00",
      "Acquisition price: $0.00 → $200.00",
    ]);
    expect(diffContracts(designExample(), bare)).toContain("Business hours removed: leads count at any hour");
  });

  it("reports a field it does not know by its path", () => {
    const before = designExample();
    const after = { ...before, qualification: { ...before.qualification, maxLeadAgeMinutes: 15 } } as ContractDocument;

    expect(diffContracts(before, after)).toEqual(["qualification.maxLeadAgeMinutes: none → 15"]);
  });
});

describe("collapseZipRanges", () => {
  it.each<[string[], string[]]>([
    [[], []],
    [["10001"], ["10001"]],
    [["10002", "10001"], ["10001", "10002"]],
    [["10001", "10002", "10003"], ["10001–10003"]],
    [["10003", "10001", "10002", "10002", "10009", "10010", "10011", "10012", "20000"], ["10001–10003", "10009–10012", "20000"]],
  ])("%j → %j", (zips, expected) => {
    expect(collapseZipRanges(zips)).toEqual(expected);
  });
});

describe("formatBps", () => {
  it.each<[number, string]>([
    [0, "0%"],
    [1, "0.01%"],
    [10, "0.1%"],
    [1000, "10%"],
    [1250, "12.5%"],
    [1234, "12.34%"],
    [10_000, "100%"],
  ])("%d bps is %s", (bps, expected) => {
    expect(formatBps(bps)).toBe(expected);
  });
});
