import { createHash } from "node:crypto";
import twilio from "twilio";

/** Form parameters as Express's urlencoded parser delivers them. */
export type TwilioParams = Record<string, string | string[] | undefined>;

/**
 * The URL Twilio signed: the configured public base URL (scheme, host, optional path prefix)
 * followed by the request path *with* its query string. Never derived from req.protocol / Host,
 * which differ from what Twilio saw whenever a proxy sits in front.
 *
 * `path` is the path as the app sees it (Express `req.originalUrl`). If a proxy strips a prefix,
 * put that prefix into publicUrl ("https://example.com/leadledger").
 */
export function twilioWebhookUrl(publicUrl: string, path: string): string {
  const base = publicUrl.replace(/\/+$/, "");
  return base + (path.startsWith("/") ? path : `/${path}`);
}

function cleanParams(params: TwilioParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = value;
  return out;
}

export interface VerifyTwilioSignatureInput {
  authToken: string;
  /** PUBLIC_URL, e.g. "https://leads.example.com" or "https://example.com/leadledger". */
  publicUrl: string;
  /** Request path including the query string (req.originalUrl). */
  path: string;
  /** POST form parameters (req.body); {} for GET. */
  params: TwilioParams;
  /** X-Twilio-Signature header; missing → invalid. */
  signature: string | undefined | null;
}

export function verifyTwilioSignature(input: VerifyTwilioSignatureInput): boolean {
  if (!input.signature || !input.authToken) return false;
  const url = twilioWebhookUrl(input.publicUrl, input.path);
  try {
    return twilio.validateRequest(input.authToken, input.signature, url, cleanParams(input.params));
  } catch {
    return false; // e.g. an unparsable URL
  }
}

/**
 * A webhook whose body is JSON (Twilio sends some, e.g. from Studio or Event Streams): Twilio signs
 * the URL alone — with `bodySHA256=<hex SHA-256 of the raw body>` in its query — and the body is
 * checked against that hash. The SDK's validateRequestWithBody does both; `rawBody` must be the
 * bytes as received, not a re-serialisation of the parsed JSON.
 */
export function verifyTwilioJsonSignature(input: Omit<VerifyTwilioSignatureInput, "params"> & { rawBody: Buffer | string }): boolean {
  if (!input.signature || !input.authToken) return false;
  const url = twilioWebhookUrl(input.publicUrl, input.path);
  try {
    if (!new URL(url).searchParams.get("bodySHA256")) return false;
    return twilio.validateRequestWithBody(input.authToken, input.signature, url, Buffer.isBuffer(input.rawBody) ? input.rawBody.toString("utf8") : input.rawBody);
  } catch {
    return false;
  }
}

/** For the simulator and tests: the URL (with bodySHA256) and signature Twilio would send with a JSON body. */
export function signTwilioJsonRequest(authToken: string, url: string, rawBody: string): { url: string; signature: string } {
  const u = new URL(url);
  u.searchParams.set("bodySHA256", createHash("sha256").update(rawBody, "utf8").digest("hex"));
  return { url: u.toString(), signature: twilio.getExpectedTwilioSignature(authToken, u.toString(), {}) };
}

/** The X-Twilio-Signature Twilio would send for a POST of `params` to `url` (for the simulator and tests). */
export function signTwilioRequest(authToken: string, url: string, params: TwilioParams): string {
  return twilio.getExpectedTwilioSignature(authToken, url, cleanParams(params));
}
