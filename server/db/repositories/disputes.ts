import type { LeadSignals } from "../../domain/signals/signals";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import type { LedgerKind } from "../../domain/billing/ledger";
import type { DisputeStatus } from "../../domain/billing/credit";
import type {
  DisputeDecision,
  DisputeReadRepository,
  DisputeRecord,
  DisputeStore,
  DisputeTx,
  DisputeView,
  EvidenceFiles,
  LeadForDispute,
  StatsRow,
} from "../../domain/disputes/ports";
import type { EarlierDuplicate, LeadSource } from "../../domain/qualification/lead-input";
import { query, type Db, type DbOrTx } from "../client";
import { auditLog } from "./audit";
import { intakeTx } from "./intake";
import { ledgerInsert } from "./ledger";
import { isUuid } from "../../domain/shared/formats";
import { disputes } from "../schema";

const date = (v: string | null | undefined) => (v === null || v === undefined ? null : new Date(v));
const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
const str = (v: string | null | undefined) => (v === null || v === undefined ? null : v);

/** A disputes row as `select *` / `returning *` gives it. */
interface DisputeRow {
  id: string;
  client_id: string;
  lead_id: string;
  contract_version_id: string | null;
  reason: string;
  note: string | null;
  evidence_path: string | null;
  evidence_content_type: string | null;
  evidence_filename: string | null;
  status: DisputeStatus;
  opened_by: string | null;
  opened_at: string;
  due_at: string;
  decision: DisputeDecision | null;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  credit_cents: number | null;
  credit_entry_id: string | null;
  request_key: string | null;
}

/** A dispute with the names the lists show (the VIEW statement below). */
interface DisputeViewRow extends DisputeRow {
  client_name: string;
  lead_name: string | null;
  lead_source: LeadSource;
  lead_received_at: string;
  campaign_id: string;
  campaign_name: string;
  opened_by_email: string | null;
  resolved_by_email: string | null;
}

function toRecord(r: DisputeRow): DisputeRecord {
  return {
    id: r.id,
    clientId: r.client_id,
    leadId: r.lead_id,
    contractVersionId: str(r.contract_version_id),
    reason: r.reason,
    note: str(r.note),
    evidencePath: str(r.evidence_path),
    evidenceContentType: str(r.evidence_content_type),
    evidenceFilename: str(r.evidence_filename),
    status: r.status,
    openedBy: str(r.opened_by),
    openedAt: new Date(r.opened_at),
    dueAt: new Date(r.due_at),
    decision: r.decision ?? null,
    resolutionNote: str(r.resolution_note),
    resolvedBy: str(r.resolved_by),
    resolvedAt: date(r.resolved_at),
    creditCents: num(r.credit_cents),
    creditEntryId: str(r.credit_entry_id),
    requestKey: str(r.request_key),
  };
}

function toView(r: DisputeViewRow): DisputeView {
  const d = toRecord(r);
  return {
    id: d.id,
    clientId: d.clientId,
    clientName: r.client_name,
    leadId: d.leadId,
    leadName: str(r.lead_name),
    leadSource: r.lead_source,
    leadReceivedAt: new Date(r.lead_received_at),
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    contractVersionId: d.contractVersionId,
    reason: d.reason,
    note: d.note,
    status: d.status,
    openedAt: d.openedAt,
    openedBy: d.openedBy ? { id: d.openedBy, email: r.opened_by_email ?? "" } : null,
    dueAt: d.dueAt,
    decision: d.decision,
    resolutionNote: d.resolutionNote,
    resolvedBy: r.resolved_by_email ?? d.resolvedBy,
    resolvedAt: d.resolvedAt,
    creditCents: d.creditCents,
    creditEntryId: d.creditEntryId,
    evidence: d.evidencePath && d.evidenceContentType ? { contentType: d.evidenceContentType, filename: d.evidenceFilename, url: `/api/disputes/${d.id}/evidence` } : null,
  };
}

function toEarlierDuplicate(v: unknown): EarlierDuplicate | null {
  if (!v || typeof v !== "object") return null;
  const o = v as { leadId?: unknown; matchedOn?: unknown; receivedAt?: unknown };
  if (typeof o.leadId !== "string" || (o.matchedOn !== "phone" && o.matchedOn !== "email") || typeof o.receivedAt !== "string") return null;
  return { leadId: o.leadId, matchedOn: o.matchedOn, receivedAt: new Date(o.receivedAt) };
}

interface LeadForDisputeRow {
  id: string;
  client_id: string;
  campaign_id: string;
  source: LeadSource;
  received_at: string;
  phone: string | null;
  email: string | null;
  contract_version_id: string | null;
  call_conversation_seconds: number | null;
  earlier_duplicate: unknown;
  signals: unknown;
  timezone: string;
  currency: string;
}

/** Data access inside one dispute transaction (see DisputeTx): plain SQL, one statement per step. */
// eslint-disable-next-line max-lines-per-function -- one short method per port operation
export function disputeTx(db: DbOrTx): DisputeTx {
  return {
    audit: auditLog(db),
    async lockClientDisputes(clientId) {
      await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`disputes|${clientId}`}, 0))`);
    },
    async findLead(leadId): Promise<LeadForDispute | null> {
      const r = await query<LeadForDisputeRow>(
        db,
        sql`select l.id, l.client_id, l.campaign_id, l.source, l.received_at, l.phone, l.email, l.contract_version_id, l.call_conversation_seconds,
              l.judgement_evidence -> 'facts' -> 'earlierDuplicate' as earlier_duplicate, l.judgement_evidence -> 'input' -> 'signals' as signals, c.timezone, c.currency
            from leads l join clients c on c.id = l.client_id where l.id = ${leadId}`,
      );
      const l = r[0];
      if (!l) return null;
      return {
        id: l.id,
        clientId: l.client_id,
        campaignId: l.campaign_id,
        source: l.source,
        receivedAt: new Date(l.received_at),
        phone: str(l.phone),
        email: str(l.email),
        contractVersionId: str(l.contract_version_id),
        callConversationSeconds: num(l.call_conversation_seconds),
        storedEarlierDuplicate: toEarlierDuplicate(l.earlier_duplicate),
        storedSignals: l.signals && typeof l.signals === "object" ? (l.signals as LeadSignals) : null,
        clientTimezone: l.timezone,
        clientCurrency: l.currency,
      };
    },
    findVersionById: (id) => intakeTx(db).findVersionById(id),
    async findByRequestKey(clientId, requestKey) {
      const r = await query<DisputeRow>(db, sql`select * from disputes where client_id = ${clientId} and request_key = ${requestKey}`);
      return r[0] ? toRecord(r[0]) : null;
    },
    async findLatestForLead(leadId) {
      const r = await query<DisputeRow>(db, sql`select * from disputes where lead_id = ${leadId} order by (status = 'open') desc, opened_at desc, created_at desc limit 1`);
      return r[0] ? toRecord(r[0]) : null;
    },
    async leadLedger(leadId) {
      const r = await query<{ kind: LedgerKind; amount_cents: number; dispute_id: string | null }>(
        db,
        sql`select kind, amount_cents, dispute_id from ledger_entries where lead_id = ${leadId} order by created_at, id`,
      );
      return r.map((e) => ({ kind: e.kind, amountCents: Number(e.amount_cents), disputeId: str(e.dispute_id) }));
    },
    async periodReturnCounts(clientId, bounds, excludeLeadId) {
      const start = bounds.start.toISOString();
      const end = bounds.end.toISOString();
      const r = await query<{ returned: number; billable: number }>(
        db,
        sql`select
              (select count(distinct d.lead_id) from disputes d join leads l on l.id = d.lead_id
                where d.client_id = ${clientId} and d.lead_id <> ${excludeLeadId}
                  and d.status in ('open', 'approved', 'partially_approved', 'auto_approved')
                  and l.received_at >= ${start} and l.received_at < ${end})::int as returned,
              (select count(*) from leads where client_id = ${clientId} and billable and received_at >= ${start} and received_at < ${end})::int as billable`,
      );
      return { returnedLeads: Number(r[0]?.returned ?? 0), billableLeads: Number(r[0]?.billable ?? 0) };
    },
    async findEarlierLeadSharingContact(clientId, contact, range, excludeLeadId) {
      if (!contact.phone && !contact.email) return null;
      const r = await query<{ id: string; received_at: string; matched: "phone" | "email" }>(
        db,
        sql`select id, received_at, case when ${contact.phone}::text is not null and phone = ${contact.phone} then 'phone' else 'email' end as matched
            from leads
            where client_id = ${clientId} and id <> ${excludeLeadId} and not is_test
              and received_at >= ${range.since.toISOString()} and received_at < ${range.before.toISOString()}
              and ((${contact.phone}::text is not null and phone = ${contact.phone}) or (${contact.email}::text is not null and email = ${contact.email}))
            order by received_at desc, id limit 1`,
      );
      const d = r[0];
      return d ? { leadId: d.id, matchedOn: d.matched, receivedAt: new Date(d.received_at) } : null;
    },
    async insert(d) {
      const r = await query<DisputeRow>(
        db,
        sql`insert into disputes (client_id, lead_id, contract_version_id, reason, note, opened_by, opened_at, due_at, request_key)
            values (${d.clientId}, ${d.leadId}, ${d.contractVersionId}, ${d.reason}, ${d.note}, ${d.openedBy}, ${d.openedAt.toISOString()}, ${d.dueAt.toISOString()}, ${d.requestKey})
            on conflict do nothing returning *`,
      );
      return r[0] ? toRecord(r[0]) : null;
    },
    async lockForDecision(id) {
      const r = await query<DisputeRow>(db, sql`select * from disputes where id = ${id} for update`);
      return r[0] ? toRecord(r[0]) : null;
    },
    async saveDecision(id, p) {
      const r = await query<DisputeRow>(
        db,
        sql`update disputes set status = ${p.status}, decision = ${JSON.stringify(p.decision)}::jsonb, resolution_note = ${p.resolutionNote},
              resolved_by = ${p.resolvedBy}, resolved_at = ${p.resolvedAt.toISOString()}, credit_cents = ${p.creditCents}, credit_entry_id = ${p.creditEntryId}
            where id = ${id} and status = 'open' returning *`,
      );
      return r[0] ? toRecord(r[0]) : null;
    },
    async appendCredit(e) {
      const inserted = await query<{ id: string }>(db, sql`${ledgerInsert(e)} returning id`);
      if (inserted[0]) return inserted[0].id;
      const existing = await query<{ id: string }>(db, sql`select id from ledger_entries where idempotency_key = ${e.idempotencyKey}`);
      return existing[0]!.id;
    },
    async setEvidence(id, e) {
      const r = await query<DisputeRow>(
        db,
        sql`update disputes set evidence_path = ${e.path}, evidence_content_type = ${e.contentType}, evidence_filename = ${e.filename}
            where id = ${id} and status = 'open' returning *`,
      );
      return r[0] ? toRecord(r[0]) : null;
    },
  };
}

const VIEW = sql`select d.*, c.name as client_name, l.name as lead_name, l.source as lead_source, l.received_at as lead_received_at,
    l.campaign_id, cp.name as campaign_name, ou.email as opened_by_email, ru.email as resolved_by_email
  from disputes d
  join clients c on c.id = d.client_id
  join leads l on l.id = d.lead_id
  join campaigns cp on cp.id = l.campaign_id
  left join users ou on ou.id = d.opened_by
  left join users ru on ru.id::text = d.resolved_by`;

// eslint-disable-next-line max-lines-per-function -- one short method per port operation
export function disputeReadRepository(db: DbOrTx): DisputeReadRepository {
  return {
    async list(f) {
      const where: SQL[] = [sql`true`];
      if (f.clientId) where.push(sql`d.client_id = ${f.clientId}`);
      if (f.status) where.push(sql`d.status = ${f.status}`);
      if (f.reason) where.push(sql`d.reason = ${f.reason}`);
      if (f.campaignId) where.push(sql`l.campaign_id = ${f.campaignId}`);
      const order =
        f.order === "queue"
          ? sql`order by d.due_at asc, d.id asc`
          : sql`order by d.opened_at desc, d.id desc`;
      if (f.after) {
        where.push(
          f.order === "queue"
            ? sql`(d.due_at, d.id) > (${f.after.at.toISOString()}::timestamptz, ${f.after.id}::uuid)`
            : sql`(d.opened_at, d.id) < (${f.after.at.toISOString()}::timestamptz, ${f.after.id}::uuid)`,
        );
      }
      const r = await query<DisputeViewRow>(db, sql`${VIEW} where ${sql.join(where, sql` and `)} ${order} limit ${f.limit}`);
      return r.map(toView);
    },
    async get(id) {
      const r = await query<DisputeViewRow>(db, sql`${VIEW} where d.id = ${id}`);
      return r[0] ? toView(r[0]) : null;
    },
    async timeline(id) {
      // Events of one transaction share created_at; the opening always comes first.
      const r = await query<{ created_at: string; actor_label: string; action: string; before: unknown; after: unknown }>(
        db,
        sql`select created_at, actor_label, action, before, after from audit_events
            where entity_type = 'dispute' and entity_id = ${id}
            order by created_at, (action = 'dispute.opened') desc, action`,
      );
      return r.map((e) => ({ at: new Date(e.created_at), actor: e.actor_label, action: e.action, before: e.before ?? null, after: e.after ?? null }));
    },
    async evidenceFile(id) {
      const [e] = await db
        .select({ path: disputes.evidencePath, contentType: disputes.evidenceContentType, filename: disputes.evidenceFilename })
        .from(disputes)
        .where(and(eq(disputes.id, id), isNotNull(disputes.evidencePath)));
      return e ? { path: e.path!, contentType: e.contentType!, filename: str(e.filename) } : null;
    },
    async openDue(now, limit, after) {
      const r = await query<{ id: string; due_at: string }>(
        db,
        sql`select id, due_at from disputes
            where status = 'open' and due_at <= ${now.toISOString()}
              ${after ? sql`and (due_at, id) > (${after.dueAt.toISOString()}::timestamptz, ${after.id}::uuid)` : sql``}
            order by due_at, id limit ${limit}`,
      );
      return r.map((d) => ({ id: d.id, dueAt: new Date(d.due_at) }));
    },
    async stats(range, clientId) {
      const from = range.from.toISOString();
      const to = range.to.toISOString();
      const r = await query<{ campaign_id: string; campaign_name: string; source: LeadSource; reason: string | null; billable_leads: number; disputes: number; approved: number }>(
        db,
        sql`with l as (
              select id, campaign_id, source, billable from leads
              where not is_test and received_at >= ${from} and received_at < ${to} ${clientId ? sql`and client_id = ${clientId}` : sql``}
            )
            select l.campaign_id, cp.name as campaign_name, l.source, null::text as reason,
                   (count(*) filter (where l.billable))::int as billable_leads, 0 as disputes, 0 as approved
              from l join campaigns cp on cp.id = l.campaign_id
              group by l.campaign_id, cp.name, l.source
            union all
            select l.campaign_id, cp.name, l.source, d.reason, 0, count(*)::int,
                   (count(*) filter (where d.status in ('approved', 'partially_approved', 'auto_approved')))::int
              from disputes d join l on l.id = d.lead_id join campaigns cp on cp.id = l.campaign_id
              where d.status <> 'withdrawn'
              group by l.campaign_id, cp.name, l.source, d.reason`,
      );
      return r.map(
        (s): StatsRow => ({
          campaignId: s.campaign_id,
          campaignName: s.campaign_name,
          source: s.source,
          reason: str(s.reason),
          billableLeads: Number(s.billable_leads),
          disputes: Number(s.disputes),
          approved: Number(s.approved),
        }),
      );
    },
  };
}

export function disputeStore(db: Db): DisputeStore {
  return { transaction: (fn) => db.transaction((tx) => fn(disputeTx(tx))), reads: disputeReadRepository(db) };
}

/** Evidence bytes on disk under `<dataDir>/evidence/<disputeId>/<random>`; the database keeps the relative path. */
export function evidenceFiles(dataDir: string): EvidenceFiles {
  const root = path.resolve(dataDir);
  const absolute = (rel: string) => {
    const p = path.resolve(root, rel);
    if (!p.startsWith(root + path.sep)) throw new Error(`evidence path ${rel} is outside ${root}`);
    return p;
  };
  return {
    async save(disputeId, body) {
      if (!isUuid(disputeId)) throw new Error(`not a dispute id: ${disputeId}`);
      const rel = path.posix.join("evidence", disputeId.toLowerCase(), randomBytes(16).toString("hex"));
      const file = absolute(rel);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, body, { flag: "wx", mode: 0o600 });
      return rel;
    },
    async read(rel) {
      try {
        return await readFile(absolute(rel));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
    async remove(rel) {
      await rm(absolute(rel), { force: true });
    },
  };
}
