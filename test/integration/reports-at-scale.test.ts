import { createTestDatabase, type TestDatabase } from "../support/db";
import { reportsRepository } from "../../server/db/repositories/reports";

/**
 * The dashboard statements written for scale (docs/decisions/028-dashboard-at-scale.md) keep their
 * meaning: leads per day buckets by 15-minute UTC bins before converting to the client's day, which
 * must still put each lead on its local day in zones a quarter or half hour off UTC; speed to lead
 * takes each lead's first SMS from a per-client aggregate of the month's alerts.
 */
describe("dashboard statements at scale keep their meaning", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function client(name: string, timezone: string) {
    const c = (await db.pool.query(`insert into clients (name, timezone, created_at) values ($1, $2, '2026-01-01') returning id`, [name, timezone])).rows[0].id as string;
    const campaign = (await db.pool.query(`insert into campaigns (client_id, name, is_default) values ($1, 'Default', true) returning id`, [c])).rows[0].id as string;
    return { id: c, campaign };
  }
  async function lead(c: { id: string; campaign: string }, receivedAt: string, status = "qualified") {
    return (await db.pool.query(
      `insert into leads (client_id, campaign_id, source, status, raw_payload, qualified, billable, received_at) values ($1, $2, 'api', $3, '{}', $4, $4, $5) returning id`,
      [c.id, c.campaign, status, status === "qualified", receivedAt],
    )).rows[0].id as string;
  }

  it("puts leads on their local day in Kathmandu (UTC+5:45) and Adelaide (UTC+10:30 in summer)", async () => {
    const kathmandu = await client("Kathmandu Co", "Asia/Kathmandu");
    const adelaide = await client("Adelaide Co", "Australia/Adelaide");
    // 18:14 UTC on Dec 9 is 23:59 Dec 9 in Kathmandu; 18:15 UTC is 00:00 Dec 10.
    await lead(kathmandu, "2026-12-09T18:14:00Z");
    await lead(kathmandu, "2026-12-09T18:15:00Z", "rejected");
    // 13:29 UTC on Dec 9 is 23:59 Dec 9 in Adelaide (UTC+10:30); 13:30 UTC is 00:00 Dec 10.
    await lead(adelaide, "2026-12-09T13:29:00Z");
    await lead(adelaide, "2026-12-09T13:30:00Z");
    const repo = reportsRepository(db.db);
    const at = new Date("2026-12-10T12:00:00Z");
    const days = async (clientId: string) => (await repo.leadsPerDay({ at, days: 2, clientId })).filter((d) => d.received + d.qualified + d.rejected > 0);
    expect(await days(kathmandu.id)).toEqual([
      { day: "2026-12-09", received: 0, qualified: 1, rejected: 0 },
      { day: "2026-12-10", received: 0, qualified: 0, rejected: 1 },
    ]);
    expect(await days(adelaide.id)).toEqual([
      { day: "2026-12-09", received: 0, qualified: 1, rejected: 0 },
      { day: "2026-12-10", received: 0, qualified: 1, rejected: 0 },
    ]);
  });

  it("measures speed to lead from each lead's first sent SMS, over several reps, ignoring unsent alerts", async () => {
    const c = await client("Speed Co", "America/New_York");
    const rep = async (phone: string) => (await db.pool.query(`insert into alert_recipients (client_id, name, phone) values ($1, 'Rep', $2) returning id`, [c.id, phone])).rows[0].id as string;
    const [r1, r2] = [await rep("+15555550101"), await rep("+15555550102")];
    const alert = (leadId: string, recipientId: string, sentAt: string | null) =>
      db.pool.query(`insert into alerts (client_id, lead_id, recipient_id, to_phone, body, status, queued_at, sent_at) values ($1, $2, $3, '+15555550100', 'x', $4, $5, $6)`, [
        c.id, leadId, recipientId, sentAt ? "sent" : "failed", "2026-12-09T15:00:00Z", sentAt,
      ]);
    const a = await lead(c, "2026-12-09T15:00:00Z");
    await alert(a, r1, "2026-12-09T15:00:10Z");
    await alert(a, r2, "2026-12-09T15:00:04Z"); // the first send counts: 4 s
    const b = await lead(c, "2026-12-09T16:00:00Z");
    await alert(b, r1, "2026-12-09T16:00:20Z"); // 20 s
    await alert(b, r2, null);
    await lead(c, "2026-12-09T17:00:00Z"); // never alerted: not in the percentiles
    const rows = await reportsRepository(db.db).deliveryFigures(new Date("2026-12-10T12:00:00Z"));
    const row = rows.find((r) => r.clientId === c.id)!;
    expect(row.month).toMatchObject({ leads: 3, alertedLeads: 2, speedToLeadP50Seconds: 12, speedToLeadP90Seconds: 18.4 });
  });
});
