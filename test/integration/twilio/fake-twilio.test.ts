import http from "node:http";
import type { AddressInfo } from "node:net";
import { SmsSendError } from "../../../server/domain/alerts/sms-sender";
import { createTwilioClient } from "../../../server/integrations/twilio/client";
import type { FakeTwilio } from "../../../server/integrations/twilio/fake-twilio-server";
import { startFakeTwilio } from "../../support/twilio";
import { RecordingFetchError, fetchRecordingAudio } from "../../../server/integrations/twilio/recordings";
import { verifyTwilioSignature } from "../../../server/integrations/twilio/signature";
import { TwilioSmsSender } from "../../../server/integrations/twilio/sms-sender";

const accountSid = "AC" + "2".repeat(32);
const authToken = "fake-twilio-test-token-42";
const FROM = "+15005550006";
const REP = "+12125550143";

interface ReceivedCallback {
  path: string;
  params: Record<string, string>;
  signature: string | undefined;
}

/** A stand-in for our webhook endpoint: records what the fake posts to it. */
async function startReceiver(): Promise<{ url: string; received: ReceivedCallback[]; waitFor(n: number): Promise<void>; stop(): Promise<void> }> {
  const received: ReceivedCallback[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        params: Object.fromEntries(new URLSearchParams(body)),
        signature: req.headers["x-twilio-signature"] as string | undefined,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    async waitFor(n) {
      const deadline = Date.now() + 3000;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} callbacks, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let fake: FakeTwilio;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const client = () => createTwilioClient({ accountSid, authToken, apiBase: fake.url });
const sender = () => new TwilioSmsSender({ client: client(), from: FROM });

beforeAll(async () => {
  fake = await startFakeTwilio({ accountSid, authToken, numbers: ["+18005550100"] });
  receiver = await startReceiver();
});

afterEach(() => {
  fake.reset();
  fake.autoDeliver = false;
  receiver.received.length = 0;
});

afterAll(async () => {
  await fake.stop();
  await receiver.stop();
});

describe("status callbacks", () => {
  it("posts a delivery receipt our signature check accepts", async () => {
    const sent = await sender().send({ to: REP, body: "New lead", statusCallback: `${receiver.url}/twilio/sms/status?alert=7` });

    const record = await fake.deliver(sent.sid, "delivered");

    expect(record?.responseStatus).toBe(204);
    expect(receiver.received).toHaveLength(1);
    const cb = receiver.received[0]!;
    expect(cb.path).toBe("/twilio/sms/status?alert=7");
    expect(cb.params).toMatchObject({ MessageSid: sent.sid, MessageStatus: "delivered", To: REP, From: FROM, AccountSid: accountSid });
    expect(cb.params.ErrorCode).toBeUndefined();
    expect(verifyTwilioSignature({ authToken, publicUrl: receiver.url, path: cb.path, params: cb.params, signature: cb.signature })).toBe(true);
    expect(
      verifyTwilioSignature({ authToken: "not-the-token-000", publicUrl: receiver.url, path: cb.path, params: cb.params, signature: cb.signature }),
    ).toBe(false);
  });

  it("carries the error code of an undelivered message and updates the stored status", async () => {
    const sent = await sender().send({ to: REP, body: "New lead", statusCallback: `${receiver.url}/twilio/sms/status` });

    await fake.deliver(sent.sid, "undelivered", 30005);

    const cb = receiver.received[0]!;
    expect(cb.params).toMatchObject({ MessageStatus: "undelivered", ErrorCode: "30005" });
    expect(verifyTwilioSignature({ authToken, publicUrl: receiver.url, path: cb.path, params: cb.params, signature: cb.signature })).toBe(true);
    const fetched = await client().messages(sent.sid).fetch();
    expect(fetched.status).toBe("undelivered");
    expect(fetched.errorCode).toBe(30005);
  });

  it("with autoDeliver, reports 'sent' and then 'delivered' on its own", async () => {
    fake.autoDeliver = true;
    const sent = await sender().send({ to: REP, body: "New lead", statusCallback: `${receiver.url}/twilio/sms/status` });

    await receiver.waitFor(2);

    expect(receiver.received.map((c) => [c.params.MessageSid, c.params.MessageStatus])).toEqual([
      [sent.sid, "sent"],
      [sent.sid, "delivered"],
    ]);
  });

  it("refuses to deliver a message it never accepted", async () => {
    await expect(fake.deliver("SM" + "f".repeat(32), "delivered")).rejects.toThrow(/no message/);
  });
});

describe("authentication", () => {
  it("answers 401 with Twilio's error shape when the credentials are wrong", async () => {
    const res = await fetch(`${fake.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      headers: { Authorization: "Basic " + Buffer.from(`${accountSid}:wrong-token`).toString("base64") },
    });

    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 20003, status: 401, message: expect.any(String), more_info: expect.stringContaining("20003") });
  });

  it("makes the SDK, and so the sender, fail permanently with the wrong auth token", async () => {
    const badClient = createTwilioClient({ accountSid, authToken: "wrong-token-123456", apiBase: fake.url });

    await expect(badClient.messages.create({ to: REP, from: FROM, body: "x" })).rejects.toMatchObject({ status: 401, code: 20003 });
    const err = await new TwilioSmsSender({ client: badClient, from: FROM }).send({ to: REP, body: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsSendError);
    expect(err).toMatchObject({ httpStatus: 401, code: 20003, permanent: true });
    expect(fake.messages).toHaveLength(0);
  });
});

describe("REST resources through the real SDK", () => {
  it("lists a recipient's messages newest first across pages", async () => {
    const s = sender();
    for (const body of ["one", "two", "three"]) await s.send({ to: REP, body });
    await s.send({ to: "+12125550199", body: "someone else" });

    const listed = await client().messages.list({ to: REP, pageSize: 2 });

    expect(listed.map((m) => m.body)).toEqual(["three", "two", "one"]);
    expect(listed[0]!.dateCreated).toBeInstanceOf(Date);
  });

  it("finds a number by phone number and configures its voice URL", async () => {
    const c = client();
    const [number] = await c.incomingPhoneNumbers.list({ phoneNumber: "+18005550100" });
    expect(number?.sid).toMatch(/^PN[0-9a-f]{32}$/);

    const updated = await c.incomingPhoneNumbers(number!.sid).update({ voiceUrl: "https://leads.example.com/twilio/voice", voiceMethod: "POST" });

    expect(updated.voiceUrl).toBe("https://leads.example.com/twilio/voice");
    expect(fake.numbers.find((n) => n.sid === number!.sid)?.voiceUrl).toBe("https://leads.example.com/twilio/voice");
    await expect(c.incomingPhoneNumbers.list({ phoneNumber: "+18005550111" })).resolves.toEqual([]);
  });

  it("waits for messages and gives up after the timeout", async () => {
    const waiting = fake.waitForMessages(2, 2000);
    const s = sender();
    await s.send({ to: REP, body: "a" });
    await s.send({ to: REP, body: "b" });

    await expect(waiting).resolves.toHaveLength(2);
    await expect(fake.waitForMessages(3, 50)).rejects.toThrow(/expected 3 message\(s\) within 50 ms, got 2/);
  });
});

describe("as strict as Twilio", () => {
  it("refuses a number update Twilio's API description refuses (VoiceMethod=PUT, a relative VoiceUrl) with 400 and records it", async () => {
    const c = client();
    const [number] = await c.incomingPhoneNumbers.list({ phoneNumber: "+18005550100" });

    const badMethod = await c.incomingPhoneNumbers(number!.sid).update({ voiceUrl: "https://leads.example.com/twilio/voice", voiceMethod: "PUT" }).catch((e: unknown) => e);
    const badUrl = await c.incomingPhoneNumbers(number!.sid).update({ voiceUrl: "/twilio/voice" }).catch((e: unknown) => e);

    expect((badMethod as { status?: number }).status).toBe(400);
    expect((badUrl as { status?: number }).status).toBe(400);
    expect(fake.violations.join("\n")).toMatch(/VoiceMethod/);
    expect(fake.violations.join("\n")).toMatch(/VoiceUrl must be an absolute http\(s\) URL/);
    expect(fake.numbers.find((n) => n.sid === number!.sid)?.voiceUrl).not.toBe("/twilio/voice");
    fake.violations.length = 0; // seen and expected: the suite must not fail on them
  });

  it("filters numbers by a partial number and by * wildcards, like Twilio", async () => {
    fake.addNumber("+18005550101");
    fake.addNumber("+442071838750");
    const c = client();

    const partial = await c.incomingPhoneNumbers.list({ phoneNumber: "555010" });
    const wildcard = await c.incomingPhoneNumbers.list({ phoneNumber: "+1800555010*" });

    expect(partial.map((n) => n.phoneNumber).sort()).toEqual(["+18005550100", "+18005550101"]);
    expect(wildcard.map((n) => n.phoneNumber).sort()).toEqual(["+18005550100", "+18005550101"]);
  });

  it("starts a messaging-service message as accepted with no sender, which it gets once sent", async () => {
    const created = await client().messages.create({ to: REP, body: "via a service", messagingServiceSid: "MG" + "a".repeat(32) });

    expect(created.status).toBe("accepted");
    expect(created.from).toBeNull();
    await fake.deliver(created.sid, "sent");
    expect(fake.messages[0]!.from).toBe(FROM);
  });

  it("answers a message created as failed with its error code, as Twilio sometimes does", async () => {
    fake.failNext(REP, { createAs: "failed", code: 30007 });

    const created = await client().messages.create({ to: REP, body: "filtered", from: FROM });

    expect(created.status).toBe("failed");
    expect(created.errorCode).toBe(30007);
  });

  it("plays a scripted callback sequence in the order given: repeats, read, partially_delivered, canceled, delivered after failed", async () => {
    const { sid } = await sender().send({ to: REP, body: "scripted", statusCallback: `${receiver.url}/status` });

    await fake.playCallbacks(sid, ["delivered", "sent", "sent", { status: "failed", errorCode: 30003 }, "delivered", "read", "partially_delivered", "canceled"]);

    await receiver.waitFor(8);
    expect(receiver.received.map((r) => r.params.MessageStatus)).toEqual(["delivered", "sent", "sent", "failed", "delivered", "read", "partially_delivered", "canceled"]);
    expect(receiver.received[3]!.params.ErrorCode).toBe("30003");
  });

  it("answers a failing message list as told, and then lists again", async () => {
    fake.failNextList({ status: 503, code: 20503 });
    const c = client();

    await expect(c.messages.list({ to: REP })).rejects.toMatchObject({ status: 503 });
    await expect(c.messages.list({ to: REP })).resolves.toEqual([]);
  });
});

describe("recordings", () => {
  it("serves a recording as MP3, which fetchRecordingAudio asks for first", async () => {
    const audio = await fetchRecordingAudio({ accountSid, authToken, apiBase: fake.url, recordingSid: "RE" + "3".repeat(32) });

    expect(audio.contentType).toBe("audio/mpeg");
    expect(audio.body.readUInt16BE(0) & 0xffe0).toBe(0xffe0); // MPEG frame sync
  });

  it("serves the same recording as WAV", async () => {
    const res = await fetch(`${fake.url}/2010-04-01/Accounts/${accountSid}/Recordings/RE${"3".repeat(32)}.wav`, {
      headers: { Authorization: "Basic " + Buffer.from(`${accountSid}:${authToken}`).toString("base64") },
    });
    const body = Buffer.from(await res.arrayBuffer());

    expect(res.headers.get("content-type")).toBe("audio/wav");
    expect(body.subarray(0, 4).toString("ascii")).toBe("RIFF");
    expect(body.subarray(8, 12).toString("ascii")).toBe("WAVE");
    expect(body.readUInt32LE(24)).toBe(8000); // sample rate
    expect(body.length).toBe(44 + 8000); // one second of 8-bit mono
  });

  it("answers mp3 with 404 when told to, and fetchRecordingAudio falls back to WAV", async () => {
    const noMp3 = await startFakeTwilio({ accountSid, authToken, mp3: false });
    try {
      const audio = await fetchRecordingAudio({ accountSid, authToken, apiBase: noMp3.url, recordingSid: "RE" + "4".repeat(32) });
      expect(audio.contentType).toBe("audio/wav");
    } finally {
      await noMp3.stop();
    }
  });

  it("refuses a recording download with the wrong credentials", async () => {
    const err = await fetchRecordingAudio({ accountSid, authToken: "wrong", apiBase: fake.url, recordingSid: "RE" + "3".repeat(32) }).catch(
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(RecordingFetchError);
    expect((err as RecordingFetchError).httpStatus).toBe(401);
  });
});
