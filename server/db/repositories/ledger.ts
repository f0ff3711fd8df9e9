import { sql, type SQL } from "drizzle-orm";
import type { LedgerKind } from "../../domain/billing/ledger";
import type { BillingReadRepository, InvoiceLineEntry, InvoiceLineRecord, InvoiceReadExtras, InvoiceRecord, LedgerAppend, StoredLedgerEntry } from "../../domain/billing/ports";
import type { InvoiceStatus } from "../../domain/billing/invoice";
import type { DbOrTx } from "../client";
import { CLIENT_COLUMNS, toClient } from "./billing-client";
import { findVersionInForce } from "./contracts";

/**
 * Ledger and invoice rows as plain objects, the one append statement (`on conflict
 * (idempotency_key) do nothing`) and the billing read side. Plain SQL: the statements stay visible.
 */

export type Row = Record<string, unknown>;

export async function rows(db: DbOrTx, q: SQL): Promise<Row[]> {
  return (await db.execute(q)).rows as Row[];
}

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

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

export function toEntry(r: Row): StoredLedgerEntry {
  return {
    id: r.id as string,
    clientId: r.client_id as string,
    kind: r.kind as LedgerKind,
    amountCents: Number(r.amount_cents),
    leadId: (r.lead_id as string | null) ?? null,
    campaignId: (r.campaign_id as string | null) ?? null,
    disputeId: (r.dispute_id as string | null) ?? null,
    contractVersionId: (r.contract_version_id as string | null) ?? null,
    period: r.period as string,
    invoiceId: (r.invoice_id as string | null) ?? null,
    idempotencyKey: r.idempotency_key as string,
    actor: r.actor as string,
    memo: (r.memo as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
  };
}

export function toInvoice(r: Row): InvoiceRecord {
  return {
    id: r.id as string,
    clientId: r.client_id as string,
    number: Number(r.number),
    period: r.period as string,
    status: r.status as InvoiceStatus,
    currency: r.currency as string,
    subtotalCents: Number(r.subtotal_cents),
    creditAppliedCents: Number(r.credit_applied_cents),
    totalCents: Number(r.total_cents),
    creditCarriedForwardCents: Number(r.credit_carried_forward_cents),
    issuedAt: date(r.issued_at),
    paidAt: date(r.paid_at),
    voidedAt: date(r.voided_at),
    voidReason: (r.void_reason as string | null) ?? null,
    paymentTermsDays: r.payment_terms_days === null || r.payment_terms_days === undefined ? null : Number(r.payment_terms_days),
    dueDate: r.due_date ? String(r.due_date instanceof Date ? r.due_date.toISOString().slice(0, 10) : r.due_date).slice(0, 10) : null,
    billTo: (r.bill_to as InvoiceRecord["billTo"]) ?? null,
    createdBy: r.created_by as string,
    createdAt: new Date(r.created_at as string),
  };
}

/** What the invoice reads add to the row: the client's name and time zone, and the payment (invoice_payments p). */
const INVOICE_READ_EXTRAS = sql.raw(`c.name as client_name, c.timezone as client_timezone, p.reference as payment_reference, p.paid_at as payment_paid_at, p.recorded_by as payment_recorded_by`);

function invoiceReadExtras(r: Row): InvoiceReadExtras {
  return {
    clientName: r.client_name as string,
    clientTimezone: r.client_timezone as string,
    payment: r.payment_reference ? { reference: r.payment_reference as string, paidAt: date(r.payment_paid_at)!, recordedBy: r.payment_recorded_by as string } : null,
  };
}

export function toLine(r: Row): InvoiceLineRecord {
  return {
    id: r.id as string,
    invoiceId: r.invoice_id as string,
    position: Number(r.position),
    kind: r.kind as LedgerKind,
    campaignId: (r.campaign_id as string | null) ?? null,
    disputeId: (r.dispute_id as string | null) ?? null,
    description: r.description as string,
    quantity: Number(r.quantity),
    unitAmountCents: r.unit_amount_cents === null || r.unit_amount_cents === undefined ? null : Number(r.unit_amount_cents),
    amountCents: Number(r.amount_cents),
    ledgerEntryIds: (r.ledger_entry_ids as string[]) ?? [],
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
  const r = await rows(db, sql`${ledgerInsert(e)} returning ${sql.raw(ENTRY_TABLE_COLUMNS.join(", "))}, null::uuid as invoice_id`);
  return r[0] ? toEntry(r[0]) : null;
}

export async function latestInvoice(db: DbOrTx, clientId: string, opts: { issuedOnly?: boolean } = {}): Promise<InvoiceRecord | null> {
  const statuses = opts.issuedOnly ? sql`status in ('issued', 'paid')` : sql`status <> 'void'`;
  const r = await rows(db, sql`select * from invoices where client_id = ${clientId} and ${statuses} order by number desc limit 1`);
  return r[0] ? toInvoice(r[0]) : null;
}

export function billingReadRepository(db: DbOrTx): BillingReadRepository {
  return {
    async listInvoices(f) {
      const where: SQL[] = [sql`true`];
      if (f.clientId) where.push(sql`i.client_id = ${f.clientId}`);
      if (f.status) where.push(sql`i.status = ${f.status}`);
      if (f.period) where.push(sql`i.period = ${f.period}`);
      if (f.hideDrafts) where.push(sql`i.status <> 'draft'`);
      if (f.after) where.push(sql`(i.created_at, i.id) < (${f.after.createdAt.toISOString()}::timestamptz, ${f.after.id}::uuid)`);
      const r = await rows(
        db,
        sql`select i.*, ${INVOICE_READ_EXTRAS} from invoices i join clients c on c.id = i.client_id left join invoice_payments p on p.invoice_id = i.id
            where ${sql.join(where, sql` and `)} order by i.created_at desc, i.id desc limit ${f.limit}`,
      );
      return r.map((x) => ({ ...toInvoice(x), ...invoiceReadExtras(x) }));
    },
    async getInvoice(id) {
      const r = await rows(
        db,
        sql`select i.*, ${INVOICE_READ_EXTRAS} from invoices i join clients c on c.id = i.client_id left join invoice_payments p on p.invoice_id = i.id where i.id = ${id}`,
      );
      if (!r[0]) return null;
      const [lineRows, entryRows] = await Promise.all([
        rows(db, sql`select * from invoice_lines where invoice_id = ${id} order by position`),
        rows(
          db,
          sql`select e.id, e.kind, e.amount_cents, e.lead_id, e.dispute_id, e.idempotency_key, e.memo, e.created_at
              from invoice_lines l cross join unnest(l.ledger_entry_ids) as u(entry_id) join ledger_entries e on e.id = u.entry_id
              where l.invoice_id = ${id}`,
        ),
      ]);
      const byId = new Map<string, InvoiceLineEntry>(
        entryRows.map((e) => [
          e.id as string,
          {
            id: e.id as string,
            kind: e.kind as LedgerKind,
            amountCents: Number(e.amount_cents),
            leadId: (e.lead_id as string | null) ?? null,
            disputeId: (e.dispute_id as string | null) ?? null,
            idempotencyKey: e.idempotency_key as string,
            memo: (e.memo as string | null) ?? null,
            createdAt: new Date(e.created_at as string),
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
      const r = await rows(db, sql`select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where ${sql.join(where, sql` and `)} order by e.created_at desc, e.id desc limit ${f.limit}`);
      return r.map(toEntry);
    },
    async uninvoicedTotals(clientId, opts = {}) {
      // The open entries are the client's uninvoiced_entries (plus, on request, those its drafts reserve).
      const drafts = opts.draftsAsUninvoiced
        ? sql`union all select ie.ledger_entry_id from invoice_entries ie join invoices i on i.id = ie.invoice_id where i.client_id = ${clientId} and i.status = 'draft'`
        : sql``;
      const r = await rows(
        db,
        sql`select coalesce(sum(e.amount_cents), 0)::bigint as cents, count(*)::int as n
            from (select ledger_entry_id from uninvoiced_entries where client_id = ${clientId} ${drafts}) o join ledger_entries e on e.id = o.ledger_entry_id`,
      );
      return { cents: Number(r[0]?.cents ?? 0), count: Number(r[0]?.n ?? 0) };
    },
    latestInvoice: (clientId, opts) => latestInvoice(db, clientId, opts),
    async clientExists(clientId) {
      return (await rows(db, sql`select 1 from clients where id = ${clientId}`)).length > 0;
    },
    async billingClient(clientId) {
      const r = await rows(db, sql`select ${CLIENT_COLUMNS} from clients c where c.id = ${clientId}`);
      return r[0] ? toClient(r[0]) : null;
    },
    async invoicedPeriods(clientId) {
      const r = await rows(db, sql`select distinct period from invoices where client_id = ${clientId} and status <> 'void' order by period`);
      return r.map((x) => x.period as string);
    },
    versionInForce: (clientId, at) => findVersionInForce(db, clientId, at),
  };
}
