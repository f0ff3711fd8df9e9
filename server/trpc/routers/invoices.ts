import { closePeriodInput } from "../../domain/billing/close-period";
import { invoiceIdInput, markPaidInput, voidInvoiceInput } from "../../domain/billing/invoice-actions";
import { listInvoicesInput } from "../../domain/billing/ledger-queries";
import { agencyProcedure, authedProcedure, router } from "../init";

export const invoicesRouter = router({
  /** Agency: every client's invoices (or one client's); client users: their own only. Newest first. */
  list: authedProcedure.input(listInvoicesInput).query(({ ctx, input }) => ctx.deps.billing.listInvoices(ctx.actor, input)),
  /** The invoice with its lines, each with its ledger entries and lead ids. A foreign id is NOT_FOUND. */
  get: authedProcedure.input(invoiceIdInput).query(({ ctx, input }) => ctx.deps.billing.getInvoice(ctx.actor, input.id)),
  /** `{ filename, contentType, csv }` — one row per ledger entry, then subtotal / credit / total rows. */
  csv: authedProcedure.input(invoiceIdInput).query(({ ctx, input }) => ctx.deps.billing.invoiceCsv(ctx.actor, input.id)),
  /** `{ filename, contentType, base64 }` — the invoice as a PDF with both parties' details, due date and how to pay. */
  pdf: authedProcedure.input(invoiceIdInput).query(({ ctx, input }) => ctx.deps.billing.invoicePdf(ctx.actor, input.id)),
  /** Agency: close a client's billing period (default: last month in the client's time zone) into a draft (`draft: false` issues it at once); repeats return the same invoice. */
  close: agencyProcedure.input(closePeriodInput).mutation(({ ctx, input }) => ctx.deps.billing.closePeriod(ctx.actor, input)),
  /** Agency: the most recent month that can be closed for the client, or why none can yet and when the first one can. */
  closable: agencyProcedure.input(closePeriodInput.pick({ clientId: true })).query(({ ctx, input }) => ctx.deps.billing.closablePeriod(ctx.actor, input.clientId)),
  issue: agencyProcedure.input(invoiceIdInput).mutation(({ ctx, input }) => ctx.deps.billing.issueInvoice(ctx.actor, input.id)),
  /** Agency: the client paid in full; records the payment with its reference (a repeat with the same reference changes nothing). */
  markPaid: agencyProcedure.input(markPaidInput).mutation(({ ctx, input }) => ctx.deps.billing.markInvoicePaid(ctx.actor, input)),
  /** Reverses what the invoice billed (stamped onto it) and re-bills it for the next close; see ADR 004. */
  void: agencyProcedure.input(voidInvoiceInput).mutation(({ ctx, input }) => ctx.deps.billing.voidInvoice(ctx.actor, input)),
});
