import http from "node:http";
import type { AddressInfo } from "node:net";
import { SmsSendError } from "../../../server/domain/alerts/sms-sender";
import { createTwilioClient } from "../../../server/integrations/twilio/client";
import type { FakeTwilio } from "../../../server/integrations/twilio/fake-twilio-server";
import { startFakeTwilio } from "../../support/twilio";
import { TwilioSmsSender } from "../../../server/integrations/twilio/sms-sender";

const accountSid = "AC" + "1".repeat(32);
const authToken = "sms-sender-test-token-123";
const FROM = "+15005550006";
const REP = "+12125550143";

let fake: FakeTwilio;
let sender: TwilioSmsSender;

async function sendExpectingError(s: TwilioSmsSender, to = REP): Promise<SmsSendError> {
  const err = await s.send({ to, body: "New lead: Jane, roof repair" }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmsSendError);
  return err as SmsSendError;
}

beforeAll(async () => {
  fake = await startFakeTwilio({ accountSid, authToken });
  const client = createTwilioClient({ accountSid, authToken, apiBase: fake.url });
  sender = new TwilioSmsSender({ client, from: FROM, timeoutMs: 300 });
});

afterEach(() => fake.reset());

afterAll(async () => {
  await fake.stop();
});

describe("TwilioSmsSender.send", () => {
  it("sends through the real SDK and the fake records the message", async () => {
    const sent = await sender.send({ to: REP, body: "New lead: Jane, 10001", statusCallback: "https://leads.example.com/twilio/sms/status" });

    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe("queued");
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({
      sid: sent.sid,
      to: REP,
      from: FROM,
      body: "New lead: Jane, 10001",
      statusCallback: "https://leads.example.com/twilio/sms/status",
      messagingServiceSid: null,
    });
    expect(fake.messages[0]!.dateCreated).toBeInstanceOf(Date);
  });

  it("sends through the messaging service instead of a from number when one is configured", async () => {
    const client = createTwilioClient({ accountSid, authToken, apiBase: fake.url });
    const viaService = new TwilioSmsSender({ client, from: FROM, messagingServiceSid: "MG" + "a".repeat(32) });

    await viaService.send({ to: REP, body: "hello" });

    expect(fake.messages[0]!.messagingServiceSid).toBe("MG" + "a".repeat(32));
  });

  it("refuses to be built without a from number or messaging service", () => {
    const client = createTwilioClient({ accountSid, authToken, apiBase: fake.url });
    expect(() => new TwilioSmsSender({ client })).toThrow(/TWILIO_FROM_NUMBER/);
  });

  it("reports an opted-out recipient (21610) as a permanent failure and creates no message", async () => {
    fake.failNext(REP, { code: 21610, status: 400 });

    const err = await sendExpectingError(sender);

    expect(err).toMatchObject({ code: 21610, httpStatus: 400, permanent: true, outcomeUnknown: false });
    expect(err.message).toMatch(/unsubscribed/);
    expect(fake.messages).toHaveLength(0);
  });

  it.each([21211, 21614, 21408, 21612, 21606])("reports Twilio error %i as permanent", async (code) => {
    fake.failNext("*", { code, status: 400 });

    const err = await sendExpectingError(sender);

    expect(err.code).toBe(code);
    expect(err.permanent).toBe(true);
  });

  it("reports a number that is not E.164 as 21211, permanent", async () => {
    const err = await sendExpectingError(sender, "555-0100");

    expect(err).toMatchObject({ code: 21211, httpStatus: 400, permanent: true });
  });

  it("reports rate limiting (HTTP 429, code 20429) as transient", async () => {
    fake.failNext(REP, { code: 20429, status: 429 });

    const err = await sendExpectingError(sender);

    expect(err).toMatchObject({ code: 20429, httpStatus: 429, permanent: false });
  });

  it("reports a Twilio 500 as transient whose outcome must be checked before a retry", async () => {
    fake.failNext(REP, { code: 20500, status: 500, message: "Internal Server Error" });

    const err = await sendExpectingError(sender);

    expect(err).toMatchObject({ httpStatus: 500, permanent: false, outcomeUnknown: true });
  });

  it("reports an answer slower than the adapter timeout as transient with an unknown outcome", async () => {
    fake.failNext(REP, { delayMs: 2000 });
    const started = Date.now();

    const err = await sendExpectingError(sender);

    expect(Date.now() - started).toBeLessThan(1500);
    expect(err).toMatchObject({ code: null, httpStatus: null, permanent: false, outcomeUnknown: true });
    expect(err.message).toMatch(/timed out/);
  });

  it("reports a refused connection as transient and known not to have been sent", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, "127.0.0.1", () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const client = createTwilioClient({ accountSid, authToken, apiBase: `http://127.0.0.1:${closedPort}` });
    const offline = new TwilioSmsSender({ client, from: FROM, timeoutMs: 2000 });

    const err = await sendExpectingError(offline);

    expect(err).toMatchObject({ code: null, httpStatus: null, permanent: false, outcomeUnknown: false });
  });

  it("fails only the recipient named in failNext, and only as many times as asked", async () => {
    fake.failNext(REP, { code: 21610, status: 400 }, 2);

    await expect(sender.send({ to: "+12125550199", body: "other rep" })).resolves.toMatchObject({ status: "queued" });
    expect((await sendExpectingError(sender)).code).toBe(21610);
    expect((await sendExpectingError(sender)).code).toBe(21610);
    await expect(sender.send({ to: REP, body: "third try" })).resolves.toMatchObject({ status: "queued" });
    expect(fake.messages.map((m) => m.to)).toEqual(["+12125550199", REP]);
  });
});

describe("TwilioSmsSender.findSent", () => {
  it("finds the message a timed-out send created, so the caller does not send it twice", async () => {
    const since = Date.now();
    fake.failNext(REP, { delayMs: 2000 });
    expect((await sendExpectingError(sender)).outcomeUnknown).toBe(true);

    const found = await sender.findSent(REP, "New lead: Jane, roof repair", since);

    expect(found).toEqual([{ sid: fake.messages[0]!.sid, status: "queued" }]);
  });

  it("finds the message when Twilio created it and then answered 500", async () => {
    const since = Date.now();
    fake.failNext(REP, { createThenStatus: 500 });
    const err = await sendExpectingError(sender);
    expect(err).toMatchObject({ permanent: false, outcomeUnknown: true, httpStatus: 500 });

    await expect(sender.findSent(REP, "New lead: Jane, roof repair", since)).resolves.toEqual([{ sid: fake.messages[0]!.sid, status: "queued" }]);
  });

  it("finds nothing when the send gave up before Twilio created the message", async () => {
    // The HTTP request itself times out (as TWILIO_TIMEOUT_MS sets it for the SDK client too).
    const client = createTwilioClient({ accountSid, authToken, apiBase: fake.url, timeoutMs: 300 });
    const impatient = new TwilioSmsSender({ client, from: FROM, timeoutMs: 300 });
    const since = Date.now();
    fake.failNext(REP, { holdBeforeCreateMs: 1000 });
    expect((await sendExpectingError(impatient)).outcomeUnknown).toBe(true);
    await new Promise((r) => setTimeout(r, 1200));

    expect(fake.messages).toHaveLength(0);
    await expect(sender.findSent(REP, "New lead: Jane, roof repair", since)).resolves.toEqual([]);
  });

  it("matches the exact body and recipient, oldest first", async () => {
    const since = Date.now();
    const first = await sender.send({ to: REP, body: "Lead B" });
    await sender.send({ to: REP, body: "Lead A" });
    await sender.send({ to: "+12125550199", body: "Lead B" });
    const second = await sender.send({ to: REP, body: "Lead B" });

    await expect(sender.findSent(REP, "Lead B", since)).resolves.toEqual([
      { sid: first.sid, status: "queued" },
      { sid: second.sid, status: "queued" },
    ]);
    await expect(sender.findSent(REP, "Lead C", since)).resolves.toEqual([]);
    await expect(sender.findSent("+12125550100", "Lead A", since)).resolves.toEqual([]);
  });

  it("ignores messages created before the given time", async () => {
    await sender.send({ to: REP, body: "Lead A" });

    await expect(sender.findSent(REP, "Lead A", Date.now() + 5000)).resolves.toEqual([]);
  });

  it("pages back through every message since the given time, however many came after", async () => {
    // 260 newer messages to the same rep push the one we look for onto the second page (of 200),
    // past the 50 newest a single list call returns by default.
    const since = Date.now();
    const target = await sender.send({ to: REP, body: "the one that timed out" });
    for (let i = 0; i < 260; i++) await sender.send({ to: REP, body: `later lead ${i}` });

    await expect(sender.findSent(REP, "the one that timed out", since)).resolves.toEqual([{ sid: target.sid, status: "queued" }]);
  });

  it("reports a failed look-up as transient with an unknown outcome, even a 4xx (it says nothing about the message)", async () => {
    const client = createTwilioClient({ accountSid: "AC" + "9".repeat(32), authToken, apiBase: fake.url });
    const wrongAccount = new TwilioSmsSender({ client, from: FROM });

    const err = await wrongAccount.findSent(REP, "anything", Date.now()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SmsSendError);
    expect(err).toMatchObject({ permanent: false, outcomeUnknown: true });
    expect((err as Error).message).toMatch(/^could not look up earlier messages at Twilio \(Twilio answered HTTP 40[14]/);
    expect((err as Error).message).not.toMatch(/rejected the message/);
    expect(err).toMatchObject({ lookup: true });
  });

  it("reads the send's answer: a message Twilio created already failed comes back with its status and error code", async () => {
    const sender = new TwilioSmsSender({ client: createTwilioClient({ accountSid, authToken, apiBase: fake.url }), from: FROM });
    fake.failNext(REP, { createAs: "failed", code: 30007 });

    await expect(sender.send({ to: REP, body: "filtered" })).resolves.toMatchObject({ status: "failed", errorCode: 30007 });
  });

  it("understands a messaging service's accepted answer", async () => {
    const sender = new TwilioSmsSender({ client: createTwilioClient({ accountSid, authToken, apiBase: fake.url }), messagingServiceSid: "MG" + "d".repeat(32) });

    await expect(sender.send({ to: REP, body: "via a service" })).resolves.toMatchObject({ status: "accepted", errorCode: null });
  });

  it("refuses to answer 'not sent' when it cannot read back far enough", async () => {
    const client = createTwilioClient({ accountSid, authToken, apiBase: fake.url });
    const shortSight = new TwilioSmsSender({ client, from: FROM, findSentPageSize: 2, findSentMaxPages: 2 });
    const since = Date.now();
    await shortSight.send({ to: REP, body: "first" });
    for (let i = 0; i < 5; i++) await shortSight.send({ to: REP, body: `later ${i}` });

    const err = await shortSight.findSent(REP, "first", since).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SmsSendError);
    expect(err).toMatchObject({ permanent: false, outcomeUnknown: true });
    expect((err as Error).message).toMatch(/cannot prove the alert was not sent/);
  });
});

