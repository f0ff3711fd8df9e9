import type { Actor } from "../auth/roles";
import type { CreditDecision } from "../billing/credit";
import { DomainError, isDomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { decideInTransaction } from "./decide";
import { bulkApproveInput, disputeIdInput, resolveDisputeInput, type BulkApproveInput, type ResolveDisputeInput } from "./inputs";
import type { DisputeDeps, DisputeView } from "./ports";
import { requireAgency, requireAgencyAdmin } from "../auth/scope";

/** The system actor of the SLA sweep. */
export const AUTO_APPROVE_ACTOR: Actor = { kind: "system", label: "disputes.auto-approve" };

async function view(deps: DisputeDeps, id: string): Promise<DisputeView> {
  const d = await deps.store.reads.get(id);
  if (!d) throw new DomainError("NOT_FOUND", "Dispute not found.");
  return d;
}

/**
 * Agency review: approve (full credit), partial (a percentage or an amount of the lead's charges)
 * or reject (no credit). A note is required for reject and partial — the client reads it.
 */
export async function resolveDispute(deps: DisputeDeps, actor: Actor, raw: ResolveDisputeInput): Promise<DisputeView> {
  requireAgency(actor, "Only agency staff can decide disputes.");
  const input = parseInput(resolveDisputeInput, raw);
  const note = input.note ? input.note : null;
  const hasPercent = input.percentBps !== undefined;
  const hasAmount = input.amountCents !== undefined;

  let credit: CreditDecision | null;
  let to: "approved" | "partially_approved" | "rejected";
  if (input.decision === "partial") {
    if (hasPercent === hasAmount) {
      throw new DomainError("VALIDATION_FAILED", "A partial approval needs either percentBps (e.g. 5000 for 50%) or amountCents, not both.", {
        issues: [{ path: [hasPercent ? "amountCents" : "percentBps"], message: hasPercent ? "give percentBps or amountCents, not both" : "give percentBps or amountCents" }],
      });
    }
    credit = hasPercent ? { kind: "percent", bps: input.percentBps! } : { kind: "amount", cents: input.amountCents! };
    to = "partially_approved";
  } else {
    if (hasPercent || hasAmount) {
      throw new DomainError("VALIDATION_FAILED", `percentBps and amountCents apply to partial approvals only, not to ${input.decision}.`, {
        issues: [{ path: [hasPercent ? "percentBps" : "amountCents"], message: "only for decision partial" }],
      });
    }
    credit = input.decision === "approve" ? { kind: "full" } : null;
    to = input.decision === "approve" ? "approved" : "rejected";
  }
  if (input.decision !== "approve" && !note) {
    throw new DomainError("VALIDATION_FAILED", `A note is required to ${input.decision === "reject" ? "reject" : "partially approve"} a dispute: the client reads it.`, {
      issues: [{ path: ["note"], message: "is required" }],
    });
  }

  await deps.store.transaction((tx) =>
    decideInTransaction(tx, { disputeId: input.disputeId, to, credit, note, by: "agency", actor, now: deps.clock.now(), refuseAmountAboveRemaining: true }),
  );
  return view(deps, input.disputeId);
}

export interface BulkApproveResult {
  approved: string[];
  skipped: { id: string; code: string; message: string }[];
}

/** Agency admins approve many disputes at once (trusted clients); each one exactly like approve, in its own transaction. */
export async function bulkApproveDisputes(deps: DisputeDeps, actor: Actor, raw: BulkApproveInput): Promise<BulkApproveResult> {
  requireAgency(actor, "Only agency staff can approve disputes.");
  requireAgencyAdmin(actor, "Only agency admins can approve disputes in bulk.");
  const input = parseInput(bulkApproveInput, raw);
  const note = input.note ? input.note : "Approved in bulk.";
  const result: BulkApproveResult = { approved: [], skipped: [] };
  for (const id of [...new Set(input.disputeIds)]) {
    try {
      await deps.store.transaction((tx) =>
        decideInTransaction(tx, { disputeId: id, to: "approved", credit: { kind: "full" }, note, by: "agency", actor, now: deps.clock.now() }),
      );
      result.approved.push(id);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      result.skipped.push({ id, code: e.code, message: e.message });
    }
  }
  return result;
}

/** The client takes its own open dispute back; no credit. */
export async function withdrawDispute(deps: DisputeDeps, actor: Actor, raw: { id: string }): Promise<DisputeView> {
  if (actor.kind !== "client") throw new DomainError("FORBIDDEN", "Only the client's users can withdraw a dispute.");
  const { id } = parseInput(disputeIdInput, raw);
  await deps.store.transaction((tx) =>
    decideInTransaction(tx, { disputeId: id, to: "withdrawn", credit: null, note: "Withdrawn by the client.", by: "client", actor, now: deps.clock.now(), visibleTo: { clientId: actor.clientId } }),
  );
  return view(deps, id);
}

export interface AutoApproveResult {
  approved: string[];
  /** Disputes decided by someone else between the sweep's read and its lock. */
  skipped: number;
  failed: { id: string; message: string }[];
}

/**
 * The SLA sweep (job `disputes.auto-approve`): every open dispute past its due time is
 * auto-approved with full credit, each in its own transaction. Idempotent: a decided dispute is no
 * longer open, and the credit key is unique per dispute.
 */
export async function autoApproveDueDisputes(deps: DisputeDeps, opts: { batchSize?: number } = {}): Promise<AutoApproveResult> {
  const batchSize = opts.batchSize ?? 100;
  const now = deps.clock.now();
  const result: AutoApproveResult = { approved: [], skipped: 0, failed: [] };
  let after: { dueAt: Date; id: string } | undefined;
  for (;;) {
    const due = await deps.store.reads.openDue(now, batchSize, after);
    for (const d of due) {
      try {
        await deps.store.transaction((tx) =>
          decideInTransaction(tx, {
            disputeId: d.id,
            to: "auto_approved",
            credit: { kind: "full" },
            note: "Approved automatically: the agency did not answer before the deadline.",
            by: "sla",
            actor: AUTO_APPROVE_ACTOR,
            now,
            evidence: { dueAt: d.dueAt.toISOString() },
          }),
        );
        result.approved.push(d.id);
      } catch (e) {
        if (isDomainError(e) && e.code === "INVALID_TRANSITION") result.skipped += 1;
        else result.failed.push({ id: d.id, message: e instanceof Error ? e.message : String(e) });
      }
    }
    if (due.length < batchSize) break;
    after = due[due.length - 1];
  }
  return result;
}
