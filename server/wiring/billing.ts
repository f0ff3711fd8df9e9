import { invoicingStore } from "../db/repositories/invoices";
import { billingReadRepository } from "../db/repositories/ledger";
import { outcomeStore } from "../db/repositories/outcomes";
import type { Actor } from "../domain/auth/roles";
import { closablePeriod, closeDuePeriods, closePeriod, type ClosePeriodInput } from "../domain/billing/close-period";
import { issueInvoice, markInvoicePaid, voidInvoice, type MarkPaidInput, type VoidInvoiceInput } from "../domain/billing/invoice-actions";
import { addressLines, invoicePdf, type AgencyDetails } from "../domain/billing/invoice-pdf";
import { pdfkitInvoiceRenderer } from "../integrations/pdf/invoice-pdf";
import { getInvoice, invoiceCsv, ledgerBalance, listInvoices, listLedger, type ListInvoicesInput, type ListLedgerInput } from "../domain/billing/ledger-queries";
import { markOutcome, type MarkOutcomeInput, type OutcomeCaller } from "../domain/billing/mark-outcome";
import type { Wiring } from "./context";
import { markOutcomes, type MarkOutcomesInput } from "../domain/billing/mark-outcomes";

/** Outcomes (won/lost), period close, invoice actions and the ledger read side. */
export function billingUseCases({ config, db, clock }: Wiring) {
  const invoicing = () => ({ store: invoicingStore(db), clock });
  const reads = () => billingReadRepository(db);
  const agencyDetails: AgencyDetails = {
    name: config.AGENCY_NAME,
    legalName: config.AGENCY_LEGAL_NAME ?? null,
    address: addressLines(config.AGENCY_ADDRESS),
    taxId: config.AGENCY_TAX_ID ?? null,
    email: config.AGENCY_BILLING_EMAIL ?? null,
    paymentInstructions: config.AGENCY_PAYMENT_INSTRUCTIONS ?? null,
  };
  return {
    markOutcome: (caller: OutcomeCaller, input: MarkOutcomeInput) => markOutcome({ store: outcomeStore(db), clock }, caller, input),
    /** The inbox's bulk won/lost: markOutcome per lead. */
    markOutcomes: (caller: OutcomeCaller, input: MarkOutcomesInput) => markOutcomes({ store: outcomeStore(db), clock }, caller, input),
    closePeriod: (actor: Actor, input: ClosePeriodInput) => closePeriod(invoicing(), actor, input),
    closeDuePeriods: (actor: Actor) => closeDuePeriods(invoicing(), actor),
    closablePeriod: (actor: Actor, clientId: string) => closablePeriod(invoicing(), actor, { clientId }),
    issueInvoice: (actor: Actor, id: string) => issueInvoice(invoicing(), actor, { id }),
    markInvoicePaid: (actor: Actor, input: MarkPaidInput) => markInvoicePaid(invoicing(), actor, input),
    voidInvoice: (actor: Actor, input: VoidInvoiceInput) => voidInvoice(invoicing(), actor, input),
    listInvoices: (actor: Actor, input: ListInvoicesInput) => listInvoices(reads(), actor, input, clock.now()),
    getInvoice: (actor: Actor, id: string) => getInvoice(reads(), actor, id, clock.now()),
    invoiceCsv: (actor: Actor, id: string) => invoiceCsv(reads(), actor, id, clock.now()),
    /** The invoice as a PDF (pdfkit), with the agency's details from AGENCY_* settings. */
    invoicePdf: (actor: Actor, id: string) => invoicePdf({ repo: reads(), renderer: pdfkitInvoiceRenderer, agency: agencyDetails }, actor, id, clock.now()),
    listLedger: (actor: Actor, input: ListLedgerInput) => listLedger(reads(), actor, input),
    ledgerBalance: (actor: Actor, input: { clientId?: string }) => ledgerBalance(reads(), actor, input, clock.now()),
  };
}
