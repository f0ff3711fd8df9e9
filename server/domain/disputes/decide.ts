import { actorId, actorLabel, type Actor } from "../auth/roles";
import { disputeCreditCents, disputeStatusCredits, leadCreditBasis, transitionDispute, type CreditDecision, type DisputeStatus } from "../billing/credit";
import { disputeCreditEntry } from "../billing/ledger";
import { billingPeriodOf } from "../billing/pricing";
import { DomainError } from "../errors";
import { formatCents } from "../money-format";
import { formatDay, STATUS_LABEL } from "./policy";
import type { DecisionSource, DisputeDecision, DisputeRecord, DisputeTx } from "./ports";

/**
 * Deciding a dispute — the one path every decision takes (agency review, contract and evidence
 * rules at opening, the SLA job, bulk approval, withdrawal), inside the caller's transaction:
 *
 *   lock the row → refuse unless open (transitionDispute) → credit = the approved share of the
 *   lead's charges net of reversals and earlier credits (leadCreditBasis + disputeCreditCents) →
 *   append the dispute_credit entry (key dispute_credit:<disputeId>, on conflict do nothing) in the
 *   client's current billing period → update the row `where status = 'open'` → audit.
 *
 * Concurrent decisions on one dispute queue on the row lock; the second finds it decided and gets
 * INVALID_TRANSITION, so there is one outcome and at most one credit.
 */

export interface DecideInput {
  disputeId: string;
  to: Exclude<DisputeStatus, "open">;
  /** The credit to grant (null for reject / withdraw). */
  credit: CreditDecision | null;
  note: string | null;
  by: DecisionSource;
  actor: Actor;
  now: Date;
  evidence?: Record<string, unknown>;
  /** Checked after locking; a mismatch is NOT_FOUND (a client never learns about other clients' disputes). */
  visibleTo?: { clientId: string };
  /** For amount decisions: refuse rather than clamp an amount above what is left to credit. */
  refuseAmountAboveRemaining?: boolean;
}

const OUTCOME: Record<Exclude<DisputeStatus, "open">, DisputeDecision["outcome"]> = {
  approved: "approve",
  auto_approved: "approve",
  partially_approved: "partial",
  rejected: "reject",
  withdrawn: "withdraw",
};

/** What the ledger's `actor` column holds: the user id, or `system:<label>`. */
export function ledgerActor(actor: Actor): string {
  return actorId(actor) ?? actorLabel(actor);
}

export function alreadyDecidedError(d: DisputeRecord, now: Date, timezone: string): DomainError {
  const when = d.resolvedAt ? ` on ${formatDay(d.resolvedAt, timezone, now)}` : "";
  return new DomainError("INVALID_TRANSITION", `This dispute was already ${STATUS_LABEL[d.status]}${when}; it can no longer be changed.`, {
    details: { entity: "dispute", status: d.status },
  });
}

export async function decideInTransaction(tx: DisputeTx, input: DecideInput): Promise<DisputeRecord> {
  const current = await tx.lockForDecision(input.disputeId);
  if (!current || (input.visibleTo && current.clientId !== input.visibleTo.clientId)) {
    throw new DomainError("NOT_FOUND", "Dispute not found.");
  }
  const lead = await tx.findLead(current.leadId);
  if (!lead) throw new DomainError("LEAD_NOT_FOUND", "The disputed lead no longer exists.");
  if (current.status !== "open") throw alreadyDecidedError(current, input.now, lead.clientTimezone);
  const to = transitionDispute(current.status, input.to) as DecideInput["to"];

  const basis = leadCreditBasis(await tx.leadLedger(lead.id));
  const remaining = Math.max(0, basis.chargedCents - basis.alreadyCreditedCents);
  let creditCents = 0;
  let creditEntryId: string | null = null;
  if (input.credit && disputeStatusCredits(to)) {
    if (input.credit.kind === "amount" && input.refuseAmountAboveRemaining && input.credit.cents > remaining) {
      throw new DomainError(
        "VALIDATION_FAILED",
        `At most ${formatCents(remaining, lead.clientCurrency)} can still be credited for this lead (charged ${formatCents(basis.chargedCents, lead.clientCurrency)}, already credited ${formatCents(basis.alreadyCreditedCents, lead.clientCurrency)}).`,
        { issues: [{ path: ["amountCents"], message: `must be at most ${remaining}` }] },
      );
    }
    creditCents = disputeCreditCents(basis.chargedCents, basis.alreadyCreditedCents, input.credit);
    if (creditCents > 0) {
      const entry = disputeCreditEntry({
        clientId: current.clientId,
        leadId: lead.id,
        campaignId: lead.campaignId,
        disputeId: current.id,
        creditCents,
        actor: ledgerActor(input.actor),
        memo: `dispute ${current.id} (${current.reason}) ${STATUS_LABEL[to]}`,
      });
      creditEntryId = await tx.appendCredit({ ...entry, period: billingPeriodOf(input.now, lead.clientTimezone), contractVersionId: current.contractVersionId });
    }
  }

  const decision: DisputeDecision = {
    outcome: OUTCOME[to],
    by: input.by,
    credit: disputeStatusCredits(to) ? input.credit : null,
    chargedCents: basis.chargedCents,
    alreadyCreditedCents: basis.alreadyCreditedCents,
    creditCents,
    ...(input.evidence ? { evidence: input.evidence } : {}),
  };
  const updated = await tx.saveDecision(current.id, {
    status: to,
    decision,
    resolutionNote: input.note,
    resolvedBy: ledgerActor(input.actor),
    resolvedAt: input.now,
    creditCents: disputeStatusCredits(to) ? creditCents : null,
    creditEntryId,
  });
  if (!updated) throw alreadyDecidedError(current, input.now, lead.clientTimezone);

  await tx.audit.record(input.actor, {
    clientId: current.clientId,
    action: `dispute.${to}`,
    entityType: "dispute",
    entityId: current.id,
    before: { status: current.status },
    after: { status: updated.status, resolutionNote: updated.resolutionNote, creditCents: updated.creditCents, creditEntryId: updated.creditEntryId, decision },
  });
  return updated;
}
