import type { JobSpec } from "./queue";

/**
 * The dispute SLA (docs/architecture.md flow 4): every minute, open disputes whose agency deadline (due_at)
 * has passed are auto-approved with full credit. Idempotent: a decided dispute is no longer open
 * and its credit key (dispute_credit:<disputeId>) is unique, so a repeated run changes nothing.
 */
export const disputesAutoApproveJob: JobSpec<Record<string, never>> = {
  name: "disputes.auto-approve",
  every: "1 minute",
  concurrency: 1,
  async handler(deps) {
    const result = await deps.disputes.autoApproveDue();
    if (result.approved.length > 0 || result.failed.length > 0) {
      deps.logger.info({ approved: result.approved.length, skipped: result.skipped, failed: result.failed }, "disputes past their deadline auto-approved");
    }
    if (result.failed.length > 0) {
      throw new Error(`could not auto-approve ${result.failed.length} dispute(s): ${result.failed.map((f) => `${f.id}: ${f.message}`).join("; ")}`);
    }
  },
};
