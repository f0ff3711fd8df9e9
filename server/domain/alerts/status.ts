/**
 * The alert's state machine and what Twilio's answers mean for it. Pure.
 *
 *   pending → sending → sent → delivered | undelivered | failed
 *   pending → skipped                     (never sent: opted out, off duty — with the reason)
 *   pending | sending → failed            (permanent error, or retries exhausted)
 *
 * Status only moves forward by rank, so a late or repeated status callback never moves an alert
 * backwards (a "sent" arriving after "delivered" is ignored).
 */

export const ALERT_STATUSES = ["pending", "sending", "sent", "delivered", "failed", "undelivered", "skipped"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The order statuses move in; the repository's SQL is written from this map too. */
export const ALERT_STATUS_RANK: Readonly<Record<AlertStatus, number>> = {
  pending: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  skipped: 3,
};

export function statusRank(s: AlertStatus): number {
  return ALERT_STATUS_RANK[s];
}

/** Final: nothing will change it any more (except nothing — ranks are equal among finals). */
export function isFinalStatus(s: AlertStatus): boolean {
  return ALERT_STATUS_RANK[s] === 3;
}

/** True when `to` is strictly later than `from` (the only moves allowed). */
export function canMove(from: AlertStatus, to: AlertStatus): boolean {
  return ALERT_STATUS_RANK[to] > ALERT_STATUS_RANK[from];
}

/**
 * Twilio's MessageStatus on a status callback → our alert status, or null when it says nothing
 * new about an outbound alert (receiving, received …).
 * queued/accepted/scheduled/sending mean Twilio has the message (a messaging service answers
 * `accepted`, or `scheduled`): for us that is "sent". `read` and `partially_delivered` reached the
 * phone: "delivered". `canceled` will never be sent: "failed".
 */
export function alertStatusFromTwilio(messageStatus: string): "sent" | "delivered" | "undelivered" | "failed" | null {
  switch (messageStatus.toLowerCase()) {
    case "accepted":
    case "scheduled":
    case "queued":
    case "sending":
    case "sent":
      return "sent";
    case "delivered":
    case "read":
    case "partially_delivered":
      return "delivered";
    case "undelivered":
      return "undelivered";
    case "failed":
    case "canceled":
      return "failed";
    default:
      return null;
  }
}

/**
 * Which Twilio error codes mean "the same message will fail again" (permanent) and which "not now"
 * (transient), for the send answer and status callbacks alike — the one classification of SMS
 * errors (https://www.twilio.com/docs/api/errors). 21xxx come back from messages.create, 30xxx on
 * status callbacks. A code in neither set is judged by the HTTP status of the answer that carried it.
 */
const PERMANENT_SMS_ERRORS: ReadonlySet<number> = new Set([
  20003, // authentication failed (configuration, not the message)
  20404, // resource not found (e.g. unknown messaging service)
  21211, // invalid 'To' phone number
  21265, // 'To' number cannot be a short code
  21266, // 'To' and 'From' are the same
  21408, // permission to send to this region not enabled
  21601, // phone number is not a valid SMS-capable number
  21602, // message body is required
  21603, // 'From' phone number is required
  21604, // 'To' phone number is required
  21606, // 'From' number is not a valid, SMS-capable number for this account
  21608, // unverified number on a trial account
  21610, // recipient replied STOP (unsubscribed)
  21612, // 'To' number is not reachable via SMS from this sender
  21614, // 'To' number is not a mobile number
  21617, // body exceeds the 1600 character limit
  21659, // 'From' is not a Twilio number
  21660, // 'From' number does not belong to this account
  30002, // account suspended
  30004, // message blocked
  30005, // unknown destination handset
  30006, // landline or unreachable carrier
  30007, // carrier filtering (message flagged)
]);
const TRANSIENT_SMS_ERRORS: ReadonlySet<number> = new Set([
  20429, // too many requests
  20500, // internal server error
  20503, // service unavailable
  30001, // queue overflow
  30003, // unreachable destination handset (phone off / out of coverage)
  30008, // unknown error
  30022, // US A2P 10DLC rate limit exceeded
]);

/** "permanent", "transient", or null for a code this list does not know (or no code). */
export function smsErrorPermanence(code: number | null | undefined): "permanent" | "transient" | null {
  if (code === null || code === undefined) return null;
  if (PERMANENT_SMS_ERRORS.has(code)) return "permanent";
  if (TRANSIENT_SMS_ERRORS.has(code)) return "transient";
  return null;
}

const READABLE_ERRORS: Readonly<Record<number, string>> = {
  20003: "Twilio rejected our credentials (check TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN)",
  20429: "Twilio rate limit reached",
  21211: "invalid phone number",
  21408: "sending SMS to this region is not enabled on the Twilio account",
  21601: "not an SMS-capable phone number",
  21606: "the sender number cannot send SMS to this destination",
  21608: "unverified number on a Twilio trial account",
  21610: "recipient replied STOP — opted out",
  21612: "number is not reachable by SMS from our sender",
  21614: "not a mobile number (a landline cannot receive SMS)",
  30001: "Twilio queue overflow",
  30003: "handset unreachable (phone off or out of coverage)",
  30004: "message blocked by the recipient or carrier",
  30005: "unknown destination handset (the number may not exist)",
  30006: "landline or unreachable carrier",
  30007: "blocked by carrier filtering",
  30008: "unknown delivery error",
};

/** The reason on an alert skipped because its rep opted out (at dispatch, or when the STOP arrives). */
export function optedOutReason(at: Date): string {
  return `recipient replied STOP — opted out since ${at.toISOString()}`;
}

/** A person-readable reason for a Twilio error code, with the code for lookups. */
export function describeSmsError(code: number | null, fallback?: string): string {
  const known = code !== null ? READABLE_ERRORS[code] : undefined;
  if (known) return `${known} (Twilio ${code})`;
  if (fallback) return code !== null ? `${fallback} (Twilio ${code})` : fallback;
  return code !== null ? `Twilio error ${code}` : "unknown error";
}

export interface RetryPolicy {
  /** Send attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** ± this fraction of the delay, at random. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 2_000, maxDelayMs: 5 * 60_000, jitter: 0.2 };

/**
 * Delay before attempt `attempt + 1` after attempt `attempt` failed: base · 2^(attempt−1), capped,
 * ± jitter; at least `retryAfterMs` when the provider said so. `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exp * (1 - policy.jitter + 2 * policy.jitter * random));
  return Math.max(jittered, retryAfterMs ?? 0, 0);
}
