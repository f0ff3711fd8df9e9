import { DomainError } from "../errors";
import { applyBps, assertBps, assertNonNegativeCents, sumCents, BPS_DENOMINATOR } from "../money";
import type { LedgerEntry } from "./ledger";

/**
 * Dispute credits and the dispute status machine (docs/architecture.md "Dispute", flow 4).
 */

export type CreditDecision = { kind: "full" } | { kind: "percent"; bps: number } | { kind: "amount"; cents: number };

/**
 * The credit (positive cents) a dispute decision produces for a lead:
 * - full: everything still creditable;
 * - percent: applyBps(chargedCents, bps) — a share of what was charged, rounded half up;
 * - amount: the given cents.
 * The result is clamped to [0, chargedCents − alreadyCreditedCents]: a lead is never credited
 * more than it was charged, in total over all its disputes.
 */
export function disputeCreditCents(chargedCents: number, alreadyCreditedCents: number, decision: CreditDecision): number {
  assertNonNegativeCents(chargedCents, "charged amount");
  assertNonNegativeCents(alreadyCreditedCents, "already credited amount");
  const remaining = Math.max(0, chargedCents - alreadyCreditedCents);

  let wanted: number;
  switch (decision.kind) {
    case "full":
      wanted = remaining;
      break;
    case "percent":
      assertBps(decision.bps, "credit percentage");
      if (decision.bps < 0 || decision.bps > BPS_DENOMINATOR) {
        throw new DomainError("VALIDATION_FAILED", `credit percentage must be 0..10000 bps, got ${decision.bps}`);
      }
      wanted = applyBps(chargedCents, decision.bps);
      break;
    case "amount":
      assertNonNegativeCents(decision.cents, "credit amount");
      wanted = decision.cents;
      break;
    default: {
      const never: never = decision;
      throw new DomainError("VALIDATION_FAILED", `unknown credit decision ${JSON.stringify(never)}`);
    }
  }
  return Math.min(wanted, remaining);
}

/**
 * The two inputs of disputeCreditCents from a lead's ledger entries:
 * - chargedCents: everything billed for the lead net of reversals (all entries except dispute
 *   credits; a reversal is a negative 'adjustment'), floored at 0;
 * - alreadyCreditedCents: the dispute credits so far, as a positive number.
 */
export function leadCreditBasis(entries: Pick<LedgerEntry, "kind" | "amountCents">[]): {
  chargedCents: number;
  alreadyCreditedCents: number;
} {
  const charged = sumCents(entries.filter((e) => e.kind !== "dispute_credit").map((e) => e.amountCents));
  const credited = -sumCents(entries.filter((e) => e.kind === "dispute_credit").map((e) => e.amountCents));
  return { chargedCents: Math.max(0, charged), alreadyCreditedCents: Math.max(0, credited) };
}

export const DISPUTE_STATUSES = ["open", "approved", "partially_approved", "rejected", "auto_approved", "withdrawn"] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

const FINAL_DISPUTE_STATUSES: readonly DisputeStatus[] = ["approved", "partially_approved", "rejected", "auto_approved", "withdrawn"];

export function isFinalDisputeStatus(status: DisputeStatus): boolean {
  return FINAL_DISPUTE_STATUSES.includes(status);
}

export function canTransitionDispute(from: DisputeStatus, to: DisputeStatus): boolean {
  return from === "open" && FINAL_DISPUTE_STATUSES.includes(to);
}

/** open → approved | partially_approved | rejected | auto_approved | withdrawn; nothing leaves a final state. Returns `to`. */
export function transitionDispute(from: DisputeStatus, to: DisputeStatus): DisputeStatus {
  if (!canTransitionDispute(from, to)) {
    throw new DomainError("INVALID_TRANSITION", `a dispute cannot go from ${from} to ${to}`, {
      details: { entity: "dispute", from, to },
    });
  }
  return to;
}

/** Whether a final status produces a credit (approved, partially_approved, auto_approved). */
export function disputeStatusCredits(status: DisputeStatus): boolean {
  return status === "approved" || status === "partially_approved" || status === "auto_approved";
}
