import { pricingSchema, type Pricing } from "../../../server/domain/contracts/contract-document";
import type { LedgerEntry, NewLedgerEntry } from "../../../server/domain/billing/ledger";

/** A parsed, defaulted Pricing, exactly as a stored contract version holds it. */
export function pricing(input: Partial<Record<keyof Pricing, unknown>> = {}): Pricing {
  return pricingSchema.parse(input);
}

let seq = 0;

/** A stored ledger entry with sensible defaults; ids and createdAt increase with every call. */
export function storedEntry(partial: Partial<LedgerEntry> & Pick<LedgerEntry, "kind" | "amountCents">): LedgerEntry {
  seq += 1;
  return {
    id: `e${String(seq).padStart(6, "0")}`,
    clientId: "client-1",
    leadId: null,
    campaignId: null,
    disputeId: null,
    invoiceId: null,
    idempotencyKey: `test:${seq}`,
    actor: "system",
    memo: null,
    createdAt: new Date(Date.UTC(2026, 11, 1) + seq * 1000),
    ...partial,
  };
}

/** What the repository would return after inserting `entry`. */
export function store(entry: NewLedgerEntry): LedgerEntry {
  return storedEntry({ ...entry });
}
