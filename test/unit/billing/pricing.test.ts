import fc from "fast-check";
import {
  billingPeriodOf,
  capReason,
  nextPeriod,
  periodBounds,
  previousPeriod,
  priceLeadCharge,
  priceOutcome,
  retainerFor,
  unitPriceFor,
} from "../../../server/domain/billing/pricing";
import { DomainError } from "../../../server/domain/errors";
import { pricing } from "./fixtures";

const tiered = pricing({
  leadPriceCents: 9999, // ignored when tiers are present
  tiers: [
    { upTo: 100, priceCents: 7500 },
    { upTo: null, priceCents: 6000 },
  ],
});

describe("priceLeadCharge", () => {
  it("charges the flat lead price when there are no tiers", () => {
    const p = pricing({ leadPriceCents: 4000 });
    expect(priceLeadCharge(p, { billableLeads: 0, leadChargesCents: 0 })).toEqual({ billable: true, amountCents: 4000, tierIndex: null });
    expect(priceLeadCharge(p, { billableLeads: 500, leadChargesCents: 2_000_000 })).toEqual({
      billable: true,
      amountCents: 4000,
      tierIndex: null,
    });
  });

  it.each([
    [0, 7500, 0], // lead 1
    [98, 7500, 0], // lead 99
    [99, 7500, 0], // lead 100: last of the first tier
    [100, 6000, 1], // lead 101: first of the second tier
    [101, 6000, 1],
    [10_000, 6000, 1],
  ])("with %d billable leads so far, prices the next lead at %d cents (tier %d)", (billableLeads, amountCents, tierIndex) => {
    expect(priceLeadCharge(tiered, { billableLeads, leadChargesCents: 0 })).toEqual({ billable: true, amountCents, tierIndex });
  });

  it("walks three tiers by count", () => {
    const p = pricing({
      tiers: [
        { upTo: 10, priceCents: 5000 },
        { upTo: 20, priceCents: 4000 },
        { upTo: null, priceCents: 3000 },
      ],
    });
    const prices = [1, 10, 11, 20, 21].map((n) => unitPriceFor(p, n));
    expect(prices).toEqual([
      { amountCents: 5000, tierIndex: 0 },
      { amountCents: 5000, tierIndex: 0 },
      { amountCents: 4000, tierIndex: 1 },
      { amountCents: 4000, tierIndex: 1 },
      { amountCents: 3000, tierIndex: 2 },
    ]);
  });

  it("keeps charging the last tier's price beyond a bounded last tier", () => {
    const p = pricing({ tiers: [{ upTo: 5, priceCents: 5000 }, { upTo: 10, priceCents: 4000 }] });
    expect(priceLeadCharge(p, { billableLeads: 50, leadChargesCents: 0 })).toEqual({ billable: true, amountCents: 4000, tierIndex: 1 });
  });

  it("quotes a zero lead charge as billable when the contract has no lead price (pure CPA)", () => {
    const p = pricing({ acquisitionPriceCents: 20_000 });
    expect(priceLeadCharge(p, { billableLeads: 3, leadChargesCents: 0 })).toEqual({ billable: true, amountCents: 0, tierIndex: null });
  });

  describe("monthly cap by leads", () => {
    const capped = pricing({ leadPriceCents: 7500, monthlyCap: { leads: 200 } });

    it("bills the 200th lead of a 200-lead cap", () => {
      expect(priceLeadCharge(capped, { billableLeads: 199, leadChargesCents: 0 })).toMatchObject({ billable: true, amountCents: 7500 });
    });

    it("does not bill the 201st lead", () => {
      expect(priceLeadCharge(capped, { billableLeads: 200, leadChargesCents: 1_500_000 })).toEqual({
        billable: false,
        amountCents: 0,
        cap: { kind: "leads", observed: 200, limit: 200 },
      });
    });
  });

  describe("monthly cap by spend", () => {
    const capped = pricing({ leadPriceCents: 7500, monthlyCap: { spendCents: 30_000 } });

    it("bills a lead that brings spend exactly to the cap", () => {
      expect(priceLeadCharge(capped, { billableLeads: 3, leadChargesCents: 22_500 })).toMatchObject({ billable: true, amountCents: 7500 });
    });

    it("does not bill a lead that would push spend past the cap, and never bills part of it", () => {
      expect(priceLeadCharge(capped, { billableLeads: 3, leadChargesCents: 22_501 })).toEqual({
        billable: false,
        amountCents: 0,
        cap: { kind: "spend", observed: 22_501, limit: 30_000 },
      });
    });

    it("uses the tier price of the lead in question", () => {
      const p = pricing({ tiers: [{ upTo: 1, priceCents: 10_000 }, { upTo: null, priceCents: 1000 }], monthlyCap: { spendCents: 11_000 } });
      expect(priceLeadCharge(p, { billableLeads: 1, leadChargesCents: 10_000 })).toMatchObject({ billable: true, amountCents: 1000 });
    });
  });

  it("reports the leads cap first when both caps are hit", () => {
    const p = pricing({ leadPriceCents: 100, monthlyCap: { leads: 2, spendCents: 150 } });
    expect(priceLeadCharge(p, { billableLeads: 2, leadChargesCents: 200 })).toMatchObject({ billable: false, cap: { kind: "leads" } });
  });

  it("rejects negative or fractional month-to-date figures", () => {
    expect(() => priceLeadCharge(tiered, { billableLeads: -1, leadChargesCents: 0 })).toThrow(DomainError);
    expect(() => priceLeadCharge(tiered, { billableLeads: 1.5, leadChargesCents: 0 })).toThrow(DomainError);
    expect(() => priceLeadCharge(tiered, { billableLeads: 0, leadChargesCents: 0.5 })).toThrow(DomainError);
  });
});

describe("priceOutcome", () => {
  const full = pricing({ acquisitionPriceCents: 20_000, revshareBps: 1000 });

  it("charges the acquisition fee and the revenue share on a won deal", () => {
    expect(priceOutcome(full, 300_000)).toEqual([
      { kind: "acquisition_charge", amountCents: 20_000 },
      { kind: "revshare_charge", amountCents: 30_000 },
    ]);
  });

  it("rounds the revenue share half up: 10 % of $1,250.55 is $125.06", () => {
    expect(priceOutcome(full, 125_055)).toContainEqual({ kind: "revshare_charge", amountCents: 12_506 });
  });

  it("charges only the acquisition fee when no deal value is given", () => {
    expect(priceOutcome(full, null)).toEqual([{ kind: "acquisition_charge", amountCents: 20_000 }]);
  });

  it("omits the acquisition fee when the contract has none", () => {
    expect(priceOutcome(pricing({ revshareBps: 500 }), 10_000)).toEqual([{ kind: "revshare_charge", amountCents: 500 }]);
  });

  it("omits a revenue share that rounds to zero", () => {
    expect(priceOutcome(pricing({ revshareBps: 1000 }), 4)).toEqual([]);
  });

  it("omits the revenue share of a zero-value deal", () => {
    expect(priceOutcome(full, 0)).toEqual([{ kind: "acquisition_charge", amountCents: 20_000 }]);
  });

  it("charges nothing for a contract without outcome pricing", () => {
    expect(priceOutcome(pricing({ leadPriceCents: 5000 }), 1_000_000)).toEqual([]);
  });

  it("rejects a negative or fractional deal value", () => {
    expect(() => priceOutcome(full, -1)).toThrow(/must not be negative/);
    expect(() => priceOutcome(full, 100.5)).toThrow(/whole number of cents/);
  });
});

describe("retainerFor", () => {
  it("returns the monthly retainer in cents", () => {
    expect(retainerFor(pricing({ retainerCents: 50_000 }))).toBe(50_000);
  });

  it("is zero when the contract has no retainer", () => {
    expect(retainerFor(pricing({}))).toBe(0);
  });
});

describe("capReason", () => {
  it("explains a leads cap as an informational reason", () => {
    expect(capReason({ kind: "leads", observed: 200, limit: 200 })).toEqual({
      code: "MONTHLY_CAP_REACHED",
      rule: "pricing.monthlyCap",
      message: "monthly cap of 200 billable leads reached; qualified but not billed",
      observed: { billableLeads: 200 },
      expected: { leads: 200 },
      effect: "info",
    });
  });

  it("explains a spend cap in dollars", () => {
    const reason = capReason({ kind: "spend", observed: 1_495_000, limit: 1_500_000 });
    expect(reason.message).toBe("monthly spend cap of $15,000.00 reached ($14,950.00 billed this month); qualified but not billed");
    expect(reason.effect).toBe("info");
    expect(reason.expected).toEqual({ spendCents: 1_500_000 });
  });
});

describe("billing periods", () => {
  it("assigns an instant to the calendar month of the client's time zone", () => {
    const instant = new Date("2026-12-01T03:00:00Z"); // 22:00 on Nov 30 in New York
    expect(billingPeriodOf(instant, "America/New_York")).toBe("2026-11");
    expect(billingPeriodOf(instant, "UTC")).toBe("2026-12");
    expect(billingPeriodOf(instant, "Europe/Berlin")).toBe("2026-12");
  });

  it("bounds a month at local midnight across a DST change (New York, March)", () => {
    const { start, end } = periodBounds("2026-03", "America/New_York");
    expect(start.toISOString()).toBe("2026-03-01T05:00:00.000Z"); // EST
    expect(end.toISOString()).toBe("2026-04-01T04:00:00.000Z"); // EDT
  });

  it("bounds December into January of the next year", () => {
    const { start, end } = periodBounds("2026-12", "Europe/Berlin");
    expect(start.toISOString()).toBe("2026-11-30T23:00:00.000Z");
    expect(end.toISOString()).toBe("2026-12-31T23:00:00.000Z");
  });

  it("starts at the first existing instant when DST skips local midnight on the 1st (Havana, April 2012)", () => {
    // Cuba sprang forward at 00:00 → 01:00 on 2012-04-01, so that day begins at 01:00 CDT = 05:00Z.
    const { start } = periodBounds("2012-04", "America/Havana");
    expect(start.toISOString()).toBe("2012-04-01T05:00:00.000Z");
    expect(billingPeriodOf(new Date(start.getTime() - 1), "America/Havana")).toBe("2012-03");
  });

  it("starts at the first occurrence when local midnight on the 1st happens twice (Havana, November 2015)", () => {
    // DST ended at 01:00 local (05:00Z) on 2015-11-01, so 00:00 local occurred at 04:00Z and at 05:00Z.
    const { start } = periodBounds("2015-11", "America/Havana");
    expect(start.toISOString()).toBe("2015-11-01T04:00:00.000Z");
    expect(billingPeriodOf(new Date(start.getTime() - 1), "America/Havana")).toBe("2015-10");
    expect(periodBounds("2015-10", "America/Havana").end.toISOString()).toBe("2015-11-01T04:00:00.000Z");
  });

  it("makes periods contiguous: [start, end) of a period belongs to it, its end starts the next one", () => {
    const zones = ["UTC", "America/New_York", "America/Los_Angeles", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "America/Santiago", "America/Havana", "Asia/Damascus"];
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2060 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(...zones), (year, month, zone) => {
        const period = `${year}-${String(month).padStart(2, "0")}`;
        const { start, end } = periodBounds(period, zone);
        expect(billingPeriodOf(start, zone)).toBe(period);
        expect(billingPeriodOf(new Date(end.getTime() - 1), zone)).toBe(period);
        expect(billingPeriodOf(end, zone)).toBe(nextPeriod(period));
        expect(billingPeriodOf(new Date(start.getTime() - 1), zone)).toBe(previousPeriod(period));
        expect(periodBounds(nextPeriod(period), zone).start.getTime()).toBe(end.getTime());
      }),
    );
  });

  it("steps periods across year ends", () => {
    expect(previousPeriod("2027-01")).toBe("2026-12");
    expect(nextPeriod("2026-12")).toBe("2027-01");
    expect(nextPeriod("2026-05")).toBe("2026-06");
  });

  it("rejects an unknown time zone", () => {
    expect(() => billingPeriodOf(new Date(), "Mars/Olympus_Mons")).toThrow(/unknown time zone/);
    expect(() => periodBounds("2026-01", "Mars/Olympus_Mons")).toThrow(DomainError);
  });

  it.each([["2026-13"], ["2026-1"], ["26-01"], ["2026-00"], ["2026/01"]])("rejects the malformed period %s", (period) => {
    expect(() => periodBounds(period, "UTC")).toThrow(/YYYY-MM/);
  });
});
