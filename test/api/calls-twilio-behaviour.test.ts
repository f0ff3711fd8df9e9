import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { createTestContext, SYSTEM, type TestContext } from "../support/app";
import { CALL_CONTRACT, count, setupIntakeClient, twilioPost } from "../support/fixtures";
import { startFakeTwilio, TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";

const FORWARD_TO = "+12125550111";
const FALLBACK = "+12125550112";
const sid = (prefix: string) => prefix + randomBytes(16).toString("hex");

/**
 * Calls the way Twilio sends them (docs/decisions/013-twilio-as-it-behaves.md): recording callbacks
 * before the call and without audio, call screening in the whisper, the fallback after a missed
 * call, voicemail, and the missed-call text. Every webhook is signed; the real SDK sends the texts
 * to the strict fake Twilio.
 */
describe("calls as Twilio really sends them", () => {
  let t: TestContext;
  let fake: FakeTwilio;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  const numbers: Record<string, string> = {};

  async function addNumber(phone: string, opts: { screenCalls?: boolean; fallbackNumber?: string; voicemail?: boolean; textBack?: boolean; record?: boolean }) {
    fake.addNumber(phone);
    const n = await t.deps.trackingNumbers.create(SYSTEM, { campaignId: s.campaign.id, phoneNumber: phone, forwardTo: FORWARD_TO, record: opts.record ?? true, ...opts });
    numbers[phone] = n.id;
    return n;
  }

  const lead = async (callSid: string) =>
    (await t.deps.db.execute(sql`select * from leads where call_sid = ${callSid}`)).rows[0] as Record<string, unknown> & {
      id: string;
      status: string;
      billable: boolean | null;
      verdict: { reasons: { code: string; message: string }[] } | null;
    };
  const charges = (leadId: string) => count(t.deps, "ledger_entries", sql`lead_id = ${leadId}`);

  const voice = (callSid: string, from: string, to: string) =>
    twilioPost(t, "/twilio/voice", { AccountSid: t.deps.twilio.accountSid, CallSid: callSid, From: from, To: to, CallStatus: "ringing", Direction: "inbound", FromZip: "10001", FromState: "NY" });
  const dialComplete = (callSid: string, status: string, seconds?: number, leg?: "fallback") =>
    twilioPost(t, `/twilio/voice/dial-complete${leg ? "?leg=fallback" : ""}`, {
      AccountSid: t.deps.twilio.accountSid,
      CallSid: callSid,
      CallStatus: "in-progress",
      DialCallStatus: status,
      DialCallSid: sid("CA"),
      ...(seconds !== undefined ? { DialCallDuration: String(seconds) } : {}),
    });
  const recording = (callSid: string, recordingSid: string, status: "completed" | "absent", extra: Record<string, string> = {}) =>
    twilioPost(t, "/twilio/voice/recording", {
      AccountSid: t.deps.twilio.accountSid,
      CallSid: callSid,
      RecordingSid: recordingSid,
      RecordingStatus: status,
      RecordingSource: "DialVerb",
      ...(status === "completed"
        ? { RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${t.deps.twilio.accountSid}/Recordings/${recordingSid}`, RecordingDuration: "95", RecordingChannels: "2" }
        : {}),
      ...extra,
    });
  /** The whisper URL from the voice answer's <Number url="…">, as a path. */
  const whisperPath = (voiceTwiml: string) => {
    const m = /url="http:\/\/leadledger\.test([^"]+)"/.exec(voiceTwiml);
    return m![1]!.replace(/&amp;/g, "&");
  };
  /** Twilio posts the Gather's digits from the business's leg to the action URL in the whisper. */
  const pressed = async (whisperTwiml: string, digits: string) => {
    const m = /<Gather[^>]*action="http:\/\/leadledger\.test([^"]+)"/.exec(whisperTwiml);
    return twilioPost(t, m![1]!.replace(/&amp;/g, "&"), { AccountSid: t.deps.twilio.accountSid, CallSid: sid("CA"), Digits: digits, CallStatus: "in-progress" });
  };

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: "AC00000000000000000000000000000000", authToken: TEST_TWILIO_AUTH_TOKEN });
    t = await createTestContext({ remix: false, twilioApiBase: fake.url });
    s = await setupIntakeClient(t.deps, { name: "Behaving Roofing", contract: CALL_CONTRACT });
    await addNumber("+12125550601", {});
    await addNumber("+12125550602", { screenCalls: true, voicemail: true });
    await addNumber("+12125550603", { fallbackNumber: FALLBACK });
    await addNumber("+12125550604", { voicemail: true, textBack: true });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  describe("recordings", () => {
    it("keeps a recording that arrives before its call and attaches it when the call arrives", async () => {
      const callSid = sid("CA");
      const recordingSid = sid("RE");

      const early = await recording(callSid, recordingSid, "completed");
      expect(early.status).toBe(200);
      await voice(callSid, "+12125550701", "+12125550601");
      await dialComplete(callSid, "completed", 120);

      expect(await lead(callSid)).toMatchObject({ recording_sid: recordingSid, recording_status: "completed", recording_duration_seconds: 95 });
    });

    it("says 'no recording' with Twilio's reason when the recording is absent, and asks Twilio for absent too", async () => {
      const callSid = sid("CA");
      const answer = await voice(callSid, "+12125550702", "+12125550601");
      expect(answer.text).toContain('recordingStatusCallbackEvent="completed absent"');

      await dialComplete(callSid, "completed", 120);
      await recording(callSid, sid("RE"), "absent", { ErrorCode: "13617" });

      expect(await lead(callSid)).toMatchObject({ recording_sid: null, recording_status: "absent", recording_note: "Twilio recorded no audio for this call (Twilio 13617)" });
    });
  });

  describe("call screening", () => {
    it("bills a call the business accepted with 1", async () => {
      const callSid = sid("CA");
      const answer = await voice(callSid, "+12125550711", "+12125550602");
      const whisper = await twilioPost(t, whisperPath(answer.text), { AccountSid: t.deps.twilio.accountSid, CallSid: sid("CA"), ParentCallSid: callSid });
      expect(whisper.text).toContain('<Gather numDigits="1"');
      expect(whisper.text).toContain("Press 1 to accept this lead.</Say></Gather><Hangup/>");

      const accepted = await pressed(whisper.text, "1");
      expect(accepted.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      await dialComplete(callSid, "completed", 150);

      const l = await lead(callSid);
      expect(l).toMatchObject({ status: "qualified", billable: true, call_screening: "accepted" });
      expect(await charges(l.id)).toBe(1);
    });

    it("never bills a call the business did not accept (another key): not_accepted, and the caller goes to the voicemail", async () => {
      const callSid = sid("CA");
      const answer = await voice(callSid, "+12125550712", "+12125550602");
      const whisper = await twilioPost(t, whisperPath(answer.text), { AccountSid: t.deps.twilio.accountSid, CallSid: sid("CA") });

      const refused = await pressed(whisper.text, "2");
      expect(refused.text).toContain("<Hangup/>");
      const end = await dialComplete(callSid, "completed", 4);

      const l = await lead(callSid);
      expect(l).toMatchObject({ status: "rejected", billable: false, call_screening: "not_accepted", call_dial_status: "not_accepted" });
      expect(l.verdict!.reasons.map((r) => r.code)).toContain("CALL_NOT_CONNECTED");
      expect(await charges(l.id)).toBe(0);
      expect(end.text).toContain("<Record ");
    });

    it("never bills a voicemail pickup: no digit before the timeout, even though Twilio reports the leg answered for 150 s", async () => {
      const callSid = sid("CA");
      const answer = await voice(callSid, "+12125550713", "+12125550602");
      await twilioPost(t, whisperPath(answer.text), { AccountSid: t.deps.twilio.accountSid, CallSid: sid("CA") });
      // The Gather timed out on the business's voicemail greeting: Twilio posts nothing to the action URL.

      await dialComplete(callSid, "completed", 150);

      const l = await lead(callSid);
      expect(l).toMatchObject({ status: "rejected", billable: false, call_screening: "not_accepted" });
      expect(await charges(l.id)).toBe(0);
    });
  });

  describe("missed calls", () => {
    it("dials the fallback number after no answer and judges the call by the fallback's conversation", async () => {
      const callSid = sid("CA");
      await voice(callSid, "+12125550721", "+12125550603");

      const missed = await dialComplete(callSid, "no-answer");
      expect(missed.text).toContain(`<Dial answerOnBridge="true" action="http://leadledger.test/twilio/voice/dial-complete?leg=fallback" method="POST"`);
      expect(missed.text).toContain(`>${FALLBACK}</Number>`);
      expect((await lead(callSid)).status).toBe("received");

      await dialComplete(callSid, "completed", 140, "fallback");
      const l = await lead(callSid);
      expect(l).toMatchObject({ status: "qualified", billable: true, call_conversation_seconds: 140 });
      expect(await charges(l.id)).toBe(1);
    });

    it("takes a voicemail after a busy line; the message becomes the lead's recording, not billed", async () => {
      const callSid = sid("CA");
      await voice(callSid, "+12125550722", "+12125550604");

      const busy = await dialComplete(callSid, "busy");
      expect(busy.text).toContain('<Record maxLength="120" playBeep="true" action="http://leadledger.test/twilio/voice/voicemail-done"');
      const done = await twilioPost(t, "/twilio/voice/voicemail-done", { AccountSid: t.deps.twilio.accountSid, CallSid: callSid, RecordingSid: sid("RE") });
      expect(done.text).toContain("<Hangup/>");
      const voicemailSid = sid("RE");
      await recording(callSid, voicemailSid, "completed", { RecordingSource: "RecordVerb" });

      const l = await lead(callSid);
      expect(l).toMatchObject({ status: "rejected", billable: false, recording_sid: voicemailSid, call_dial_status: "busy" });
    });

    it("texts the caller of a missed call once per day, through the same SMS sender", async () => {
      const caller = "+12125550731";
      for (let i = 0; i < 2; i++) {
        const callSid = sid("CA");
        await voice(callSid, caller, "+12125550604");
        await dialComplete(callSid, "no-answer");
      }
      const other = sid("CA");
      await voice(other, "+12125550732", "+12125550604");
      await dialComplete(other, "no-answer");

      // The texts go out after each answer; the two claims were committed with the calls.
      expect(await count(t.deps, "missed_call_texts", sql`phone = ${caller}`)).toBe(1);
      expect(await count(t.deps, "missed_call_texts", sql`phone = '+12125550732'`)).toBe(1);
      // Three missed-call texts in all so far: the voicemail test's caller's, and these two.
      const texts = (await fake.waitForMessages(3)).filter((m) => m.body === "Sorry we missed you — we'll call you back" && m.to !== "+12125550722");
      expect(texts.map((m) => m.to).sort()).toEqual([caller, "+12125550732"]);
    });

    it("texts nobody when the number does not say so", async () => {
      const callSid = sid("CA");
      await voice(callSid, "+12125550741", "+12125550601");
      await dialComplete(callSid, "no-answer");

      expect(fake.messages.filter((m) => m.to === "+12125550741")).toHaveLength(0);
    });
  });
});
