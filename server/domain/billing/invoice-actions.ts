import { z } from "zod";
import { actorLabel, type Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { invoiceView, ledgerActorOf, type InvoiceView, type InvoicingDeps } from "./close-period";
import { formatInvoiceNumber, transitionInvoice } from "./invoice";
import { adjustmentKey, assertValidEntry, reversalOf } from "./ledger";
import { billingPeriodOf } from "./pricing";
import type { InvoicePayment, InvoiceRecord, InvoicingTx, LedgerAppend, StoredLedgerEntry } from "./ports";
import { issueFields } from "./payment-terms";
import { isUuid } from "../shared/formats";
import { requireAgency } from "../auth/scope";

/**
 * Invoice status moves through the state machine in invoice.ts: draft → issued → paid | void,
 * draft → void. Every move is audited.
 *
 * Void never deletes and never un-stamps (the ledger trigger refuses it). Instead, for every entry
 * the invoice billed it appends, in the same transaction:
 *   - a reversing adjustment, stamped onto the voided invoice itself, so the void invoice nets to
 *     zero in the ledger and its amount is owed by nobody (`adjustment:void-reversal-<inv>-<entry>`);
 *   - a re-billing adjustment of the same amount, left uninvoiced, so what was really earned is
 *     billed again by the next close of that period (`adjustment:void-rebill-<inv>-<entry>`).
 * The ledger sum is unchanged by a void; corrections are separate entries (dispute credits,
 * reversals). Why not credit the reversals on the next invoice: the client never paid the voided
 * one, so a credit would pay them back money they never paid. See docs/decisions/004-ledger-reversals.md.
 *
 * The carried credit balance chains from invoice to invoice, so an invoice that used or produced
 * credit can only be voided while it is the client's latest non-void invoice.
 */

export const invoiceIdInput = z.object({ id: z.string().max(100) });
export const markPaidInput = z.object({
  id: z.string().max(100),
  /** The bank transfer, cheque or card payment reference, as on the agency's statement. */
  reference: z.string().trim().min(1, "is required: the payment's reference from your bank statement").max(120),
});
export type MarkPaidInput = z.input<typeof markPaidInput>;
export const voidInvoiceInput = z.object({ id: z.string().max(100), reason: z.string().trim().min(3, "give a reason of at least 3 characters").max(500) });
export type VoidInvoiceInput = z.input<typeof voidInvoiceInput>;

async function lockedInvoice(tx: InvoicingTx, id: string): Promise<InvoiceRecord> {
  const notFound = () => new DomainError("INVOICE_NOT_FOUND", "Invoice not found.");
  if (!isUuid(id)) throw notFound();
  const peek = await tx.lockInvoice(id);
  if (!peek) throw notFound();
  await tx.lockClientInvoicing(peek.clientId);
  // Re-read after the client lock: a void or close may have committed while we waited.
  const invoice = await tx.lockInvoice(id);
  if (!invoice) throw notFound();
  return invoice;
}

export async function issueInvoice(deps: InvoicingDeps, actor: Actor, raw: { id: string }): Promise<InvoiceView> {
  requireAgency(actor);
  const { id } = parseInput(invoiceIdInput, raw);
  return deps.store.transaction(async (tx) => {
    const invoice = await lockedInvoice(tx, id);
    const status = transitionInvoice(invoice.status, "issued");
    const client = await tx.findClient(invoice.clientId);
    if (!client) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
    const now = deps.clock.now();
    const after = await tx.updateInvoice(invoice.id, { status, issuedAt: now, ...issueFields(client, now) });
    await tx.audit.record(actor, { clientId: invoice.clientId, action: "invoice.issued", entityType: "invoice", entityId: invoice.id, before: { status: invoice.status }, after: { status, totalCents: after.totalCents } });
    return invoiceView(after);
  });
}

/**
 * Records that the client paid the invoice in full, with the payment's reference (agency staff).
 * The payment is its own row (invoice_payments, one per invoice) for the invoice's total; no ledger
 * entry changes and no amount moves. A repeat with the same reference answers as before
 * (`changed: false`); another reference for a paid invoice is a conflict.
 */
export async function markInvoicePaid(deps: InvoicingDeps, actor: Actor, raw: MarkPaidInput): Promise<InvoiceView & { payment: InvoicePayment | null; changed: boolean }> {
  requireAgency(actor);
  const { id, reference } = parseInput(markPaidInput, raw);
  return deps.store.transaction(async (tx) => {
    const invoice = await lockedInvoice(tx, id);
    if (invoice.status === "paid") {
      const payment = await tx.findPayment(invoice.id);
      if (!payment || payment.reference === reference) return { ...invoiceView(invoice), payment, changed: false };
      throw new DomainError("CONFLICT", `Invoice ${formatInvoiceNumber("INV", invoice.number)} is already marked paid, with reference "${payment.reference}".`, {
        issues: [{ path: ["reference"], message: `the invoice is already paid with reference "${payment.reference}"` }],
      });
    }
    const status = transitionInvoice(invoice.status, "paid");
    const now = deps.clock.now();
    const payment = await tx.insertPayment({ invoiceId: invoice.id, clientId: invoice.clientId, amountCents: invoice.totalCents, reference, recordedBy: actorLabel(actor), paidAt: now });
    if (!payment) throw new DomainError("CONFLICT", "The invoice was marked paid at the same moment; reload to see it.");
    const after = await tx.updateInvoice(invoice.id, { status, paidAt: now });
    await tx.audit.record(actor, {
      clientId: invoice.clientId,
      action: "invoice.paid",
      entityType: "invoice",
      entityId: invoice.id,
      before: { status: invoice.status },
      after: { status, totalCents: after.totalCents, reference, paymentId: payment.id },
    });
    return { ...invoiceView(after), payment, changed: true };
  });
}

export async function voidInvoice(deps: InvoicingDeps, actor: Actor, raw: VoidInvoiceInput): Promise<InvoiceView & { reversedCents: number; rebilledCents: number }> {
  requireAgency(actor);
  const { id, reason } = parseInput(voidInvoiceInput, raw);
  return deps.store.transaction(async (tx) => {
    const invoice = await lockedInvoice(tx, id);
    const status = transitionInvoice(invoice.status, "void");
    const latest = await tx.latestInvoice(invoice.clientId);
    const touchesCredit = invoice.creditAppliedCents !== 0 || invoice.totalCents !== invoice.subtotalCents || invoice.creditCarriedForwardCents !== 0;
    if (latest && latest.id !== invoice.id && touchesCredit) {
      throw new DomainError("CONFLICT", `Invoice ${formatInvoiceNumber("INV", invoice.number)} used or carried a credit balance that later invoices build on; void invoice ${formatInvoiceNumber("INV", latest.number)} first.`, {
        details: { invoiceId: invoice.id, latestInvoiceId: latest.id },
      });
    }
    const client = await tx.findClient(invoice.clientId);
    if (!client) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");

    const now = deps.clock.now();
    const label = formatInvoiceNumber("INV", invoice.number);
    const ledgerActor = ledgerActorOf(actor);
    const billed = await tx.invoicedEntries(invoice.id);
    const reversals: StoredLedgerEntry[] = [];
    let rebilledCents = 0;
    for (const e of billed) {
      const reversal: LedgerAppend = {
        ...assertValidEntry({
          ...reversalOf(e, `invoice ${label} voided: ${reason}`, ledgerActor),
          idempotencyKey: adjustmentKey(`void-reversal-${invoice.id}-${e.id}`),
        }),
        period: billingPeriodOf(now, client.timezone),
        contractVersionId: e.contractVersionId,
      };
      const stored = await tx.appendLedger(reversal);
      if (stored) reversals.push(stored);
      const rebill: LedgerAppend = {
        ...assertValidEntry({
          clientId: e.clientId,
          kind: "adjustment",
          amountCents: e.amountCents,
          leadId: e.leadId,
          campaignId: e.campaignId,
          disputeId: e.disputeId,
          idempotencyKey: adjustmentKey(`void-rebill-${invoice.id}-${e.id}`),
          actor: ledgerActor,
          memo: `re-bill of ${e.kind} ${e.idempotencyKey} from voided invoice ${label}: ${reason}`,
        }),
        period: e.period,
        contractVersionId: e.contractVersionId,
      };
      if (await tx.appendLedger(rebill)) rebilledCents += e.amountCents;
    }
    const stamped = await tx.stampEntries(invoice.id, invoice.clientId, reversals.map((r) => r.id));
    if (stamped !== reversals.length) throw new DomainError("CONFLICT", "The void's reversing entries could not be attached to the invoice; nothing was voided. Try again.");
    const after = await tx.updateInvoice(invoice.id, { status, voidedAt: now, voidReason: reason });
    const reversedCents = reversals.reduce((s, r) => s + r.amountCents, 0);
    await tx.audit.record(actor, {
      clientId: invoice.clientId,
      action: "invoice.voided",
      entityType: "invoice",
      entityId: invoice.id,
      before: { status: invoice.status, totalCents: invoice.totalCents },
      after: { status, reason, reversedEntries: reversals.length, reversedCents, rebilledCents },
    });
    return { ...invoiceView(after), reversedCents, rebilledCents };
  });
}
