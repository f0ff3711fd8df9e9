import { DomainError } from "../errors";
import { assertCents, assertNonNegativeCents, sumCents } from "../money";
import type { LedgerEntry, LedgerKind } from "./ledger";

/**
 * Invoices (docs/architecture.md "Invoice"): per client per billing period, lines derived from uninvoiced
 * ledger entries, credits shown as negative lines, never a negative total — the excess carries
 * forward as a credit balance.
 */

export const INVOICE_STATUSES = ["draft", "issued", "paid", "void"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface InvoiceLineDraft {
  kind: LedgerKind;
  campaignId: string | null;
  /** Set on dispute_credit lines (one line per dispute). */
  disputeId: string | null;
  /** Set when every entry of the line belongs to the same lead (always for dispute credit lines). */
  leadId: string | null;
  description: string;
  /** Number of ledger entries on the line. */
  quantity: number;
  /** The common amount when all entries are equal, else null. */
  unitAmountCents: number | null;
  /** Sum of the entries; negative for credits. */
  amountCents: number;
  /** The ledger entries behind the line, in createdAt order — every cent traces to them. */
  entryIds: string[];
}

export interface InvoiceDraft {
  lines: InvoiceLineDraft[];
  /** Sum of all lines (= sum of the entries); may be negative. */
  subtotalCents: number;
  /** Part of the carried-forward credit balance used on this invoice (0..creditBalanceCents). */
  creditAppliedCents: number;
  /** What the client owes: never negative. */
  totalCents: number;
  /** Credit balance after this invoice, to carry to the next one: never negative. */
  creditCarriedForwardCents: number;
}

export interface BuildInvoiceInput {
  /** The client's entries for this invoice (all of one client): uninvoiced, or already claimed by `invoiceId`. */
  entries: LedgerEntry[];
  /** The invoice being built, when its entries were claimed for it before (close-period stamps and reads in one step). */
  invoiceId?: string;
  /** Credit balance carried forward from earlier invoices, >= 0. */
  creditBalanceCents: number;
  /** Campaign names for line descriptions, by campaign id. */
  campaignNames?: Record<string, string>;
}

/** Line order on the invoice: charges first, then adjustments, then dispute credits. */
const KIND_ORDER: Record<LedgerKind, number> = {
  retainer: 0,
  lead_charge: 1,
  acquisition_charge: 2,
  revshare_charge: 3,
  adjustment: 4,
  dispute_credit: 5,
};

const KIND_LABEL: Record<LedgerKind, string> = {
  retainer: "Monthly retainer",
  lead_charge: "Qualified leads",
  acquisition_charge: "Acquisitions",
  revshare_charge: "Revenue share",
  adjustment: "Adjustments",
  dispute_credit: "Dispute credit",
};

const RETAINER_KEY_RE = /^retainer:[^:]+:(\d{4}-\d{2})$/;

/**
 * Groups entries into lines — by (kind, campaignId), except dispute credits: one line per dispute —
 * and applies the carried credit balance:
 *
 *   s = subtotal, c = creditBalance
 *   creditApplied = min(c, max(s, 0))
 *   total         = max(s, 0) − creditApplied          (>= 0)
 *   carried       = c − creditApplied + max(−s, 0)      (>= 0)
 *
 * so that total − carried = s − c always, and at most one of total / carried is positive.
 */
export function buildInvoice(input: BuildInvoiceInput): InvoiceDraft {
  const { entries, creditBalanceCents } = input;
  const names = input.campaignNames ?? {};
  assertNonNegativeCents(creditBalanceCents, "credit balance");

  const clientIds = new Set(entries.map((e) => e.clientId));
  if (clientIds.size > 1) {
    throw new DomainError("VALIDATION_FAILED", "an invoice covers one client; entries of several clients were given", {
      details: { clientIds: [...clientIds] },
    });
  }
  const seen = new Set<string>();
  for (const e of entries) {
    assertCents(e.amountCents, `ledger entry ${e.id} amount`);
    if (e.invoiceId !== null && e.invoiceId !== input.invoiceId) {
      throw new DomainError("CONFLICT", `ledger entry ${e.id} is already on invoice ${e.invoiceId}`, {
        details: { entryId: e.id, invoiceId: e.invoiceId },
      });
    }
    if (seen.has(e.id)) throw new DomainError("VALIDATION_FAILED", `ledger entry ${e.id} given twice`);
    seen.add(e.id);
  }

  const ordered = [...entries].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );

  const groups = new Map<string, LedgerEntry[]>();
  for (const e of ordered) {
    const key =
      e.kind === "dispute_credit" && e.disputeId !== null
        ? `dispute_credit|dispute|${e.disputeId}`
        : `${e.kind}|campaign|${e.campaignId ?? ""}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }

  const lines = [...groups.values()].map((group) => toLine(group, names));
  // Stable order: by kind, then by first appearance (Map preserves insertion = createdAt order).
  lines.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);

  const subtotalCents = sumCents(lines.map((l) => l.amountCents));
  const positive = Math.max(subtotalCents, 0);
  const creditAppliedCents = Math.min(creditBalanceCents, positive);
  const totalCents = positive - creditAppliedCents;
  const creditCarriedForwardCents = creditBalanceCents - creditAppliedCents + Math.max(-subtotalCents, 0);

  return { lines, subtotalCents, creditAppliedCents, totalCents, creditCarriedForwardCents };
}

function toLine(group: LedgerEntry[], names: Record<string, string>): InvoiceLineDraft {
  const first = group[0]!;
  const amounts = group.map((e) => e.amountCents);
  const allEqual = amounts.every((a) => a === first.amountCents);
  const leadIds = new Set(group.map((e) => e.leadId));
  const leadId = leadIds.size === 1 ? first.leadId : null;
  const disputeId = first.kind === "dispute_credit" ? first.disputeId : null;
  return {
    kind: first.kind,
    campaignId: first.campaignId,
    disputeId,
    leadId,
    description: describe(group, names),
    quantity: group.length,
    unitAmountCents: allEqual ? first.amountCents : null,
    amountCents: sumCents(amounts),
    entryIds: group.map((e) => e.id),
  };
}

function describe(group: LedgerEntry[], names: Record<string, string>): string {
  const first = group[0]!;
  const label = KIND_LABEL[first.kind];
  if (first.kind === "retainer") return describeRetainers(group);
  const campaign = first.campaignId === null ? null : (names[first.campaignId] ?? `campaign ${first.campaignId}`);
  return campaign === null ? label : `${label} — ${campaign}`;
}

/** "Monthly retainer — 2026-11, 2026-12": the periods of whole-month retainer entries, from their keys. */
export function describeRetainers(group: Pick<LedgerEntry, "idempotencyKey">[]): string {
  const label = KIND_LABEL.retainer;
  const periods = group.map((e) => RETAINER_KEY_RE.exec(e.idempotencyKey)?.[1]).filter((p): p is string => p !== undefined);
  return periods.length === group.length ? `${label} — ${periods.join(", ")}` : label;
}

/**
 * Sequential invoice number per client: formatInvoiceNumber("INV", 7) === "INV-0007";
 * a client slug works too: formatInvoiceNumber("acme-roofing", 12) === "ACME-ROOFING-0012".
 * Numbers beyond 9999 keep all their digits.
 */
export function formatInvoiceNumber(clientSlugOrPrefix: string, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new DomainError("VALIDATION_FAILED", `invoice sequence must be a positive integer, got ${seq}`);
  }
  const prefix = clientSlugOrPrefix
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (prefix.length === 0) {
    throw new DomainError("VALIDATION_FAILED", `invoice number prefix must contain a letter or digit, got "${clientSlugOrPrefix}"`);
  }
  return `${prefix}-${String(seq).padStart(4, "0")}`;
}

const INVOICE_TRANSITIONS: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  draft: ["issued", "void"],
  issued: ["paid", "void"],
  paid: [],
  void: [],
};

export function canTransitionInvoice(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return INVOICE_TRANSITIONS[from]?.includes(to) ?? false;
}

/** draft→issued, draft→void, issued→paid, issued→void; anything else throws INVALID_TRANSITION. Returns `to`. */
export function transitionInvoice(from: InvoiceStatus, to: InvoiceStatus): InvoiceStatus {
  if (!canTransitionInvoice(from, to)) {
    throw new DomainError("INVALID_TRANSITION", `an invoice cannot go from ${from} to ${to}`, {
      details: { entity: "invoice", from, to },
    });
  }
  return to;
}
