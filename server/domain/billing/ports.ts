import type { AuditLog } from "../audit/audit";
import type { ContractVersion } from "../contracts/contract-document";
import type { InvoiceStatus } from "./invoice";
import type { LedgerEntry, LedgerKind, NewLedgerEntry } from "./ledger";

/**
 * Ports of the billing use cases (outcomes, period close, invoice actions, ledger reads).
 * Implemented in server/db/repositories/{outcomes,invoices,ledger}.ts; every `*Tx` is bound to one
 * database transaction, opened by the matching `*Store.transaction`.
 */

/** A stored entry with the two columns the pure `LedgerEntry` does not carry. */
export interface StoredLedgerEntry extends LedgerEntry {
  /** The client's billing month (YYYY-MM, client time zone) the entry counts towards. */
  period: string;
  contractVersionId: string | null;
}

/** What is appended: an entry built by ledger.ts plus its period and contract version. */
export type LedgerAppend = NewLedgerEntry & { period: string; contractVersionId: string | null };

// ---------------------------------------------------------------------------------------------
// Outcomes (won / lost)

export interface LeadForOutcome {
  id: string;
  clientId: string;
  campaignId: string;
  status: "received" | "qualified" | "rejected";
  outcome: "won" | "lost" | null;
  outcomeValueCents: number | null;
  outcomeAt: Date | null;
  contractVersionId: string | null;
  /** Test leads have no outcome: they are never billed (docs/decisions/012-test-mode.md). */
  isTest: boolean;
  /** The client's time zone (billing periods) and currency (memos). */
  timezone: string;
  currency: string;
}

export interface OutcomeTx {
  /** The lead, row-locked until the transaction ends: outcomes of one lead never interleave. */
  lockLead(leadId: string): Promise<LeadForOutcome | null>;
  findVersionById(id: string): Promise<ContractVersion | null>;
  /** Every ledger entry linked to the lead, oldest first. */
  leadEntries(leadId: string): Promise<StoredLedgerEntry[]>;
  /** Appends with `on conflict (idempotency_key) do nothing`; null when the key already exists. */
  appendLedger(entry: LedgerAppend): Promise<StoredLedgerEntry | null>;
  setOutcome(leadId: string, outcome: { outcome: "won" | "lost"; valueCents: number | null; at: Date }): Promise<void>;
  audit: AuditLog;
}

export interface OutcomeStore {
  transaction<T>(fn: (tx: OutcomeTx) => Promise<T>): Promise<T>;
}

// ---------------------------------------------------------------------------------------------
// Invoices

export interface InvoiceRecord {
  id: string;
  clientId: string;
  number: number;
  period: string;
  status: InvoiceStatus;
  currency: string;
  subtotalCents: number;
  creditAppliedCents: number;
  totalCents: number;
  creditCarriedForwardCents: number;
  issuedAt: Date | null;
  paidAt: Date | null;
  voidedAt: Date | null;
  voidReason: string | null;
  /** Set when issued (payment-terms.ts): the client's terms then, the due date 'YYYY-MM-DD', the bill-to details then. */
  paymentTermsDays: number | null;
  dueDate: string | null;
  billTo: BillTo | null;
  createdBy: string;
  createdAt: Date;
}

/** Who the invoice is addressed to, as the client's details stood when it was issued. */
export interface BillTo {
  name: string;
  legalName: string | null;
  address: string | null;
  taxId: string | null;
}

/** The payment that settled an invoice: its own record; the ledger is never edited for it. */
export interface InvoicePayment {
  id: string;
  invoiceId: string;
  clientId: string;
  amountCents: number;
  reference: string;
  recordedBy: string;
  paidAt: Date;
  createdAt: Date;
}

export interface InvoiceLineRecord {
  id: string;
  invoiceId: string;
  position: number;
  kind: LedgerKind;
  campaignId: string | null;
  disputeId: string | null;
  description: string;
  quantity: number;
  unitAmountCents: number | null;
  amountCents: number;
  ledgerEntryIds: string[];
}

export type NewInvoice = Omit<InvoiceRecord, "id" | "createdAt" | "paidAt" | "voidedAt" | "voidReason" | "paymentTermsDays" | "dueDate" | "billTo"> &
  Partial<Pick<InvoiceRecord, "paymentTermsDays" | "dueDate" | "billTo">>;
export type NewInvoiceLine = Omit<InvoiceLineRecord, "id" | "invoiceId">;

export interface BillingClient {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  status: "active" | "paused" | "archived";
  legalName: string | null;
  billingAddress: string | null;
  taxId: string | null;
  paymentTermsDays: number;
  createdAt: Date;
  /** effectiveFrom of the client's first contract version (null while it has none). */
  firstContractAt: Date | null;
  /**
   * When a client that is not active now stopped being active: the latest audited status change
   * away from "active" (null for an active client). See docs/decisions/009.
   */
  deactivatedAt: Date | null;
}

export interface InvoicingTx {
  /** Serializes closes, voids and status moves of one client's invoices (a transaction-scoped advisory lock). */
  lockClientInvoicing(clientId: string): Promise<void>;
  findClient(clientId: string): Promise<BillingClient | null>;
  findVersionInForce(clientId: string, at: Date): Promise<ContractVersion | null>;
  /** The client's invoice for the period that is not void, if any. */
  findOpenPeriodInvoice(clientId: string, period: string): Promise<InvoiceRecord | null>;
  /** The client's non-void invoice with the highest number: the source of the carried credit balance. */
  latestInvoice(clientId: string): Promise<InvoiceRecord | null>;
  /** max(number) + 1 over all the client's invoices, void ones included (numbers are never reused). */
  nextInvoiceNumber(clientId: string): Promise<number>;
  /**
   * Puts every uninvoiced entry of the client whose period is <= `throughPeriod` on the invoice and
   * returns those entries (in no particular order) — in one statement, so what the invoice bills is exactly
   * what it claimed, even while new entries are being written.
   */
  claimUninvoicedEntries(invoiceId: string, clientId: string, throughPeriod: string): Promise<StoredLedgerEntry[]>;
  campaignNames(clientId: string): Promise<Record<string, string>>;
  appendLedger(entry: LedgerAppend): Promise<StoredLedgerEntry | null>;
  insertInvoice(invoice: NewInvoice): Promise<InvoiceRecord>;
  insertLines(invoiceId: string, lines: NewInvoiceLine[]): Promise<void>;
  /** Puts exactly these uninvoiced entries of the client on the invoice (a void's reversals); returns how many it put there. */
  stampEntries(invoiceId: string, clientId: string, entryIds: string[]): Promise<number>;
  /** The invoice, row-locked until the transaction ends. */
  lockInvoice(id: string): Promise<InvoiceRecord | null>;
  /** The entries on the invoice's lines (what it billed), oldest first. */
  invoicedEntries(invoiceId: string): Promise<StoredLedgerEntry[]>;
  /** The amounts of a just-closed invoice, known once its entries are claimed. */
  setInvoiceAmounts(id: string, amounts: Pick<InvoiceRecord, "subtotalCents" | "creditAppliedCents" | "totalCents" | "creditCarriedForwardCents">): Promise<InvoiceRecord>;
  updateInvoice(id: string, patch: Partial<Pick<InvoiceRecord, "status" | "issuedAt" | "paidAt" | "voidedAt" | "voidReason" | "paymentTermsDays" | "dueDate" | "billTo">>): Promise<InvoiceRecord>;
  /** Records the invoice's payment once (unique per invoice): null when it has one already. */
  insertPayment(p: Omit<InvoicePayment, "id" | "createdAt">): Promise<InvoicePayment | null>;
  findPayment(invoiceId: string): Promise<InvoicePayment | null>;
  audit: AuditLog;
}

export interface InvoicingStore {
  transaction<T>(fn: (tx: InvoicingTx) => Promise<T>): Promise<T>;
  /** Active clients, for the sweep. */
  activeClients(): Promise<BillingClient[]>;
  /** Whether the client has ever had an invoice for the period (void ones included). */
  hasAnyInvoice(clientId: string, period: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Reads

export interface InvoiceLineEntry {
  id: string;
  kind: LedgerKind;
  amountCents: number;
  leadId: string | null;
  disputeId: string | null;
  idempotencyKey: string;
  memo: string | null;
  createdAt: Date;
}

/** What invoice reads carry beside the row: whose it is, their time zone (for due/overdue), the payment. */
export interface InvoiceReadExtras {
  clientName: string;
  clientTimezone: string;
  payment: { reference: string; paidAt: Date; recordedBy: string } | null;
}

export interface InvoiceDetailRecord extends InvoiceRecord, InvoiceReadExtras {
  lines: (InvoiceLineRecord & { entries: InvoiceLineEntry[] })[];
}

export interface LedgerListFilter {
  clientId: string;
  kind?: LedgerKind;
  from?: Date;
  to?: Date;
  uninvoicedOnly?: boolean;
  after?: { createdAt: Date; id: string };
  limit: number;
}

export interface BillingReadRepository {
  /** `hideDrafts`: leave out draft invoices (what a client user may see). */
  listInvoices(filter: { clientId?: string; status?: InvoiceStatus; period?: string; hideDrafts?: boolean; after?: { createdAt: Date; id: string }; limit: number }): Promise<
    (InvoiceRecord & InvoiceReadExtras)[]
  >;
  getInvoice(id: string): Promise<InvoiceDetailRecord | null>;
  listLedger(filter: LedgerListFilter): Promise<StoredLedgerEntry[]>;
  /** Sum and count of the client's uninvoiced entries; `draftsAsUninvoiced` counts entries reserved by a draft as uninvoiced. */
  uninvoicedTotals(clientId: string, opts?: { draftsAsUninvoiced?: boolean }): Promise<{ cents: number; count: number }>;
  /** The latest non-void invoice; `issuedOnly` also leaves out drafts. */
  latestInvoice(clientId: string, opts?: { issuedOnly?: boolean }): Promise<InvoiceRecord | null>;
  clientExists(clientId: string): Promise<boolean>;
  billingClient(clientId: string): Promise<BillingClient | null>;
  /** Periods (YYYY-MM) that have a non-void invoice, draft or issued, oldest first. */
  invoicedPeriods(clientId: string): Promise<string[]>;
  versionInForce(clientId: string, at: Date): Promise<ContractVersion | null>;
}
