import type { Clock } from "../shared/clock";

/** How long a test lead is kept (docs/decisions/012-test-mode.md). */
export const TEST_LEAD_RETENTION_DAYS = 7;
const BATCH = 1_000;

export interface LeadPurgeRepository {
  /**
   * Deletes up to `limit` test leads received before `before`; returns how many. Test leads have no
   * ledger entries (the ledger refuses them), so nothing append-only is touched.
   */
  deleteTestLeadsReceivedBefore(before: Date, limit: number): Promise<number>;
}

/** Deletes every test lead older than the retention period, in batches; running it again deletes nothing more. */
export async function purgeTestLeads(deps: { repo: LeadPurgeRepository; clock: Clock }): Promise<{ deleted: number }> {
  const before = new Date(deps.clock.now().getTime() - TEST_LEAD_RETENTION_DAYS * 86_400_000);
  let deleted = 0;
  for (;;) {
    const n = await deps.repo.deleteTestLeadsReceivedBefore(before, BATCH);
    deleted += n;
    if (n < BATCH) return { deleted };
  }
}
