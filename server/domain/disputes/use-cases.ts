import type { Actor } from "../auth/roles";
import { attachEvidence, readEvidence } from "./evidence";
import type { BulkApproveInput, DisputeStatsInput, ListDisputesInput, OpenDisputeInput, ResolveDisputeInput } from "./inputs";
import { openDispute } from "./open-dispute";
import type { DisputeDeps } from "./ports";
import { disputeStats, getDispute, listDisputes } from "./read-disputes";
import { autoApproveDueDisputes, bulkApproveDisputes, resolveDispute, withdrawDispute } from "./resolve-dispute";

/** The dispute use cases bound to their dependencies (wired once in server/deps.ts). */
export function disputeUseCases(deps: DisputeDeps) {
  return {
    open: (actor: Actor, input: OpenDisputeInput) => openDispute(deps, actor, input),
    resolve: (actor: Actor, input: ResolveDisputeInput) => resolveDispute(deps, actor, input),
    bulkApprove: (actor: Actor, input: BulkApproveInput) => bulkApproveDisputes(deps, actor, input),
    withdraw: (actor: Actor, input: { id: string }) => withdrawDispute(deps, actor, input),
    list: (actor: Actor, input: ListDisputesInput) => listDisputes(deps, actor, input),
    get: (actor: Actor, input: { id: string }) => getDispute(deps, actor, input),
    stats: (actor: Actor, input: DisputeStatsInput) => disputeStats(deps, actor, input),
    /** The SLA sweep behind the `disputes.auto-approve` job. */
    autoApproveDue: (opts?: { batchSize?: number }) => autoApproveDueDisputes(deps, opts),
    attachEvidence: (actor: Actor, input: Parameters<typeof attachEvidence>[2]) => attachEvidence(deps, actor, input),
    readEvidence: (actor: Actor, input: { id: string }) => readEvidence(deps, actor, input),
  };
}

export type DisputeUseCases = ReturnType<typeof disputeUseCases>;
