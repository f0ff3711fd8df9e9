import { alertLeaseMs } from "../server/config";
import type { Deps } from "../server/deps";
import { firstAttemptInProcess } from "./alerts-send";
import { startOutboxListener } from "./outbox-listener";
import { startScheduler } from "./scheduler";
import { deliveriesInProcess } from "./webhooks-deliver";

export interface RunningJobs {
  /**
   * Stops listening, lets first SMS attempts in flight finish, then stops Agenda (its jobs get
   * `timeoutMs`). A webhook attempt still in flight is not waited for (a receiver may take 15 s): its
   * delivery stays claimed and is tried again, with the same webhook-id, once its lease has run out.
   */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Everything a process with JOBS runs, wired once (`npm start`, `npm run worker`, the webhook bench):
 * Agenda; the outbox listener, which turns each committed event into alert rows and hands the first
 * SMS attempt to an in-process sender (decisions 005, 020); and the webhook/e-mail runner for first
 * attempts and due retries (decisions 014, 019). An alert or delivery whose attempt went missing is
 * picked up again once it is overdue by an alert's lease.
 */
export async function startJobs(deps: Deps): Promise<RunningJobs> {
  const scheduler = await startScheduler(deps);
  const firstAttempts = firstAttemptInProcess(deps, scheduler);
  const deliveries = deliveriesInProcess(deps, scheduler);
  const outbox = await startOutboxListener(deps, { enqueue: firstAttempts, overdueGraceMs: alertLeaseMs(deps.config), deliveries });
  return {
    async stop(timeoutMs = 10_000) {
      await outbox.stop();
      await firstAttempts.idle();
      await scheduler.stop(timeoutMs);
    },
  };
}
