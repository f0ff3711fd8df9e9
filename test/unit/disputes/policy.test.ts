import { DomainError } from "../../../server/domain/errors";
import {
  assertReasonAllowed,
  assertReturnRateAllows,
  assertWindowOpen,
  automaticDecision,
  dueAtFor,
  earlierDuplicateInWindow,
  formatBps,
  formatDay,
} from "../../../server/domain/disputes/policy";
import { summarizeStats } from "../../../server/domain/disputes/read-disputes";

const NY = "America/New_York";
const DAY = 86_400_000;
const received = new Date("2026-11-02T15:00:00Z"); // Nov 2, 10:00 in New York

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
}

describe("the dispute window", () => {
  it("is open until exactly windowDays after the lead was received", () => {
    expect(() => assertWindowOpen({ receivedAt: received, windowDays: 7, now: new Date(received.getTime() + 7 * DAY), timezone: NY })).not.toThrow();
  });

  it("closes a millisecond later and names the closing day in the client's time zone", () => {
    const e = thrown(() => assertWindowOpen({ receivedAt: received, windowDays: 7, now: new Date(received.getTime() + 7 * DAY + 1), timezone: NY }));
    expect(e.code).toBe("DISPUTE_WINDOW_CLOSED");
    expect(e.message).toBe("Disputes for this lead closed on Nov 9 (7-day window).");
  });

  it("names the year when the window closed in an earlier year", () => {
    expect(formatDay(new Date("2025-12-31T12:00:00Z"), NY, new Date("2026-01-05T12:00:00Z"))).toBe("Dec 31, 2025");
  });

  it("uses the local date, not the UTC one, near midnight", () => {
    expect(formatDay(new Date("2026-11-10T03:00:00Z"), NY, received)).toBe("Nov 9");
  });
});

describe("reasons", () => {
  const terms = { reasons: ["wrong_number", "spam", "other"] };

  it("accepts a reason the contract lists", () => {
    expect(() => assertReasonAllowed(terms, "spam", null)).not.toThrow();
  });

  it("refuses a reason the contract does not list, naming the allowed ones", () => {
    const e = thrown(() => assertReasonAllowed(terms, "duplicate", null));
    expect(e.code).toBe("VALIDATION_FAILED");
    expect(e.message).toContain("wrong_number, spam, other");
  });

  it.each([[null], [""], ["   "]])("requires a note for `other` (note %p)", (note) => {
    expect(thrown(() => assertReasonAllowed(terms, "other", note)).issues).toEqual([{ path: ["note"], message: expect.any(String) }]);
  });
});

describe("the return-rate cap", () => {
  it.each([
    ["at the cap", 0, 5, 2000, true],
    ["over the cap", 1, 5, 2000, false],
    ["no cap (100%)", 9, 5, 10_000, true],
    ["a cap of zero", 0, 5, 0, false],
    ["rounding never lets it slip: 1 of 3 vs 3333 bps", 0, 3, 3333, false],
    ["1 of 3 vs 3334 bps", 0, 3, 3334, true],
  ])("%s", (_name, returnedLeads, billableLeads, maxReturnRateBps, allowed) => {
    const run = () => assertReturnRateAllows({ returnedLeads, billableLeads, maxReturnRateBps, period: "2026-11" });
    if (allowed) expect(run).not.toThrow();
    else expect(thrown(run).code).toBe("RETURN_RATE_EXCEEDED");
  });

  it("says the numbers", () => {
    const e = thrown(() => assertReturnRateAllows({ returnedLeads: 2, billableLeads: 10, maxReturnRateBps: 2500, period: "2026-11" }));
    expect(e.message).toBe("This dispute would raise the return rate for November 2026 to 3 of 10 billable leads (30%), above the contract's maximum of 25%.");
  });
});

describe("formatBps", () => {
  it.each([
    [2000, "20%"],
    [2050, "20.5%"],
    [3333, "33.33%"],
    [2005, "20.05%"],
    [10, "0.1%"],
    [0, "0%"],
  ])("%d bps is %s", (bps, text) => {
    expect(formatBps(bps)).toBe(text);
  });
});

describe("decisions taken when a dispute is opened", () => {
  const base = {
    terms: { autoApprove: ["spam"] },
    qualification: { minCallSeconds: 90, duplicate: { windowDays: 30, fields: ["phone" as const] } },
    lead: { source: "form" as const, callConversationSeconds: null },
    earlierLead: null,
    timezone: NY,
    now: received,
  };

  it("auto-approves a reason the contract lists in autoApprove", () => {
    expect(automaticDecision({ ...base, reason: "spam" })).toMatchObject({ status: "auto_approved", by: "contract" });
  });

  it("approves a duplicate on evidence of an earlier lead, citing it", () => {
    const earlierLead = { leadId: "6b1f3c1e-0000-4000-8000-000000000001", matchedOn: "phone" as const, receivedAt: new Date("2026-10-20T14:00:00Z") };
    const d = automaticDecision({ ...base, reason: "duplicate", earlierLead });
    expect(d).toMatchObject({ status: "approved", by: "evidence", evidence: { earlierLeadId: earlierLead.leadId, matchedOn: "phone" } });
    expect(d!.note).toContain("lead 6b1f3c1e-0000-4000-8000-000000000001 received Oct 20 has the same phone number");
  });

  it("approves any reason for a call shorter than the minimum, and nothing for one at the minimum", () => {
    expect(automaticDecision({ ...base, reason: "wrong_number", lead: { source: "call", callConversationSeconds: 89 } })).toMatchObject({ status: "approved", by: "evidence" });
    expect(automaticDecision({ ...base, reason: "wrong_number", lead: { source: "call", callConversationSeconds: 90 } })).toBeNull();
  });

  it("leaves everything else to the agency", () => {
    expect(automaticDecision({ ...base, reason: "duplicate" })).toBeNull();
    expect(automaticDecision({ ...base, reason: "not_looking" })).toBeNull();
  });
});

describe("stored earlier-duplicate facts", () => {
  const d = { leadId: "x", matchedOn: "email" as const, receivedAt: new Date(received.getTime() - 10 * DAY) };

  it("count when the earlier lead is inside the window", () => {
    expect(earlierDuplicateInWindow(d, received, 30)).toEqual(d);
  });

  it("do not count outside the window, without a duplicate rule, or when not earlier", () => {
    expect(earlierDuplicateInWindow(d, received, 9)).toBeNull();
    expect(earlierDuplicateInWindow(d, received, undefined)).toBeNull();
    expect(earlierDuplicateInWindow({ ...d, receivedAt: received }, received, 30)).toBeNull();
  });
});

describe("the agency deadline", () => {
  it("is agencyResponseDays after opening", () => {
    expect(dueAtFor(received, 3).toISOString()).toBe("2026-11-05T15:00:00.000Z");
  });
});

describe("dispute statistics", () => {
  it("folds rows into rates by campaign, source and reason, using all billable leads for reasons", () => {
    const stats = summarizeStats([
      { campaignId: "c1", campaignName: "Search", source: "form", reason: null, billableLeads: 8, disputes: 0, approved: 0 },
      { campaignId: "c1", campaignName: "Search", source: "form", reason: "spam", billableLeads: 0, disputes: 2, approved: 2 },
      { campaignId: "c2", campaignName: "Calls", source: "call", reason: null, billableLeads: 2, disputes: 0, approved: 0 },
      { campaignId: "c2", campaignName: "Calls", source: "call", reason: "wrong_number", billableLeads: 0, disputes: 1, approved: 0 },
      { campaignId: "c3", campaignName: "Idle", source: "api", reason: null, billableLeads: 0, disputes: 0, approved: 0 },
    ]);
    expect(stats.totals).toEqual({ disputes: 3, approved: 2, billableLeads: 10, rateBps: 3000 });
    expect(stats.byCampaign).toEqual([
      { campaignId: "c2", campaignName: "Calls", disputes: 1, approved: 0, billableLeads: 2, rateBps: 5000 },
      { campaignId: "c1", campaignName: "Search", disputes: 2, approved: 2, billableLeads: 8, rateBps: 2500 },
      { campaignId: "c3", campaignName: "Idle", disputes: 0, approved: 0, billableLeads: 0, rateBps: null },
    ]);
    expect(stats.bySource.map((r) => [r.source, r.rateBps])).toEqual([["call", 5000], ["form", 2500], ["api", null]]);
    expect(stats.byReason).toEqual([
      { reason: "spam", disputes: 2, approved: 2, billableLeads: 10, rateBps: 2000 },
      { reason: "wrong_number", disputes: 1, approved: 0, billableLeads: 10, rateBps: 1000 },
    ]);
  });
});
