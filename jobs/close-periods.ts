import type { Actor } from "../server/domain/auth/roles";
import type { JobSpec } from "./queue";

export const CLOSE_PERIODS_ACTOR: Actor = { kind: "system", label: "job:billing.close-periods" };

/**
 * Billing period close (docs/architecture.md flow 6): every 15 minutes, for every active client whose local
 * time has passed 00:00 on the 1st, closes the previous month (retainer, every uninvoiced entry,
 * invoice issued). Idempotent: a period that ever had an invoice is skipped, and a close that races
 * another returns the existing invoice (per-client lock + unique (client_id, period) while not void).
 */
export const closePeriodsJob: JobSpec<Record<string, never>> = {
  name: "billing.close-periods",
  every: "15 minutes",
  concurrency: 1,
  lockLifetimeMs: 15 * 60_000,
  async handler(deps) {
    const result = await deps.billing.closeDuePeriods(CLOSE_PERIODS_ACTOR);
    if (result.closed.length > 0 || result.failed.length > 0) {
      deps.logger.info({ closed: result.closed, skipped: result.skipped, failed: result.failed }, "billing periods closed");
    }
    if (result.failed.length > 0) {
      throw new Error(`could not close ${result.failed.length} billing period(s): ${result.failed.map((f) => `${f.clientId} ${f.period}: ${f.message}`).join("; ")}`);
    }
  },
};
