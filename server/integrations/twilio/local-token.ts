import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The auth token of this install's local fake Twilio (used when no TWILIO_* credentials are set,
 * outside production). It keys the X-Twilio-Signature check of /twilio/*, so it must be secret to
 * the install: generated once from crypto-random bytes, kept in `${DATA_DIR}/fake-twilio-token`
 * (mode 0600) and reused by every later start, the simulator and the fake's own CLI. Never print it;
 * show `tokenFingerprint()` instead.
 */
export const FAKE_TWILIO_TOKEN_FILE = "fake-twilio-token";

const TOKEN_SHAPE = /^[0-9a-f]{64}$/;

export function fakeTwilioTokenPath(dataDir: string): string {
  return path.join(dataDir, FAKE_TWILIO_TOKEN_FILE);
}

export class FakeTwilioTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FakeTwilioTokenError";
  }
}

function parseStored(file: string, text: string): string {
  const token = text.trim();
  if (!TOKEN_SHAPE.test(token)) {
    throw new FakeTwilioTokenError(`${file} does not hold a fake Twilio auth token (64 hex characters); delete it and start again to get a new one`);
  }
  return token;
}

/** The stored token, or null when the file does not exist yet. */
export function readFakeTwilioToken(dataDir: string): string | null {
  const file = fakeTwilioTokenPath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  return parseStored(file, text);
}

/**
 * Returns the install's token, creating it on first use. Creation is atomic: the token is written
 * to a private temp file and hard-linked into place, which fails if another process got there
 * first — then that process's token is read and used, so concurrent starts agree on one token.
 */
export function loadOrCreateFakeTwilioToken(dataDir: string): string {
  const existing = readFakeTwilioToken(dataDir);
  if (existing) return existing;
  fs.mkdirSync(dataDir, { recursive: true });
  const file = fakeTwilioTokenPath(dataDir);
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const token = randomBytes(32).toString("hex");
  fs.writeFileSync(tmp, `${token}\n`, { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(tmp, file);
    return token;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return parseStored(file, fs.readFileSync(file, "utf8"));
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** A short, non-reversible label for a token, safe to print (first 8 hex digits of its SHA-256). */
export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 8);
}
