import { sql, type SQL } from "drizzle-orm";
import { formatInvoiceNumber, type InvoiceStatus } from "../../domain/billing/invoice";
import type { LeadDetail, LeadReadRepository, LeadSummary } from "../../domain/leads/read-leads";
import type { Verdict } from "../../domain/qualification/verdict";
import type { DbOrTx } from "../client";
import { intakeTx } from "./intake";
import { attributionFilter, leadAttribution } from "./attribution";
import type { LeadPurgeRepository } from "../../domain/leads/purge-test-leads";
import { LEAD_CHARGE_KINDS } from "../../domain/billing/ledger";
import { sqlTextList } from "../sql-values";
import { QUALITY_BANDS } from "../../domain/signals/quality";
import { isUuid } from "../../domain/shared/formats";

type Row = Record<string, unknown>;
/** The score ranges of the quality bands (server/domain/signals/quality.ts). */
const QUALITY_RANGES = { good: [QUALITY_BANDS.good, 100], fair: [QUALITY_BANDS.fair, QUALITY_BANDS.good - 1], poor: [0, QUALITY_BANDS.fair - 1] } as const;
const d = (v: unknown) => (v ? new Date(v as string) : null);

function toSummary(r: Row): LeadSummary {
  const verdict = r.verdict as Verdict | null;
  return {
    id: r.id as string,
    clientId: r.client_id as string,
    clientName: r.client_name as string,
    clientTimezone: r.client_timezone as string,
    campaignId: r.campaign_id as string,
    campaignName: r.campaign_name as string,
    source: r.source as LeadSummary["source"],
    status: r.status as LeadSummary["status"],
    outcome: (r.outcome as LeadSummary["outcome"]) ?? null,
    billable: (r.billable as boolean | null) ?? null,
    name: (r.name as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    zip: (r.zip as string | null) ?? null,
    receivedAt: new Date(r.received_at as string),
    reasonCodes: (verdict?.reasons ?? []).map((x) => x.code),
    reasons: (verdict?.reasons ?? []).map((x) => ({ code: x.code, message: x.message })),
    chargedCents: Number(r.charged_cents ?? 0),
    creditedCents: -Number(r.credited_cents ?? 0),
    disputeStatus: (r.dispute_status as string | null) ?? null,
    isTest: r.is_test === true,
    quality: verdict?.quality ? { score: verdict.quality.score, band: verdict.quality.band, summary: verdict.quality.summary } : null,
  };
}

const SELECT = sql`select l.*, c.name as client_name, c.timezone as client_timezone, cp.name as campaign_name,
  (select coalesce(sum(e.amount_cents), 0) from ledger_entries e where e.lead_id = l.id and e.kind in (${sqlTextList(LEAD_CHARGE_KINDS)}))::bigint as charged_cents,
  (select coalesce(sum(e.amount_cents), 0) from ledger_entries e where e.lead_id = l.id and e.kind = 'dispute_credit')::bigint as credited_cents,
  (select d.status from disputes d where d.lead_id = l.id order by d.opened_at desc limit 1) as dispute_status
  from leads l join clients c on c.id = l.client_id join campaigns cp on cp.id = l.campaign_id`;

/**
 * The inbox's page query: newest first on the (client_id, received_at desc, id desc) index, the
 * page after a cursor by a row comparison on the same key (keyset, never OFFSET), so the first page
 * and the thousandth cost the same. test/integration/leads-inbox-plan.test.ts checks the plan.
 */
export function leadListQuery(f: Parameters<LeadReadRepository["list"]>[0]): SQL {
  const where: SQL[] = [sql`l.is_test = ${f.test}`];
  if (f.clientId) where.push(sql`l.client_id = ${f.clientId}`);
  if (f.status) where.push(sql`l.status = ${f.status}`);
  if (f.outcome === "none") where.push(sql`l.outcome is null`);
  else if (f.outcome) where.push(sql`l.outcome = ${f.outcome}`);
  if (f.campaignId) where.push(sql`l.campaign_id = ${f.campaignId}`);
  if (f.source) where.push(sql`l.source = ${f.source}`);
  if (f.quality) {
    const [lo, hi] = QUALITY_RANGES[f.quality];
    where.push(sql`l.quality_score between ${lo} and ${hi}`);
  }
  if (f.from) where.push(sql`l.received_at >= ${f.from}`);
  if (f.to) where.push(sql`l.received_at < ${f.to}`);
  // A calendar day in the client's zone: local midnight = date::timestamp AT TIME ZONE tz. For one
  // client the zone is read once (an init plan), so the bound is a constant the index range uses.
  const zone = f.clientId ? sql`(select z.timezone from clients z where z.id = ${f.clientId})` : sql`c.timezone`;
  if (f.fromDate) where.push(sql`l.received_at >= (${f.fromDate}::date::timestamp at time zone ${zone})`);
  if (f.toDate) where.push(sql`l.received_at < ((${f.toDate}::date + 1)::timestamp at time zone ${zone})`);
  // Disputed leads are few: for one client, start from its disputes rather than walk its leads.
  if (f.disputed === true && f.clientId) where.push(sql`l.id in (select d.lead_id from disputes d where d.client_id = ${f.clientId})`);
  else if (f.disputed !== undefined) where.push(sql`${f.disputed ? sql`` : sql`not`} exists (select 1 from disputes d where d.lead_id = l.id)`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const digits = f.q.replace(/\D/g, "");
    where.push(
      sql`(l.name ilike ${like} or l.email ilike ${like}${digits.length >= 3 ? sql` or l.phone like ${`%${digits}%`}` : sql``})`,
    );
  }
  const byAttribution = attributionFilter(f);
  if (byAttribution) where.push(byAttribution);
  if (f.after) where.push(sql`(l.received_at, l.id) < (${f.after.receivedAt.toISOString()}::timestamptz, ${f.after.id}::uuid)`);
  // "nulls last" as the index is declared: a plain "desc" means nulls first, which that index cannot
  // give, and PostgreSQL would read and sort every lead of the client (neither column is ever null).
  return sql`${SELECT} where ${sql.join(where, sql` and `)} order by l.received_at desc nulls last, l.id desc nulls last limit ${f.limit}`;
}

export function leadReadRepository(db: DbOrTx): LeadReadRepository {
  return {
    async list(f) {
      const r = await db.execute(leadListQuery(f));
      return (r.rows as Row[]).map(toSummary);
    },
    async get(id) {
      const r = await db.execute(sql`${SELECT} where l.id = ${id}`);
      const row = r.rows[0] as Row | undefined;
      if (!row) return null;
      const [versionRows, chargeRows, attribution] = await Promise.all([
        row.contract_version_id ? db.execute(sql`select id, version, effective_from from contract_versions where id = ${row.contract_version_id as string}`) : Promise.resolve({ rows: [] }),
        db.execute(sql`select e.id, e.kind, e.amount_cents, e.created_at, ie.invoice_id, e.dispute_id, i.status as invoice_status, i.number as invoice_number
          from ledger_entries e left join invoice_entries ie on ie.ledger_entry_id = e.id left join invoices i on i.id = ie.invoice_id
          where e.lead_id = ${id} order by e.created_at, e.id`),
        leadAttribution(db, id),
      ]);
      const v = versionRows.rows[0] as Row | undefined;
      const named = ((row.verdict as Verdict | null)?.reasons ?? [])
        .map((x) => (x.code === "DUPLICATE" ? (x.observed as { leadId?: unknown } | null)?.leadId : undefined))
        .filter((x): x is string => typeof x === "string" && isUuid(x));
      const related = named.length
        ? ((await db.execute(sql`select id, name, phone, received_at from leads where client_id = ${row.client_id as string} and id in (${sql.join(named.map((x) => sql`${x}::uuid`), sql`, `)})`)).rows as Row[])
        : [];
      const detail: LeadDetail = {
        ...toSummary(row),
        state: (row.state as string | null) ?? null,
        city: (row.city as string | null) ?? null,
        fields: (row.fields as Record<string, unknown>) ?? {},
        rawPayload: row.raw_payload,
        consent: row.consent ?? null,
        verdict: (row.verdict as Verdict | null) ?? null,
        judgedAt: d(row.judged_at),
        contractVersion: v ? { id: v.id as string, version: Number(v.version), effectiveFrom: new Date(v.effective_from as string) } : null,
        outcomeValueCents: row.outcome_value_cents === null || row.outcome_value_cents === undefined ? null : Number(row.outcome_value_cents),
        outcomeAt: d(row.outcome_at),
        attribution: attribution ? { ...attribution, summary: "" } : null,
        call:
          row.source === "call"
            ? {
                callSid: (row.call_sid as string | null) ?? null,
                from: (row.call_from as string | null) ?? null,
                conversationSeconds: (row.call_conversation_seconds as number | null) ?? null,
                dialStatus: (row.call_dial_status as string | null) ?? null,
                hasRecording: Boolean(row.recording_sid),
                recordingDurationSeconds: (row.recording_duration_seconds as number | null) ?? null,
                recordingNote: (row.recording_note as string | null) ?? null,
                screening: (row.call_screening as string | null) ?? null,
              }
            : null,
        charges: (chargeRows.rows as Row[]).map((c) => ({
          id: c.id as string,
          kind: c.kind as string,
          amountCents: Number(c.amount_cents),
          createdAt: new Date(c.created_at as string),
          invoiceId: (c.invoice_id as string | null) ?? null,
          invoice: c.invoice_id ? { status: c.invoice_status as InvoiceStatus, number: formatInvoiceNumber("INV", Number(c.invoice_number)) } : null,
          disputeId: (c.dispute_id as string | null) ?? null,
        })),
        relatedLeads: related.map((x) => ({ id: x.id as string, name: (x.name as string | null) ?? null, phone: (x.phone as string | null) ?? null, receivedAt: new Date(x.received_at as string) })),
      };
      return detail;
    },
    async evidence(id) {
      const r = await db.execute(sql`select client_id, verdict, judgement_evidence, contract_version_id from leads where id = ${id}`);
      const row = r.rows[0] as Row | undefined;
      if (!row) return null;
      return {
        clientId: row.client_id as string,
        verdict: (row.verdict as Verdict | null) ?? null,
        evidence: (row.judgement_evidence as never) ?? null,
        contractVersionId: (row.contract_version_id as string | null) ?? null,
      };
    },
    findVersionById: (id) => intakeTx(db).findVersionById(id),
  };
}

/** The test-lead purge (server/domain/leads/purge-test-leads.ts). */
export function leadPurgeRepository(db: DbOrTx): LeadPurgeRepository {
  return {
    async deleteTestLeadsReceivedBefore(before, limit) {
      // Only test leads; one that somehow has a dispute or an alert is left alone rather than failing the batch.
      const r = await db.execute(sql`delete from leads where id in (
          select l.id from leads l
           where l.is_test and l.received_at < ${before.toISOString()}
             and not exists (select 1 from disputes d where d.lead_id = l.id)
             and not exists (select 1 from alerts a where a.lead_id = l.id)
           limit ${limit})`);
      return r.rowCount ?? 0;
    },
  };
}
