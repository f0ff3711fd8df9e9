import {
  latestClosablePeriod,
  parseRetainerMemo,
  periodClosability,
  proratedCents,
  proratedRetainerDescription,
  retainerForPeriod,
  retainerMemo,
  type ServiceFacts,
} from "../../../server/domain/billing/billable-periods";
import { pricingSchema, retainerProrationOf, type StoredPricing } from "../../../server/domain/contracts/contract-document";

const NY = "America/New_York";
const SINCE_2020 = new Date("2020-01-01T00:00:00Z");

function facts(p: Partial<ServiceFacts> = {}): ServiceFacts {
  return { timezone: NY, clientCreatedAt: SINCE_2020, firstContractAt: SINCE_2020, deactivatedAt: null, ...p };
}

const share = (period: string, f: ServiceFacts, fullCents = 50_000, proration: "daily" | "none" = "daily") => retainerForPeriod({ period, fullCents, proration, facts: f });

describe("retainer proration by days in the client's time zone", () => {
  it.each([
    // [case, period, timezone, created at, days, daysInMonth, first, last, amount]
    ["31-day month, created Dec 6", "2026-12", NY, "2026-12-06T15:00:00Z", 26, 31, "2026-12-06", "2026-12-31", 41_935], // 41 935.48
    ["30-day month, created Nov 20", "2026-11", NY, "2026-11-20T17:00:00Z", 11, 30, "2026-11-20", "2026-11-30", 18_333], // 18 333.33
    ["28-day February, created Feb 15", "2027-02", NY, "2027-02-15T17:00:00Z", 14, 28, "2027-02-15", "2027-02-28", 25_000],
    ["29-day February (leap year), created Feb 15", "2028-02", NY, "2028-02-15T17:00:00Z", 15, 29, "2028-02-15", "2028-02-29", 25_862], // 25 862.07
    ["DST starts (Mar 14, 2027), created 03:30 EDT that day", "2027-03", NY, "2027-03-14T07:30:00Z", 18, 31, "2027-03-14", "2027-03-31", 29_032], // 29 032.26
    ["DST ends (Nov 1, 2026), created 23:30 EDT on Oct 31", "2026-10", NY, "2026-11-01T03:30:00Z", 1, 31, "2026-10-31", "2026-10-31", 1_613], // 1 612.90
    ["created 23:30 local on the last day of January", "2027-01", NY, "2027-02-01T04:30:00Z", 1, 31, "2027-01-31", "2027-01-31", 1_613],
    ["Auckland: 20:00 UTC on Nov 30 is already Dec 1 there", "2026-12", "Pacific/Auckland", "2026-11-30T20:00:00Z", 31, 31, "2026-12-01", "2026-12-31", 50_000],
  ])("%s", (_case, period, timezone, createdAt, days, daysInMonth, firstDay, lastDay, amountCents) => {
    const s = share(period, facts({ timezone, clientCreatedAt: new Date(createdAt) }));
    expect(s).toEqual({ period, fullCents: 50_000, amountCents, days, daysInMonth, firstDay, lastDay, prorated: days < daysInMonth });
  });

  it("bills the whole month after the first one, also across DST and when created at 23:30 on the last day of the previous month", () => {
    expect(share("2027-02", facts({ clientCreatedAt: new Date("2027-02-01T04:30:00Z") }))).toMatchObject({ amountCents: 50_000, days: 28, prorated: false });
    expect(share("2026-11", facts({ clientCreatedAt: new Date("2026-11-01T03:30:00Z") }))).toMatchObject({ amountCents: 50_000, days: 30, prorated: false });
    // 01:30 EDT on Nov 1, 2026 (the hour that happens twice) is still the 1st: a whole November
    expect(share("2026-11", facts({ clientCreatedAt: new Date("2026-11-01T05:30:00Z") }))).toMatchObject({ amountCents: 50_000, days: 30, prorated: false });
  });

  it("starts at the first contract version when it takes effect after the client was created", () => {
    const f = facts({ clientCreatedAt: new Date("2026-11-20T17:00:00Z"), firstContractAt: new Date("2026-12-10T05:00:00Z") });
    expect(share("2026-11", f)).toBeNull();
    expect(share("2026-12", f)).toMatchObject({ days: 22, daysInMonth: 31, firstDay: "2026-12-10", amountCents: 35_484 }); // 35 483.87
  });

  it("ends on the day the client was deactivated, counting that day, and bills nothing after it", () => {
    const deactivatedAt = new Date("2026-12-20T19:00:00Z"); // 14:00 in New York
    expect(share("2026-12", facts({ deactivatedAt }))).toMatchObject({ days: 20, firstDay: "2026-12-01", lastDay: "2026-12-20", amountCents: 32_258 }); // 32 258.06
    expect(share("2026-12", facts({ clientCreatedAt: new Date("2026-12-06T15:00:00Z"), deactivatedAt }))).toMatchObject({ days: 15, amountCents: 24_194 }); // 24 193.55
    expect(share("2027-01", facts({ deactivatedAt }))).toBeNull();
  });

  it("bills the whole retainer for a partial month when the contract says proration none, and nothing without a retainer or a contract", () => {
    expect(share("2026-12", facts({ clientCreatedAt: new Date("2026-12-06T15:00:00Z") }), 50_000, "none")).toMatchObject({ amountCents: 50_000, days: 26, prorated: false });
    expect(share("2026-12", facts({ clientCreatedAt: new Date("2026-12-06T15:00:00Z") }), 0)).toBeNull();
    expect(share("2026-12", facts({ firstContractAt: null }))).toBeNull();
  });

  it.each([
    [1, 15, 30, 1], // 0.5 rounds half up
    [3, 1, 28, 0], // 3/28 = 0.107
    [50_000, 31, 31, 50_000],
    [50_000, 0, 31, 0],
    [99_999, 16, 31, 51_612], // 51 612.39
  ])("proratedCents(%i, %i, %i) = %i through the one rounding rule", (full, days, dim, expected) => {
    expect(proratedCents(full, days, dim)).toBe(expected);
  });

  it("refuses impossible ratios", () => {
    expect(() => proratedCents(50_000, 32, 31)).toThrow(/days must be 0..31/);
    expect(() => proratedCents(50_000, 1, 27)).toThrow(/days in month/);
    expect(() => proratedCents(-1, 1, 31)).toThrow(/negative/);
  });
});

describe("the prorated retainer's memo and invoice line", () => {
  it("records the ratio so the line reads it and the amount is re-derived from the entry alone", () => {
    const s = share("2026-12", facts({ clientCreatedAt: new Date("2026-12-06T15:00:00Z") }))!;
    const memo = retainerMemo(s);
    const parsed = parseRetainerMemo(memo)!;

    expect(memo).toBe("retainer 2026-12 prorated 26/31 days (2026-12-06 to 2026-12-31) of 50000 cents");
    expect(proratedCents(parsed.fullCents, parsed.days, parsed.daysInMonth)).toBe(s.amountCents);
    expect(proratedRetainerDescription(parsed)).toBe("Retainer Dec 6–31, 26/31 of $500.00");
  });

  it("keeps the old memo for a whole month, names a single day once, and reads other memos as whole months", () => {
    expect(retainerMemo(share("2026-12", facts())!)).toBe("retainer 2026-12");
    expect(proratedRetainerDescription({ days: 1, daysInMonth: 31, firstDay: "2027-01-31", lastDay: "2027-01-31", fullCents: 50_000 })).toBe("Retainer Jan 31, 1/31 of $500.00");
    expect(parseRetainerMemo("retainer 2026-12")).toBeNull();
    expect(parseRetainerMemo(null)).toBeNull();
  });
});

describe("which periods can be closed (one rule for the manual close and the sweep)", () => {
  const createdDec6 = facts({ clientCreatedAt: new Date("2026-12-06T15:00:00Z") });
  const code = (period: string, f: ServiceFacts, now: string) => {
    const c = periodClosability(period, f, new Date(now));
    return c.closable ? "closable" : c.error.code;
  };

  it.each([
    ["2026-11", "created Dec 6", "2026-12-06T19:00:00Z", "PERIOD_BEFORE_CLIENT", createdDec6],
    ["2026-12", "created Dec 6", "2026-12-06T19:00:00Z", "PERIOD_NOT_ENDED", createdDec6],
    ["2026-12", "created Dec 6", "2027-01-01T04:59:00Z", "PERIOD_NOT_ENDED", createdDec6], // 23:59 on Dec 31 in New York
    ["2026-12", "created Dec 6", "2027-01-01T05:00:00Z", "closable", createdDec6],
    ["2026-11", "created Dec 6", "2030-01-01T00:00:00Z", "PERIOD_BEFORE_CLIENT", createdDec6],
    ["2027-01", "created 23:30 on Jan 31 local", "2027-02-01T05:00:00Z", "closable", facts({ clientCreatedAt: new Date("2027-02-01T04:30:00Z") })],
    ["2026-12", "first contract from Jan 1", "2027-01-02T00:00:00Z", "PERIOD_BEFORE_CONTRACT", facts({ firstContractAt: new Date("2027-01-01T05:00:00Z") })],
    ["2026-12", "no contract", "2027-01-02T00:00:00Z", "PERIOD_BEFORE_CONTRACT", facts({ firstContractAt: null })],
  ])("%s, %s, at %s: %s", (period, _label, now, expected, f) => {
    expect(code(period, f, now)).toBe(expected);
  });

  it("says why, in the client's time zone", () => {
    const c = periodClosability("2026-11", createdDec6, new Date("2026-12-06T19:00:00Z"));
    expect(c.closable).toBe(false);
    expect(!c.closable && c.error.message).toBe("The client was created on Dec 6, 2026; there is nothing to bill for 2026-11.");
    const later = periodClosability("2026-12", facts({ firstContractAt: new Date("2027-01-01T05:00:00Z") }), new Date("2027-01-02T00:00:00Z"));
    expect(!later.closable && later.error.message).toBe("The client's first contract takes effect on Jan 1, 2027; there is nothing to bill for 2026-12.");
  });

  it("offers the most recent closable month, or says there is none yet and when the first one can be closed", () => {
    expect(latestClosablePeriod(createdDec6, new Date("2026-12-06T19:00:00Z"))).toEqual({
      period: null,
      reason: "The client was created on Dec 6, 2026; there is nothing to bill for 2026-11.",
      firstPeriod: "2026-12",
      closableFrom: new Date("2027-01-01T05:00:00Z"),
    });
    expect(latestClosablePeriod(createdDec6, new Date("2027-01-02T12:00:00Z"))).toEqual({ period: "2026-12" });
    expect(latestClosablePeriod(facts({ firstContractAt: null }), new Date("2027-01-02T12:00:00Z"))).toMatchObject({ period: null, firstPeriod: null, closableFrom: null });
  });
});

describe("pricing.retainerProration", () => {
  it('defaults to "daily" for a new document, and a stored version without the field means "none"', () => {
    expect(pricingSchema.parse({ retainerCents: 50_000 }).retainerProration).toBe("daily");
    const stored = { retainerCents: 50_000, leadPriceCents: 0, acquisitionPriceCents: 0, revshareBps: 0 } as StoredPricing;
    expect(retainerProrationOf(stored)).toBe("none");
    expect(retainerProrationOf({ ...stored, retainerProration: "daily" })).toBe("daily");
    expect(pricingSchema.safeParse({ retainerProration: "weekly" }).success).toBe(false);
  });
});
