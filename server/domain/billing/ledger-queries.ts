import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { retainerProrationOf } from "../contracts/contract-document";
import { retainerForPeriod, serviceStart } from "./billable-periods";
import { invoiceView, serviceFactsOf, type InvoiceView } from "./close-period";
import { billingPeriodOf, nextPeriod, periodBounds, retainerFor } from "./pricing";
import { INVOICE_STATUSES } from "./invoice";
import { LEDGER_KINDS } from "./ledger";
import type { BillingReadRepository, InvoiceDetailRecord, InvoiceReadExtras, InvoiceRecord, StoredLedgerEntry } from "./ports";
import { paymentState, type PaymentState } from "./payment-terms";
import { billingPeriodField, isUuid } from "../shared/formats";
import { canReach, clientScope, isClientSide, requireAgency, requiredClientScope } from "../auth/scope";

/**
 * Read side of billing: invoices (both sides; a client user only ever reaches its own — a foreign
 * id answers INVOICE_NOT_FOUND), the CSV export, the ledger (agency) and the balance.
 *
 * A draft invoice is the agency's until it is issued: a client user does not see it in the list,
 * cannot open it or its CSV (INVOICE_NOT_FOUND, as for a foreign id), and its balance counts the
 * entries the draft reserves as not yet invoiced and ignores the draft's carried credit.
 */

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
}
function decodeCursor(c: string): { createdAt: Date; id: string } {
  const [t, id] = Buffer.from(c, "base64url").toString().split("|");
  const createdAt = new Date(t ?? "");
  if (!id || !isUuid(id) || Number.isNaN(createdAt.getTime())) {
    throw new DomainError("VALIDATION_FAILED", "The page cursor is not valid.", { issues: [{ path: ["cursor"], message: "is not a cursor from a previous page" }] });
  }
  return { createdAt, id };
}

// ---------------------------------------------------------------------------------------------
// Invoices

export const listInvoicesInput = z.object({
  clientId: z.uuid().optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  period: billingPeriodField.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type ListInvoicesInput = z.input<typeof listInvoicesInput>;

/** An invoice as people read it: its client, when it is due, whether it is late, how it was paid. */
export type InvoiceListItem = InvoiceView & InvoiceReadExtras & PaymentState;

function readView(r: InvoiceRecord & InvoiceReadExtras, now: Date): InvoiceListItem {
  return { ...invoiceView(r), clientName: r.clientName, clientTimezone: r.clientTimezone, payment: r.payment, ...paymentState(r, now, r.clientTimezone) };
}

/** Newest first; agency staff see every client's (or one client's) invoices, client users their own. */
export async function listInvoices(repo: BillingReadRepository, actor: Actor, raw: ListInvoicesInput, now: Date): Promise<{ items: InvoiceListItem[]; nextCursor: string | null }> {
  const input = parseInput(listInvoicesInput, raw);
  const rows = await repo.listInvoices({
    clientId: clientScope(actor, input.clientId),
    status: input.status,
    period: input.period,
    hideDrafts: isClientSide(actor),
    after: input.cursor ? decodeCursor(input.cursor) : undefined,
    limit: input.limit + 1,
  });
  const items = rows.slice(0, input.limit).map((r) => readView(r, now));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

export type InvoiceDetail = InvoiceListItem & {
  lines: (InvoiceDetailRecord["lines"][number] & { leadIds: string[] })[];
};

/** The invoice with its lines; every line lists its ledger entries and the leads behind them. */
export async function getInvoice(repo: BillingReadRepository, actor: Actor, id: string, now: Date): Promise<InvoiceDetail> {
  const invoice = isUuid(id) ? await repo.getInvoice(id) : null;
  if (!invoice || !canReach(actor, invoice.clientId) || (isClientSide(actor) && invoice.status === "draft")) {
    throw new DomainError("INVOICE_NOT_FOUND", "Invoice not found.");
  }
  return {
    ...readView(invoice, now),
    lines: invoice.lines.map((l) => ({ ...l, leadIds: [...new Set(l.entries.map((e) => e.leadId).filter((x): x is string => x !== null))] })),
  };
}

/** Decimal text of cents for spreadsheets: 125055 → "1250.55", -500 → "-5.00" (integer arithmetic). */
export function centsToDecimal(cents: number): string {
  const big = BigInt(cents);
  const abs = big < 0n ? -big : big;
  return `${big < 0n ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

export const CSV_COLUMNS = [
  "invoice",
  "period",
  "line",
  "description",
  "kind",
  "quantity",
  "unit_amount",
  "line_amount",
  "entry_id",
  "lead_id",
  "dispute_id",
  "entry_created_at",
  "entry_amount",
  "entry_amount_cents",
] as const;

/**
 * The invoice as CSV (csv-stringify): one row per ledger entry under its line, so both sides can
 * re-add every cent, then the subtotal, credit applied, total and carried-forward credit rows.
 */
export async function invoiceCsv(repo: BillingReadRepository, actor: Actor, id: string, now: Date): Promise<{ filename: string; contentType: string; csv: string }> {
  const inv = await getInvoice(repo, actor, id, now);
  const rows: (string | number)[][] = [];
  for (const line of inv.lines) {
    for (const e of line.entries) {
      rows.push([
        inv.displayNumber,
        inv.period,
        line.position,
        line.description,
        line.kind,
        line.quantity,
        line.unitAmountCents === null ? "" : centsToDecimal(line.unitAmountCents),
        centsToDecimal(line.amountCents),
        e.id,
        e.leadId ?? "",
        e.disputeId ?? "",
        e.createdAt.toISOString(),
        centsToDecimal(e.amountCents),
        e.amountCents,
      ]);
    }
  }
  const summary = (label: string, cents: number) => [inv.displayNumber, inv.period, "", label, "", "", "", centsToDecimal(cents), "", "", "", "", "", ""];
  rows.push(summary("Subtotal", inv.subtotalCents));
  rows.push(summary("Credit applied", -inv.creditAppliedCents));
  rows.push(summary(`Total due (${inv.currency}, ${inv.status})`, inv.totalCents));
  rows.push(summary("Credit carried forward", inv.creditCarriedForwardCents));
  const csv = stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
  return { filename: `${inv.displayNumber}-${inv.period}.csv`, contentType: "text/csv; charset=utf-8", csv };
}

// ---------------------------------------------------------------------------------------------
// Ledger

export const listLedgerInput = z.object({
  clientId: z.uuid(),
  kind: z.enum(LEDGER_KINDS).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  uninvoicedOnly: z.boolean().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListLedgerInput = z.input<typeof listLedgerInput>;

/** Agency: one client's ledger, newest first, filterable by kind, time (created_at in [from, to)) and invoicing. */
export async function listLedger(repo: BillingReadRepository, actor: Actor, raw: ListLedgerInput): Promise<{ items: StoredLedgerEntry[]; nextCursor: string | null }> {
  requireAgency(actor);
  const input = parseInput(listLedgerInput, raw);
  const rows = await repo.listLedger({
    clientId: input.clientId,
    kind: input.kind,
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? new Date(input.to) : undefined,
    uninvoicedOnly: input.uninvoicedOnly,
    after: input.cursor ? decodeCursor(input.cursor) : undefined,
    limit: input.limit + 1,
  });
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** A retainer no close has written yet, which the next invoice of its period will carry. */
export interface PendingRetainer {
  period: string;
  amountCents: number;
  /** True for a partial month (days / daysInMonth of the contract's retainer). */
  prorated: boolean;
  days: number;
  daysInMonth: number;
}

export interface LedgerBalance {
  clientId: string;
  /** Sum of the entries no invoice has picked up yet (what the next close starts from). */
  uninvoicedCents: number;
  uninvoicedEntries: number;
  /** Credit carried forward by the latest non-void invoice, applied on the next one. */
  creditBalanceCents: number;
  /**
   * Retainers the next closes will add: one per month from the month after the latest invoiced one
   * (or the client's first month) through the current month, priced and prorated exactly as a close
   * would (the version in force at the month's end, or now for the month in progress).
   */
  pendingRetainers: PendingRetainer[];
  pendingRetainerCents: number;
  /** uninvoiced + pending retainers − credit: what the next invoice would come to now (negative = more credit). */
  netCents: number;
}

/** The retainers not yet written, through the month containing `now` (see LedgerBalance). */
async function pendingRetainers(repo: BillingReadRepository, clientId: string, now: Date): Promise<PendingRetainer[]> {
  const client = await repo.billingClient(clientId);
  if (!client) return [];
  const facts = serviceFactsOf(client);
  const start = serviceStart(facts);
  if (!start || start.getTime() > now.getTime()) return [];
  const invoiced = await repo.invoicedPeriods(clientId);
  const latest = invoiced[invoiced.length - 1];
  const current = billingPeriodOf(now, client.timezone);
  const first = billingPeriodOf(start, client.timezone);
  const out: PendingRetainer[] = [];
  for (let period = latest && latest >= first ? nextPeriod(latest) : first; period <= current; period = nextPeriod(period)) {
    const end = periodBounds(period, client.timezone).end;
    const version = await repo.versionInForce(clientId, new Date(Math.min(end.getTime() - 1, now.getTime())));
    if (!version) continue;
    const share = retainerForPeriod({ period, fullCents: retainerFor(version.document.pricing), proration: retainerProrationOf(version.document.pricing), facts });
    if (share && share.amountCents > 0) {
      out.push({ period, amountCents: share.amountCents, prorated: share.prorated, days: share.days, daysInMonth: share.daysInMonth });
    }
  }
  return out;
}

export async function ledgerBalance(repo: BillingReadRepository, actor: Actor, raw: { clientId?: string }, now: Date): Promise<LedgerBalance> {
  const clientId = requiredClientScope(actor, raw.clientId);
  if (!isUuid(clientId) || !(await repo.clientExists(clientId))) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  const clientView = isClientSide(actor);
  const [open, latest, retainers] = await Promise.all([
    repo.uninvoicedTotals(clientId, { draftsAsUninvoiced: clientView }),
    repo.latestInvoice(clientId, { issuedOnly: clientView }),
    pendingRetainers(repo, clientId, now),
  ]);
  const credit = latest?.creditCarriedForwardCents ?? 0;
  const pendingRetainerCents = retainers.reduce((sum, r) => sum + r.amountCents, 0);
  return {
    clientId,
    uninvoicedCents: open.cents,
    uninvoicedEntries: open.count,
    creditBalanceCents: credit,
    pendingRetainers: retainers,
    pendingRetainerCents,
    netCents: open.cents + pendingRetainerCents - credit,
  };
}
