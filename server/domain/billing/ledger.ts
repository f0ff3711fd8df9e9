import { DomainError } from "../errors";
import { assertCents } from "../money";
import { isBillingPeriod, type BillingPeriod } from "./pricing";

/**
 * The ledger (docs/architecture.md "LedgerEntry"): append-only money movements of one client.
 * `amountCents` is positive for a charge and negative for a credit. Entries are never updated or
 * deleted (only `invoiceId` is set once, when an invoice picks them up); a correction is a new
 * entry. Every entry has a unique `idempotencyKey`, built only by the functions below, so a retry
 * of the same business event hits the database's unique constraint instead of charging twice.
 *
 * Reversals (decision): a reversal is a NEW entry of kind 'adjustment' with the negated amount,
 * the same lead/campaign/dispute links, key `reversal:<original key>` and a memo naming the
 * original kind, key and reason. We do not write a negative `lead_charge` etc.: charge kinds stay
 * strictly positive so counting charges (tiers, caps, quantities on invoice lines) never has to
 * net out reversals, and the invoice shows a reversal honestly as an "Adjustments" line rather
 * than silently shrinking "Qualified leads". This holds whether or not the original was already
 * invoiced: the reversal lands on the next invoice like any other uninvoiced entry.
 */

export const LEDGER_KINDS = [
  "retainer",
  "lead_charge",
  "acquisition_charge",
  "revshare_charge",
  "dispute_credit",
  "adjustment",
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Kinds that are charges: always > 0. */
export const CHARGE_KINDS = ["retainer", "lead_charge", "acquisition_charge", "revshare_charge"] as const;
export type ChargeKind = (typeof CHARGE_KINDS)[number];

/** Charges for one lead: they always name it. */
export const LEAD_CHARGE_KINDS = ["lead_charge", "acquisition_charge", "revshare_charge"] as const satisfies readonly ChargeKind[];

export interface LedgerEntry {
  id: string;
  clientId: string;
  kind: LedgerKind;
  /** + charge, − credit; a safe integer, never 0. */
  amountCents: number;
  leadId: string | null;
  campaignId: string | null;
  disputeId: string | null;
  /** Set once, when an invoice includes the entry. */
  invoiceId: string | null;
  idempotencyKey: string;
  /** Who caused it: a user id, "system", "job:<name>" … */
  actor: string;
  memo: string | null;
  createdAt: Date;
}

/** What a use case hands to the repository; the database assigns id and createdAt. */
export type NewLedgerEntry = Omit<LedgerEntry, "id" | "invoiceId" | "createdAt">;

export function isChargeKind(kind: LedgerKind): kind is ChargeKind {
  return (CHARGE_KINDS as readonly string[]).includes(kind);
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys

function idPart(value: string, what: string): string {
  if (typeof value !== "string" || value.length === 0 || /[:\s]/.test(value)) {
    throw new DomainError("VALIDATION_FAILED", `${what} must be a non-empty id without ':' or spaces, got "${value}"`);
  }
  return value;
}

function seqPart(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new DomainError("VALIDATION_FAILED", `sequence must be a non-negative integer, got ${seq}`);
  }
  return seq === 0 ? "" : `:${seq}`;
}

/** `lead_charge:<leadId>` — a lead is charged at most once on qualification. */
export function leadChargeKey(leadId: string): string {
  return `lead_charge:${idPart(leadId, "leadId")}`;
}

/**
 * `acquisition_charge:<leadId>` for the first win; `acquisition_charge:<leadId>:<seq>` for the
 * seq-th re-charge after a reversal (won → lost → won). seq defaults to 0.
 */
export function acquisitionChargeKey(leadId: string, seq = 0): string {
  return `acquisition_charge:${idPart(leadId, "leadId")}${seqPart(seq)}`;
}

/** `revshare_charge:<leadId>` (seq 0) or `revshare_charge:<leadId>:<seq>`, as acquisitionChargeKey. */
export function revshareChargeKey(leadId: string, seq = 0): string {
  return `revshare_charge:${idPart(leadId, "leadId")}${seqPart(seq)}`;
}

/** `retainer:<clientId>:<YYYY-MM>` — one retainer per client per billing period. */
export function retainerKey(clientId: string, period: BillingPeriod): string {
  if (!isBillingPeriod(period)) throw new DomainError("VALIDATION_FAILED", `billing period must be YYYY-MM, got "${period}"`);
  return `retainer:${idPart(clientId, "clientId")}:${period}`;
}

/** `dispute_credit:<disputeId>` — a dispute produces at most one credit. */
export function disputeCreditKey(disputeId: string): string {
  return `dispute_credit:${idPart(disputeId, "disputeId")}`;
}

/** `adjustment:<requestId>` — a manual adjustment, keyed by the caller's request / form id. */
export function adjustmentKey(requestId: string): string {
  return `adjustment:${idPart(requestId, "requestId")}`;
}

/** `reversal:<original key>` — every entry can be reversed at most once. */
export function reversalKey(originalKey: string): string {
  if (typeof originalKey !== "string" || originalKey.length === 0) {
    throw new DomainError("VALIDATION_FAILED", "original idempotency key must not be empty");
  }
  return `reversal:${originalKey}`;
}

/**
 * `adjustment:credited-<original key>` — when a reversed charge had already been given back (in
 * part or in full) by a dispute credit, this entry re-adds that part, so the lead is never credited
 * twice for the same money (docs/decisions/004-ledger-reversals.md).
 */
export function creditedPartKey(originalKey: string): string {
  return `adjustment:credited-${reversalKey(originalKey).slice("reversal:".length)}`;
}

/** The original key a reversal key reverses, or null when `key` is not a reversal key. */
export function reversedKeyOf(key: string): string | null {
  return key.startsWith("reversal:") ? key.slice("reversal:".length) : null;
}

/**
 * Key of the reversal of the seq-th outcome charge of a lead. Equal to
 * `reversalOf(thatEntry, …).idempotencyKey`, so a use case can compute it without loading the entry.
 */
export function outcomeReversalKey(leadId: string, kind: "acquisition_charge" | "revshare_charge", seq: number): string {
  const original = kind === "acquisition_charge" ? acquisitionChargeKey(leadId, seq) : revshareChargeKey(leadId, seq);
  return reversalKey(original);
}

// ---------------------------------------------------------------------------------------------
// Entry construction

/** The positive adjustment that pairs with `reversalOf(entry)` when disputes already credited `cents` of it. */
export function creditedPartOf(
  entry: Pick<LedgerEntry, "clientId" | "kind" | "amountCents" | "leadId" | "campaignId" | "idempotencyKey">,
  cents: number,
  actor: string,
  memo: string,
): NewLedgerEntry {
  assertCents(cents, "already credited part");
  if (cents <= 0 || cents > entry.amountCents) {
    throw new DomainError("VALIDATION_FAILED", `the already credited part must be 1..${entry.amountCents} cents, got ${cents}`);
  }
  return assertValidEntry({
    clientId: entry.clientId,
    kind: "adjustment",
    amountCents: cents,
    leadId: entry.leadId,
    campaignId: entry.campaignId,
    disputeId: null,
    idempotencyKey: creditedPartKey(entry.idempotencyKey),
    actor,
    memo,
  });
}

/**
 * Checks the sign conventions: charge kinds > 0, dispute_credit < 0 (linked to a lead and a
 * dispute), adjustment ≠ 0; lead charges and outcome charges carry their lead. Returns the entry.
 */
export function assertValidEntry<E extends NewLedgerEntry>(entry: E): E {
  assertCents(entry.amountCents, `${entry.kind} amount`);
  const fail = (message: string): never => {
    throw new DomainError("VALIDATION_FAILED", message, { details: { kind: entry.kind, amountCents: entry.amountCents } });
  };
  if (!(LEDGER_KINDS as readonly string[]).includes(entry.kind)) fail(`unknown ledger kind "${entry.kind}"`);
  if (isChargeKind(entry.kind) && entry.amountCents <= 0) fail(`a ${entry.kind} must be positive`);
  if (entry.kind === "dispute_credit") {
    if (entry.amountCents >= 0) fail("a dispute_credit must be negative");
    if (!entry.disputeId || !entry.leadId) fail("a dispute_credit must link its dispute and lead");
  }
  if (entry.kind === "adjustment" && entry.amountCents === 0) fail("an adjustment must not be zero");
  if ((LEAD_CHARGE_KINDS as readonly LedgerKind[]).includes(entry.kind) && !entry.leadId) {
    fail(`a ${entry.kind} must link its lead`);
  }
  if (!entry.idempotencyKey) fail("idempotencyKey is required");
  if (!entry.actor) fail("actor is required");
  return entry;
}

interface LeadRef {
  clientId: string;
  leadId: string;
  campaignId: string | null;
  actor: string;
}

export function leadChargeEntry(input: LeadRef & { amountCents: number; memo?: string | null }): NewLedgerEntry {
  return assertValidEntry({
    clientId: input.clientId,
    kind: "lead_charge",
    amountCents: input.amountCents,
    leadId: input.leadId,
    campaignId: input.campaignId,
    disputeId: null,
    idempotencyKey: leadChargeKey(input.leadId),
    actor: input.actor,
    memo: input.memo ?? null,
  });
}

export function outcomeChargeEntry(
  input: LeadRef & { kind: "acquisition_charge" | "revshare_charge"; amountCents: number; seq?: number; memo?: string | null },
): NewLedgerEntry {
  const seq = input.seq ?? 0;
  return assertValidEntry({
    clientId: input.clientId,
    kind: input.kind,
    amountCents: input.amountCents,
    leadId: input.leadId,
    campaignId: input.campaignId,
    disputeId: null,
    idempotencyKey: input.kind === "acquisition_charge" ? acquisitionChargeKey(input.leadId, seq) : revshareChargeKey(input.leadId, seq),
    actor: input.actor,
    memo: input.memo ?? null,
  });
}

/** The retainer of a period; `memo` records a proration (billable-periods.ts `retainerMemo`). */
export function retainerEntry(input: { clientId: string; period: BillingPeriod; amountCents: number; actor: string; memo?: string }): NewLedgerEntry {
  return assertValidEntry({
    clientId: input.clientId,
    kind: "retainer",
    amountCents: input.amountCents,
    leadId: null,
    campaignId: null,
    disputeId: null,
    idempotencyKey: retainerKey(input.clientId, input.period),
    actor: input.actor,
    memo: input.memo ?? `retainer ${input.period}`,
  });
}

/** A dispute credit; `creditCents` is the positive credit, stored negated. */
export function disputeCreditEntry(input: LeadRef & { disputeId: string; creditCents: number; memo?: string | null }): NewLedgerEntry {
  assertCents(input.creditCents, "credit");
  return assertValidEntry({
    clientId: input.clientId,
    kind: "dispute_credit",
    amountCents: input.creditCents === 0 ? 0 : -input.creditCents,
    leadId: input.leadId,
    campaignId: input.campaignId,
    disputeId: input.disputeId,
    idempotencyKey: disputeCreditKey(input.disputeId),
    actor: input.actor,
    memo: input.memo ?? null,
  });
}

/**
 * The entry that cancels `entry`: kind 'adjustment', amount negated, same client/lead/campaign/
 * dispute links, key `reversal:<entry.idempotencyKey>` (so an entry is reversed at most once), memo
 * "reversal of <kind> <key>: <reason>". See the decision at the top of this file.
 */
export function reversalOf(
  entry: Pick<LedgerEntry, "clientId" | "kind" | "amountCents" | "leadId" | "campaignId" | "disputeId" | "idempotencyKey">,
  reason: string,
  actor: string,
): NewLedgerEntry {
  assertCents(entry.amountCents, "amount to reverse");
  if (entry.amountCents === 0) throw new DomainError("VALIDATION_FAILED", "nothing to reverse: the entry is zero");
  if (!reason || reason.trim().length === 0) throw new DomainError("VALIDATION_FAILED", "a reversal needs a reason");
  return assertValidEntry({
    clientId: entry.clientId,
    kind: "adjustment",
    amountCents: -entry.amountCents,
    leadId: entry.leadId,
    campaignId: entry.campaignId,
    disputeId: entry.disputeId,
    idempotencyKey: reversalKey(entry.idempotencyKey),
    actor,
    memo: `reversal of ${entry.kind} ${entry.idempotencyKey}: ${reason.trim()}`,
  });
}
