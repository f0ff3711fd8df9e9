import type { JobSpec } from "./registry";

export const ALERTS_SEND = "alerts.send";

export interface AlertsSendData {
  alertId: string;
}

/**
 * Sends one alert SMS (use case: server/domain/alerts/send-alert.ts). At-least-once safe: the use
 * case claims the alert with a conditional UPDATE, so a repeated or concurrent run sends nothing
 * more. SMS failures are not thrown: a transient one comes back as `retry` with its time (stored as
 * next_attempt_at) and is re-scheduled here; a permanent one fails the alert. Only unexpected errors
 * (the database went away) throw and use Agenda's own backoff; the outbox sweep re-enqueues
 * anything left behind either way.
 */
export const alertsSendJob: JobSpec<AlertsSendData> = {
  name: ALERTS_SEND,
  concurrency: 20,
  // Longer than one attempt can take (send + findRecent, 10 s each) so Agenda does not run it twice.
  lockLifetimeMs: 2 * 60_000,
  retries: 3,
  async handler(deps, data, ctx) {
    const alertId = typeof data?.alertId === "string" ? data.alertId : null;
    if (!alertId) {
      deps.logger.warn({ data }, "alerts.send without an alertId; ignored");
      return;
    }
    const outcome = await deps.alerts.send(alertId);
    if (outcome.kind === "retry") {
      await ctx.schedule(outcome.retryAt, ALERTS_SEND, { alertId });
      deps.logger.info({ alertId, attempt: outcome.attempt, retryAt: outcome.retryAt, error: outcome.error }, "alert SMS failed, retry scheduled");
    } else if (outcome.kind === "failed") {
      deps.logger.warn({ alertId, attempt: outcome.attempt, errorCode: outcome.errorCode, error: outcome.error }, "alert SMS failed");
    } else if (outcome.kind === "sent") {
      deps.logger.info({ alertId, sid: outcome.sid, attempt: outcome.attempt }, "alert SMS sent");
    } else if (outcome.kind === "recovered") {
      deps.logger.info({ alertId, sid: outcome.sid }, "alert SMS had been sent by an attempt with an unknown outcome; recorded, not sent again");
    }
  },
};
