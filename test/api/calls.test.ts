import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import supertest from "supertest";
import type { FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { startFakeTwilio } from "../support/twilio";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, TEST_TWILIO_AUTH_TOKEN, trpc, type TestContext } from "../support/app";
import { CALL_CONTRACT, count, setupIntakeClient, twilioPost } from "../support/fixtures";

const TRACKED = "+12125550199";
const FORWARD_TO = "+12125550111";
const sid = (prefix: string) => prefix + randomBytes(16).toString("hex");

type Setup = Awaited<ReturnType<typeof setupIntakeClient>>;

describe("call tracking through Twilio", () => {
  let t: TestContext;
  let fake: FakeTwilio;
  let s: Setup;
  let admin: Awaited<ReturnType<typeof loginAgent>>;
  let numberId: string;

  /** The webhooks Twilio sends for one call, in order, with the answers. */
  async function call(opts: { from: string; seconds: number; zip?: string; state?: string; status?: string; to?: string; recordingFirst?: boolean }) {
    const callSid = sid("CA");
    const recordingSid = sid("RE");
    const base = { AccountSid: t.deps.twilio.accountSid, CallSid: callSid, From: opts.from, To: opts.to ?? TRACKED, Direction: "inbound" };
    const voiceParams = { ...base, CallStatus: "ringing", ...(opts.zip ? { FromZip: opts.zip } : {}), ...(opts.state ? { FromState: opts.state } : {}), FromCity: "NEW YORK", CallerName: "JANE CALLER" };
    const recordingParams = {
      AccountSid: t.deps.twilio.accountSid,
      CallSid: callSid,
      RecordingSid: recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${t.deps.twilio.accountSid}/Recordings/${recordingSid}`,
      RecordingStatus: "completed",
      RecordingDuration: String(opts.seconds),
    };
    const status = opts.status ?? "completed";
    const dialParams = { ...base, CallStatus: "in-progress", DialCallStatus: status, ...(status === "completed" ? { DialCallDuration: String(opts.seconds) } : {}) };
    const voice = await twilioPost(t, "/twilio/voice", voiceParams);
    let recording;
    let dial;
    if (opts.recordingFirst) {
      recording = await twilioPost(t, "/twilio/voice/recording", recordingParams);
      dial = await twilioPost(t, "/twilio/voice/dial-complete", dialParams);
    } else {
      dial = await twilioPost(t, "/twilio/voice/dial-complete", dialParams);
      recording = opts.seconds > 0 && status === "completed" ? await twilioPost(t, "/twilio/voice/recording", recordingParams) : null;
    }
    return { callSid, recordingSid, voice, dial, recording, voiceParams, dialParams, recordingParams };
  }

  async function leadOf(callSid: string) {
    const r = await t.deps.db.execute(sql`select * from leads where call_sid = ${callSid}`);
    return r.rows[0] as Record<string, unknown> & { id: string; status: string; verdict: { reasons: { code: string; message: string }[] } | null };
  }

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: "AC00000000000000000000000000000000", authToken: TEST_TWILIO_AUTH_TOKEN, numbers: [TRACKED, "+12125550198"] });
    t = await createTestContext({ twilioApiBase: fake.url });
    s = await setupIntakeClient(t.deps, { name: "Call Roofing", contract: CALL_CONTRACT });
    await t.deps.users.create(SYSTEM, { email: "admin@calls.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "owner@callroofing.test", password: PASSWORD, role: "client_admin", clientId: s.client.id });
    admin = await loginAgent(t.app, "admin@calls.test");
    const created = await trpc(admin, "mutation", "trackingNumbers.create", {
      campaignId: s.campaign.id,
      phoneNumber: TRACKED,
      forwardTo: FORWARD_TO,
      record: true,
      disclosureText: "This call is recorded.",
    });
    expect(created.status).toBe(200);
    numberId = created.body.result.data.id;
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  describe("tracking numbers", () => {
    it("points the Twilio number's voice URL at /twilio/voice when an agency admin adds it", async () => {
      const pn = fake.numbers.find((n) => n.phoneNumber === TRACKED)!;
      expect(pn.voiceUrl).toBe("http://leadledger.test/twilio/voice");
      expect(pn.voiceMethod).toBe("POST");
      const list = await trpc(admin, "query", "trackingNumbers.list", { clientId: s.client.id });
      expect(list.body.result.data).toEqual([
        expect.objectContaining({ id: numberId, phoneNumber: TRACKED, forwardTo: FORWARD_TO, record: true, twilioSid: pn.sid, status: "active", campaignName: s.campaign.name }),
      ]);
    });

    it("creates a number Twilio does not know, returning a warning instead of failing", async () => {
      const res = await trpc(admin, "mutation", "trackingNumbers.create", { campaignId: s.campaign.id, phoneNumber: "+1 (646) 555-0123", forwardTo: FORWARD_TO });
      expect(res.status).toBe(200);
      expect(res.body.result.data).toMatchObject({ phoneNumber: "+16465550123", twilioSid: null, warning: expect.stringContaining("+16465550123") });
      expect(await count(t.deps, "audit_events", sql`action = 'tracking_number.twilio_not_configured' and entity_id = ${res.body.result.data.id}`)).toBe(1);
    });

    it("refuses a number that is already tracked and a number that forwards to itself", async () => {
      const dup = await trpc(admin, "mutation", "trackingNumbers.create", { campaignId: s.campaign.id, phoneNumber: TRACKED, forwardTo: "+12125550112" });
      expect(dup.status).toBe(409);
      const loop = await trpc(admin, "mutation", "trackingNumbers.create", { campaignId: s.campaign.id, phoneNumber: "+12125550198", forwardTo: "+1 212 555 0198" });
      expect(loop.status).toBe(400);
      expect(loop.body.error.data.issues).toEqual([expect.objectContaining({ path: ["forwardTo"] })]);
    });

    it("lets client users list their own numbers but not another client's, and not change them", async () => {
      const other = await setupIntakeClient(t.deps, { name: "Other Calls Co", contract: CALL_CONTRACT });
      await t.deps.users.create(SYSTEM, { email: "owner@othercalls.test", password: PASSWORD, role: "client_admin", clientId: other.client.id });
      const owner = await loginAgent(t.app, "owner@callroofing.test");
      const stranger = await loginAgent(t.app, "owner@othercalls.test");
      const own = await trpc(owner, "query", "trackingNumbers.list", {});
      expect(own.body.result.data.map((n: { id: string }) => n.id)).toContain(numberId);
      const foreign = await trpc(stranger, "query", "trackingNumbers.list", { clientId: s.client.id });
      expect(foreign.status).toBe(404);
      expect(JSON.stringify(foreign.body)).not.toContain(numberId);
      expect((await trpc(stranger, "query", "trackingNumbers.list", {})).body.result.data.map((n: { id: string }) => n.id)).not.toContain(numberId);
      const create = await trpc(owner, "mutation", "trackingNumbers.create", { campaignId: s.campaign.id, phoneNumber: "+12125550197", forwardTo: FORWARD_TO });
      expect(create.status).toBe(403);
      const release = await trpc(stranger, "mutation", "trackingNumbers.release", { id: numberId });
      expect(release.status).toBe(403);
    });
  });

  describe("calls", () => {
    it("forwards a call to the client with the disclosure, recording, whisper and dial action", async () => {
      const res = await twilioPost(t, "/twilio/voice", { CallSid: sid("CA"), From: "+12125550300", To: TRACKED, CallStatus: "ringing" });
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/text\/xml/);
      expect(res.text).toContain("<Say>This call is recorded.</Say>");
      expect(res.text).toContain('action="http://leadledger.test/twilio/voice/dial-complete"');
      expect(res.text).toContain('recordingStatusCallback="http://leadledger.test/twilio/voice/recording"');
      expect(res.text).toContain(`url="http://leadledger.test/twilio/voice/whisper?campaign=${s.campaign.id}&amp;number=${numberId}"`);
      expect(res.text).toContain(`>${FORWARD_TO}</Number>`);
    });

    it("tells the business which campaign the call came from when it answers", async () => {
      const res = await twilioPost(t, `/twilio/voice/whisper?campaign=${s.campaign.id}&number=${numberId}`, { CallSid: sid("CA") });
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<Say>LeadLedger call from ${s.campaign.name}</Say>`);
    });

    it("makes a 150 s call from an in-area ZIP a qualified call lead with its recording and one lead charge", async () => {
      const c = await call({ from: "(212) 555-0301", seconds: 150, zip: "10001", state: "NY" });
      expect([c.voice.status, c.dial.status, c.recording!.status]).toEqual([200, 200, 200]);
      expect(c.dial.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      const lead = await leadOf(c.callSid);
      expect(lead).toMatchObject({
        source: "call",
        status: "qualified",
        phone: "+12125550301",
        zip: "10001",
        state: "NY",
        city: "NEW YORK",
        name: "JANE CALLER",
        client_id: s.client.id,
        campaign_id: s.campaign.id,
        tracking_number_id: numberId,
        call_conversation_seconds: 150,
        call_dial_status: "completed",
        contract_version_id: s.version.id,
        recording_sid: c.recordingSid,
        recording_url: c.recordingParams.RecordingUrl,
        recording_duration_seconds: 150,
        billable: true,
      });
      expect(lead.verdict!.reasons).toEqual([]);
      expect(c.dial.headers["x-lead-id"]).toBe(lead.id);
      expect(c.dial.headers["x-lead-status"]).toBe("qualified");
      expect(await count(t.deps, "ledger_entries", sql`lead_id = ${lead.id} and kind = 'lead_charge' and amount_cents = 7500`)).toBe(1);
      expect(await count(t.deps, "outbox_events", sql`type = 'lead.qualified' and aggregate_id = ${lead.id}`)).toBe(1);
    });

    it("rejects a 40 s call as too short and charges nothing", async () => {
      const c = await call({ from: "+12125550302", seconds: 40, zip: "10002" });
      const lead = await leadOf(c.callSid);
      expect(lead.status).toBe("rejected");
      expect(lead.verdict!.reasons).toEqual([expect.objectContaining({ code: "CALL_TOO_SHORT", message: "conversation 40 s, minimum 90 s" })]);
      expect(await count(t.deps, "ledger_entries", sql`lead_id = ${lead.id}`)).toBe(0);
      expect(await count(t.deps, "outbox_events", sql`aggregate_id = ${lead.id}`)).toBe(0);
    });

    it("rejects an unanswered call as not connected", async () => {
      const c = await call({ from: "+12125550303", seconds: 0, zip: "10002", status: "no-answer" });
      const lead = await leadOf(c.callSid);
      expect(lead).toMatchObject({ status: "rejected", call_conversation_seconds: 0, call_dial_status: "no-answer", recording_sid: null });
      expect(lead.verdict!.reasons.map((r) => r.code)).toEqual(["CALL_NOT_CONNECTED", "CALL_TOO_SHORT"]);
    });

    it("rejects the same caller again within the duplicate window as a duplicate of the first call", async () => {
      const first = await call({ from: "+12125550304", seconds: 150, zip: "10001" });
      const again = await call({ from: "+1 212-555-0304", seconds: 200, zip: "10001" });
      const firstLead = await leadOf(first.callSid);
      const againLead = await leadOf(again.callSid);
      expect(firstLead.status).toBe("qualified");
      expect(againLead.status).toBe("rejected");
      expect(againLead.verdict!.reasons).toEqual([expect.objectContaining({ code: "DUPLICATE", message: expect.stringContaining(firstLead.id) })]);
      expect(await count(t.deps, "ledger_entries", sql`lead_id = ${againLead.id}`)).toBe(0);
    });

    it("judges overlapping calls of one caller by arrival: the later call is the duplicate even if it ends first", async () => {
      const from = "+12125550305";
      const a = { CallSid: sid("CA"), From: from, To: TRACKED, FromZip: "10001" };
      const b = { CallSid: sid("CA"), From: from, To: TRACKED, FromZip: "10001" };
      await twilioPost(t, "/twilio/voice", a);
      await twilioPost(t, "/twilio/voice", b);
      await twilioPost(t, "/twilio/voice/dial-complete", { ...b, DialCallStatus: "completed", DialCallDuration: "120" });
      await twilioPost(t, "/twilio/voice/dial-complete", { ...a, DialCallStatus: "completed", DialCallDuration: "120" });
      expect((await leadOf(a.CallSid)).status).toBe("qualified");
      const later = await leadOf(b.CallSid);
      expect(later.status).toBe("rejected");
      expect(later.verdict!.reasons.map((r) => r.code)).toEqual(["DUPLICATE"]);
    });

    it("keeps a recording that arrives before dial-complete", async () => {
      const c = await call({ from: "+12125550306", seconds: 95, zip: "10003", recordingFirst: true });
      const lead = await leadOf(c.callSid);
      expect(lead).toMatchObject({ status: "qualified", recording_sid: c.recordingSid, call_conversation_seconds: 95 });
    });

    it("answers a call to an unknown number with a polite hang-up and stores no lead", async () => {
      const callSid = sid("CA");
      const res = await twilioPost(t, "/twilio/voice", { CallSid: callSid, From: "+12125550307", To: "+19995550100" });
      expect(res.status).toBe(200);
      expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>Sorry, this number is not in service. Goodbye.</Say><Hangup/></Response>');
      expect(await count(t.deps, "leads", sql`call_sid = ${callSid}`)).toBe(0);
    });

    it("keeps a call to a client without a contract as received, unjudged", async () => {
      const bare = await t.deps.clients.create(SYSTEM, { name: "No Contract Plumbing" });
      const [campaign] = (await t.deps.db.execute(sql`select id from campaigns where client_id = ${bare.id}`)).rows as { id: string }[];
      await trpc(admin, "mutation", "trackingNumbers.create", { campaignId: campaign!.id, phoneNumber: "+12125550196", forwardTo: FORWARD_TO });
      const c = await call({ from: "+12125550308", seconds: 150, zip: "10001", to: "+12125550196" });
      expect(c.dial.status).toBe(200);
      const lead = await leadOf(c.callSid);
      expect(lead).toMatchObject({ status: "received", verdict: null, call_conversation_seconds: 150 });
    });

    it("refuses a forged or missing signature with 403 and stores nothing", async () => {
      const callSid = sid("CA");
      const params = { CallSid: callSid, From: "+12125550309", To: TRACKED };
      const forged = await supertest(t.app).post("/twilio/voice").type("form").set("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl").send(params);
      const missing = await supertest(t.app).post("/twilio/voice").type("form").send(params);
      const tampered = await twilioPost(t, "/twilio/voice", params).send({ From: "+12125550000" });
      for (const res of [forged, missing, tampered]) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe("BAD_SIGNATURE");
      }
      expect(await count(t.deps, "webhook_events", sql`sid = ${callSid}`)).toBe(0);
      expect(await count(t.deps, "leads", sql`call_sid = ${callSid}`)).toBe(0);
    });

    it("answers 422 to a signed voice request without a CallSid, storing nothing", async () => {
      const res = await twilioPost(t, "/twilio/voice", { From: "+12125550313", To: TRACKED });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: "VALIDATION_FAILED", issues: [expect.objectContaining({ path: ["callSid"] })] });
      expect(await count(t.deps, "leads", sql`phone = '+12125550313'`)).toBe(0);
    });

    it("changes nothing when every webhook of a call is delivered five times at once", async () => {
      const callSid = sid("CA");
      const recordingSid = sid("RE");
      const from = "+12125550310";
      const voice = { CallSid: callSid, From: from, To: TRACKED, FromZip: "10004" };
      const recording = { CallSid: callSid, RecordingSid: recordingSid, RecordingUrl: `https://api.twilio.com/x/${recordingSid}`, RecordingStatus: "completed", RecordingDuration: "130" };
      const dial = { CallSid: callSid, From: from, To: TRACKED, DialCallStatus: "completed", DialCallDuration: "130" };
      const five = <T>(fn: () => Promise<T>) => Promise.all([1, 2, 3, 4, 5].map(fn));

      const voices = await five(() => twilioPost(t, "/twilio/voice", voice));
      const rest = await Promise.all([five(() => twilioPost(t, "/twilio/voice/recording", recording)), five(() => twilioPost(t, "/twilio/voice/dial-complete", dial))]);
      // …and all fifteen once more, after the call was judged.
      const replays = await Promise.all([
        ...[1, 2, 3, 4, 5].map(() => twilioPost(t, "/twilio/voice", voice)),
        ...[1, 2, 3, 4, 5].map(() => twilioPost(t, "/twilio/voice/recording", recording)),
        ...[1, 2, 3, 4, 5].map(() => twilioPost(t, "/twilio/voice/dial-complete", dial)),
      ]);

      for (const r of [...voices, ...rest.flat(), ...replays]) expect(r.status).toBe(200);
      expect(new Set([...voices, ...replays.slice(0, 5)].map((r) => r.text)).size).toBe(1);
      expect(voices[0]!.text).toContain("<Dial");
      const lead = await leadOf(callSid);
      expect(lead).toMatchObject({ status: "qualified", recording_sid: recordingSid, call_conversation_seconds: 130 });
      expect(await count(t.deps, "leads", sql`call_sid = ${callSid}`)).toBe(1);
      expect(await count(t.deps, "ledger_entries", sql`lead_id = ${lead.id}`)).toBe(1);
      expect(await count(t.deps, "outbox_events", sql`aggregate_id = ${lead.id}`)).toBe(1);
      expect(await count(t.deps, "webhook_events", sql`sid in (${callSid}, ${recordingSid})`)).toBe(3);
    });

    it("forwards to the new phone and whispers the number's own text after an update", async () => {
      const created = await trpc(admin, "mutation", "trackingNumbers.create", { campaignId: s.campaign.id, phoneNumber: "+12125550195", forwardTo: FORWARD_TO, record: false });
      const id = created.body.result.data.id;
      const updated = await trpc(admin, "mutation", "trackingNumbers.update", { id, forwardTo: "+12125550122", whisperText: "Storm damage line" });
      expect(updated.body.result.data).toMatchObject({ forwardTo: "+12125550122", whisperText: "Storm damage line", record: false });
      const voice = await twilioPost(t, "/twilio/voice", { CallSid: sid("CA"), From: "+12125550312", To: "+12125550195" });
      expect(voice.text).toContain(">+12125550122</Number>");
      expect(voice.text).not.toContain("<Say>");
      expect(voice.text).not.toContain("record=");
      const whisper = await twilioPost(t, `/twilio/voice/whisper?campaign=${s.campaign.id}&number=${id}`, {});
      expect(whisper.text).toContain("<Say>Storm damage line</Say>");
    });

    it("answers a released number with the polite hang-up", async () => {
      const created = await trpc(admin, "mutation", "trackingNumbers.create", { campaignId: s.campaign.id, phoneNumber: "+12125550198", forwardTo: FORWARD_TO });
      const id = created.body.result.data.id;
      const released = await trpc(admin, "mutation", "trackingNumbers.release", { id });
      expect(released.body.result.data.status).toBe("released");
      const res = await twilioPost(t, "/twilio/voice", { CallSid: sid("CA"), From: "+12125550311", To: "+12125550198" });
      expect(res.text).toContain("<Hangup/>");
    });
  });

  describe("GET /recordings/:leadId", () => {
    let leadId: string;
    let noRecordingLeadId: string;

    beforeAll(async () => {
      const c = await call({ from: "+12125550320", seconds: 120, zip: "10001" });
      leadId = (await leadOf(c.callSid)).id;
      const unanswered = await call({ from: "+12125550321", seconds: 0, zip: "10001", status: "busy" });
      noRecordingLeadId = (await leadOf(unanswered.callSid)).id;
      const stranger = await setupIntakeClient(t.deps, { name: "Stranger Heating", contract: CALL_CONTRACT });
      await t.deps.users.create(SYSTEM, { email: "owner@stranger.test", password: PASSWORD, role: "client_admin", clientId: stranger.client.id });
    });

    it("streams the recording's audio to the agency and to the lead's own client, without Twilio URLs", async () => {
      for (const email of ["admin@calls.test", "owner@callroofing.test"]) {
        const agent = await loginAgent(t.app, email);
        const res = await agent.get(`/recordings/${leadId}`).buffer(true).parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () => cb(null, Buffer.concat(chunks)));
        });
        expect(res.status).toBe(200);
        expect(res.headers["content-type"]).toBe("audio/mpeg");
        const body = res.body as Buffer;
        expect(body.readUInt16BE(0) & 0xffe0).toBe(0xffe0); // MPEG frame sync: Twilio's mp3, as served
        expect(JSON.stringify(res.headers)).not.toMatch(/twilio|AC0000/i);
      }
    });

    it("serves a byte range so the player can seek", async () => {
      const agent = await loginAgent(t.app, "owner@callroofing.test");
      const res = await agent.get(`/recordings/${leadId}`).set("Range", "bytes=0-3");
      expect(res.status).toBe(206);
      expect(res.headers["content-range"]).toMatch(/^bytes 0-3\/\d+$/);
    });

    it("answers 404 to a client user of another client, and 401 without a session", async () => {
      const stranger = await loginAgent(t.app, "owner@stranger.test");
      const foreign = await stranger.get(`/recordings/${leadId}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe("LEAD_NOT_FOUND");
      const anonymous = await supertest(t.app).get(`/recordings/${leadId}`);
      expect(anonymous.status).toBe(401);
    });

    it("answers 404 for a lead without a recording and for an unknown lead", async () => {
      const res = await admin.get(`/recordings/${noRecordingLeadId}`);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/no call recording/);
      expect((await admin.get("/recordings/not-a-lead")).status).toBe(404);
    });
  });
});
