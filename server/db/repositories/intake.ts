import { sql } from "drizzle-orm";
import type { ContractDocument, ContractVersion } from "../../domain/contracts/contract-document";
import type { IntakeStore, IntakeTx } from "../../domain/leads/ports";
import { executePrepared, type Db, type DbOrTx } from "../client";
import { isUuid } from "../../domain/shared/formats";
import { ledgerInsert } from "./ledger";
import { velocityCounter } from "./signals";
import { attributionInsertCte } from "./attribution";

type Row = Record<string, unknown>;

/**
 * Every intake statement has a fixed text, so each runs as a prepared statement (see
 * executePrepared); they name their columns, as a prepared `select *` breaks when a column is added.
 */
async function rows(db: DbOrTx, q: ReturnType<typeof sql>): Promise<Row[]> {
  const r = await executePrepared(db, q);
  return r.rows;
}

export function toContractVersion(r: Row): ContractVersion {
  return {
    id: r.id as string,
    contractId: r.contract_id as string,
    clientId: r.client_id as string,
    version: Number(r.version),
    effectiveFrom: new Date(r.effective_from as string),
    document: r.document as ContractDocument,
    createdAt: new Date(r.created_at as string),
  };
}

/**
 * Contract versions are immutable, so their parsed documents are cached by id: every lead judged
 * by a version shares one document object, which also keeps the rule engine's compiled form warm.
 */
const versionCache = new Map<string, ContractVersion>();
const VERSION_CACHE_MAX = 5_000;

async function cachedVersion(db: DbOrTx, id: string): Promise<ContractVersion | null> {
  const hit = versionCache.get(id);
  if (hit) return hit;
  const r = await rows(db, sql`select id, contract_id, client_id, version, effective_from, document, created_at from contract_versions where id = ${id}`);
  if (!r[0]) return null;
  const v = toContractVersion(r[0]);
  if (versionCache.size >= VERSION_CACHE_MAX) versionCache.delete(versionCache.keys().next().value!);
  versionCache.set(id, v);
  return v;
}

/**
 * The month-counter row a lead adds to: the first two hex digits of its (random) id, 0–255.
 * Spreading one client's leads over 256 rows keeps those that take no billing lock (flat price)
 * from queueing behind each other's commit on one row; readers sum the shards.
 */
export function counterShard(leadId: string): number {
  const shard = Number.parseInt(leadId.slice(0, 2), 16);
  return Number.isNaN(shard) ? 0 : shard;
}

/** The intake transaction's data access (see IntakeTx): plain SQL, one statement per step. */
export function intakeTx(db: DbOrTx): IntakeTx {
  return {
    ...velocityCounter(db),
    async lockContacts(clientId, keys) {
      if (keys.length === 0) return;
      const list = sql.join(keys.map((k) => sql`${k}`), sql`, `);
      await rows(db, sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from (select unnest(array[${list}]::text[]) as k order by 1) s`);
    },
    async lockContactsAndFindVersion(clientId, keys, at) {
      const list = keys.length ? sql.join(keys.map((k) => sql`${k}`), sql`, `) : null;
      const r = await rows(
        db,
        sql`select ${list ? sql`(select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from (select unnest(array[${list}]::text[]) as k order by 1) s)` : sql`0`} as locked,
                   (select id from contract_versions where client_id = ${clientId} and effective_from <= ${at.toISOString()} order by effective_from desc, version desc limit 1) as version_id`,
      );
      const id = r[0]?.version_id as string | null | undefined;
      return id ? cachedVersion(db, id) : null;
    },
    async lockClientBilling(clientId) {
      await rows(db, sql`select pg_advisory_xact_lock(hashtextextended(${`billing|${clientId}`}, 0))`);
    },
    async resolveCampaign(clientId, campaignId) {
      const r = campaignId
        ? isUuid(campaignId)
          ? await rows(db, sql`select id from campaigns where id = ${campaignId} and client_id = ${clientId}`)
          : []
        : await rows(db, sql`select id from campaigns where client_id = ${clientId} and is_default`);
      return (r[0]?.id as string | undefined) ?? null;
    },
    async findVersionInForce(clientId, at) {
      const r = await rows(
        db,
        sql`select id from contract_versions where client_id = ${clientId} and effective_from <= ${at.toISOString()} order by effective_from desc, version desc limit 1`,
      );
      return r[0] ? cachedVersion(db, r[0].id as string) : null;
    },
    findVersionById: (id) => cachedVersion(db, id),
    async findEarlierDuplicate(clientId, contact, since, excludeLeadId, isTest) {
      if (!contact.phone && !contact.email) return null;
      const r = await rows(
        db,
        sql`select id, received_at, matched from (
              (select id, received_at, 'phone' as matched from leads
                where ${contact.phone}::text is not null and client_id = ${clientId} and phone = ${contact.phone} and id <> ${excludeLeadId} and received_at >= ${since.toISOString()} and is_test = ${isTest} and (not is_test or status = 'qualified')
                order by received_at desc limit 1)
              union all
              (select id, received_at, 'email' as matched from leads
                where ${contact.email}::text is not null and client_id = ${clientId} and email = ${contact.email} and id <> ${excludeLeadId} and received_at >= ${since.toISOString()} and is_test = ${isTest} and (not is_test or status = 'qualified')
                order by received_at desc limit 1)
            ) d order by received_at desc limit 1`,
      );
      const d = r[0];
      return d ? { leadId: d.id as string, matchedOn: d.matched as "phone" | "email", receivedAt: new Date(d.received_at as string) } : null;
    },
    async monthToDate(clientId, period) {
      // At most 256 rows (the shards), whatever the month's volume (docs/decisions/016-tier-counter.md).
      const r = await rows(
        db,
        sql`select coalesce(sum(billable_leads), 0)::int as n, coalesce(sum(lead_charges_cents), 0)::bigint as c from billing_month_counters where client_id = ${clientId} and period = ${period}`,
      );
      return { billableLeads: Number(r[0]?.n ?? 0), leadChargesCents: Number(r[0]?.c ?? 0) };
    },
    async addToMonthCounter(leadId, clientId, period, chargedCents) {
      await rows(db, sql`insert into billing_month_counters (client_id, period, shard, billable_leads, lead_charges_cents) values (${clientId}, ${period}, ${counterShard(leadId)}, 1, ${chargedCents})
          on conflict (client_id, period, shard) do update set billable_leads = billing_month_counters.billable_leads + 1,
            lead_charges_cents = billing_month_counters.lead_charges_cents + excluded.lead_charges_cents`);
    },
    async insertLead(lead, v) {
      await rows(db, sql`with l as (insert into leads (
          id, client_id, campaign_id, form_id, api_key_id, tracking_number_id, source, status, name, phone, email, zip, state, city,
          fields, raw_payload, consent, call_sid, call_from, contract_version_id, verdict, judgement_evidence, qualified, billable, received_at, judged_at, is_test)
        values (
          ${lead.id}, ${lead.clientId}, ${lead.campaignId}, ${lead.formId ?? null}, ${lead.apiKeyId ?? null}, ${lead.trackingNumberId ?? null},
          ${lead.source}, ${v?.status ?? "received"}, ${lead.name}, ${lead.phone}, ${lead.email}, ${lead.zip}, ${lead.state}, ${lead.city},
          ${JSON.stringify(lead.fields)}::jsonb, ${JSON.stringify(lead.rawPayload ?? null)}::jsonb, ${lead.consent ? JSON.stringify(lead.consent) : null}::jsonb,
          ${lead.callSid ?? null}, ${lead.callFrom ?? null}, ${v?.contractVersionId ?? null},
          ${v ? JSON.stringify(v.verdict) : null}::jsonb, ${v ? JSON.stringify(v.evidence) : null}::jsonb,
          ${v ? v.verdict.qualified : null}, ${v ? v.billable : null}, ${lead.receivedAt.toISOString()}, ${v ? v.judgedAt.toISOString() : null}, ${lead.isTest === true})
        returning id),
        ${attributionInsertCte(lead.clientId, lead.attribution)}
        select 1`);
    },
    async insertJudgedLead(lead, v, charge, event, counted) {
      const c = charge;
      const r = await rows(
        db,
        sql`with l as (
            insert into leads (
              id, client_id, campaign_id, form_id, api_key_id, tracking_number_id, source, status, name, phone, email, zip, state, city,
              fields, raw_payload, consent, call_sid, call_from, contract_version_id, verdict, judgement_evidence, qualified, billable, received_at, judged_at, is_test)
            values (
              ${lead.id}, ${lead.clientId}, ${lead.campaignId}, ${lead.formId ?? null}, ${lead.apiKeyId ?? null}, ${lead.trackingNumberId ?? null},
              ${lead.source}, ${v.status}, ${lead.name}, ${lead.phone}, ${lead.email}, ${lead.zip}, ${lead.state}, ${lead.city},
              ${JSON.stringify(lead.fields)}::jsonb, ${JSON.stringify(lead.rawPayload ?? null)}::jsonb, ${lead.consent ? JSON.stringify(lead.consent) : null}::jsonb,
              ${lead.callSid ?? null}, ${lead.callFrom ?? null}, ${v.contractVersionId}, ${JSON.stringify(v.verdict)}::jsonb, ${JSON.stringify(v.evidence)}::jsonb,
              ${v.verdict.qualified}, ${v.billable}, ${lead.receivedAt.toISOString()}, ${v.judgedAt.toISOString()}, ${lead.isTest === true})
            returning id),
          e as (${ledgerInsert(c, { leadId: sql`l.id`, from: sql`from l where ${c !== null}` })} returning amount_cents),
          m as (
            insert into billing_month_counters (client_id, period, shard, billable_leads, lead_charges_cents)
            select ${lead.clientId}, ${counted?.period ?? null}::text, ${counterShard(lead.id)}::smallint, 1, coalesce((select amount_cents from e), 0)
              from l where ${counted !== null}
            on conflict (client_id, period, shard) do update set billable_leads = billing_month_counters.billable_leads + 1,
              lead_charges_cents = billing_month_counters.lead_charges_cents + excluded.lead_charges_cents),
          o as (
            insert into outbox_events (type, aggregate_id, client_id, payload)
            select ${event?.type ?? null}, l.id, ${event?.clientId ?? null}::uuid,
                   ${JSON.stringify(event?.payload ?? {})}::jsonb || jsonb_build_object('chargedCents', coalesce((select amount_cents from e), 0))
              from l where ${event !== null}
            on conflict (type, aggregate_id) do nothing returning id),
          ${attributionInsertCte(lead.clientId, lead.attribution)}
        select coalesce((select amount_cents from e), 0)::bigint as charged, (select count(pg_notify('leadledger_outbox', id::text)) from o)::int as notified`,
      );
      return { chargedCents: Number(r[0]?.charged ?? 0) };
    },
    async saveVerdict(leadId, v) {
      await rows(db, sql`update leads set status = ${v.status}, contract_version_id = ${v.contractVersionId}, verdict = ${JSON.stringify(v.verdict)}::jsonb,
          judgement_evidence = ${JSON.stringify(v.evidence)}::jsonb, qualified = ${v.verdict.qualified}, billable = ${v.billable}, judged_at = ${v.judgedAt.toISOString()}
        where id = ${leadId}`);
    },
    async appendLedger(e) {
      const r = await rows(db, sql`${ledgerInsert(e)} returning id`);
      return r.length > 0;
    },
    async emit(event) {
      await rows(db, sql`with ins as (
          insert into outbox_events (type, aggregate_id, client_id, payload) values (${event.type}, ${event.aggregateId}, ${event.clientId}, ${JSON.stringify(event.payload)}::jsonb)
          on conflict (type, aggregate_id) do nothing returning id)
        select pg_notify('leadledger_outbox', id::text) from ins`);
    },
    async claimIdempotencyKey(scope, key, requestHash) {
      const r = await rows(
        db,
        sql`insert into idempotency_records (scope, key, request_hash, response_status, response_body) values (${scope}, ${key}, ${requestHash}, 0, 'null'::jsonb)
            on conflict (scope, key) do nothing returning id`,
      );
      if (r.length > 0) return { claimed: true };
      const existing = await rows(db, sql`select request_hash, response_status, response_body from idempotency_records where scope = ${scope} and key = ${key}`);
      const e = existing[0]!;
      return {
        claimed: false,
        requestHash: e.request_hash as string,
        answer: Number(e.response_status) > 0 ? { status: Number(e.response_status), body: e.response_body } : null,
      };
    },
    async completeIdempotencyKey(scope, key, answer) {
      await rows(db, sql`update idempotency_records set response_status = ${answer.status}, response_body = ${JSON.stringify(answer.body)}::jsonb where scope = ${scope} and key = ${key}`);
    },
  };
}

export function intakeStore(db: Db): IntakeStore {
  return { transaction: (fn) => db.transaction((tx) => fn(intakeTx(tx))) };
}
