import type { Pricing } from "../contracts/contract-document";
import { formatCents } from "../money-format";
import { sumCents } from "../money";
import { leadCreditBasis } from "./credit";
import { creditedPartOf, outcomeChargeEntry, reversalKey, reversalOf, type LedgerEntry, type NewLedgerEntry } from "./ledger";
import { priceOutcome, type OutcomeChargeKind } from "./pricing";

/**
 * What marking a lead won or lost does to the ledger (docs/architecture.md flow 3) — pure, so every
 * transition is testable without a database. docs/decisions/004-ledger-reversals.md explains it.
 *
 * - Outcome charges come in generations: seq 0 (`acquisition_charge:<lead>`, `revshare_charge:<lead>`)
 *   for the first win, seq 1, 2 … for later wins (`…:<lead>:<seq>`).
 * - A charge is *live* while the ledger holds no `reversal:<its key>` entry.
 * - won → lost reverses every live charge; lost → won writes the next generation; won with another
 *   value reverses the live charges and writes the next generation — unless the new charges are
 *   exactly the live ones (same kinds and amounts), then only the lead's value changes.
 * - The same outcome again (won with the same value, lost again) is a no-op.
 * - A lead's balance never goes below zero: when dispute credits already gave back part of the
 *   charges being reversed, that part is re-added by `adjustment:credited-<key>` entries (listed
 *   with the reversals), so the same money is never credited twice.
 * Reversals are new 'adjustment' entries (ledger.ts `reversalOf`), whether or not the charge was
 * invoiced already: an uninvoiced reversal nets out on the same invoice, an invoiced charge's
 * reversal lands on the next invoice as a credit line.
 */

export type Outcome = "won" | "lost";

export interface OutcomeState {
  outcome: Outcome | null;
  valueCents: number | null;
}

type EntryRef = Pick<LedgerEntry, "clientId" | "kind" | "amountCents" | "leadId" | "campaignId" | "disputeId" | "idempotencyKey">;

export function isOutcomeChargeKind(kind: string): kind is OutcomeChargeKind {
  return kind === "acquisition_charge" || kind === "revshare_charge";
}

/** The generation of an outcome charge key: `acquisition_charge:<lead>` → 0, `…:<lead>:3` → 3. */
export function outcomeSeqOf(key: string): number {
  const parts = key.split(":");
  if (parts.length === 2) return 0;
  const n = Number(parts[2]);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** Outcome charges of the lead that no reversal cancels yet. */
export function liveOutcomeCharges<E extends EntryRef>(entries: E[]): E[] {
  const keys = new Set(entries.map((e) => e.idempotencyKey));
  return entries.filter((e) => isOutcomeChargeKind(e.kind) && !keys.has(reversalKey(e.idempotencyKey)));
}

/** 0 when the lead never had an outcome charge, else one more than the highest generation so far. */
export function nextOutcomeSeq(entries: EntryRef[]): number {
  const seqs = entries.filter((e) => isOutcomeChargeKind(e.kind)).map((e) => outcomeSeqOf(e.idempotencyKey));
  return seqs.length === 0 ? 0 : Math.max(...seqs) + 1;
}

export interface OutcomePlan {
  /** False when the request repeats the lead's current outcome (nothing to write, nothing to audit). */
  changed: boolean;
  /** The state to store on the lead (lost never keeps a value). */
  next: OutcomeState;
  reversals: NewLedgerEntry[];
  charges: NewLedgerEntry[];
}

const sameCharges = (live: EntryRef[], wanted: { kind: string; amountCents: number }[]) => {
  const sig = (xs: { kind: string; amountCents: number }[]) =>
    xs
      .map((x) => `${x.kind}=${x.amountCents}`)
      .sort()
      .join(",");
  return sig(live) === sig(wanted);
};

export function planOutcome(input: {
  lead: { clientId: string; leadId: string; campaignId: string | null };
  current: OutcomeState;
  requested: { outcome: Outcome; valueCents: number | null };
  /** Every ledger entry of the lead (any kind). */
  entries: EntryRef[];
  /** Pricing of the contract version that judged the lead; required to mark it won. */
  pricing: Pricing | null;
  actor: string;
  currency?: string;
}): OutcomePlan {
  const { lead, current, actor } = input;
  const next: OutcomeState =
    input.requested.outcome === "won" ? { outcome: "won", valueCents: input.requested.valueCents } : { outcome: "lost", valueCents: null };
  const unchanged = current.outcome === next.outcome && (next.outcome === "lost" || current.valueCents === next.valueCents);
  if (unchanged) return { changed: false, next: { ...current }, reversals: [], charges: [] };

  const live = liveOutcomeCharges(input.entries);
  let wanted: { kind: OutcomeChargeKind; amountCents: number }[] = [];
  if (next.outcome === "won") {
    if (!input.pricing) throw new Error("planOutcome: pricing is required to mark a lead won");
    wanted = priceOutcome(input.pricing, next.valueCents);
    if (sameCharges(live, wanted)) return { changed: true, next, reversals: [], charges: [] };
  }

  const money = (c: number | null) => (c === null ? "no value" : formatCents(c, input.currency));
  const reason =
    next.outcome === "lost"
      ? "lead marked lost"
      : current.outcome === "won"
        ? `deal value changed from ${money(current.valueCents)} to ${money(next.valueCents)}`
        : "lead marked won again";
  const reversals: NewLedgerEntry[] = live.map((e) => reversalOf(e, reason, actor));
  // A dispute credit may already have given back (part of) the charges reversed here: the lead's
  // balance must not go below zero, so what the credits already covered is re-added, newest first.
  const { chargedCents, alreadyCreditedCents } = leadCreditBasis(input.entries);
  const reversedCents = sumCents(live.map((e) => e.amountCents));
  const newCents = sumCents(wanted.map((c) => c.amountCents));
  let coveredCents = Math.max(0, reversedCents - newCents - (chargedCents - alreadyCreditedCents));
  for (const e of [...live].reverse()) {
    if (coveredCents <= 0) break;
    const part = Math.min(coveredCents, e.amountCents);
    coveredCents -= part;
    reversals.push(creditedPartOf(e, part, actor, `${formatCents(part, input.currency)} of the reversed ${e.kind} ${e.idempotencyKey} was already credited by a dispute`));
  }
  const seq = nextOutcomeSeq(input.entries);
  const charges = wanted.map((c) =>
    outcomeChargeEntry({
      clientId: lead.clientId,
      leadId: lead.leadId,
      campaignId: lead.campaignId,
      actor,
      kind: c.kind,
      amountCents: c.amountCents,
      seq,
      memo:
        c.kind === "revshare_charge"
          ? `revenue share on a deal of ${money(next.valueCents)}`
          : `acquisition${next.valueCents === null ? "" : ` (deal of ${money(next.valueCents)})`}`,
    }),
  );
  return { changed: true, next, reversals, charges };
}
