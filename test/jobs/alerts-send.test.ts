import { sql } from "drizzle-orm";
import { alertsSendJob, ALERTS_SEND, firstAttemptInProcess } from "../../jobs/alerts-send";
import { sweepOutbox, dispatchOutboxEvent } from "../../jobs/outbox-dispatch";
import { query } from "../../server/db/client";
import { alertSendRepository, toAlertRecord, type AlertRow } from "../../server/db/repositories/alerts";
import { sendAlert } from "../../server/domain/alerts/send-alert";
import { sendAlertPorts } from "../../server/wiring/alerts";
import type { Clock } from "../../server/domain/shared/clock";
import { createTwilioClient } from "../../server/integrations/twilio/client";
import { DEFAULT_FAKE_ACCOUNT_SID, DEFAULT_FAKE_FROM, type FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { startFakeTwilio, TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";
import { TwilioSmsSender } from "../../server/integrations/twilio/sms-sender";
import { createTestContext, type TestContext } from "../support/app";
import { addAlertRecipient, GOOD_LEAD, recordingJobContext, setupIntakeClient } from "../support/fixtures";

/** Real time shifted by `offset`, so a test can jump past a retry's backoff without waiting. */
function shiftableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

describe("alerts.send job: each alert SMS goes out once", () => {
  let fake: FakeTwilio;
  let t: TestContext;
  const clock = shiftableClock();
  let n = 0;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: TEST_TWILIO_AUTH_TOKEN });
    t = await createTestContext({ remix: false, twilioApiBase: fake.url, clock });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  /** The send use case's ports as the app wires them, for calling sendAlert with one of them replaced. */
  const sendPorts = () => sendAlertPorts({ config: t.config, db: t.deps.db, clock: t.deps.clock, twilio: t.deps.twilio });
  const alert = async (id: string) => toAlertRecord((await query<AlertRow>(t.deps.db, sql`select * from alerts where id = ${id}`))[0]!);

  /** A client with one rep on duty and one qualified lead dispatched into a pending alert; returns that alert's id. */
  async function pendingAlert(repPhone = "+12125550191"): Promise<string> {
    const s = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, s.client.id, { name: "Rita Rep", phone: repPhone });
    const r = await t.deps.intake.submit({
      client: { id: s.client.id, timezone: "America/New_York", phoneCountry: "US" },
      source: "api",
      campaignId: null,
      apiKeyId: s.apiKey.id,
      payload: { ...GOOD_LEAD, phone: `212-555-${String(1000 + n++)}` },
      actor: "test",
    });
    expect(r.answer.status).toBe("qualified");
    const ev = await t.deps.db.execute(sql`select id from outbox_events where aggregate_id = ${r.answer.leadId}`);
    const ctx = recordingJobContext();
    const outcome = await dispatchOutboxEvent(t.deps, Number((ev.rows[0] as { id: number }).id), ctx);
    expect(outcome).toMatchObject({ kind: "dispatched", pendingAlertIds: [expect.any(String)] });
    expect(ctx.enqueued).toEqual([{ name: ALERTS_SEND, data: { alertId: expect.any(String) }, when: null }]);
    return (ctx.enqueued[0]!.data as { alertId: string }).alertId;
  }

  const run = async (alertId: string) => {
    const ctx = recordingJobContext();
    await alertsSendJob.handler(t.deps, { alertId }, ctx);
    return ctx.enqueued;
  };

  it("sends the alert with a status callback naming it and records the MessageSid", async () => {
    const id = await pendingAlert();

    const followUps = await run(id);

    expect(followUps).toEqual([]);
    expect(fake.messages).toHaveLength(1);
    const m = fake.messages[0]!;
    expect(m).toMatchObject({ to: "+12125550191", from: DEFAULT_FAKE_FROM, statusCallback: `http://leadledger.test/twilio/sms/status?alertId=${id}` });
    expect(m.body).toContain("Ann Smith");
    expect(m.body).toMatch(/http:\/\/leadledger\.test\/r\/[A-Za-z0-9_-]{22}$/);
    expect(await alert(id)).toMatchObject({ status: "sent", attempts: 1, messageSid: m.sid, sentAt: expect.any(Date), nextAttemptAt: null });
  });

  it("sends once when the job runs twice in a row and when it runs five times at once", async () => {
    const first = await pendingAlert("+12125550192");
    await run(first);
    await run(first);
    const second = await pendingAlert("+12125550193");
    await Promise.all([1, 2, 3, 4, 5].map(() => run(second)));

    expect(fake.messages.map((m) => m.to).sort()).toEqual(["+12125550192", "+12125550193"]);
    expect(await alert(first)).toMatchObject({ status: "sent", attempts: 1 });
    expect(await alert(second)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("after a send whose answer never came (timeout), the retry finds the message at Twilio and does not send it again", async () => {
    const id = await pendingAlert("+12125550194");
    // The adapter gives up after 200 ms; the fake creates the message but answers after 1.5 s.
    const impatient = new TwilioSmsSender({ client: createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, apiBase: fake.url }), from: DEFAULT_FAKE_FROM, timeoutMs: 200 });
    const deps = { ...sendPorts(), alerts: alertSendRepository(t.deps.db), sms: impatient, clock };
    fake.failNext("+12125550194", { delayMs: 1500 });

    const firstTry = await sendAlert(deps, id);

    expect(firstTry).toMatchObject({ kind: "retry", attempt: 1 });
    expect(fake.messages).toHaveLength(1);
    expect(await alert(id)).toMatchObject({ status: "sending", messageSid: null, errorMessage: expect.stringMatching(/timed out/) });

    clock.advance(60_000);
    const retry = await sendAlert(deps, id);

    expect(retry).toEqual({ kind: "recovered", sid: fake.messages[0]!.sid, attempt: 2 });
    expect(fake.messages).toHaveLength(1);
    expect(await alert(id)).toMatchObject({ status: "sent", attempts: 2, messageSid: fake.messages[0]!.sid });
  });

  it("after Twilio created the message and answered 500, the retry finds it and does not send it again", async () => {
    const id = await pendingAlert("+12125550184");
    fake.failNext("+12125550184", { createThenStatus: 500 });

    expect(await sendAlert(sendPorts(), id)).toMatchObject({ kind: "retry", attempt: 1 });
    expect(await alert(id)).toMatchObject({ status: "sending", messageSid: null });
    // The retry waits at least the lease after an unknown outcome, so Twilio has finished with the request.
    expect((await alert(id)).nextAttemptAt!.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(59_000);

    clock.advance(61_000);
    expect(await sendAlert(sendPorts(), id)).toEqual({ kind: "recovered", sid: fake.messages[0]!.sid, attempt: 2 });
    expect(fake.messages).toHaveLength(1);
  });

  it("recognises its message behind hundreds of later ones to the same rep (the list is paged back to the alert's time)", async () => {
    const rep = "+12125550185";
    const id = await pendingAlert(rep);
    fake.failNext(rep, { createThenStatus: 502 });
    await sendAlert(sendPorts(), id);
    // While this alert waits, the busy rep gets 260 other alerts (a single list call shows the 50 newest).
    const sender = new TwilioSmsSender({ client: createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, apiBase: fake.url }), from: DEFAULT_FAKE_FROM });
    for (let i = 0; i < 260; i++) await sender.send({ to: rep, body: `New lead ${i}: http://leadledger.test/portal/leads/${i}` });

    clock.advance(61_000);
    expect(await sendAlert(sendPorts(), id)).toMatchObject({ kind: "recovered", sid: fake.messages[0]!.sid });
    expect(fake.messages.filter((m) => m.body === fake.messages[0]!.body)).toHaveLength(1);
  });

  it("when Twilio's message list fails after an unknown outcome, the alert waits and asks again — never failed for it, never sent blind, never 'rejected'", async () => {
    const rep = "+12125550186";
    const id = await pendingAlert(rep);
    fake.failNext(rep, { createThenStatus: 503 });
    await sendAlert(sendPorts(), id);
    // Sends would work, but Twilio's message list answers 503 for longer than the retry budget.
    fake.failNextList({ status: 503, code: 20503 }, 8);

    for (let i = 0; i < 8; i++) {
      clock.advance(10 * 60_000);
      const r = await sendAlert(sendPorts(), id);
      expect(r).toMatchObject({ kind: "retry", error: expect.stringMatching(/^could not look up earlier messages at Twilio \(Twilio answered HTTP 503, code 20503/) });
      expect(await alert(id)).toMatchObject({ status: "sending", errorMessage: expect.not.stringMatching(/rejected/) });
    }
    clock.advance(10 * 60_000);
    const back = await sendAlert(sendPorts(), id);

    expect(back).toMatchObject({ kind: "recovered", sid: fake.messages[0]!.sid, attempt: 10 });
    expect(fake.messages).toHaveLength(1);
    expect(await alert(id)).toMatchObject({ status: "sent", messageSid: fake.messages[0]!.sid });
  });

  it("fails the alert with Twilio's reason when the send's answer is already failed, keeping the SID", async () => {
    const rep = "+12125550187";
    const id = await pendingAlert(rep);
    fake.failNext(rep, { createAs: "failed", code: 30007 });

    const r = await run(id);

    expect(r).toEqual([]);
    expect(await alert(id)).toMatchObject({ status: "failed", errorCode: 30007, messageSid: fake.messages[0]!.sid, errorMessage: "blocked by carrier filtering (Twilio 30007)" });
  });

  it("fails the alert when Twilio answers the send canceled", async () => {
    const rep = "+12125550188";
    const id = await pendingAlert(rep);
    fake.failNext(rep, { createAs: "canceled" });

    await run(id);

    expect(await alert(id)).toMatchObject({ status: "failed", errorMessage: "Twilio canceled the message" });
  });

  it("a worker that crashed after claiming the alert is replaced by the sweep, which checks Twilio and then sends once", async () => {
    const id = await pendingAlert("+12125550195");
    const claimed = await alertSendRepository(t.deps.db).claim(id, clock.now(), new Date(clock.now().getTime() + 60_000));
    expect(claimed.claimed).toBe(true); // … and the worker dies here, before sending.
    expect(await run(id)).toEqual([]); // a duplicate job meanwhile: the lease is held, nothing happens
    expect(fake.messages).toHaveLength(0);

    clock.advance(180_000); // past the 60 s lease and the 60 s grace of the sweep
    const enqueue = recordingJobContext();
    const swept = await sweepOutbox(t.deps, enqueue);
    expect(swept.alerts).toBeGreaterThanOrEqual(1);
    expect(enqueue.enqueued).toContainEqual({ name: ALERTS_SEND, data: { alertId: id }, when: null });
    await run(id);

    expect(fake.messages.map((m) => m.to)).toEqual(["+12125550195"]);
    expect(await alert(id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("fails an invalid number (21211) at once with a readable reason and schedules no retry", async () => {
    const id = await pendingAlert("+12125550196");
    fake.failNext("+12125550196", { code: 21211, status: 400 });

    const followUps = await run(id);

    expect(followUps).toEqual([]);
    expect(fake.messages).toHaveLength(0);
    expect(await alert(id)).toMatchObject({ status: "failed", attempts: 1, errorCode: 21211, errorMessage: "invalid phone number (Twilio 21211)" });
    await run(id);
    expect(await alert(id)).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("fails an unsubscribed number (21610) saying the recipient opted out", async () => {
    const id = await pendingAlert("+12125550197");
    fake.failNext("+12125550197", { code: 21610, status: 400 });

    await run(id);

    expect(await alert(id)).toMatchObject({ status: "failed", errorCode: 21610, errorMessage: "recipient replied STOP — opted out (Twilio 21610)" });
  });

  it("retries a rate-limited send (429) after a backoff with jitter, then sends it", async () => {
    const id = await pendingAlert("+12125550198");
    fake.failNext("+12125550198", { code: 20429, status: 429 });
    const before = clock.now().getTime();

    const followUps = await run(id);

    expect(followUps).toHaveLength(1);
    const retryAt = followUps[0]!.when!.getTime();
    expect(retryAt - before).toBeGreaterThanOrEqual(1600 - 50);
    expect(retryAt - before).toBeLessThanOrEqual(2400 + 1000);
    const waiting = await alert(id);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, errorCode: 20429, errorMessage: expect.stringContaining("rate limit") });
    expect(waiting.nextAttemptAt!.getTime()).toBe(retryAt);

    expect(await run(id)).toEqual([]); // a copy of the job that runs early does nothing
    expect(fake.messages).toHaveLength(0);

    clock.advance(5_000);
    await run(id);

    expect(fake.messages.map((m) => m.to)).toEqual(["+12125550198"]);
    expect(await alert(id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("the in-process first attempt sends without the queue, schedules a retry on it, and sends once for five copies at once", async () => {
    const queue = recordingJobContext();
    const direct = firstAttemptInProcess(t.deps, queue, { concurrency: 3 });
    const ok = await pendingAlert("+12125550181");
    const limited = await pendingAlert("+12125550182");
    fake.failNext("+12125550182", { code: 20429, status: 429 });

    for (let i = 0; i < 5; i++) await direct.now(ALERTS_SEND, { alertId: ok });
    await direct.now(ALERTS_SEND, { alertId: limited });
    await direct.idle();

    expect(fake.messages.map((m) => m.to)).toEqual(["+12125550181"]);
    expect(await alert(ok)).toMatchObject({ status: "sent", attempts: 1 });
    // The rate-limited one is not lost: its retry is on the queue, at its backoff time.
    expect(queue.enqueued).toEqual([{ name: ALERTS_SEND, data: { alertId: limited }, when: expect.any(Date) }]);
    expect(await alert(limited)).toMatchObject({ status: "pending", attempts: 1, errorCode: 20429 });
  });

  it("the in-process first attempt hands an alert to the queue when sending throws unexpectedly, and passes other jobs through", async () => {
    const queue = recordingJobContext();
    const broken = { ...t.deps, alerts: { ...t.deps.alerts, send: async () => Promise.reject(new Error("the database went away")) } };
    const direct = firstAttemptInProcess(broken, queue);
    const id = await pendingAlert("+12125550183");

    await direct.now(ALERTS_SEND, { alertId: id });
    await direct.now("billing.close-periods", {});
    await direct.idle();

    expect(queue.enqueued).toEqual([
      { name: "billing.close-periods", data: {}, when: null },
      { name: ALERTS_SEND, data: { alertId: id }, when: null },
    ]);
    expect(fake.messages).toHaveLength(0);
  });

  it("gives up after six attempts of transient failures and says so", async () => {
    const id = await pendingAlert("+12125550199");
    fake.failNext("+12125550199", { code: 20429, status: 429 }, 6);

    for (let i = 0; i < 6; i++) {
      await run(id);
      clock.advance(10 * 60_000);
    }

    expect(fake.messages).toHaveLength(0);
    expect(await alert(id)).toMatchObject({ status: "failed", attempts: 6, errorMessage: expect.stringMatching(/^gave up after 6 attempts: Twilio rate limit reached/) });
  });
});
