import type { Deps } from "../server/deps";
import { purgeExpiredSessionsJob } from "./purge-sessions";

/**
 * Every job LeadLedger runs. A job file parses its data, calls one use case, and says how to
 * retry (CONVENTIONS.md: jobs are at-least-once, handlers idempotent).
 */
export interface JobSpec<D = unknown> {
  name: string;
  /** Recurring schedule (cron or human interval), if any. */
  every?: string;
  concurrency?: number;
  lockLifetimeMs?: number;
  /** Retries for one-off jobs (exponential with jitter). */
  retries?: number;
  handler(deps: Deps, data: D): Promise<void>;
}

export function jobRegistry(): JobSpec<never>[] {
  return [purgeExpiredSessionsJob as JobSpec<never>];
}
