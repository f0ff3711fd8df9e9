import { spawn, execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createTwilioClient } from "../../../server/integrations/twilio/client";
import { DEFAULT_FAKE_ACCOUNT_SID } from "../../../server/integrations/twilio/fake-twilio-server";
import { fakeTwilioTokenPath, FakeTwilioTokenError, loadOrCreateFakeTwilioToken, readFakeTwilioToken, tokenFingerprint } from "../../../server/integrations/twilio/local-token";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "../../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const OLD_PUBLISHED_TOKEN = "fake-twilio-auth-token-0000";

describe("the local fake Twilio's per-install token", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-token-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is created on first use (creating DATA_DIR too), private to its owner, and read back unchanged", () => {
    const dataDir = path.join(dir, "nested", ".data");
    expect(readFakeTwilioToken(dataDir)).toBeNull();

    const token = loadOrCreateFakeTwilioToken(dataDir);

    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(readFakeTwilioToken(dataDir)).toBe(token);
    expect(loadOrCreateFakeTwilioToken(dataDir)).toBe(token);
    if (process.platform !== "win32") expect(fs.statSync(fakeTwilioTokenPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual(["fake-twilio-token"]); // no temp file left behind
  });

  it("refuses a file that does not hold a token, rather than signing with its contents", () => {
    fs.writeFileSync(fakeTwilioTokenPath(dir), OLD_PUBLISHED_TOKEN);
    expect(() => loadOrCreateFakeTwilioToken(dir)).toThrow(FakeTwilioTokenError);
    expect(() => loadOrCreateFakeTwilioToken(dir)).toThrow(/does not hold a fake Twilio auth token .* delete it/);
  });

  it("gives a short fingerprint that does not reveal the token", () => {
    const token = loadOrCreateFakeTwilioToken(dir);
    const fp = tokenFingerprint(token);
    expect(fp).toMatch(/^[0-9a-f]{8}$/);
    expect(token).not.toContain(fp);
  });

  it("processes starting at the same moment on a fresh DATA_DIR all end up with one token", async () => {
    const script = path.join(dir, "take-token.ts");
    fs.writeFileSync(
      script,
      [
        `import { loadOrCreateFakeTwilioToken } from ${JSON.stringify(path.join(ROOT, "server/integrations/twilio/local-token.ts"))};`,
        "const startAt = Number(process.argv[2]);",
        "while (Date.now() < startAt) { /* line the processes up */ }",
        "process.stdout.write(loadOrCreateFakeTwilioToken(process.argv[3]!));",
      ].join("\n"),
    );
    const dataDir = path.join(dir, "data");
    const startAt = String(Date.now() + 3000);

    const outs = await Promise.all(Array.from({ length: 4 }, () => exec(TSX, [script, startAt, dataDir], { cwd: ROOT })));

    const tokens = outs.map((o) => o.stdout);
    expect(tokens[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(tokens).size).toBe(1);
    expect(readFakeTwilioToken(dataDir)).toBe(tokens[0]);
    expect(fs.readdirSync(dataDir)).toEqual(["fake-twilio-token"]);
  }, 60_000);

  it("the fake Twilio's CLI uses the install's token (printing only its fingerprint) and refuses the old published one", async () => {
    const token = loadOrCreateFakeTwilioToken(dir);
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir };
    delete env.TWILIO_AUTH_TOKEN;
    delete env.TWILIO_ACCOUNT_SID;
    const child = spawn(TSX, ["server/integrations/twilio/fake-twilio-server.ts", "--port", "0"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = /listening on (http:\/\/[^\s]+)/.exec(out);
          if (m) resolve(m[1]!);
        };
        child.stdout.on("data", check);
        child.once("exit", (code) => reject(new Error(`fake Twilio exited (${code}): ${out}`)));
      });
      expect(out).toContain(`auth token fingerprint ${tokenFingerprint(token)}`);
      expect(out).not.toContain(token);

      const good = createTwilioClient({ accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: token, apiBase: url });
      await expect(good.messages.list({ limit: 1 })).resolves.toEqual([]);
      const forged = createTwilioClient({ accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: OLD_PUBLISHED_TOKEN, apiBase: url });
      await expect(forged.messages.list({ limit: 1 })).rejects.toMatchObject({ status: 401 });
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 60_000);
});
