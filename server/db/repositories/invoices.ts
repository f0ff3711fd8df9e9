import { sql } from "drizzle-orm";
import type { InvoicePayment, InvoicingStore, InvoicingTx } from "../../domain/billing/ports";
import type { Db, DbOrTx } from "../client";
import { auditLog } from "./audit";
import { CLIENT_COLUMNS, toClient } from "./billing-client";
import { findVersionInForce } from "./contracts";
import { appendLedgerEntry, ENTRY_COLUMNS, latestInvoice, rows, toEntry, toInvoice, uuidArray } from "./ledger";

/** Period close, invoice status moves and voids: the data access of one transaction (see InvoicingTx). */

export function invoicingTx(db: DbOrTx): InvoicingTx {
  return {
    async lockClientInvoicing(clientId) {
      await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invoicing|${clientId}`}, 0))`);
    },
    async findClient(clientId) {
      const r = await rows(db, sql`select ${CLIENT_COLUMNS} from clients c where c.id = ${clientId}`);
      return r[0] ? toClient(r[0]) : null;
    },
    findVersionInForce: (clientId, at) => findVersionInForce(db, clientId, at),
    async findOpenPeriodInvoice(clientId, period) {
      const r = await rows(db, sql`select * from invoices where client_id = ${clientId} and period = ${period} and status <> 'void'`);
      return r[0] ? toInvoice(r[0]) : null;
    },
    latestInvoice: (clientId) => latestInvoice(db, clientId),
    async nextInvoiceNumber(clientId) {
      const r = await rows(db, sql`select coalesce(max(number), 0) + 1 as n from invoices where client_id = ${clientId}`);
      return Number(r[0]?.n ?? 1);
    },
    async claimUninvoicedEntries(invoiceId, clientId, throughPeriod) {
      // One set-based statement: the client's queued entries of the period and before leave
      // uninvoiced_entries and join the invoice; the ledger rows themselves are never written
      // (docs/decisions/027-invoice-membership-by-queue-and-link.md). An entry committed after this
      // statement's snapshot stays queued for the next close. No order by: buildInvoice orders the
      // entries itself, and the memory is for the hash join back to the ledger rows.
      await db.execute(sql`set local work_mem = '64MB'`);
      const r = await rows(
        db,
        sql`with queued as (
              delete from uninvoiced_entries where client_id = ${clientId} and period <= ${throughPeriod}
              returning ledger_entry_id),
            claimed as (
              insert into invoice_entries (ledger_entry_id, invoice_id) select ledger_entry_id, ${invoiceId}::uuid from queued
              returning ledger_entry_id, invoice_id)
            select ${ENTRY_COLUMNS} from claimed ie join ledger_entries e on e.id = ie.ledger_entry_id`,
      );
      return r.map(toEntry);
    },
    async campaignNames(clientId) {
      const r = await rows(db, sql`select id, name from campaigns where client_id = ${clientId}`);
      return Object.fromEntries(r.map((c) => [c.id as string, c.name as string]));
    },
    appendLedger: (entry) => appendLedgerEntry(db, entry),
    async insertInvoice(i) {
      const r = await rows(
        db,
        sql`insert into invoices (client_id, number, period, status, currency, subtotal_cents, credit_applied_cents, total_cents, credit_carried_forward_cents, issued_at, created_by,
                                  payment_terms_days, due_date, bill_to)
            values (${i.clientId}, ${i.number}, ${i.period}, ${i.status}, ${i.currency}, ${i.subtotalCents}, ${i.creditAppliedCents}, ${i.totalCents},
                    ${i.creditCarriedForwardCents}, ${i.issuedAt ? i.issuedAt.toISOString() : null}, ${i.createdBy},
                    ${i.paymentTermsDays ?? null}, ${i.dueDate ?? null}::date, ${i.billTo ? JSON.stringify(i.billTo) : null}::jsonb)
            returning *`,
      );
      return toInvoice(r[0]!);
    },
    async insertLines(invoiceId, lines) {
      // 10 parameters a line: insert in chunks to stay far below PostgreSQL's 65 535 parameters.
      for (let i = 0; i < lines.length; i += 1000) {
        const values = lines.slice(i, i + 1000).map(
          (l) =>
            sql`(${invoiceId}, ${l.position}, ${l.kind}, ${l.campaignId}, ${l.disputeId}, ${l.description}, ${l.quantity}, ${l.unitAmountCents}, ${l.amountCents}, ${uuidArray(l.ledgerEntryIds)})`,
        );
        await db.execute(
          sql`insert into invoice_lines (invoice_id, position, kind, campaign_id, dispute_id, description, quantity, unit_amount_cents, amount_cents, ledger_entry_ids)
              values ${sql.join(values, sql`, `)}`,
        );
      }
    },
    async stampEntries(invoiceId, clientId, entryIds) {
      if (entryIds.length === 0) return 0;
      const r = await db.execute(
        sql`with queued as (
              delete from uninvoiced_entries where client_id = ${clientId} and ledger_entry_id = any(${uuidArray(entryIds)})
              returning ledger_entry_id)
            insert into invoice_entries (ledger_entry_id, invoice_id) select ledger_entry_id, ${invoiceId}::uuid from queued`,
      );
      return r.rowCount ?? 0;
    },
    async lockInvoice(id) {
      const r = await rows(db, sql`select * from invoices where id = ${id} for update`);
      return r[0] ? toInvoice(r[0]) : null;
    },
    async invoicedEntries(invoiceId) {
      const r = await rows(db, sql`select ${ENTRY_COLUMNS} from invoice_entries ie join ledger_entries e on e.id = ie.ledger_entry_id where ie.invoice_id = ${invoiceId} order by e.created_at, e.id`);
      return r.map(toEntry);
    },
    async setInvoiceAmounts(id, a) {
      const r = await rows(
        db,
        sql`update invoices set subtotal_cents = ${a.subtotalCents}, credit_applied_cents = ${a.creditAppliedCents}, total_cents = ${a.totalCents},
              credit_carried_forward_cents = ${a.creditCarriedForwardCents}
            where id = ${id} returning *`,
      );
      return toInvoice(r[0]!);
    },
    async updateInvoice(id, patch) {
      const iso = (d: Date | null | undefined) => (d === undefined ? undefined : d === null ? null : d.toISOString());
      const sets = [
        patch.status !== undefined ? sql`status = ${patch.status}` : null,
        patch.issuedAt !== undefined ? sql`issued_at = ${iso(patch.issuedAt)}` : null,
        patch.paidAt !== undefined ? sql`paid_at = ${iso(patch.paidAt)}` : null,
        patch.voidedAt !== undefined ? sql`voided_at = ${iso(patch.voidedAt)}` : null,
        patch.voidReason !== undefined ? sql`void_reason = ${patch.voidReason}` : null,
        patch.paymentTermsDays !== undefined ? sql`payment_terms_days = ${patch.paymentTermsDays}` : null,
        patch.dueDate !== undefined ? sql`due_date = ${patch.dueDate}::date` : null,
        patch.billTo !== undefined ? sql`bill_to = ${patch.billTo ? JSON.stringify(patch.billTo) : null}::jsonb` : null,
      ].filter((x) => x !== null);
      const r = await rows(db, sql`update invoices set ${sql.join(sets, sql`, `)} where id = ${id} returning *`);
      return toInvoice(r[0]!);
    },
    async insertPayment(p) {
      const r = await rows(
        db,
        sql`insert into invoice_payments (invoice_id, client_id, amount_cents, reference, recorded_by, paid_at)
            values (${p.invoiceId}, ${p.clientId}, ${p.amountCents}, ${p.reference}, ${p.recordedBy}, ${p.paidAt.toISOString()})
            on conflict (invoice_id) do nothing returning *`,
      );
      return r[0] ? toPayment(r[0]) : null;
    },
    findPayment: (invoiceId) => findPayment(db, invoiceId),
    audit: auditLog(db),
  };
}

export async function findPayment(db: DbOrTx, invoiceId: string): Promise<InvoicePayment | null> {
  const r = await rows(db, sql`select * from invoice_payments where invoice_id = ${invoiceId}`);
  return r[0] ? toPayment(r[0]) : null;
}

function toPayment(r: Record<string, unknown>): InvoicePayment {
  return {
    id: r.id as string,
    invoiceId: r.invoice_id as string,
    clientId: r.client_id as string,
    amountCents: Number(r.amount_cents),
    reference: r.reference as string,
    recordedBy: r.recorded_by as string,
    paidAt: new Date(r.paid_at as string),
    createdAt: new Date(r.created_at as string),
  };
}

export function invoicingStore(db: Db): InvoicingStore {
  return {
    transaction: (fn) => db.transaction((tx) => fn(invoicingTx(tx))),
    async activeClients() {
      const r = await rows(db, sql`select ${CLIENT_COLUMNS} from clients c where c.status = 'active' order by c.created_at, c.id`);
      return r.map(toClient);
    },
    async hasAnyInvoice(clientId, period) {
      return (await rows(db, sql`select 1 from invoices where client_id = ${clientId} and period = ${period} limit 1`)).length > 0;
    },
  };
}
