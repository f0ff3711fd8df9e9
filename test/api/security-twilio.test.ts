import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pino from "pino";
import supertest from "supertest";
import { ALERTS_SEND, alertsSendJob } from "../../jobs/alerts-send";
import { sweepOutbox } from "../../jobs/outbox-dispatch";
import type { Enqueuer } from "../../jobs/queue";
import { runSimulator } from "../../server/cli/simulate";
import { loadConfig } from "../../server/config";
import { createDeps } from "../../server/deps";
import { DEFAULT_FAKE_ACCOUNT_SID } from "../../server/integrations/twilio/fake-twilio-server";
import { fakeTwilioTokenPath } from "../../server/integrations/twilio/local-token";
import { signTwilioRequest } from "../../server/integrations/twilio/signature";
import { createTestContext, SYSTEM, type TestContext } from "../support/app";
import { addAlertRecipient, CALL_CONTRACT, count, GOOD_LEAD, recordingJobContext, setupIntakeClient } from "../support/fixtures";

/** The auth token every credential-less install used to share: published in the source, so anyone could sign with it. */
const OLD_PUBLISHED_TOKEN = "fake-twilio-auth-token-0000";
const TRACKED = "+12125550301";
const REP = "+12125550320";
const SECRET = "s".repeat(32);

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-twilio-sec-"));
let seq = 0;
const sid = (prefix: string) => `${prefix}${String(++seq).padStart(32, "0")}`;

function post(t: TestContext, urlPath: string, params: Record<string, string>, token: string) {
  return supertest(t.app)
    .post(urlPath)
    .type("form")
    .set("X-Twilio-Signature", signTwilioRequest(token, t.config.publicUrl + urlPath, params))
    .send(params);
}

const voiceParams = (callSid: string) => ({ AccountSid: DEFAULT_FAKE_ACCOUNT_SID, CallSid: callSid, From: "+12125550342", To: TRACKED, Direction: "inbound", CallStatus: "ringing", FromZip: "10001" });
const dialParams = (callSid: string) => ({ AccountSid: DEFAULT_FAKE_ACCOUNT_SID, CallSid: callSid, From: "+12125550342", To: TRACKED, CallStatus: "in-progress", DialCallStatus: "completed", DialCallDuration: "240" });
const stopParams = (messageSid: string) => ({ AccountSid: DEFAULT_FAKE_ACCOUNT_SID, MessageSid: messageSid, SmsSid: messageSid, From: REP, To: "+15005550006", Body: "STOP", NumMedia: "0" });

/**
 * An install without TWILIO_* credentials, on a fresh DATA_DIR: one client with a tracked number and
 * a rep. `fakeTwilioAuthToken: null` → the install's own token from DATA_DIR, as `npm start` resolves it.
 */
async function installWithoutTwilio(env: Record<string, string>, clientName: string) {
  const dataDir = tempDir();
  const t = await createTestContext({ remix: false, fakeTwilioAuthToken: null, env: { ...env, DATA_DIR: dataDir } });
  const s = await setupIntakeClient(t.deps, { name: clientName, contract: CALL_CONTRACT });
  await t.deps.trackingNumbers.create(SYSTEM, { campaignId: s.campaign.id, phoneNumber: TRACKED, forwardTo: "+12125550311", record: false });
  await addAlertRecipient(t.deps, s.client.id, { name: "Rita", phone: REP });
  return { dataDir, t, s };
}

async function removeInstall(t: TestContext, dataDir: string): Promise<void> {
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

describe("Twilio webhooks on an install without Twilio credentials", () => {
  let dataDir: string;
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;

  beforeAll(async () => {
    ({ dataDir, t, s } = await installWithoutTwilio({ NODE_ENV: "development" }, "Forgery Target Roofing"));
  });
  afterAll(() => removeInstall(t, dataDir));

  it("refuses with 403 a call signed with the old published token and stores no lead, call or charge", async () => {
    const callSid = sid("CA");

    const voice = await post(t, "/twilio/voice", voiceParams(callSid), OLD_PUBLISHED_TOKEN);
    const dial = await post(t, "/twilio/voice/dial-complete", dialParams(callSid), OLD_PUBLISHED_TOKEN);

    expect(voice.status).toBe(403);
    expect(dial.status).toBe(403);
    expect(dial.body.error.code).toBe("BAD_SIGNATURE");
    expect(await count(t.deps, "leads", sql`call_sid = ${callSid}`)).toBe(0);
    expect(await count(t.deps, "leads", sql`client_id = ${s.client.id}`)).toBe(0);
    expect(await count(t.deps, "webhook_events", sql`sid = ${callSid}`)).toBe(0);
    expect(await count(t.deps, "ledger_entries", sql`true`)).toBe(0);
  });

  it("refuses a STOP signed with the old published token: the rep stays opted in", async () => {
    const messageSid = sid("SM");

    const res = await post(t, "/twilio/sms/inbound", stopParams(messageSid), OLD_PUBLISHED_TOKEN);

    expect(res.status).toBe(403);
    expect(await count(t.deps, "webhook_events", sql`sid = ${messageSid}`)).toBe(0);
    expect(await count(t.deps, "alert_recipients", sql`opted_out_at is not null`)).toBe(0);
  });

  it("accepts a call signed with the install's stored token and bills it", async () => {
    const token = fs.readFileSync(fakeTwilioTokenPath(dataDir), "utf8").trim();
    const callSid = sid("CA");

    const voice = await post(t, "/twilio/voice", voiceParams(callSid), token);
    const dial = await post(t, "/twilio/voice/dial-complete", dialParams(callSid), token);

    expect(voice.status).toBe(200);
    expect(dial.status).toBe(200);
    expect(dial.headers["x-lead-status"]).toBe("qualified");
    const leadId = dial.headers["x-lead-id"] as string;
    expect(await count(t.deps, "leads", sql`id = ${leadId} and call_sid = ${callSid} and client_id = ${s.client.id}`)).toBe(1);
    expect(await count(t.deps, "ledger_entries", sql`lead_id = ${leadId} and kind = 'lead_charge'`)).toBe(1);
  });

  it("creates the token file once, private (0600) and random, and every later start reuses it", () => {
    const file = fakeTwilioTokenPath(dataDir);
    const token = fs.readFileSync(file, "utf8").trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toBe(OLD_PUBLISHED_TOKEN);
    expect(t.deps.twilio.authToken).toBe(token);
    if (process.platform !== "win32") expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const { mtimeMs } = fs.statSync(file);

    // A second start of the same install (same DATA_DIR): same token, file untouched.
    const again = createDeps({ config: t.config, database: t.db, logger: pino({ level: "silent" }) });
    expect(again.twilio.authToken).toBe(token);
    expect(fs.statSync(file).mtimeMs).toBe(mtimeMs);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith("fake-twilio-token"))).toEqual(["fake-twilio-token"]);

    // Another install gets a token of its own.
    const otherDir = tempDir();
    try {
      const other = createDeps({ config: loadConfig({ NODE_ENV: "development", DATA_DIR: otherDir, LOG_LEVEL: "silent" }), database: t.db, logger: pino({ level: "silent" }) });
      expect(other.twilio.authToken).toMatch(/^[0-9a-f]{64}$/);
      expect(other.twilio.authToken).not.toBe(token);
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it("the simulator signs with the stored token of the DATA_DIR it is given, and says so when there is none", async () => {
    const err: string[] = [];
    const emptyDir = tempDir();
    try {
      const code = await runSimulator(["call", "--to", TRACKED, "--from", "+12125550343", "--url", "http://127.0.0.1:9"], {
        out: () => undefined,
        err: (l) => err.push(l),
        env: { DATA_DIR: emptyDir, PUBLIC_URL: t.config.publicUrl },
      });
      expect(code).toBe(1);
      expect(err.join("\n")).toMatch(/no local fake Twilio token in .*fake-twilio-token yet: start the server first/);
      expect(fs.readdirSync(emptyDir)).toEqual([]);
    } finally {
      fs.rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});

describe("Twilio webhooks in production without Twilio credentials", () => {
  let dataDir: string;
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;

  beforeAll(async () => {
    ({ dataDir, t, s } = await installWithoutTwilio({ NODE_ENV: "production", SESSION_SECRET: SECRET }, "Production Roofing"));
  });
  afterAll(() => removeInstall(t, dataDir));

  it.each([
    ["/twilio/voice", voiceParams],
    ["/twilio/voice/dial-complete", dialParams],
    ["/twilio/sms/inbound", stopParams],
    ["/twilio/sms/status", (messageSid: string) => ({ AccountSid: DEFAULT_FAKE_ACCOUNT_SID, MessageSid: messageSid, MessageStatus: "delivered" })],
  ])("%s answers 503 TWILIO_NOT_CONFIGURED and stores nothing, whatever the signature", async (urlPath, params) => {
    const messageOrCallSid = sid(urlPath.includes("sms") ? "SM" : "CA");

    const res = await post(t, urlPath, params(messageOrCallSid), OLD_PUBLISHED_TOKEN);
    const unsigned = await supertest(t.app).post(urlPath).type("form").send(params(messageOrCallSid));

    for (const r of [res, unsigned]) {
      expect(r.status).toBe(503);
      expect(r.headers["content-type"]).toMatch(/^application\/json/);
      expect(r.body).toEqual({ error: { code: "TWILIO_NOT_CONFIGURED", message: expect.stringMatching(/^Twilio is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/) } });
    }
    expect(await count(t.deps, "leads", sql`true`)).toBe(0);
    expect(await count(t.deps, "webhook_events", sql`true`)).toBe(0);
    expect(await count(t.deps, "alert_recipients", sql`opted_out_at is not null`)).toBe(0);
  });

  it("has no token to sign with and writes no token file", () => {
    expect(t.deps.twilio.mode).toBe("not-configured");
    expect(t.deps.twilio.authToken).toBe("");
    expect(fs.existsSync(fakeTwilioTokenPath(dataDir))).toBe(false);
  });

  it("fails an SMS alert permanently with the reason 'Twilio is not configured' instead of pretending to send it", async () => {
    const enqueued: string[] = [];
    const worker: Enqueuer = {
      async now(name, data) {
        expect(name).toBe(ALERTS_SEND);
        enqueued.push((data as { alertId: string }).alertId);
        await alertsSendJob.handler(t.deps, data as { alertId: string }, recordingJobContext());
      },
    };
    const r = await t.deps.intake.submit({
      client: { id: s.client.id, timezone: "America/New_York", phoneCountry: "US" },
      source: "api",
      campaignId: null,
      apiKeyId: s.apiKey.id,
      payload: GOOD_LEAD,
      actor: "test",
    });
    expect(r.answer.status).toBe("qualified");

    await sweepOutbox(t.deps, worker);

    expect(enqueued).toHaveLength(1);
    const rows = (await t.deps.db.execute(sql`select status, error_message, message_sid from alerts where lead_id = ${r.answer.leadId}`)).rows;
    expect(rows).toEqual([{ status: "failed", error_message: expect.stringContaining("Twilio is not configured"), message_sid: null }]);
  });
});
