import { sql } from "drizzle-orm";
import supertest from "supertest";
import { ALERTS_SEND, alertsSendJob } from "../../jobs/alerts-send";
import { dispatchOutboxEvent, sweepOutbox } from "../../jobs/outbox-dispatch";
import type { Enqueuer } from "../../jobs/queue";
import { startOutboxListener } from "../../jobs/outbox-listener";
import { DEFAULT_FAKE_ACCOUNT_SID, type FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { startFakeTwilio, TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";
import { sha256Hex } from "../../server/security/crypto";
import { createTestContext, type TestContext } from "../support/app";
import { addAlertRecipient, GOOD_LEAD, recordingJobContext, setupIntakeClient } from "../support/fixtures";

/** Runs alerts.send jobs in-line, as the worker would, and everything they schedule later too. */
function inlineWorker(t: () => TestContext): Enqueuer & { runs: number } {
  const w = {
    runs: 0,
    async now(name: string, data: unknown) {
      expect(name).toBe(ALERTS_SEND);
      w.runs++;
      await alertsSendJob.handler(t().deps, data as { alertId: string }, recordingJobContext());
    },
  };
  return w;
}

describe("lead.qualified → alert rows → SMS (outbox dispatch)", () => {
  let fake: FakeTwilio;
  let t: TestContext;
  let phoneSeq = 0;
  const nextLeadPhone = () => `212-555-${String(2000 + phoneSeq++)}`;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: TEST_TWILIO_AUTH_TOKEN });
    t = await createTestContext({ remix: false, twilioApiBase: fake.url });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const postForm = (publicKey: string, body: Record<string, unknown>) =>
    supertest(t.app).post(`/api/forms/${publicKey}`).set("Origin", "https://roofs.example.com").set("Accept", "application/json").send(body);
  const eventOf = async (leadId: string) => {
    const r = await t.deps.db.execute(sql`select id, processed_at from outbox_events where aggregate_id = ${leadId}`);
    return r.rows[0] as { id: number; processed_at: string | null } | undefined;
  };
  /** The lead an alert text's rep link opens (by the stored hash of its token). */
  const leadOfText = async (body: string) => {
    const token = /\/r\/([A-Za-z0-9_-]{22})$/.exec(body)?.[1] ?? "";
    const r = await t.deps.db.execute(sql`select lead_id from rep_links where token_hash = ${sha256Hex(token)}`);
    return (r.rows[0] as { lead_id: string } | undefined)?.lead_id;
  };
  const alertsOf = async (leadId: string) =>
    (await t.deps.db.execute(sql`select a.*, r.name as recipient_name from alerts a join alert_recipients r on r.id = a.recipient_id where lead_id = ${leadId} order by r.name`)).rows as {
      recipient_name: string;
      status: string;
      error_message: string | null;
      to_phone: string;
    }[];

  it("texts a qualified form lead to both reps on duty, each exactly once, however often it is re-dispatched and re-run", async () => {
    const s = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, s.client.id, { name: "Alice", phone: "+12125550101" });
    await addAlertRecipient(t.deps, s.client.id, { name: "Bob", phone: "+12125550102" });
    const worker = inlineWorker(() => t);

    const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextLeadPhone() });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("qualified");
    const swept = await sweepOutbox(t.deps, worker);

    expect(swept.events).toBe(1);
    expect(fake.messages.map((m) => m.to).sort()).toEqual(["+12125550101", "+12125550102"]);
    // Each rep's text carries its own link to the lead card; only the token's SHA-256 is stored, one row per sent alert.
    const tokens = fake.messages.map((m) => /\/r\/([A-Za-z0-9_-]{22})$/.exec(m.body)?.[1]);
    expect(new Set(tokens).size).toBe(2);
    const links = (await t.deps.db.execute(sql`select token_hash from rep_links where lead_id = ${res.body.leadId}`)).rows as { token_hash: string }[];
    expect(links.map((l) => l.token_hash).sort()).toEqual(tokens.map((tk) => sha256Hex(tk!)).sort());
    expect((await alertsOf(res.body.leadId)).map((a) => a.status)).toEqual(["sent", "sent"]);
    expect((await eventOf(res.body.leadId))!.processed_at).not.toBeNull();

    // Again: the event is processed; a forced re-dispatch adds no alert; re-running the jobs sends nothing.
    await sweepOutbox(t.deps, worker);
    await t.deps.db.execute(sql`update outbox_events set processed_at = null where aggregate_id = ${res.body.leadId}`);
    const again = await dispatchOutboxEvent(t.deps, (await eventOf(res.body.leadId))!.id, worker);
    expect(again).toEqual({ kind: "dispatched", pendingAlertIds: [], skipped: 0 });
    for (const a of (await t.deps.db.execute(sql`select id from alerts where lead_id = ${res.body.leadId}`)).rows as { id: string }[]) {
      await worker.now(ALERTS_SEND, { alertId: a.id });
    }
    expect(fake.messages).toHaveLength(2);
    expect(await alertsOf(res.body.leadId)).toHaveLength(2);
    expect((await t.deps.db.execute(sql`select id from rep_links where lead_id = ${res.body.leadId}`)).rows).toHaveLength(2);
  });

  it("sends nothing for a rejected lead: it has no outbox event", async () => {
    const s = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, s.client.id, { name: "Alice", phone: "+12125550103" });

    const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextLeadPhone(), zip: "94105" });
    await sweepOutbox(t.deps, inlineWorker(() => t));

    expect(res.body.status).toBe("rejected");
    expect(await eventOf(res.body.leadId)).toBeUndefined();
    expect(await alertsOf(res.body.leadId)).toEqual([]);
    expect(fake.messages).toHaveLength(0);
  });

  it("skips an opted-out rep and an off-duty rep with the reason on their alert rows", async () => {
    const s = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, s.client.id, { name: "Alice", phone: "+12125550104" });
    await addAlertRecipient(t.deps, s.client.id, { name: "Oscar", phone: "+12125550105", optedOutAt: new Date("2026-01-02T00:00:00Z") });
    await addAlertRecipient(t.deps, s.client.id, { name: "Nina", phone: "+12125550106", activeHours: {} }); // never on duty
    await addAlertRecipient(t.deps, s.client.id, { name: "Zed", phone: "+12125550107", active: false });

    const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextLeadPhone() });
    await sweepOutbox(t.deps, inlineWorker(() => t));

    expect(fake.messages.map((m) => m.to)).toEqual(["+12125550104"]);
    const rows = await alertsOf(res.body.leadId);
    expect(rows.map((a) => [a.recipient_name, a.status])).toEqual([
      ["Alice", "sent"],
      ["Nina", "skipped"],
      ["Oscar", "skipped"],
    ]);
    expect(rows[1]!.error_message).toMatch(/^off duty: .* is outside active hours \(never\)$/);
    expect(rows[2]!.error_message).toMatch(/^recipient replied STOP — opted out since 2026-01-02/);
  });

  it("with round robin, consecutive leads go to one rep each in turn", async () => {
    const s = await setupIntakeClient(t.deps);
    await t.deps.alertRecipients.updateSettings({ kind: "system", label: "test" }, { clientId: s.client.id, routing: "round_robin" });
    await addAlertRecipient(t.deps, s.client.id, { name: "Alice", phone: "+12125550108" });
    await addAlertRecipient(t.deps, s.client.id, { name: "Bob", phone: "+12125550109" });
    const worker = inlineWorker(() => t);

    for (let i = 0; i < 3; i++) {
      await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextLeadPhone() });
      await sweepOutbox(t.deps, worker);
    }

    expect(fake.messages.map((m) => m.to)).toEqual(["+12125550108", "+12125550109", "+12125550108"]);
  });

  it("the listener sends on NOTIFY; a lead whose transaction rolled back notifies nobody and is never texted", async () => {
    const s = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, s.client.id, { name: "Alice", phone: "+12125550110" });
    const worker = inlineWorker(() => t);
    const listener = await startOutboxListener(t.deps, { enqueue: worker, sweepEveryMs: 60_000 });
    try {
      await listener.sweep(); // start from a clean slate: nothing of earlier tests is left over
      const rejected = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextLeadPhone(), zip: "94105" });
      // Qualify it and emit lead.qualified + NOTIFY exactly as intake does — then roll back.
      await expect(
        t.deps.db.transaction(async (tx) => {
          await tx.execute(sql`update leads set status = 'qualified', qualified = true where id = ${rejected.body.leadId}`);
          await tx.execute(sql`with ins as (insert into outbox_events (type, aggregate_id, client_id, payload)
              values ('lead.qualified', ${rejected.body.leadId}, ${s.client.id}, '{}'::jsonb) returning id)
            select pg_notify('leadledger_outbox', id::text) from ins`);
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");

      const good = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextLeadPhone() });
      const [m] = await fake.waitForMessages(1, 10_000);
      await listener.sweep();

      expect(await leadOfText(m!.body)).toBe(good.body.leadId);
      expect(fake.messages).toHaveLength(1);
      expect(await alertsOf(rejected.body.leadId)).toEqual([]);
    } finally {
      await listener.stop();
    }
  });

  it("the listener reconnects when PostgreSQL drops its LISTEN connection and texts the next lead", async () => {
    const s = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, s.client.id, { name: "Alice", phone: "+12125550112" });
    const worker = inlineWorker(() => t);
    const listener = await startOutboxListener(t.deps, { enqueue: worker, sweepEveryMs: 60_000 });
    try {
      await listener.sweep();
      const before = fake.messages.length;
      const killed = await t.deps.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'LISTEN leadledger_outbox%'`,
      );
      expect(killed.rows).toHaveLength(1);
      // Wait until the listener is back (a new LISTEN session exists), then a lead must reach the rep by NOTIFY.
      for (let i = 0; i < 100; i++) {
        const back = await t.deps.db.execute(sql`select 1 from pg_stat_activity where datname = current_database() and query ilike 'LISTEN leadledger_outbox%'`);
        if (back.rows.length > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }

      const good = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextLeadPhone() });
      const messages = await fake.waitForMessages(before + 1, 10_000);

      expect(await leadOfText(messages.at(-1)!.body)).toBe(good.body.leadId);
      expect(messages.at(-1)!.to).toBe("+12125550112");
    } finally {
      await listener.stop();
    }
  });

  it("the sweep dispatches an event whose notification nobody heard", async () => {
    const s = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, s.client.id, { name: "Alice", phone: "+12125550111" });
    const res = await postForm(s.publicKey, { ...GOOD_LEAD, phone: nextLeadPhone() }); // no listener running
    expect((await eventOf(res.body.leadId))!.processed_at).toBeNull();
    const enqueue = recordingJobContext();

    const swept = await sweepOutbox(t.deps, enqueue);

    expect(swept.events).toBe(1);
    expect(enqueue.enqueued).toEqual([{ name: ALERTS_SEND, data: { alertId: expect.any(String) }, when: null }]);
    expect((await eventOf(res.body.leadId))!.processed_at).not.toBeNull();
  });
});
