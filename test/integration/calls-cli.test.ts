import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { runSimulator } from "../../server/cli/simulate";
import { DEFAULT_FAKE_ACCOUNT_SID, type FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { startFakeTwilio } from "../support/twilio";
import { loadOrCreateFakeTwilioToken } from "../../server/integrations/twilio/local-token";
import { createTestContext, SYSTEM, type TestContext } from "../support/app";
import { CALL_CONTRACT, count, setupIntakeClient } from "../support/fixtures";
import { runScript } from "../support/cli";

/** One install's DATA_DIR, shared by the server under test and the CLIs (its fake Twilio token lives there). */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-calls-cli-"));

/** The environment without any Twilio credentials of the machine running the tests. */
function cleanEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TWILIO_") && k !== "PUBLIC_URL" && k !== "DATABASE_URL") env[k] = v;
  return { ...env, LOG_LEVEL: "silent", DATA_DIR: dataDir, ...extra };
}

const run = runScript;

describe("call tracking from the command line", () => {
  let t: TestContext;
  let fake: FakeTwilio;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;

  beforeAll(async () => {
    // As `npm start` does without credentials: the install's own token, from DATA_DIR.
    fake = await startFakeTwilio({ accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: loadOrCreateFakeTwilioToken(dataDir), numbers: ["+12125550401", "+12125550402"] });
    t = await createTestContext({ remix: false, twilioApiBase: fake.url, fakeTwilioAuthToken: null, env: { DATA_DIR: dataDir } });
    s = await setupIntakeClient(t.deps, { name: "Cli Calls Co", contract: CALL_CONTRACT });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("number:add stores the tracking number and points its Twilio voice URL at the server", async () => {
    const r = await run(
      "server/cli/main.ts",
      ["number:add", "--campaign", s.campaign.id, "--number", "+12125550401", "--forward-to", "+12125550499", "--record", "--whisper", "Roof lead calling", "--json"],
      cleanEnv({ DATABASE_URL: t.db.url, TWILIO_API_BASE: fake.url, PUBLIC_URL: "https://leads.example.com" }),
    );
    expect(r.code).toBe(0);
    const n = JSON.parse(r.stdout);
    expect(n).toMatchObject({ id: expect.any(String), phoneNumber: "+12125550401", forwardTo: "+12125550499", record: true, whisperText: "Roof lead calling", clientId: s.client.id, warning: null });
    const pn = fake.numbers.find((x) => x.phoneNumber === "+12125550401")!;
    expect(pn.voiceUrl).toBe("https://leads.example.com/twilio/voice");
    expect(n.twilioSid).toBe(pn.sid);
  }, 60_000);

  it("number:add finds its number among many partial matches of Twilio's PhoneNumber filter, over several pages", async () => {
    // Twilio's filter matches partially: all of these contain the digits 12125550403 and come first.
    for (let cc = 20; cc < 170; cc++) fake.addNumber(`+${cc}12125550403`);
    fake.addNumber("+12125550403");
    const r = await run(
      "server/cli/main.ts",
      ["number:add", "--campaign", s.campaign.id, "--number", "+12125550403", "--forward-to", "+12125550499", "--json"],
      cleanEnv({ DATABASE_URL: t.db.url, TWILIO_API_BASE: fake.url, PUBLIC_URL: "https://leads.example.com" }),
    );
    expect(r.code).toBe(0);
    const n = JSON.parse(r.stdout);
    const pn = fake.numbers.find((x) => x.phoneNumber === "+12125550403")!;
    expect(n).toMatchObject({ phoneNumber: "+12125550403", warning: null, twilioSid: pn.sid });
    expect(pn.voiceUrl).toBe("https://leads.example.com/twilio/voice");
    expect(fake.numbers.filter((x) => x.voiceUrl === "https://leads.example.com/twilio/voice").map((x) => x.phoneNumber)).not.toContain("+2012125550403");
  }, 60_000);

  it("warns when Twilio's answer to the update shows another voice URL, or a TwiML App that takes the calls", async () => {
    fake.addNumber("+12125550404", { frozen: true, voiceUrl: "https://old.example.com/voice" });
    fake.addNumber("+12125550405", { voiceApplicationSid: "AP" + "b".repeat(32) });

    const frozen = await t.deps.trackingNumbers.create(SYSTEM, { campaignId: s.campaign.id, phoneNumber: "+12125550404", forwardTo: "+12125550499", record: false });
    const app = await t.deps.trackingNumbers.create(SYSTEM, { campaignId: s.campaign.id, phoneNumber: "+12125550405", forwardTo: "+12125550499", record: false });

    expect(frozen.twilioSid).toBe(fake.numbers.find((x) => x.phoneNumber === "+12125550404")!.sid);
    expect(frozen.warning).toMatch(/its voice URL is https:\/\/old\.example\.com\/voice, not http:\/\/leadledger\.test\/twilio\/voice/);
    expect(app.warning).toMatch(/TwiML App APb+ answers its calls instead of the voice URL/);
  });

  it("number:add exits non-zero with a clear message for a number that is not E.164", async () => {
    const r = await run("server/cli/main.ts", ["number:add", "--campaign", s.campaign.id, "--number", "555-0101", "--forward-to", "+12125550499"], cleanEnv({ DATABASE_URL: t.db.url }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/phoneNumber: must be an E\.164 phone number/);
  }, 60_000);

  it("the simulator's call against a running server creates a qualified call lead with its recording", async () => {
    await t.deps.trackingNumbers.create(SYSTEM, { campaignId: s.campaign.id, phoneNumber: "+12125550402", forwardTo: "+12125550499", record: true });
    const server = http.createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await run(
        "server/cli/simulate.ts",
        ["call", "--to", "+12125550402", "--from", "+12125550450", "--seconds", "120", "--zip", "10001", "--state", "NY", "--url", url],
        cleanEnv({ PUBLIC_URL: t.config.publicUrl }),
      );
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/POST \/twilio\/voice → 200 {2}forward to \+12125550499, recording on/);
      expect(r.stdout).toMatch(/whisper: "LeadLedger call from /);
      expect(r.stdout).toMatch(/POST \/twilio\/voice\/recording → 200/);
      const leadId = /^lead ([0-9a-f-]{36}): qualified$/m.exec(r.stdout)?.[1];
      expect(leadId).toBeDefined();
      const row = (await t.deps.db.execute(sql`select status, source, phone, zip, call_conversation_seconds, recording_sid from leads where id = ${leadId!}`)).rows[0];
      expect(row).toMatchObject({ status: "qualified", source: "call", phone: "+12125550450", zip: "10001", call_conversation_seconds: 120, recording_sid: expect.stringMatching(/^RE/) });
      expect(await count(t.deps, "ledger_entries", sql`lead_id = ${leadId!} and kind = 'lead_charge'`)).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);

  it("the simulator posts web-form leads and a bounded mix of traffic found in the database", async () => {
    const server = http.createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`), env: { PUBLIC_URL: t.config.publicUrl, DATABASE_URL: t.db.url, DATA_DIR: dataDir } };
      const form = await runSimulator(["form", "--key", s.publicKey, "--phone", "+12125550460", "--zip", "10001", "--budget", "9000", "--url", url], io);
      expect(form).toBe(0);
      expect(out.join("\n")).toMatch(/→ 201 qualified {2}lead [0-9a-f-]{36}/);
      expect(await count(t.deps, "leads", sql`phone = '+12125550460' and source = 'form' and status = 'qualified'`)).toBe(1);

      const before = await count(t.deps, "leads", sql`true`);
      out.length = 0;
      const traffic = await runSimulator(["traffic", "--count", "6", "--every", "0.05", "--url", url], io);
      expect(traffic).toBe(0);
      expect(out[0]).toMatch(/^sending traffic for 3 min to http:\/\/127\.0\.0\.1:\d+: /);
      expect(out.at(-1)).toMatch(/^done: 6 leads sent/);
      expect(await count(t.deps, "leads", sql`true`)).toBe(before + 6);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 120_000);

  it("the simulator refuses a call without --to, exiting 2 with the usage", async () => {
    const err: string[] = [];
    const code = await runSimulator(["call", "--from", "+12125550450"], { out: () => undefined, err: (l) => err.push(l), env: {} });
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(/--to and --from are required[\s\S]*usage: npm run simulate -- call --to/);
  });
});
