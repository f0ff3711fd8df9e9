import type { JobSpec } from "./queue";

/** Drops velocity buckets no window reaches any more (older than two days; decision 021); idempotent. */
export const purgeVelocityBucketsJob: JobSpec<Record<string, never>> = {
  name: "housekeeping.purge-velocity-buckets",
  every: "1 hour",
  async handler(deps) {
    const deleted = await deps.leads.purgeVelocityBuckets();
    if (deleted > 0) deps.logger.info({ deleted }, "purged velocity buckets older than two days");
  },
};
