import type { JobSpec } from "./queue";

/** Deletes test leads 7 days after they arrived (docs/decisions/012-test-mode.md); idempotent, so a repeat run deletes nothing more. */
export const purgeTestLeadsJob: JobSpec<Record<string, never>> = {
  name: "housekeeping.purge-test-leads",
  every: "1 hour",
  async handler(deps) {
    const { deleted } = await deps.leads.purgeTestLeads();
    if (deleted > 0) deps.logger.info({ deleted }, "purged test leads older than 7 days");
  },
};
