import {
  bulkApproveInput,
  disputeIdInput,
  disputeStatsInput,
  listDisputesInput,
  openDisputeInput,
  resolveDisputeInput,
} from "../../domain/disputes/inputs";
import { agencyAdminProcedure, agencyProcedure, authedProcedure, clientProcedure, router } from "../init";

/** Disputes (docs/architecture.md flow 4): clients open and withdraw, the agency decides; both read. */
export const disputesRouter = router({
  /** Client users dispute one of their leads; the contract or the evidence may approve it at once. */
  open: clientProcedure.input(openDisputeInput).mutation(({ ctx, input }) => ctx.deps.disputes.open(ctx.actor, input)),
  /** Agency review: approve (full credit), partial (percentBps or amountCents), reject; note required for partial and reject. */
  resolve: agencyProcedure.input(resolveDisputeInput).mutation(({ ctx, input }) => ctx.deps.disputes.resolve(ctx.actor, input)),
  /** Agency admins: approve many disputes (trusted clients), each like approve. */
  bulkApprove: agencyAdminProcedure.input(bulkApproveInput).mutation(({ ctx, input }) => ctx.deps.disputes.bulkApprove(ctx.actor, input)),
  /** The client takes its own open dispute back. */
  withdraw: clientProcedure.input(disputeIdInput).mutation(({ ctx, input }) => ctx.deps.disputes.withdraw(ctx.actor, input)),
  /** Agency: the queue by due date with filters; client users: their own disputes, newest first. */
  list: authedProcedure.input(listDisputesInput).query(({ ctx, input }) => ctx.deps.disputes.list(ctx.actor, input)),
  /** One dispute with the lead's evidence side by side and the timeline. */
  get: authedProcedure.input(disputeIdInput).query(({ ctx, input }) => ctx.deps.disputes.get(ctx.actor, input)),
  /** Dispute rate (disputes / billable leads) by campaign, source and reason. */
  stats: authedProcedure.input(disputeStatsInput).query(({ ctx, input }) => ctx.deps.disputes.stats(ctx.actor, input)),
});
