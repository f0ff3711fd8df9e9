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
import type { ContractVersion } from "../contracts/contract-document";
import type { DisputeDeps, DisputeRecord, DisputeTx, DisputeView, LeadForDispute } from "./ports";

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

type ClientActor = Extract<Actor, { kind: "client" }>;
/** What the client asked for, parsed. */
interface DisputeRequest {
  leadId: string;
  reason: string;
  note: string | null;
  requestKey: string | null;
}
/** Where the transaction ends: the dispute to answer with, and whether it was there already. */
interface Outcome {
  id: string;
  replayed: boolean;
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
  const request: DisputeRequest = { leadId: input.leadId, reason: input.reason, note: input.note ? input.note : null, requestKey: input.requestKey ?? null };

  const outcome = await deps.store.transaction(async (tx): Promise<Outcome> => {
    const lead = await lockOwnLead(tx, actor, request.leadId);
    const now = deps.clock.now();
    const byKey = await findByRequestKey(tx, lead, request.requestKey);
    if (byKey) return byKey;
    const version = await judgingVersion(tx, lead);
    assertReasonAllowed(version.document.disputes, request.reason, request.note);
    const repeat = await repeatOfLatest(tx, lead, actor, request, now);
    if (repeat) return repeat;
    await assertDisputable(tx, lead, version, now);
    const opened = await insertDispute(tx, actor, lead, version, request, now);
    if ("replayed" in opened) return opened;
    await decideAtOnce(tx, lead, version, request.reason, opened.id, now);
    return { id: opened.id, replayed: false };
  });

  const dispute = await deps.store.reads.get(outcome.id);
  if (!dispute) throw new DomainError("NOT_FOUND", "Dispute not found.");
  return { dispute, replayed: outcome.replayed };
}

/** The lead, if it is the actor's client's, and the client's dispute lock (held until the transaction ends). */
async function lockOwnLead(tx: DisputeTx, actor: ClientActor, leadId: string): Promise<LeadForDispute> {
  const lead = await tx.findLead(leadId);
  if (!lead || lead.clientId !== actor.clientId) throw new DomainError("LEAD_NOT_FOUND", "Lead not found.");
  await tx.lockClientDisputes(lead.clientId);
  return lead;
}

/** A repeated requestKey answers with its dispute; the same key for another lead is refused. */
async function findByRequestKey(tx: DisputeTx, lead: LeadForDispute, requestKey: string | null): Promise<Outcome | null> {
  if (!requestKey) return null;
  const earlier = await tx.findByRequestKey(lead.clientId, requestKey);
  if (!earlier) return null;
  if (earlier.leadId !== lead.id) {
    throw new DomainError("IDEMPOTENCY_KEY_REUSED", "This requestKey was already used to dispute another lead; send a new key for a new dispute.");
  }
  return { id: earlier.id, replayed: true };
}

/** The contract version that judged (and charged) the lead: its dispute terms apply. */
async function judgingVersion(tx: DisputeTx, lead: LeadForDispute): Promise<ContractVersion> {
  const version = lead.contractVersionId ? await tx.findVersionById(lead.contractVersionId) : null;
  if (!version) throw new DomainError("LEAD_NOT_CHARGED", "This lead was never judged against a contract, so it was not charged and cannot be disputed.");
  return version;
}

/** The same user repeating the same reason and note gets the dispute back; another open dispute is refused. */
async function repeatOfLatest(tx: DisputeTx, lead: LeadForDispute, actor: ClientActor, request: DisputeRequest, now: Date): Promise<Outcome | null> {
  const latest = await tx.findLatestForLead(lead.id);
  if (latest && latest.status !== "withdrawn" && sameRequest(latest, actor.userId, request.reason, request.note)) {
    return { id: latest.id, replayed: true };
  }
  if (latest?.status === "open") {
    throw new DomainError(
      "DISPUTE_ALREADY_OPEN",
      `This lead already has an open dispute (${latest.reason}, opened ${formatDay(latest.openedAt, lead.clientTimezone, now)}); the agency answers by ${formatDay(latest.dueAt, lead.clientTimezone, now)}.`,
      { details: { disputeId: latest.id } },
    );
  }
  return null;
}

/** The window is open, something is charged and left to credit, and the period's return-rate cap allows one more. */
async function assertDisputable(tx: DisputeTx, lead: LeadForDispute, version: ContractVersion, now: Date): Promise<void> {
  const terms = version.document.disputes;
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
}

/** Opens the dispute (due when the agency's SLA ends) and audits it; when a unique index refused it, the dispute that won. */
async function insertDispute(
  tx: DisputeTx,
  actor: ClientActor,
  lead: LeadForDispute,
  version: ContractVersion,
  request: DisputeRequest,
  now: Date,
): Promise<DisputeRecord | Outcome> {
  const inserted = await tx.insert({
    clientId: lead.clientId,
    leadId: lead.id,
    contractVersionId: version.id,
    reason: request.reason,
    note: request.note,
    openedBy: actor.userId,
    openedAt: now,
    dueAt: dueAtFor(now, version.document.disputes.agencyResponseDays),
    requestKey: request.requestKey,
  });
  if (!inserted) {
    // A unique index refused it (the lock makes this rare): answer with the dispute that won.
    const winner = (request.requestKey ? await tx.findByRequestKey(lead.clientId, request.requestKey) : null) ?? (await tx.findLatestForLead(lead.id));
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
  return inserted;
}

/** Lets the contract (auto-approved reasons) or the evidence (a short call, an earlier duplicate) decide at once, with the credit. */
async function decideAtOnce(tx: DisputeTx, lead: LeadForDispute, version: ContractVersion, reason: string, disputeId: string, now: Date): Promise<void> {
  const terms = version.document.disputes;
  const duplicateRule = version.document.qualification.duplicate;
  let earlierLead = null;
  if (reason === "duplicate" && duplicateRule && !terms.autoApprove.includes("duplicate")) {
    earlierLead =
      earlierDuplicateInWindow(lead.storedEarlierDuplicate, lead.receivedAt, duplicateRule.windowDays) ??
      (await tx.findEarlierLeadSharingContact(
        lead.clientId,
        { phone: lead.phone, email: lead.email },
        { since: new Date(lead.receivedAt.getTime() - duplicateRule.windowDays * DAY_MS), before: lead.receivedAt },
        lead.id,
      ));
  }
  const auto = automaticDecision({ reason, terms, qualification: version.document.qualification, lead, earlierLead, timezone: lead.clientTimezone, now });
  if (!auto) return;
  await decideInTransaction(tx, { disputeId, to: auto.status, credit: { kind: "full" }, note: auto.note, by: auto.by, actor: DISPUTE_RULES_ACTOR, now, evidence: auto.evidence });
}
