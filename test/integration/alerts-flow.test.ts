import http from "node:http";
import { sql } from "drizzle-orm";
import { alertsSendJob } from "../../jobs/alerts-send";
import { startOutboxListener, type OutboxListener } from "../../jobs/outbox-listener";
import type { JobSpec } from "../../jobs/queue";
import { startScheduler, type Scheduler } from "../../jobs/scheduler";
import { DEFAULT_FAKE_ACCOUNT_SID, type FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { startFakeTwilio, TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";
import { createTestContext, type TestContext } from "../support/app";
import { addAlertRecipient, GOOD_LEAD, setupIntakeClient } from "../support/fixtures";
import { freePort } from "../support/free-port";

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The whole path as `npm start` runs it: a form post over HTTP → intake commits the lead and its
 * outbox event → the listener hears the NOTIFY → alert rows → Agenda (on this PostgreSQL) runs
 * alerts.send → the fake Twilio receives the SMS and posts signed status callbacks back to the app.
 */
describe("alerts end to end with the real scheduler, listener and status callbacks", () => {
  let fake: FakeTwilio;
  let t: TestContext;
  let server: http.Server;
  let scheduler: Scheduler;
  let listener: OutboxListener;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    fake = await startFakeTwilio({ accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: TEST_TWILIO_AUTH_TOKEN, autoDeliver: true, autoDeliverDelayMs: 20 });
    t = await createTestContext({ remix: false, twilioApiBase: fake.url, env: { PUBLIC_URL: base } });
    server = http.createServer(t.app);
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
    // Only the job under test, with a short lock lifetime: Agenda keeps a ref'd "is it still alive"
    // timer of lockLifetime/2 after every run, which would otherwise hold jest open for a minute.
    scheduler = await startScheduler(t.deps, { processEveryMs: 200, specs: [{ ...alertsSendJob, lockLifetimeMs: 1_000 } as JobSpec<never>] });
    listener = await startOutboxListener(t.deps, { enqueue: scheduler, sweepEveryMs: 1_000 });
  });
  afterAll(async () => {
    await listener?.stop();
    await scheduler?.stop(5_000);
    await new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
    await fake.stop();
    await t.close();
  });

  it("texts both reps once within seconds of a qualified form post, and records delivery", async () => {
    const s = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, s.client.id, { name: "Alice", phone: "+12125550131" });
    await addAlertRecipient(t.deps, s.client.id, { name: "Bob", phone: "+12125550132" });

    const res = await fetch(`${base}/api/forms/${s.publicKey}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", origin: "https://roofs.example.com" },
      body: JSON.stringify({ ...GOOD_LEAD, phone: "212-555-4001" }),
    });
    const lead = (await res.json()) as { leadId: string; status: string };
    expect(lead.status).toBe("qualified");

    const messages = await fake.waitForMessages(2, 15_000);
    const delivered = await waitFor("both alerts delivered", async () => {
      const r = await t.deps.db.execute(sql`select status, to_phone, message_sid from alerts where lead_id = ${lead.leadId} and status = 'delivered'`);
      return r.rows.length === 2 ? (r.rows as { to_phone: string; message_sid: string }[]) : null;
    });

    expect(messages.map((m) => m.to).sort()).toEqual(["+12125550131", "+12125550132"]);
    expect(delivered.map((d) => d.message_sid).sort()).toEqual(messages.map((m) => m.sid).sort());
    // sent + delivered for each message, all accepted (signature valid against PUBLIC_URL).
    const callbacks = await waitFor("the four status callbacks answered", async () => fake.callbacks.length >= 4 && fake.callbacks.every((c) => c.responseStatus !== null || c.error) && fake.callbacks);
    expect(callbacks.map((c) => c.responseStatus)).toEqual([200, 200, 200, 200]);
    const speed = await t.deps.alerts.speedToLead({ kind: "system", label: "test" }, { clientId: s.client.id });
    expect(speed).toMatchObject({ leads: 1, sentLeads: 1, deliveredLeads: 1 });
    expect(speed.sentP50Seconds).toEqual(expect.any(Number));

    await listener.sweep();
    expect(fake.messages).toHaveLength(2);
  });
});
