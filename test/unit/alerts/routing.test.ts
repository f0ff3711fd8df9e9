import { describeActiveHours, isOnDuty, planAlerts, type RoutingClient, type RoutingRecipient } from "../../../server/domain/alerts/routing";
import type { AlertLeadValues } from "../../../server/domain/alerts/template";

const NY = "America/New_York";
const WEEKDAYS_9_TO_6 = { mon: [["09:00", "18:00"]], tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]], thu: [["09:00", "18:00"]], fri: [["09:00", "18:00"]] } as RoutingRecipient["activeHours"];
const NIGHT_SHIFT = { mon: [["18:00", "24:00"]], tue: [["00:00", "08:00"]] } as RoutingRecipient["activeHours"];

const LEAD: AlertLeadValues = { leadId: "5b0f3a52-1c1e-4d2b-9a55-0d6f0e2c9a11", name: "Ann", phone: "+12125550142", source: "form", campaign: "Roofs", zip: "10001" };

function rep(id: string, over: Partial<RoutingRecipient> = {}): RoutingRecipient {
  return { id, name: `Rep ${id}`, phone: `+1212555${id.padStart(4, "0")}`, active: true, activeHours: null, optedOutAt: null, createdAt: new Date(`2026-01-0${id}T00:00:00Z`), ...over };
}
const client = (over: Partial<RoutingClient> = {}): RoutingClient => ({ timezone: NY, routing: "everyone", template: null, roundRobinCursor: 0, ...over });

describe("who is on duty", () => {
  it("is always on duty without active hours", () => {
    expect(isOnDuty(null, new Date("2026-07-05T07:00:00Z"), NY)).toBe(true);
  });

  it("reads active hours in the client's time zone on both sides of the March DST change", () => {
    // Friday 2026-03-06 13:30 UTC is 08:30 EST (UTC−5): before 09:00, off duty.
    expect(isOnDuty(WEEKDAYS_9_TO_6, new Date("2026-03-06T13:30:00Z"), NY)).toBe(false);
    // Monday 2026-03-09 13:30 UTC is 09:30 EDT (UTC−4): on duty. A fixed −5 offset would say 08:30.
    expect(isOnDuty(WEEKDAYS_9_TO_6, new Date("2026-03-09T13:30:00Z"), NY)).toBe(true);
    // Sunday 2026-03-08 06:59 UTC is 01:59 EST, 07:00 UTC is 03:00 EDT — a Sunday either way: off.
    expect(isOnDuty(WEEKDAYS_9_TO_6, new Date("2026-03-08T07:00:00Z"), NY)).toBe(false);
  });

  it("keeps the local end of the day after the November DST change", () => {
    // Monday 2026-11-02 22:59 UTC is 17:59 EST: still on; 23:00 UTC is 18:00 EST: off.
    expect(isOnDuty(WEEKDAYS_9_TO_6, new Date("2026-11-02T22:59:00Z"), NY)).toBe(true);
    expect(isOnDuty(WEEKDAYS_9_TO_6, new Date("2026-11-02T23:00:00Z"), NY)).toBe(false);
  });

  it("covers an overnight shift written as two ranges across midnight", () => {
    expect(isOnDuty(NIGHT_SHIFT, new Date("2026-06-08T21:59:00Z"), NY)).toBe(false); // Mon 17:59 EDT
    expect(isOnDuty(NIGHT_SHIFT, new Date("2026-06-08T22:00:00Z"), NY)).toBe(true); // Mon 18:00
    expect(isOnDuty(NIGHT_SHIFT, new Date("2026-06-09T03:59:00Z"), NY)).toBe(true); // Mon 23:59
    expect(isOnDuty(NIGHT_SHIFT, new Date("2026-06-09T04:00:00Z"), NY)).toBe(true); // Tue 00:00
    expect(isOnDuty(NIGHT_SHIFT, new Date("2026-06-09T11:59:00Z"), NY)).toBe(true); // Tue 07:59
    expect(isOnDuty(NIGHT_SHIFT, new Date("2026-06-09T12:00:00Z"), NY)).toBe(false); // Tue 08:00
  });

  it("treats the overnight off-hours of a day shift as off duty", () => {
    expect(isOnDuty(WEEKDAYS_9_TO_6, new Date("2026-06-10T06:00:00Z"), NY)).toBe(false); // Wed 02:00 EDT
    expect(isOnDuty(WEEKDAYS_9_TO_6, new Date("2026-06-10T16:00:00Z"), NY)).toBe(true); // Wed 12:00 EDT
  });

  it("describes active hours compactly", () => {
    expect(describeActiveHours(WEEKDAYS_9_TO_6)).toBe("Mon–Fri 09:00–18:00");
    expect(describeActiveHours(NIGHT_SHIFT)).toBe("Mon 18:00–24:00, Tue 00:00–08:00");
    expect(describeActiveHours(null)).toBe("always");
  });
});

describe("planning a lead's alerts", () => {
  let n = 0;
  const newLinkToken = () => `tok${String(++n).padStart(19, "0")}`;
  const at = new Date("2026-06-10T16:00:00Z"); // Wednesday 12:00 in New York

  it("alerts everyone on duty, and records why an opted-out and an off-duty rep were skipped", () => {
    const plan = planAlerts({
      lead: LEAD,
      client: client(),
      recipients: [rep("1"), rep("2", { optedOutAt: new Date("2026-05-01T00:00:00Z") }), rep("3", { activeHours: NIGHT_SHIFT }), rep("4", { active: false }), rep("5")],
      at,
      publicUrl: "https://x.test",
      newLinkToken,
    });
    expect(plan.nextCursor).toBeNull();
    expect(plan.alerts.filter((a) => a.status === "pending").map((a) => a.recipientId)).toEqual(["1", "5"]);
    const skipped = Object.fromEntries(plan.alerts.filter((a) => a.status === "skipped").map((a) => [a.recipientId, a.errorMessage]));
    expect(skipped["2"]).toMatch(/replied STOP — opted out/);
    expect(skipped["3"]).toBe("off duty: Wed 12:00 America/New_York is outside active hours (Mon 18:00–24:00, Tue 00:00–08:00)");
    expect(skipped).not.toHaveProperty("4");
    // Each alert carries its own rep link: no two texts alike, each naming its own token.
    expect(new Set(plan.alerts.map((a) => a.body)).size).toBe(plan.alerts.length);
    for (const a of plan.alerts) expect(a.body.endsWith(`https://x.test/r/${a.linkToken}`)).toBe(true);
  });

  it("round robin gives consecutive leads to the next rep on duty in creation order", () => {
    const recipients = [rep("3"), rep("1"), rep("2")];
    const chosen: string[] = [];
    let cursor = 0;
    for (let i = 0; i < 4; i++) {
      const plan = planAlerts({ lead: LEAD, client: client({ routing: "round_robin", roundRobinCursor: cursor }), recipients, at, publicUrl: "https://x.test", newLinkToken });
      expect(plan.alerts).toHaveLength(1);
      chosen.push(plan.alerts[0]!.recipientId);
      cursor = plan.nextCursor!;
    }
    expect(chosen).toEqual(["1", "2", "3", "1"]);
  });

  it("round robin only chooses among reps on duty", () => {
    const plan = planAlerts({
      lead: LEAD,
      client: client({ routing: "round_robin", roundRobinCursor: 1 }),
      recipients: [rep("1"), rep("2", { activeHours: NIGHT_SHIFT }), rep("3")],
      at,
      publicUrl: "https://x.test",
      newLinkToken,
    });
    expect(plan.alerts.filter((a) => a.status === "pending").map((a) => a.recipientId)).toEqual(["3"]);
    expect(plan.alerts.filter((a) => a.status === "skipped").map((a) => a.recipientId)).toEqual(["2"]);
    expect(plan.nextCursor).toBe(2);
  });

  it("sends nothing when nobody is on duty, and leaves the round-robin cursor alone", () => {
    const plan = planAlerts({ lead: LEAD, client: client({ routing: "round_robin", roundRobinCursor: 7 }), recipients: [rep("1", { activeHours: NIGHT_SHIFT })], at, publicUrl: "https://x.test", newLinkToken });
    expect(plan.alerts.map((a) => a.status)).toEqual(["skipped"]);
    expect(plan.nextCursor).toBeNull();
  });
});
