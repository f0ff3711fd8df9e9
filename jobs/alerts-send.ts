import type { Deps } from "../server/deps";
import type { JobQueue, JobSpec } from "./queue";

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
  // Longer than one attempt usually takes (a send and a few list pages, TWILIO_TIMEOUT_MS each); a
  // second run meanwhile finds the alert claimed and does nothing.
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

/**
 * An enqueuer for the outbox listener that makes the FIRST attempt of `alerts.send` right here, in
 * this process, instead of through Agenda — speed to lead is the product's promise, and a queue hop
 * costs several commits and a poll. Everything else is unchanged: the send use case claims the alert
 * (so a concurrent copy sends nothing), retries are scheduled on the queue, an unexpected error hands
 * the alert to the queue, and an alert lost with the process (a crash before its send) is pending in
 * the database, where the outbox sweep re-enqueues it. At most `concurrency` sends run at once; the
 * rest wait in memory, in order. Other job names go to the queue. docs/decisions/020-alert-first-attempt-in-process.md.
 */
export function firstAttemptInProcess(deps: Deps, queue: JobQueue, opts: { concurrency?: number } = {}): JobQueue & { idle(): Promise<void> } {
  const limit = opts.concurrency ?? 8;
  const waiting: string[] = [];
  let running = 0;
  const idlers: (() => void)[] = [];
  const pump = () => {
    while (running < limit && waiting.length > 0) {
      const alertId = waiting.shift()!;
      running++;
      alertsSendJob
        .handler(deps, { alertId }, { now: queue.now, schedule: queue.schedule, attempt: 1 })
        .catch(async (err: unknown) => {
          deps.logger.warn({ err, alertId }, "alert first attempt failed unexpectedly; handing it to the job queue");
          await queue.now(ALERTS_SEND, { alertId }).catch((e: unknown) => deps.logger.error({ err: e, alertId }, "could not enqueue alerts.send; the sweep will"));
        })
        .finally(() => {
          running--;
          pump();
          if (running === 0 && waiting.length === 0) for (const f of idlers.splice(0)) f();
        });
    }
  };
  return {
    async now(name, data) {
      const alertId = (data as Partial<AlertsSendData> | null)?.alertId;
      if (name !== ALERTS_SEND || typeof alertId !== "string") return queue.now(name, data);
      waiting.push(alertId);
      pump();
    },
    schedule: (when, name, data) => queue.schedule(when, name, data),
    /** Resolves when no first attempt is running or waiting (shutdown, tests). */
    idle: () => (running === 0 && waiting.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => idlers.push(resolve))),
  };
}
