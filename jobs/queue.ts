import type { Deps } from "../server/deps";

/**
 * The one queue shape of jobs/: what a job, the outbox pipeline and the first-attempt runners may ask
 * of the job queue. The Agenda scheduler (scheduler.ts) implements it; tests record what is asked.
 */
export interface JobQueue {
  now(name: string, data: unknown): Promise<void>;
  schedule(when: Date, name: string, data: unknown): Promise<void>;
}

/** Only enqueueing now (the outbox sweep and dispatcher need no more). */
export type Enqueuer = Pick<JobQueue, "now">;

/** What a running job may use besides deps: the queue, and which run this is. */
export interface JobContext extends JobQueue {
  /** 1 on the first run of a one-off job, 2 on its first retry … */
  attempt: number;
}

/**
 * One job LeadLedger runs. A job file parses its data, calls one use case, and says how to retry
 * (docs/architecture.md: jobs are at-least-once, handlers idempotent).
 */
export interface JobSpec<D = unknown> {
  name: string;
  /** Recurring schedule (cron or human interval), if any. */
  every?: string;
  concurrency?: number;
  lockLifetimeMs?: number;
  /** Retries for one-off jobs (exponential with jitter). */
  retries?: number;
  handler(deps: Deps, data: D, ctx: JobContext): Promise<void>;
}
