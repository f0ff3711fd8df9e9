import { createHmac, randomBytes } from "node:crypto";

/**
 * Standard Webhooks v1 (https://www.standardwebhooks.com): the signature is
 * `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` keyed by the secret's bytes
 * (the base64 after `whsec_`). Several signatures are separated by spaces (a rotation signs with both).
 */
export const SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString("base64");
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
}

export function signPayload(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  return "v1," + createHmac("sha256", keyOf(secret)).update(`${messageId}.${timestampSeconds}.${body}`).digest("base64");
}

/** The three headers of one attempt; `secrets` are the current one first, then a rotated one still valid. */
export function signedHeaders(secrets: string[], messageId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "LeadLedger-Webhooks/1",
    "webhook-id": messageId,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": secrets.map((s) => signPayload(s, messageId, timestampSeconds, body)).join(" "),
  };
}

/** The fingerprint shown instead of a secret (`whsec_…last4`). */
export function secretHint(secret: string): string {
  return `${SECRET_PREFIX}…${secret.slice(-4)}`;
}
