import { z } from "zod";
import { listLedgerInput } from "../../domain/billing/ledger-queries";
import { agencyProcedure, authedProcedure, router } from "../init";

export const ledgerRouter = router({
  /** Agency: one client's ledger entries, newest first (kind, created_at range, uninvoiced only, cursor). */
  list: agencyProcedure.input(listLedgerInput).query(({ ctx, input }) => ctx.deps.billing.listLedger(ctx.actor, input)),
  /** Uninvoiced sum and the carried credit balance; client users get their own (clientId is ignored). */
  balance: authedProcedure
    .input(z.object({ clientId: z.uuid().optional() }))
    .query(({ ctx, input }) => ctx.deps.billing.ledgerBalance(ctx.actor, input)),
});
