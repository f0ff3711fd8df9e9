import type { Actor } from "../auth/roles";
import { leadCreditBasis } from "../billing/credit";
import { billingPeriodOf, periodBounds } from "../billing/pricing";
import { DomainError } from "../errors";
import { formatCents } from "../money-format";
import { sumCents } from "../money";
import { parseInput } from "../shared/parse";
import { decideInTransaction } from "./decide";
import { openDisputeInput, type OpenDisputeInput } from "./inputs";
import {
  assertReasonAllowed,
  assertReturnRateAllows,
  assertWindowOpen,
  automaticDecision,
  dueAtFor,
  earlierDuplicateInWindow,
  formatDay,
} from "./policy";
import type { DisputeDeps, DisputeRecord, DisputeView } from "./ports";

/** The system actor for decisions the contract or the evidence take when a dispute is opened. */
export const DISPUTE_RULES_ACTOR: Actor = { kind: "system", label: "dispute-rules" };

const DAY_MS = 86_400_000;

export interface OpenDisputeResult {
  dispute: DisputeView;
  /** True when this was a repeat of an earlier request (same requestKey, or the same user, reason and note). */
  replayed: boolean;
}

function sameRequest(d: DisputeRecord, userId: string, reason: string, note: string | null): boolean {
  return d.openedBy === userId && d.reason === reason && (d.note ?? "") === (note ?? "");
}

/**
 * A client user disputes one of the client's leads (docs/architecture.md flow 4). In one transaction, under a
 * per-client lock: checks reason, window, charge, open dispute and return-rate cap against the
 * contract version that judged the lead → opens the dispute (due when the agency SLA ends) → lets
 * the contract or the evidence decide it at once where they can (with the credit).
 *
 * Double submits create one dispute: a repeated requestKey returns its dispute, and so does the same
 * user repeating the same reason and note for the lead (the per-client lock and the unique indexes
 * make concurrent repeats wait and then find the first one).
 */
export async function openDispute(deps: DisputeDeps, actor: Actor, raw: OpenDisputeInput): Promise<OpenDisputeResult> {
  if (actor.kind !== "client") throw new DomainError("FORBIDDEN", "Only the client's users can dispute a lead.");
  const input = parseInput(openDisputeInput, raw);
  const note = input.note ? input.note : null;
  const requestKey = input.requestKey ?? null;

  const outcome = await deps.store.transaction(async (tx) => {
    const lead = await tx.findLead(input.leadId);
    if (!lead || lead.clientId !== actor.clientId) throw new DomainError("LEAD_NOT_FOUND", "Lead not found.");
    await tx.lockClientDisputes(lead.clientId);
    const now = deps.clock.now();

    if (requestKey) {
      const earlier = await tx.findByRequestKey(lead.clientId, requestKey);
      if (earlier) {
        if (earlier.leadId !== lead.id) {
          throw new DomainError("IDEMPOTENCY_KEY_REUSED", "This requestKey was already used to dispute another lead; send a new key for a new dispute.");
        }
        return { id: earlier.id, replayed: true };
      }
    }

    const version = lead.contractVersionId ? await tx.findVersionById(lead.contractVersionId) : null;
    if (!version) throw new DomainError("LEAD_NOT_CHARGED", "This lead was never judged against a contract, so it was not charged and cannot be disputed.");
    const terms = version.document.disputes;
    assertReasonAllowed(terms, input.reason, note);

    const latest = await tx.findLatestForLead(lead.id);
    if (latest && latest.status !== "withdrawn" && sameRequest(latest, actor.userId, input.reason, note)) {
      return { id: latest.id, replayed: true };
    }
    if (latest?.status === "open") {
      throw new DomainError(
        "DISPUTE_ALREADY_OPEN",
        `This lead already has an open dispute (${latest.reason}, opened ${formatDay(latest.openedAt, lead.clientTimezone, now)}); the agency answers by ${formatDay(latest.dueAt, lead.clientTimezone, now)}.`,
        { details: { disputeId: latest.id } },
      );
    }

    assertWindowOpen({ receivedAt: lead.receivedAt, windowDays: terms.windowDays, now, timezone: lead.clientTimezone });

    const entries = await tx.leadLedger(lead.id);
    const positiveCharges = sumCents(entries.filter((e) => e.kind !== "dispute_credit" && e.amountCents > 0).map((e) => e.amountCents));
    if (positiveCharges === 0) {
      throw new DomainError("LEAD_NOT_CHARGED", "This lead was not charged, so there is nothing to dispute.");
    }
    const basis = leadCreditBasis(entries);
    if (basis.chargedCents - basis.alreadyCreditedCents <= 0) {
      throw new DomainError(
        "CONFLICT",
        `Nothing is left to credit for this lead: its charges of ${formatCents(positiveCharges, lead.clientCurrency)} were already reversed or credited.`,
      );
    }

    const period = billingPeriodOf(lead.receivedAt, lead.clientTimezone);
    const counts = await tx.periodReturnCounts(lead.clientId, periodBounds(period, lead.clientTimezone), lead.id);
    assertReturnRateAllows({ ...counts, maxReturnRateBps: terms.maxReturnRateBps, period });

    const inserted = await tx.insert({
      clientId: lead.clientId,
      leadId: lead.id,
      contractVersionId: version.id,
      reason: input.reason,
      note,
      openedBy: actor.userId,
      openedAt: now,
      dueAt: dueAtFor(now, terms.agencyResponseDays),
      requestKey,
    });
    if (!inserted) {
      // A unique index refused it (the lock makes this rare): answer with the dispute that won.
      const winner = (requestKey ? await tx.findByRequestKey(lead.clientId, requestKey) : null) ?? (await tx.findLatestForLead(lead.id));
      if (winner && winner.leadId === lead.id && winner.status === "open") return { id: winner.id, replayed: true };
      throw new DomainError("DISPUTE_ALREADY_OPEN", "This lead already has an open dispute.");
    }
    await tx.audit.record(actor, {
      clientId: lead.clientId,
      action: "dispute.opened",
      entityType: "dispute",
      entityId: inserted.id,
      before: null,
      after: { status: inserted.status, leadId: lead.id, reason: inserted.reason, note: inserted.note, dueAt: inserted.dueAt.toISOString() },
    });

    const duplicateRule = version.document.qualification.duplicate;
    let earlierLead = null;
    if (input.reason === "duplicate" && duplicateRule && !terms.autoApprove.includes("duplicate")) {
      earlierLead =
        earlierDuplicateInWindow(lead.storedEarlierDuplicate, lead.receivedAt, duplicateRule.windowDays) ??
        (await tx.findEarlierLeadSharingContact(
          lead.clientId,
          { phone: lead.phone, email: lead.email },
          { since: new Date(lead.receivedAt.getTime() - duplicateRule.windowDays * DAY_MS), before: lead.receivedAt },
          lead.id,
        ));
    }
    const auto = automaticDecision({
      reason: input.reason,
      terms,
      qualification: version.document.qualification,
      lead,
      earlierLead,
      timezone: lead.clientTimezone,
      now,
    });
    if (auto) {
      await decideInTransaction(tx, {
        disputeId: inserted.id,
        to: auto.status,
        credit: { kind: "full" },
        note: auto.note,
        by: auto.by,
        actor: DISPUTE_RULES_ACTOR,
        now,
        evidence: auto.evidence,
      });
    }
    return { id: inserted.id, replayed: false };
  });

  const dispute = await deps.store.reads.get(outcome.id);
  if (!dispute) throw new DomainError("NOT_FOUND", "Dispute not found.");
  return { dispute, replayed: outcome.replayed };
}
