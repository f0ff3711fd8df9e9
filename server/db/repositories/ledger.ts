import { and, eq, ne, sql, type SQL } from "drizzle-orm";
import type { LedgerKind } from "../../domain/billing/ledger";
import type { BillingReadRepository, InvoiceLineEntry, InvoiceLineRecord, InvoiceReadExtras, InvoiceRecord, LedgerAppend, StoredLedgerEntry } from "../../domain/billing/ports";
import type { InvoiceStatus } from "../../domain/billing/invoice";
import { query, type DbOrTx } from "../client";
import { clients, invoices } from "../schema";
import { CLIENT_COLUMNS, toClient, type BillingClientRow } from "./billing-client";
import { findVersionInForce } from "./contracts";

/**
 * Ledger and invoice rows as plain objects, the one append statement (`on conflict
 * (idempotency_key) do nothing`) and the billing read side. Plain SQL: the statements stay visible.
 */

/**
 * Untyped rows, for the repositories not moved to typed rows yet (invoices.ts): each row is read
 * by the typed mappers below. New code calls `query<Row>` from ../client.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mappers type each row
export const rows = (db: DbOrTx, q: SQL): Promise<any[]> => query<object>(db, q);

const date = (v: string | null | undefined) => (v === null || v === undefined ? null : new Date(v));

/** A ledger_entries row (ENTRY_COLUMNS). */
export interface LedgerEntryRow {
  id: string;
  client_id: string;
  kind: LedgerKind;
  amount_cents: number;
  lead_id: string | null;
  campaign_id: string | null;
  dispute_id: string | null;
  contract_version_id: string | null;
  period: string;
  invoice_id: string | null;
  idempotency_key: string;
  actor: string;
  memo: string | null;
  created_at: string;
}

/** An invoices row (`select *`). */
export interface InvoiceRow {
  id: string;
  client_id: string;
  number: number;
  period: string;
  status: InvoiceStatus;
  currency: string;
  subtotal_cents: number;
  credit_applied_cents: number;
  total_cents: number;
  credit_carried_forward_cents: number;
  issued_at: string | null;
  paid_at: string | null;
  voided_at: string | null;
  void_reason: string | null;
  payment_terms_days: number | null;
  due_date: string | null;
  bill_to: unknown;
  created_by: string;
  created_at: string;
}

/** An invoice_lines row (`select *`). */
interface InvoiceLineRow {
  id: string;
  invoice_id: string;
  position: number;
  kind: LedgerKind;
  campaign_id: string | null;
  dispute_id: string | null;
  description: string;
  quantity: number;
  unit_amount_cents: number | null;
  amount_cents: number;
  ledger_entry_ids: string[] | null;
}

/** A uuid[] parameter as ONE bound value (drizzle would expand a JS array into a list of parameters). */
export function uuidArray(ids: string[]): SQL {
  return sql`${`{${ids.join(",")}}`}::uuid[]`;
}

const ENTRY_TABLE_COLUMNS = ["id", "client_id", "kind", "amount_cents", "lead_id", "campaign_id", "dispute_id", "contract_version_id", "period", "idempotency_key", "actor", "memo", "created_at"];

/**
 * An entry with the invoice that billed it, read `from ${ENTRY_FROM}`: membership lives in
 * invoice_entries, not in the ledger row (docs/decisions/027-invoice-membership-by-queue-and-link.md).
 */
export const ENTRY_COLUMNS = sql.raw(`${ENTRY_TABLE_COLUMNS.map((c) => `e.${c}`).join(", ")}, ie.invoice_id`);
export const ENTRY_FROM = sql.raw("ledger_entries e left join invoice_entries ie on ie.ledger_entry_id = e.id");

export function toEntry(r: LedgerEntryRow): StoredLedgerEntry {
  return {
    id: r.id,
    clientId: r.client_id,
    kind: r.kind,
    amountCents: Number(r.amount_cents),
    leadId: r.lead_id ?? null,
    campaignId: r.campaign_id ?? null,
    disputeId: r.dispute_id ?? null,
    contractVersionId: r.contract_version_id ?? null,
    period: r.period,
    invoiceId: r.invoice_id ?? null,
    idempotencyKey: r.idempotency_key,
    actor: r.actor,
    memo: r.memo ?? null,
    createdAt: new Date(r.created_at),
  };
}

export function toInvoice(r: InvoiceRow): InvoiceRecord {
  return {
    id: r.id,
    clientId: r.client_id,
    number: Number(r.number),
    period: r.period,
    status: r.status,
    currency: r.currency,
    subtotalCents: Number(r.subtotal_cents),
    creditAppliedCents: Number(r.credit_applied_cents),
    totalCents: Number(r.total_cents),
    creditCarriedForwardCents: Number(r.credit_carried_forward_cents),
    issuedAt: date(r.issued_at),
    paidAt: date(r.paid_at),
    voidedAt: date(r.voided_at),
    voidReason: r.void_reason ?? null,
    paymentTermsDays: r.payment_terms_days === null || r.payment_terms_days === undefined ? null : Number(r.payment_terms_days),
    dueDate: r.due_date ? String((r.due_date as unknown) instanceof Date ? (r.due_date as unknown as Date).toISOString().slice(0, 10) : r.due_date).slice(0, 10) : null,
    billTo: (r.bill_to as InvoiceRecord["billTo"]) ?? null,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
  };
}

/** What the invoice reads add to the row: the client's name and time zone, and the payment (invoice_payments p). */
const INVOICE_READ_EXTRAS = sql.raw(`c.name as client_name, c.timezone as client_timezone, p.reference as payment_reference, p.paid_at as payment_paid_at, p.recorded_by as payment_recorded_by`);

interface InvoiceReadExtrasRow {
  client_name: string;
  client_timezone: string;
  payment_reference: string | null;
  payment_paid_at: string | null;
  payment_recorded_by: string | null;
}

function invoiceReadExtras(r: InvoiceReadExtrasRow): InvoiceReadExtras {
  return {
    clientName: r.client_name,
    clientTimezone: r.client_timezone,
    payment: r.payment_reference ? { reference: r.payment_reference, paidAt: date(r.payment_paid_at)!, recordedBy: r.payment_recorded_by ?? "" } : null,
  };
}

export function toLine(r: InvoiceLineRow): InvoiceLineRecord {
  return {
    id: r.id,
    invoiceId: r.invoice_id,
    position: Number(r.position),
    kind: r.kind,
    campaignId: r.campaign_id ?? null,
    disputeId: r.dispute_id ?? null,
    description: r.description,
    quantity: Number(r.quantity),
    unitAmountCents: r.unit_amount_cents === null || r.unit_amount_cents === undefined ? null : Number(r.unit_amount_cents),
    amountCents: Number(r.amount_cents),
    ledgerEntryIds: r.ledger_entry_ids ?? [],
  };
}

const LEDGER_INSERT_COLUMNS = sql.raw("client_id, kind, amount_cents, lead_id, campaign_id, dispute_id, contract_version_id, period, idempotency_key, actor, memo, created_at");

/**
 * The one ledger insert every writer uses (period close, outcomes, credits, intake's charge), so
 * the columns and the ordering rule live here only. created_at is clock_timestamp(), not the
 * transaction's now(): entries appended by one transaction (a void, a re-priced win) keep their
 * order on invoices and in the ledger list. A repeated idempotency key inserts nothing.
 * `from` lets a statement take the lead id from a row it just inserted (intake: `l.id from l`);
 * a null entry with a false condition inserts nothing.
 */
export function ledgerInsert(e: LedgerAppend | null, from?: { leadId: SQL; from: SQL }): SQL {
  const leadId = from ? from.leadId : sql`${e?.leadId ?? null}::uuid`;
  return sql`insert into ledger_entries (${LEDGER_INSERT_COLUMNS})
    select ${e?.clientId ?? null}::uuid, ${e?.kind ?? null}::text, ${e?.amountCents ?? null}::bigint, ${leadId}, ${e?.campaignId ?? null}::uuid,
      ${e?.disputeId ?? null}::uuid, ${e?.contractVersionId ?? null}::uuid, ${e?.period ?? null}::text, ${e?.idempotencyKey ?? null}::text,
      ${e?.actor ?? null}::text, ${e?.memo ?? null}::text, clock_timestamp() ${from?.from ?? sql``}
    on conflict (idempotency_key) do nothing`;
}

/** Appends one entry; null when its idempotency key exists already (a repeat is a normal outcome). */
export async function appendLedgerEntry(db: DbOrTx, e: LedgerAppend): Promise<StoredLedgerEntry | null> {
  // A new entry is on no invoice yet.
  const r = await query<LedgerEntryRow>(db, sql`${ledgerInsert(e)} returning ${sql.raw(ENTRY_TABLE_COLUMNS.join(", "))}, null::uuid as invoice_id`);
  return r[0] ? toEntry(r[0]) : null;
}

export async function latestInvoice(db: DbOrTx, clientId: string, opts: { issuedOnly?: boolean } = {}): Promise<InvoiceRecord | null> {
  const statuses = opts.issuedOnly ? sql`status in ('issued', 'paid')` : sql`status <> 'void'`;
  const r = await query<InvoiceRow>(db, sql`select * from invoices where client_id = ${clientId} and ${statuses} order by number desc limit 1`);
  return r[0] ? toInvoice(r[0]) : null;
}

// eslint-disable-next-line max-lines-per-function -- one short method per port operation
export function billingReadRepository(db: DbOrTx): BillingReadRepository {
  return {
    async listInvoices(f) {
      const where: SQL[] = [sql`true`];
      if (f.clientId) where.push(sql`i.client_id = ${f.clientId}`);
      if (f.status) where.push(sql`i.status = ${f.status}`);
      if (f.period) where.push(sql`i.period = ${f.period}`);
      if (f.hideDrafts) where.push(sql`i.status <> 'draft'`);
      if (f.after) where.push(sql`(i.created_at, i.id) < (${f.after.createdAt.toISOString()}::timestamptz, ${f.after.id}::uuid)`);
      const r = await query<InvoiceRow & InvoiceReadExtrasRow>(
        db,
        sql`select i.*, ${INVOICE_READ_EXTRAS} from invoices i join clients c on c.id = i.client_id left join invoice_payments p on p.invoice_id = i.id
            where ${sql.join(where, sql` and `)} order by i.created_at desc, i.id desc limit ${f.limit}`,
      );
      return r.map((x) => ({ ...toInvoice(x), ...invoiceReadExtras(x) }));
    },
    async getInvoice(id) {
      const r = await query<InvoiceRow & InvoiceReadExtrasRow>(
        db,
        sql`select i.*, ${INVOICE_READ_EXTRAS} from invoices i join clients c on c.id = i.client_id left join invoice_payments p on p.invoice_id = i.id where i.id = ${id}`,
      );
      if (!r[0]) return null;
      const [lineRows, entryRows] = await Promise.all([
        query<InvoiceLineRow>(db, sql`select * from invoice_lines where invoice_id = ${id} order by position`),
        query<Pick<LedgerEntryRow, "id" | "kind" | "amount_cents" | "lead_id" | "dispute_id" | "idempotency_key" | "memo" | "created_at">>(
          db,
          sql`select e.id, e.kind, e.amount_cents, e.lead_id, e.dispute_id, e.idempotency_key, e.memo, e.created_at
              from invoice_lines l cross join unnest(l.ledger_entry_ids) as u(entry_id) join ledger_entries e on e.id = u.entry_id
              where l.invoice_id = ${id}`,
        ),
      ]);
      const byId = new Map<string, InvoiceLineEntry>(
        entryRows.map((e) => [
          e.id,
          {
            id: e.id,
            kind: e.kind,
            amountCents: Number(e.amount_cents),
            leadId: e.lead_id ?? null,
            disputeId: e.dispute_id ?? null,
            idempotencyKey: e.idempotency_key,
            memo: e.memo ?? null,
            createdAt: new Date(e.created_at),
          },
        ]),
      );
      return {
        ...toInvoice(r[0]),
        ...invoiceReadExtras(r[0]),
        lines: lineRows.map((l) => {
          const line = toLine(l);
          return { ...line, entries: line.ledgerEntryIds.map((eid) => byId.get(eid)).filter((e): e is InvoiceLineEntry => e !== undefined) };
        }),
      };
    },
    async listLedger(f) {
      const where: SQL[] = [sql`e.client_id = ${f.clientId}`];
      if (f.kind) where.push(sql`e.kind = ${f.kind}`);
      if (f.from) where.push(sql`e.created_at >= ${f.from.toISOString()}`);
      if (f.to) where.push(sql`e.created_at < ${f.to.toISOString()}`);
      if (f.uninvoicedOnly) where.push(sql`ie.invoice_id is null`);
      if (f.after) where.push(sql`(e.created_at, e.id) < (${f.after.createdAt.toISOString()}::timestamptz, ${f.after.id}::uuid)`);
      const r = await query<LedgerEntryRow>(db, sql`select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where ${sql.join(where, sql` and `)} order by e.created_at desc, e.id desc limit ${f.limit}`);
      return r.map(toEntry);
    },
    async uninvoicedTotals(clientId, opts = {}) {
      // The open entries are the client's uninvoiced_entries (plus, on request, those its drafts reserve).
      const drafts = opts.draftsAsUninvoiced
        ? sql`union all select ie.ledger_entry_id from invoice_entries ie join invoices i on i.id = ie.invoice_id where i.client_id = ${clientId} and i.status = 'draft'`
        : sql``;
      const r = await query<{ cents: number; n: number }>(
        db,
        sql`select coalesce(sum(e.amount_cents), 0)::bigint as cents, count(*)::int as n
            from (select ledger_entry_id from uninvoiced_entries where client_id = ${clientId} ${drafts}) o join ledger_entries e on e.id = o.ledger_entry_id`,
      );
      return { cents: Number(r[0]?.cents ?? 0), count: Number(r[0]?.n ?? 0) };
    },
    latestInvoice: (clientId, opts) => latestInvoice(db, clientId, opts),
    async clientExists(clientId) {
      return (await db.select({ id: clients.id }).from(clients).where(eq(clients.id, clientId))).length > 0;
    },
    async billingClient(clientId) {
      const r = await query<BillingClientRow>(db, sql`select ${CLIENT_COLUMNS} from clients c where c.id = ${clientId}`);
      return r[0] ? toClient(r[0]) : null;
    },
    async invoicedPeriods(clientId) {
      const r = await db
        .selectDistinct({ period: invoices.period })
        .from(invoices)
        .where(and(eq(invoices.clientId, clientId), ne(invoices.status, "void")))
        .orderBy(invoices.period);
      return r.map((x) => x.period);
    },
    versionInForce: (clientId, at) => findVersionInForce(db, clientId, at),
  };
}
