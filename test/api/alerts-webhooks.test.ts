import { sql } from "drizzle-orm";
import supertest from "supertest";
import { ALERTS_SEND, alertsSendJob } from "../../jobs/alerts-send";
import { sweepOutbox } from "../../jobs/outbox-dispatch";
import type { Enqueuer } from "../../jobs/queue";
import { query } from "../../server/db/client";
import { alertSendRepository, toAlertRecord, type AlertRow } from "../../server/db/repositories/alerts";
import { DEFAULT_FAKE_ACCOUNT_SID, type FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { startFakeTwilio, TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";
import { signTwilioJsonRequest, signTwilioRequest } from "../../server/integrations/twilio/signature";
import { createTestContext, type TestContext } from "../support/app";
import { addAlertRecipient, count, GOOD_LEAD, recordingJobContext, setupIntakeClient } from "../support/fixtures";

const PUBLIC_URL = "https://leads.agency.test";
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

describe("Twilio SMS webhooks: delivery status and STOP/START/HELP", () => {
  let fake: FakeTwilio;
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  let seq = 0;

  const worker: Enqueuer = {
    async now(name, data) {
      expect(name).toBe(ALERTS_SEND);
      await alertsSendJob.handler(t.deps, data as { alertId: string }, recordingJobContext());
    },
  };

  const signedPost = (path: string, params: Record<string, string>, signature?: string) =>
    supertest(t.app)
      .post(path)
      .type("form")
      .set("X-Twilio-Signature", signature ?? signTwilioRequest(TEST_TWILIO_AUTH_TOKEN, `${PUBLIC_URL}${path}`, params))
      .send(params);

  const statusCallback = (alertId: string | null, sid: string, status: string, extra: Record<string, string> = {}) =>
    signedPost(alertId ? `/twilio/sms/status?alertId=${alertId}` : "/twilio/sms/status", {
      AccountSid: DEFAULT_FAKE_ACCOUNT_SID,
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: status,
      SmsStatus: status,
      To: "+12125550120",
      From: "+15005550006",
      ApiVersion: "2010-04-01",
      ...extra,
    });

  const inbound = (from: string, body: string, extra: Record<string, string> = {}, sid = `SM${String(++seq).padStart(32, "0")}`) =>
    signedPost("/twilio/sms/inbound", { AccountSid: DEFAULT_FAKE_ACCOUNT_SID, MessageSid: sid, SmsSid: sid, From: from, To: "+15005550006", Body: body, NumMedia: "0", ...extra });
  /** Twilio's inbound parameters with Advanced Opt-Out on: a messaging service and OptOutType. */
  const advancedOptOut = (optOutType: "STOP" | "START" | "HELP") => ({ MessagingServiceSid: "MG" + "c".repeat(32), OptOutType: optOutType });
  const optedOut = (phone: string) => count(t.deps, "alert_recipients", sql`phone = ${phone} and opted_out_at is not null`);

  const alert = async (id: string) => toAlertRecord((await query<AlertRow>(t.deps.db, sql`select * from alerts where id = ${id}`))[0]!);

  /** A qualified lead for client `c`, dispatched and sent; returns its alerts by recipient phone. */
  async function leadAlerts(c = s, enqueue: Enqueuer = worker): Promise<Record<string, { id: string; status: string; errorMessage: string | null; messageSid: string | null }>> {
    const r = await t.deps.intake.submit({
      client: { id: c.client.id, timezone: "America/New_York", phoneCountry: "US" },
      source: "api",
      campaignId: null,
      apiKeyId: c.apiKey.id,
      payload: { ...GOOD_LEAD, phone: `212-555-${String(3000 + seq++)}` },
      actor: "test",
    });
    await sweepOutbox(t.deps, enqueue);
    const rows = (await query<AlertRow>(t.deps.db, sql`select * from alerts where lead_id = ${r.answer.leadId}`)).map(toAlertRecord);
    return Object.fromEntries(rows.map((a) => [a.toPhone, a]));
  }

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: TEST_TWILIO_AUTH_TOKEN });
    t = await createTestContext({
      remix: false,
      twilioApiBase: fake.url,
      env: { PUBLIC_URL, AGENCY_NAME: "Northwind Leads", AGENCY_SUPPORT_PHONE: "+1 800 555 0100" },
    });
    s = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, s.client.id, { name: "Rita", phone: "+12125550120" });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it("moves a sent alert to delivered and stamps delivered_at", async () => {
    const a = (await leadAlerts())["+12125550120"]!;
    expect(a.status).toBe("sent");

    const res = await statusCallback(a.id, a.messageSid!, "delivered");

    expect(res.status).toBe(200);
    expect(res.text).toBe(EMPTY_TWIML);
    expect(await alert(a.id)).toMatchObject({ status: "delivered", deliveredAt: expect.any(Date) });
  });

  it("never moves an alert backwards when callbacks arrive out of order", async () => {
    const a = (await leadAlerts())["+12125550120"]!;

    await statusCallback(a.id, a.messageSid!, "delivered");
    await statusCallback(a.id, a.messageSid!, "sent");
    await statusCallback(a.id, a.messageSid!, "queued");
    await statusCallback(a.id, a.messageSid!, "undelivered", { ErrorCode: "30003" });

    expect(await alert(a.id)).toMatchObject({ status: "delivered", errorCode: null });
  });

  /** Our own give-up: the alert was in flight (outcome unknown) when retries ran out. */
  async function giveUpUnknown(id: string): Promise<void> {
    await t.deps.db.execute(sql`update alerts set status = 'sending' where id = ${id}`);
    await alertSendRepository(t.deps.db).markFailed(id, { errorCode: null, errorMessage: "gave up after 5 attempts: timed out (the last attempt's outcome is unknown)", at: new Date(), outcomeUnknown: true });
  }

  it("lets a delivery receipt win over a give-up whose outcome was unknown", async () => {
    const a = (await leadAlerts())["+12125550120"]!;
    await giveUpUnknown(a.id);
    expect(await alert(a.id)).toMatchObject({ status: "failed", outcomeUnknown: true });

    const res = await statusCallback(a.id, a.messageSid!, "delivered");

    expect(res.status).toBe(200);
    expect(await alert(a.id)).toMatchObject({ status: "delivered", outcomeUnknown: false, errorMessage: null, errorCode: null, failedAt: null, deliveredAt: expect.any(Date) });
  });

  it("keeps a failure Twilio reported final even when a late receipt says delivered", async () => {
    const a = (await leadAlerts())["+12125550120"]!;
    await statusCallback(a.id, a.messageSid!, "failed", { ErrorCode: "30007" });

    await statusCallback(a.id, a.messageSid!, "delivered");

    expect(await alert(a.id)).toMatchObject({ status: "failed", errorCode: 30007, outcomeUnknown: false });
  });

  it("keeps a give-up with a known outcome final", async () => {
    const a = (await leadAlerts())["+12125550120"]!;
    await t.deps.db.execute(sql`update alerts set status = 'pending' where id = ${a.id}`);
    await alertSendRepository(t.deps.db).markFailed(a.id, { errorCode: 21211, errorMessage: "invalid number", at: new Date() });

    await statusCallback(a.id, a.messageSid!, "delivered");

    expect(await alert(a.id)).toMatchObject({ status: "failed", errorCode: 21211 });
  });

  it("records an undelivered message with the carrier's error code and a readable reason", async () => {
    const a = (await leadAlerts())["+12125550120"]!;

    await statusCallback(null, a.messageSid!, "undelivered", { ErrorCode: "30003" }); // found by MessageSid alone

    expect(await alert(a.id)).toMatchObject({
      status: "undelivered",
      errorCode: 30003,
      errorMessage: "handset unreachable (phone off or out of coverage) (Twilio 30003); temporary — a later message may get through",
      failedAt: expect.any(Date),
    });
  });

  it("accepts a status callback that beats our own record of the SID, and the late record keeps the newer status", async () => {
    const c = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, c.client.id, { name: "Quick", phone: "+12125550121" });
    fake.failNext("+12125550121", { code: 20429, status: 429 }); // leave it pending, unsent
    const a = (await leadAlerts(c))["+12125550121"]!;
    const repo = alertSendRepository(t.deps.db);
    await t.deps.db.execute(sql`update alerts set next_attempt_at = null where id = ${a.id}`);
    expect((await repo.claim(a.id, new Date(), new Date(Date.now() + 60_000))).claimed).toBe(true);

    await statusCallback(a.id, "SM" + "e".repeat(32), "sent");
    await statusCallback(a.id, "SM" + "e".repeat(32), "delivered");
    await repo.markSent(a.id, "SM" + "e".repeat(32), new Date());

    expect(await alert(a.id)).toMatchObject({ status: "delivered", messageSid: "SM" + "e".repeat(32), sentAt: expect.any(Date) });
  });

  it("reaches the right state through Twilio's scripted callback sequences: repeated and out of order, read, canceled, and a late delivered after failed", async () => {
    // The fake's signed callbacks go straight to the app (it has no port here).
    fake.callbackTransport = async (url, { headers, body }) => (await supertest(t.app).post(url.slice(PUBLIC_URL.length)).set(headers).send(body)).status;
    const alerts = async () => (await leadAlerts())["+12125550120"]!;
    const messageOf = (a: { messageSid: string | null }) => a.messageSid!;

    const shuffled = await alerts();
    await fake.playCallbacks(messageOf(shuffled), ["delivered", "sent", "queued", "sent", "delivered"]);
    const read = await alerts();
    await fake.playCallbacks(messageOf(read), ["sent", "read"]);
    const canceled = await alerts();
    await fake.playCallbacks(messageOf(canceled), ["canceled"]);
    const lateDelivered = await alerts();
    await fake.playCallbacks(messageOf(lateDelivered), ["sent", { status: "failed", errorCode: 30003 }, "delivered"]);

    expect(await alert(shuffled.id)).toMatchObject({ status: "delivered" });
    expect(await alert(read.id)).toMatchObject({ status: "delivered" });
    expect(await alert(canceled.id)).toMatchObject({ status: "failed", errorMessage: "Twilio canceled the message" });
    // A failure Twilio reported stays final (decision 011 and #20.2); the temporary code says so.
    expect(await alert(lateDelivered.id)).toMatchObject({ status: "failed", errorCode: 30003, errorMessage: expect.stringMatching(/handset unreachable .*temporary/) });
    expect(fake.callbacks.every((c) => c.responseStatus === 200)).toBe(true);
    fake.callbackTransport = null;
  });

  it("processes a repeated callback once and answers it the same way", async () => {
    const a = (await leadAlerts())["+12125550120"]!;

    const first = await statusCallback(a.id, a.messageSid!, "delivered");
    const repeat = await statusCallback(a.id, a.messageSid!, "delivered");

    expect(repeat.status).toBe(200);
    expect(repeat.text).toBe(first.text);
    expect(await count(t.deps, "webhook_events", sql`sid = ${a.messageSid} and type = 'sms-status:delivered'`)).toBe(1);
  });

  it("refuses a forged signature with 403 and stores nothing", async () => {
    const a = (await leadAlerts())["+12125550120"]!;

    const forgedStatus = await statusCallback(a.id, a.messageSid!, "failed", {}).set("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl");
    const forgedStop = await signedPost("/twilio/sms/inbound", { MessageSid: "SM" + "f".repeat(32), From: "+12125550120", Body: "STOP" }, "Zm9yZ2Vk");

    expect(forgedStatus.status).toBe(403);
    expect(forgedStop.status).toBe(403);
    expect(forgedStop.body.error.code).toBe("BAD_SIGNATURE");
    expect(await alert(a.id)).toMatchObject({ status: "sent" });
    expect(await count(t.deps, "webhook_events", sql`sid in (${a.messageSid}, ${"SM" + "f".repeat(32)})`)).toBe(0);
    expect(await count(t.deps, "alert_recipients", sql`opted_out_at is not null`)).toBe(0);
  });

  it("accepts a JSON webhook signed with bodySHA256 (validateRequestWithBody), and refuses one whose body was altered", async () => {
    const a = (await leadAlerts())["+12125550120"]!;
    const body = JSON.stringify({ AccountSid: DEFAULT_FAKE_ACCOUNT_SID, MessageSid: a.messageSid, MessageStatus: "delivered", To: "+12125550120" });
    const signed = signTwilioJsonRequest(TEST_TWILIO_AUTH_TOKEN, `${PUBLIC_URL}/twilio/sms/status?alertId=${a.id}`, body);
    const path = signed.url.slice(PUBLIC_URL.length);
    const post = (raw: string) => supertest(t.app).post(path).set("Content-Type", "application/json").set("X-Twilio-Signature", signed.signature).send(raw);

    const altered = await post(body.replace("delivered", "failed"));
    const ok = await post(body);

    expect(altered.status).toBe(403);
    expect(ok.status).toBe(200);
    expect(await alert(a.id)).toMatchObject({ status: "delivered" });
  });

  it("answers a status callback without MessageSid with 400 JSON", async () => {
    const res = await signedPost("/twilio/sms/status", { MessageStatus: "delivered" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("a rep who texts STOP is opted out for every client and gets nothing more, with the reason on the alert; START undoes it", async () => {
    const other = await setupIntakeClient(t.deps);
    await addAlertRecipient(t.deps, other.client.id, { name: "Rita at Other", phone: "+12125550120" });

    const stop = await inbound("+12125550120", "Stop");

    expect(stop.status).toBe(200);
    expect(stop.text).toBe(EMPTY_TWIML);
    expect(await count(t.deps, "alert_recipients", sql`phone = '+12125550120' and opted_out_at is not null`)).toBe(2);
    const skipped = (await leadAlerts())["+12125550120"]!;
    expect(skipped.status).toBe("skipped");
    expect(skipped.errorMessage).toMatch(/^recipient replied STOP — opted out since /);
    expect(fake.messages).toHaveLength(0);
    expect(await count(t.deps, "audit_events", sql`action = 'alert_recipient.opted_out'`)).toBe(2);

    const start = await inbound("+12125550120", "START");

    expect(start.text).toBe(EMPTY_TWIML);
    expect((await leadAlerts())["+12125550120"]!.status).toBe("sent");
    expect(fake.messages.map((m) => m.to)).toEqual(["+12125550120"]);
  });

  it("leaves HELP to Twilio by default: no reply of ours (Twilio answers HELP on long codes)", async () => {
    const res = await inbound("+12125550199", "help");

    expect(res.status).toBe(200);
    expect(res.type).toBe("text/xml");
    expect(res.text).toBe(EMPTY_TWIML);
  });

  it("follows Advanced Opt-Out's OptOutType: ARRET (STOP) opts out, COMENZAR (START) opts back in, HELP words are not replied to", async () => {
    const phone = "+12125550161";
    await addAlertRecipient(t.deps, s.client.id, { name: "Rene", phone });

    await inbound(phone, "ARRET", advancedOptOut("STOP"));
    expect(await optedOut(phone)).toBe(1);

    const help = await inbound(phone, "AIDE", advancedOptOut("HELP"));
    expect(help.text).toBe(EMPTY_TWIML);

    await inbound(phone, "COMENZAR", advancedOptOut("START"));
    expect(await optedOut(phone)).toBe(0);
    // OptOutType decides over the words: START with a body that reads like STOP opts in.
    await inbound(phone, "STOP", advancedOptOut("START"));
    expect(await optedOut(phone)).toBe(0);
  });

  it("recognises Twilio's default opt-out words REVOKE and OPTOUT", async () => {
    for (const [i, word] of ["REVOKE", "optout"].entries()) {
      const phone = `+1212555017${i}`;
      await addAlertRecipient(t.deps, s.client.id, { name: `Rep ${word}`, phone });

      await inbound(phone, word);

      expect(await optedOut(phone)).toBe(1);
    }
  });

  it("on STOP, skips the rep's alerts still waiting to be sent, with the reason, and the console lists when they opted out", async () => {
    const phone = "+12125550180";
    await addAlertRecipient(t.deps, s.client.id, { name: "Pat", phone });
    const idle: Enqueuer = { now: async () => undefined }; // dispatched, not sent yet
    const waiting = (await leadAlerts(s, idle))[phone]!;
    expect(waiting.status).toBe("pending");

    await inbound(phone, "STOP");

    const after = await alert(waiting.id);
    expect(after.status).toBe("skipped");
    expect(after.errorMessage).toMatch(/^recipient replied STOP — opted out since \d{4}-/);
    await sweepOutbox(t.deps, worker, { overdueGraceMs: 0 });
    expect(fake.messages.filter((m) => m.to === phone)).toHaveLength(0);
    const listed = await t.deps.alertRecipients.list({ kind: "system", label: "test" }, { clientId: s.client.id });
    expect(listed.find((r) => r.phone === phone)).toMatchObject({ name: "Pat", optedOut: true, optedOutAt: expect.any(Date) });
  });

  it("answers any other text with an empty response and changes nothing", async () => {
    const res = await inbound("+12125550120", "Calling them now, thanks");

    expect(res.text).toBe(EMPTY_TWIML);
    expect(await optedOut("+12125550120")).toBe(0);
  });
});
