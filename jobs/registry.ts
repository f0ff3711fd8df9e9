import { alertsSendJob } from "./alerts-send";
import { purgeExpiredSessionsJob } from "./purge-sessions";
import { disputesAutoApproveJob } from "./disputes-auto-approve";
import { closePeriodsJob } from "./close-periods";
import { emailsSendJob, webhooksDeliverJob } from "./webhooks-deliver";
import { purgeTestLeadsJob } from "./purge-test-leads";
import { purgeVelocityBucketsJob } from "./purge-velocity-buckets";
import type { JobSpec } from "./queue";

/** Every job LeadLedger runs (their shape: queue.ts). */
export function jobRegistry(): JobSpec<never>[] {
  return [purgeExpiredSessionsJob as JobSpec<never>, disputesAutoApproveJob as JobSpec<never>, alertsSendJob as JobSpec<never>, closePeriodsJob as JobSpec<never>, purgeTestLeadsJob as JobSpec<never>, purgeVelocityBucketsJob as JobSpec<never>, webhooksDeliverJob as JobSpec<never>, emailsSendJob as JobSpec<never>];
}
