import type { Clock } from "../shared/clock";
import type { AlertSendRepository } from "./ports";
import { isSmsSendError, type SentSms, type SmsSender } from "./sms-sender";
import { DEFAULT_RETRY_POLICY, describeSmsError, retryDelayMs, smsErrorPermanence, type AlertStatus, type RetryPolicy } from "./status";

export interface SendAlertDeps {
  alerts: AlertSendRepository;
  sms: SmsSender;
  clock: Clock;
  /** Absolute status callback URL for this alert (`${PUBLIC_URL}/twilio/sms/status?alertId=…`). */
  statusCallbackUrl(alertId: string): string;
  policy?: RetryPolicy;
  /**
   * How long one claimed attempt may take before another worker may take over, assuming it
   * crashed (then it checks with findSent first). Longer than the adapter's send + list timeouts.
   */
  leaseMs?: number;
  /**
   * After an attempt whose outcome is unknown (a timeout, a 5xx), the next one waits at least this
   * long before asking the provider, so a request the provider is still working on has finished
   * (created its message, or not) by the time we look. Default: the lease.
   */
  unknownOutcomeWaitMs?: number;
  /** findSent looks this far before the alert was queued, for clock skew with the provider. */
  clockSkewMs?: number;
  random?: () => number;
}

export type SendOutcome =
  | { kind: "sent"; sid: string; attempt: number }
  /** A previous attempt with an unknown outcome had in fact sent it: recorded, not sent again. */
  | { kind: "recovered"; sid: string; attempt: number }
  /** Nothing to do now: done already, another worker has it, not due yet, or no such alert. */
  | { kind: "nothing"; reason: "done" | "busy" | "not_due" | "missing"; status: AlertStatus | null; nextAttemptAt: Date | null }
  /** A transient failure: try again at `retryAt` (stored as next_attempt_at). */
  | { kind: "retry"; retryAt: Date; attempt: number; error: string }
  | { kind: "failed"; attempt: number; error: string; errorCode: number | null };

export const DEFAULT_LEASE_MS = 60_000;

/**
 * Sends one alert at most once (docs/architecture.md flow 5), however often and however concurrently the
 * job runs:
 * 1. claim: a conditional UPDATE moves `pending` (or `sending` whose lease ran out) to `sending`
 *    with attempts + 1 — two workers cannot both win it; anything already sent/final is left alone;
 * 2. when the previous attempt's outcome is unknown (it was left `sending`: a crash or a timeout),
 *    ask the provider first (findSent, every message to the rep since the alert was queued) —
 *    found → record its SID, do not send again; the provider unreachable → wait and ask again,
 *    never send blind (docs/decisions/011-at-most-one-sms.md);
 * 3. send with the status callback; record SID and sent_at;
 * 4. a permanent error fails the alert at once with a readable reason; a transient one schedules
 *    a retry with exponential backoff and jitter, up to policy.maxAttempts attempts in all. Only
 *    errors of the send count: a failed look-up (step 2) is retried without limit, never failed;
 * 5. an answer that is already final (`failed` with an error code, `canceled`) fails the alert with
 *    Twilio's reason and keeps the SID.
 */
export async function sendAlert(deps: SendAlertDeps, alertId: string): Promise<SendOutcome> {
  const policy = deps.policy ?? DEFAULT_RETRY_POLICY;
  const now = deps.clock.now();
  const claim = await deps.alerts.claim(alertId, now, new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS)));
  if (!claim.claimed) {
    const a = claim.alert;
    const reason = !a ? "missing" : a.status === "pending" ? "not_due" : a.status === "sending" ? "busy" : "done";
    return { kind: "nothing", reason, status: a?.status ?? null, nextAttemptAt: a?.nextAttemptAt ?? null };
  }
  const { alert, previousStatus } = claim;
  const attempt = alert.attempts;

  try {
    let sent: SentSms | null = null;
    if (previousStatus === "sending") {
      if (!deps.sms.findSent) {
        const error = "the previous attempt's outcome is unknown and the SMS provider cannot be searched; not sent again to avoid a duplicate";
        await deps.alerts.markFailed(alert.id, { errorCode: null, errorMessage: error, at: deps.clock.now(), outcomeUnknown: true });
        return { kind: "failed", attempt, error, errorCode: null };
      }
      // Every message to the rep since the alert was queued is read; the text carries the lead's
      // link, so a match is this alert's message. The oldest one is the first attempt's.
      const earlier = await deps.sms.findSent(alert.toPhone, alert.body, alert.queuedAt.getTime() - (deps.clockSkewMs ?? 5 * 60_000));
      sent = earlier[0] ?? null;
      if (sent) {
        await deps.alerts.markSent(alert.id, sent.sid, deps.clock.now());
        return { kind: "recovered", sid: sent.sid, attempt };
      }
    }
    sent = await deps.sms.send({ to: alert.toPhone, body: alert.body, statusCallback: deps.statusCallbackUrl(alert.id) });
    const answered = finalAnswer(sent);
    if (answered) {
      // Twilio created the message already failed (or canceled it): it will not be sent.
      await deps.alerts.markFailed(alert.id, { errorCode: answered.errorCode, errorMessage: answered.reason, at: deps.clock.now(), messageSid: sent.sid });
      return { kind: "failed", attempt, error: answered.reason, errorCode: answered.errorCode };
    }
    await deps.alerts.markSent(alert.id, sent.sid, deps.clock.now());
    return { kind: "sent", sid: sent.sid, attempt };
  } catch (err) {
    if (!isSmsSendError(err)) throw err;
    const at = deps.clock.now();
    const reason = describeSmsError(err.code, err.message);
    if (err.permanent) {
      await deps.alerts.markFailed(alert.id, { errorCode: err.code, errorMessage: reason, at });
      return { kind: "failed", attempt, error: reason, errorCode: err.code };
    }
    // A failed look-up says nothing about the message: it is asked again, however often, and
    // the alert never fails for it (it stays `sending`; a status callback may still settle it).
    if (attempt >= policy.maxAttempts && !err.lookup) {
      const unknownOutcome = err.outcomeUnknown || previousStatus === "sending";
      const error = `gave up after ${attempt} attempts: ${reason}${unknownOutcome ? " (the last attempt's outcome is unknown)" : ""}`;
      await deps.alerts.markFailed(alert.id, { errorCode: err.code, errorMessage: error, at, outcomeUnknown: unknownOutcome });
      return { kind: "failed", attempt, error, errorCode: err.code };
    }
    const unknown = err.outcomeUnknown || previousStatus === "sending";
    const backoff = retryDelayMs(attempt, policy, (deps.random ?? Math.random)(), err.retryAfterMs);
    const wait = unknown ? Math.max(backoff, deps.unknownOutcomeWaitMs ?? deps.leaseMs ?? DEFAULT_LEASE_MS) : backoff;
    const retryAt = new Date(at.getTime() + wait);
    // An unknown outcome stays `sending`, so the next attempt asks the provider before sending.
    await deps.alerts.scheduleRetry(alert.id, {
      status: unknown ? "sending" : "pending",
      nextAttemptAt: retryAt,
      errorCode: err.code,
      errorMessage: `attempt ${attempt} failed, retrying: ${reason}`,
    });
    return { kind: "retry", retryAt, attempt, error: reason };
  }
}

/** The send's answer when it already says the message will not go out; null for queued/accepted/sent …. */
function finalAnswer(sent: SentSms): { errorCode: number | null; reason: string } | null {
  const status = sent.status.toLowerCase();
  const errorCode = sent.errorCode ?? null;
  if (status === "canceled") return { errorCode, reason: describeSmsError(errorCode, "Twilio canceled the message") };
  if (status === "failed" || status === "undelivered" || (errorCode !== null && smsErrorPermanence(errorCode) === "permanent")) {
    return { errorCode, reason: describeSmsError(errorCode, "Twilio could not send it") };
  }
  return null;
}
