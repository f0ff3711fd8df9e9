import { pacingSentence, pct, sortAndFilter, type DeliveryRowView } from "~/components/dashboard";
import { duration } from "~/lib/format";
import { summaryInput } from "../../server/domain/reports/inputs";
import { computePacing, monthElapsed, monthWindowOf, paceAgainstCap, rateBps } from "../../server/domain/reports/pacing";
import { bpsToPercent } from "../../server/domain/reports/summary";

// June 2026 in Chicago: 30 days, no DST change. Midnight June 16 local is exactly half the month.
const TZ = "America/Chicago";
const JUNE = monthWindowOf(new Date("2026-06-10T12:00:00Z"), TZ);
const HALF = new Date("2026-06-16T05:00:00Z"); // 00:00 CDT

describe("pacing against the monthly cap", () => {
  it("finds the client's calendar month in its own time zone", () => {
    expect(JUNE.period).toBe("2026-06");
    expect(JUNE.start.toISOString()).toBe("2026-06-01T05:00:00.000Z");
    expect(JUNE.end.toISOString()).toBe("2026-07-01T05:00:00.000Z");
    // 03:00 UTC on July 1 is still June 30 in Chicago
    expect(monthWindowOf(new Date("2026-07-01T03:00:00Z"), TZ).period).toBe("2026-06");
  });

  it("counts the month fraction across a DST change (November 2026 in New York has 30 days and one hour)", () => {
    const nov = monthWindowOf(new Date("2026-11-20T12:00:00Z"), "America/New_York");
    expect(nov.start.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(nov.end.toISOString()).toBe("2026-12-01T05:00:00.000Z");
    const { elapsedMs, totalMs } = monthElapsed(new Date("2026-11-16T05:00:00Z"), nov);
    expect(totalMs).toBe((30 * 24 + 1) * 3_600_000);
    expect(elapsedMs).toBe((15 * 24 + 1) * 3_600_000);
  });

  it("is on track when the projection lands between 80 % and 100 % of the cap", () => {
    const p = paceAgainstCap({ kind: "leads", cap: 200, used: 90, now: HALF, month: JUNE });
    expect(p).toMatchObject({ status: "on_track", projected: 180, usedBps: 4500, projectedBps: 9000, exhaustsAt: null, capReached: false, monthElapsedBps: 5000 });
  });

  it("says when a leads cap runs out early at the current pace", () => {
    const p = paceAgainstCap({ kind: "leads", cap: 200, used: 150, now: HALF, month: JUNE });
    expect(p.status).toBe("will_exhaust_early");
    expect(p.projected).toBe(300);
    // 15 days × 200 / 150 = 20 days after June 1 → June 21, 00:00 local
    expect(p.exhaustsAt?.toISOString()).toBe("2026-06-21T05:00:00.000Z");
    expect(pacingSentence(p, { currency: "USD", timeZone: TZ })).toBe("At this pace the 200-lead cap runs out on Jun 21.");
  });

  it("says a client will fall short below 80 % of the cap", () => {
    const p = paceAgainstCap({ kind: "leads", cap: 200, used: 60, now: HALF, month: JUNE });
    expect(p.status).toBe("will_fall_short");
    expect(p.projected).toBe(120);
    expect(pacingSentence(p, { currency: "USD", timeZone: TZ })).toBe("On pace for 120 of 200 leads.");
  });

  it("treats exactly 80 % and exactly 100 % as on track (strict thresholds)", () => {
    expect(paceAgainstCap({ kind: "leads", cap: 200, used: 80, now: HALF, month: JUNE }).status).toBe("on_track");
    expect(paceAgainstCap({ kind: "leads", cap: 200, used: 100, now: HALF, month: JUNE }).status).toBe("on_track");
    expect(paceAgainstCap({ kind: "leads", cap: 200, used: 79, now: HALF, month: JUNE }).status).toBe("will_fall_short");
    expect(paceAgainstCap({ kind: "leads", cap: 200, used: 101, now: HALF, month: JUNE }).status).toBe("will_exhaust_early");
  });

  it("paces a spend cap in cents and dates its exhaustion", () => {
    const p = paceAgainstCap({ kind: "spend", cap: 1_000_000, used: 600_000, now: HALF, month: JUNE });
    expect(p).toMatchObject({ status: "will_exhaust_early", projected: 1_200_000 });
    // 15 days × 10/6 = 25 days → June 26
    expect(p.exhaustsAt?.toISOString()).toBe("2026-06-26T05:00:00.000Z");
    expect(pacingSentence(p, { currency: "USD", timeZone: TZ })).toBe("At this pace the $10,000.00 spend cap runs out on Jun 26.");
  });

  it("reports a cap already used up as exhausted, dated no later than now", () => {
    const p = paceAgainstCap({ kind: "leads", cap: 200, used: 200, now: HALF, month: JUNE });
    expect(p.status).toBe("will_exhaust_early");
    expect(p.capReached).toBe(true);
    expect(p.exhaustsAt!.getTime()).toBeLessThanOrEqual(HALF.getTime());
    expect(pacingSentence(p, { currency: "USD", timeZone: TZ })).toBe("The 200-lead cap is used up; further leads this month are not billed.");
  });

  it("has no cap status without a monthly cap, and picks the cap that binds first when there are two", () => {
    const none = computePacing({ monthlyCap: undefined }, { billableLeads: 10, leadChargesCents: 75_000 }, HALF, JUNE);
    expect(none).toMatchObject({ status: "no_cap", cap: null, projected: 20 });
    const both = computePacing({ monthlyCap: { leads: 1000, spendCents: 500_000 } }, { billableLeads: 100, leadChargesCents: 300_000 }, HALF, JUNE);
    expect(both).toMatchObject({ kind: "spend", status: "will_exhaust_early", cap: 500_000 });
    const leadsBind = computePacing({ monthlyCap: { leads: 120, spendCents: 5_000_000 } }, { billableLeads: 100, leadChargesCents: 300_000 }, HALF, JUNE);
    expect(leadsBind).toMatchObject({ kind: "leads", cap: 120 });
  });

  it("projects nothing at the first instant of the month without dividing by zero", () => {
    const p = paceAgainstCap({ kind: "leads", cap: 200, used: 0, now: JUNE.start, month: JUNE });
    expect(p).toMatchObject({ status: "too_early", projected: 0 });
  });

  it("warns nothing on the 1st at 08:40 (0 of 200, or a few leads), but does once three days have passed", () => {
    const firstMorning = new Date("2026-06-01T13:40:00Z"); // 08:40 CDT
    expect(paceAgainstCap({ kind: "leads", cap: 200, used: 0, now: firstMorning, month: JUNE }).status).toBe("too_early");
    expect(paceAgainstCap({ kind: "leads", cap: 200, used: 3, now: firstMorning, month: JUNE }).status).toBe("too_early");
    const day4 = new Date("2026-06-04T05:00:00Z"); // 3 of 30 days = 10 %
    expect(paceAgainstCap({ kind: "leads", cap: 200, used: 0, now: day4, month: JUNE }).status).toBe("will_fall_short");
    const sentence = pacingSentence(paceAgainstCap({ kind: "leads", cap: 200, used: 3, now: firstMorning, month: JUNE }), { currency: "USD", timeZone: TZ });
    expect(sentence).toBe("3 of the 200-lead cap used; too early in the month for a projection.");
  });

  it("still says early in the month when usage alone shows the cap will run out or has", () => {
    const firstEvening = new Date("2026-06-02T01:00:00Z");
    expect(paceAgainstCap({ kind: "leads", cap: 200, used: 60, now: firstEvening, month: JUNE }).status).toBe("will_exhaust_early");
    expect(paceAgainstCap({ kind: "leads", cap: 10, used: 10, now: firstEvening, month: JUNE })).toMatchObject({ status: "will_exhaust_early", capReached: true });
  });
});

describe("report arithmetic and display helpers", () => {
  it("computes rates in basis points and leaves a rate of nothing empty", () => {
    expect(rateBps(1, 3)).toBe(3333);
    expect(rateBps(2, 3)).toBe(6667);
    expect(rateBps(0, 0)).toBeNull();
    expect(bpsToPercent(1250)).toBe("12.50");
    expect(bpsToPercent(5)).toBe("0.05");
    expect(bpsToPercent(null)).toBe("");
    expect(pct(3333)).toBe("33.3%");
    expect(pct(5000)).toBe("50%");
    expect(duration(36)).toBe("36 s");
    expect(duration(185)).toBe("3 min 5 s");
    expect(duration(0.42)).toBe("0.4 s");
    expect(duration(0.04)).toBe("0 s");
    expect(duration(4)).toBe("4 s");
    expect(duration(9.96)).toBe("10 s");
    expect(duration(7440)).toBe("2 h 4 min");
    expect(duration(277_200)).toBe("3 d 5 h");
    expect(duration(null)).toBe("—");
  });

  it("refuses a report range that ends before it starts or is not a date", () => {
    expect(summaryInput.safeParse({ from: "2026-11-10", to: "2026-11-01" }).success).toBe(false);
    expect(summaryInput.safeParse({ from: "2026-02-30", to: "2026-03-01" }).success).toBe(false);
    expect(summaryInput.safeParse({ from: "2026-11-01", to: "2026-11-01" }).success).toBe(true);
  });

  it("sorts dashboard rows by the chosen column and searches by client name", () => {
    const row = (name: string, leads: number, projectedBps: number | null): DeliveryRowView => ({
      clientId: name,
      clientName: name,
      timezone: TZ,
      currency: "USD",
      clientStatus: "active",
      period: "2026-11",
      contractVersion: 1,
      today: { leads: 0, qualified: 0, qualifiedRateBps: null, billedCents: 0, failedAlerts: 0 },
      month: { leads, qualified: 0, qualifiedRateBps: null, billableLeads: 0, billedCents: 0, disputesOpened: 0, disputeRateBps: null, failedAlerts: 0, speedToLead: { p50Seconds: null, p90Seconds: null, alertedLeads: 0 } },
      pacing: { status: projectedBps === null ? "no_cap" : "on_track", kind: null, cap: null, used: 0, projected: 0, usedBps: null, projectedBps, exhaustsAt: null, capReached: false, monthElapsedBps: 0 },
    });
    const rows = [row("Beta", 5, null), row("alpha", 9, 15000), row("Gamma", 1, 9000)];
    expect(sortAndFilter(rows, { sort: "name", dir: "asc" }).map((r) => r.clientName)).toEqual(["alpha", "Beta", "Gamma"]);
    expect(sortAndFilter(rows, { sort: "leads", dir: "desc" }).map((r) => r.clientName)).toEqual(["alpha", "Beta", "Gamma"]);
    expect(sortAndFilter(rows, { sort: "pacing", dir: "desc" }).map((r) => r.clientName)).toEqual(["alpha", "Gamma", "Beta"]);
    expect(sortAndFilter(rows, { q: "AM", sort: "name", dir: "asc" }).map((r) => r.clientName)).toEqual(["Gamma"]);
  });
});
