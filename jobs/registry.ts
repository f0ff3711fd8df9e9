import type { Deps } from "../server/deps";
import { alertsSendJob } from "./alerts-send";
import { purgeExpiredSessionsJob } from "./purge-sessions";
import { disputesAutoApproveJob } from "./disputes-auto-approve";
import { closePeriodsJob } from "./close-periods";
import { emailsSendJob, webhooksDeliverJob } from "./webhooks-deliver";
import { purgeTestLeadsJob } from "./purge-test-leads";

/**
 * Every job LeadLedger runs. A job file parses its data, calls one use case, and says how to
 * retry (docs/architecture.md: jobs are at-least-once, handlers idempotent).
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

/** What a running job may use besides deps: enqueueing further jobs. */
export interface JobContext {
  now(name: string, data: unknown): Promise<void>;
  schedule(when: Date, name: string, data: unknown): Promise<void>;
  /** 1 on the first run of a one-off job, 2 on its first retry … */
  attempt: number;
}

export function jobRegistry(): JobSpec<never>[] {
  return [purgeExpiredSessionsJob as JobSpec<never>, disputesAutoApproveJob as JobSpec<never>, alertsSendJob as JobSpec<never>, closePeriodsJob as JobSpec<never>, purgeTestLeadsJob as JobSpec<never>, webhooksDeliverJob as JobSpec<never>, emailsSendJob as JobSpec<never>];
}
