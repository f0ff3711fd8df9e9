import { sql } from "drizzle-orm";
import type { AttemptRecord, ClaimResult, DeliveryRecord, DeliveryStatus, EndpointRecord, EventFacts, WebhookStore } from "../../domain/webhooks/ports";
import type { LeadFacts, WebhookEnvelope } from "../../domain/webhooks/payload";
import type { FieldMapping } from "../../domain/webhooks/inputs";
import { query, queryPrepared, type Db, type DbOrTx } from "../client";

/**
 * The outbox channel also carries single deliveries to try now (a replay, a test event): `w:<id>`
 * for a webhook delivery; the listener hands them to the in-process sender.
 */
export const DELIVERY_CHANNEL = "leadledger_outbox";
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | number | Date));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A webhook_endpoints row (ENDPOINT_COLUMNS, or `to_jsonb(e.*)`). */
interface EndpointRow {
  id: string;
  client_id: string;
  url: string;
  description: string | null;
  events: string[] | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  field_mapping: FieldMapping | null;
  consecutive_failures: number | null;
  failing_since: string | null;
  created_at: string;
}

/** A webhook_deliveries row (DELIVERY_COLUMNS, or `to_jsonb(d.*)`). */
interface DeliveryRow {
  id: string;
  client_id: string;
  endpoint_id: string;
  event_id: number | null;
  event_type: string;
  message_id: string;
  lead_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  payload: WebhookEnvelope | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** A delivery as the delivery log shows it. */
interface DeliveryLogRow extends DeliveryRow {
  endpoint_url: string;
  endpoint_description: string | null;
  lead_received_at: string | null;
  last_duration_ms?: number | null;
}

interface AttemptRow {
  attempt: number;
  started_at: string;
  duration_ms: number;
  url: string;
  request_headers: Record<string, string>;
  request_body: string;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  next_retry_at: string | null;
}

/** The event-facts statement's one row: the event, and what it is about (each part a left join). */
interface EventFactsRow {
  event_id: number;
  type: string;
  event_created_at: string;
  payload: Record<string, unknown> | null;
  client_name: string | null;
  currency: string | null;
  lead_id: string | null;
  lead_client_id: string;
  source: string;
  lead_status: string;
  received_at: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  zip: string | null;
  city: string | null;
  state: string | null;
  fields: Record<string, unknown> | null;
  verdict: LeadFacts["verdict"] | null;
  contract_version_id: string | null;
  outcome: string | null;
  outcome_value_cents: number | null;
  outcome_at: string | null;
  campaign_id: string | null;
  campaign_name: string;
  channel: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  charge_cents: number | null;
  dispute_id: string | null;
  dispute_lead_id: string;
  reason: string;
  note: string | null;
  dispute_status: string;
  opened_at: string;
  resolved_at: string | null;
  resolution_note: string | null;
  credit_cents: number | null;
  invoice_id: string | null;
  number: number;
  period: string;
  invoice_status: string;
  invoice_currency: string | null;
  subtotal_cents: number;
  credit_applied_cents: number;
  total_cents: number;
  issued_at: string | null;
}

type DeliveryKey = { id: string; endpoint_id: string };

/** A text[] from a parameter (a JSON array), so no value is spliced into the SQL. */
const textArray = (xs: string[]) => sql`array(select jsonb_array_elements_text(${JSON.stringify(xs)}::jsonb))`;

const ENDPOINT_COLUMNS = sql`e.id, e.client_id, e.url, e.description, e.events, e.enabled, e.disabled_reason, e.disabled_at, e.secret, e.previous_secret,
  e.previous_secret_expires_at, e.field_mapping, e.consecutive_failures, e.failing_since, e.created_at`;
const DELIVERY_COLUMNS = sql`d.id, d.client_id, d.endpoint_id, d.event_id, d.event_type, d.message_id, d.lead_id, d.status, d.attempts, d.next_attempt_at,
  d.lease_until, d.payload, d.last_status, d.last_error, d.delivered_at, d.created_at`;

const toEndpoint = (r: EndpointRow): EndpointRecord => ({
  id: r.id,
  clientId: r.client_id,
  url: r.url,
  description: r.description ?? null,
  events: r.events ?? [],
  enabled: Boolean(r.enabled),
  disabledReason: r.disabled_reason ?? null,
  disabledAt: date(r.disabled_at),
  secret: r.secret,
  previousSecret: r.previous_secret ?? null,
  previousSecretExpiresAt: date(r.previous_secret_expires_at),
  fieldMapping: r.field_mapping ?? null,
  consecutiveFailures: Number(r.consecutive_failures ?? 0),
  failingSince: date(r.failing_since),
  createdAt: new Date(r.created_at),
});

const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  clientId: r.client_id,
  endpointId: r.endpoint_id,
  eventId: num(r.event_id),
  eventType: r.event_type,
  messageId: r.message_id,
  leadId: r.lead_id ?? null,
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: new Date(r.next_attempt_at),
  leaseUntil: date(r.lease_until),
  payload: r.payload ?? null,
  lastStatus: num(r.last_status),
  lastError: r.last_error ?? null,
  deliveredAt: date(r.delivered_at),
  createdAt: new Date(r.created_at),
});

const toAttempt = (r: AttemptRow): AttemptRecord => ({
  attempt: Number(r.attempt),
  startedAt: new Date(r.started_at),
  durationMs: Number(r.duration_ms),
  url: r.url,
  requestHeaders: r.request_headers,
  requestBody: r.request_body,
  responseStatus: num(r.response_status),
  responseBody: r.response_body ?? null,
  error: r.error ?? null,
  nextRetryAt: date(r.next_retry_at),
});

const toLogEntry = (x: DeliveryLogRow) => ({
  ...toDelivery(x),
  endpointUrl: x.endpoint_url,
  endpointDescription: x.endpoint_description ?? null,
  leadReceivedAt: date(x.lead_received_at),
});

/** What an outbox event is about (lead with campaign and charge, dispute, invoice with lines), for bodies and e-mails. */
// eslint-disable-next-line max-lines-per-function -- one statement and the mapping of its one row
export async function loadEventFacts(db: DbOrTx, eventId: number): Promise<(EventFacts & { payload: Record<string, unknown>; clientName: string | null }) | null> {
  const [r] = await queryPrepared<EventFactsRow>(
    db,
    sql`select e.id as event_id, e.type, e.created_at as event_created_at, e.payload, c.name as client_name, c.currency,
          l.id as lead_id, l.client_id as lead_client_id, l.source, l.status as lead_status, l.received_at, l.name, l.phone, l.email, l.zip, l.city, l.state, l.fields,
          l.verdict, l.contract_version_id, l.outcome, l.outcome_value_cents, l.outcome_at,
          cp.id as campaign_id, cp.name as campaign_name, cp.channel, cp.utm_source, cp.utm_medium, cp.utm_campaign,
          (select sum(le.amount_cents) from ledger_entries le where le.lead_id = l.id and le.kind = 'lead_charge')::bigint as charge_cents,
          d.id as dispute_id, d.lead_id as dispute_lead_id, d.reason, d.note, d.status as dispute_status, d.opened_at, d.resolved_at, d.resolution_note, d.credit_cents,
          i.id as invoice_id, i.number, i.period, i.status as invoice_status, i.currency as invoice_currency, i.subtotal_cents, i.credit_applied_cents, i.total_cents, i.issued_at
        from outbox_events e
        left join clients c on c.id = e.client_id
        left join leads l on l.id = coalesce((e.payload->>'leadId')::uuid, case when e.type = 'lead.qualified' then e.aggregate_id end)
        left join campaigns cp on cp.id = l.campaign_id
        left join disputes d on d.id = (e.payload->>'disputeId')::uuid
        left join invoices i on i.id = (e.payload->>'invoiceId')::uuid
        where e.id = ${eventId}`,
  );
  if (!r) return null;
  const payload = r.payload ?? {};
  const currency = r.currency ?? "USD";
  const outcomeFromEvent = r.type === "lead.outcome" ? { outcome: String(payload.outcome), valueCents: num(payload.valueCents), at: date(payload.at) } : null;
  const lead = r.lead_id
    ? {
        id: r.lead_id,
        clientId: r.lead_client_id,
        source: r.source,
        status: r.lead_status,
        receivedAt: new Date(r.received_at),
        name: r.name ?? null,
        phone: r.phone ?? null,
        email: r.email ?? null,
        zip: r.zip ?? null,
        city: r.city ?? null,
        state: r.state ?? null,
        fields: r.fields ?? {},
        campaign: r.campaign_id
          ? {
              id: r.campaign_id,
              name: r.campaign_name,
              channel: r.channel ?? null,
              utmSource: r.utm_source ?? null,
              utmMedium: r.utm_medium ?? null,
              utmCampaign: r.utm_campaign ?? null,
            }
          : null,
        verdict: r.verdict ?? null,
        contractVersionId: r.contract_version_id ?? null,
        chargeCents: num(r.charge_cents),
        currency,
        outcome: outcomeFromEvent ?? (r.outcome ? { outcome: r.outcome, valueCents: num(r.outcome_value_cents), at: date(r.outcome_at) } : null),
      }
    : null;
  const dispute = r.dispute_id
    ? {
        id: r.dispute_id,
        leadId: r.dispute_lead_id,
        reason: r.reason,
        note: r.note ?? null,
        status: r.dispute_status,
        openedAt: new Date(r.opened_at),
        resolvedAt: date(r.resolved_at),
        resolutionNote: r.resolution_note ?? null,
        creditCents: num(r.credit_cents),
      }
    : null;
  let invoice: EventFacts["invoice"] = null;
  if (r.invoice_id) {
    const lines = await query<{ description: string; quantity: number; unit_amount_cents: number | null; amount_cents: number }>(
      db,
      sql`select description, quantity, unit_amount_cents, amount_cents from invoice_lines where invoice_id = ${r.invoice_id} order by position`,
    );
    invoice = {
      id: r.invoice_id,
      number: Number(r.number),
      period: r.period,
      status: r.invoice_status,
      currency: r.invoice_currency ?? currency,
      subtotalCents: Number(r.subtotal_cents),
      creditAppliedCents: Number(r.credit_applied_cents),
      totalCents: Number(r.total_cents),
      issuedAt: date(r.issued_at),
      lines: lines.map((x) => ({ description: x.description, quantity: Number(x.quantity), unitAmountCents: num(x.unit_amount_cents), amountCents: Number(x.amount_cents) })),
    };
  }
  return { eventId: Number(r.event_id), type: r.type, createdAt: new Date(r.event_created_at), lead, dispute, invoice, payload, clientName: r.client_name ?? null };
}

// eslint-disable-next-line max-lines-per-function -- one short method per port operation
export function webhookStore(db: Db): WebhookStore {
  return {
    async createEndpoint(e) {
      const [r] = await query<EndpointRow>(
        db,
        sql`insert into webhook_endpoints as e (client_id, url, description, events, enabled, secret, field_mapping)
            values (${e.clientId}, ${e.url}, ${e.description}, ${textArray(e.events)}, ${e.enabled}, ${e.secret}, ${e.fieldMapping ? JSON.stringify(e.fieldMapping) : null}::jsonb)
            returning ${ENDPOINT_COLUMNS}`,
      );
      return toEndpoint(r!);
    },
    async findEndpoint(id) {
      const [r] = await query<EndpointRow>(db, sql`select ${ENDPOINT_COLUMNS} from webhook_endpoints e where e.id = ${id}`);
      return r ? toEndpoint(r) : null;
    },
    async listEndpoints(clientId) {
      const r = await query<EndpointRow>(db, sql`select ${ENDPOINT_COLUMNS} from webhook_endpoints e where ${clientId}::uuid is null or e.client_id = ${clientId}::uuid order by e.created_at, e.id`);
      return r.map(toEndpoint);
    },
    async updateEndpoint(id, patch, at) {
      const sets = [
        patch.url !== undefined ? sql`url = ${patch.url}` : null,
        patch.description !== undefined ? sql`description = ${patch.description}` : null,
        patch.events !== undefined ? sql`events = ${textArray(patch.events)}` : null,
        patch.enabled !== undefined ? sql`enabled = ${patch.enabled}` : null,
        patch.fieldMapping !== undefined ? sql`field_mapping = ${patch.fieldMapping ? JSON.stringify(patch.fieldMapping) : null}::jsonb` : null,
        patch.secret !== undefined ? sql`secret = ${patch.secret}` : null,
        patch.previousSecret !== undefined ? sql`previous_secret = ${patch.previousSecret}` : null,
        patch.previousSecretExpiresAt !== undefined ? sql`previous_secret_expires_at = ${patch.previousSecretExpiresAt?.toISOString() ?? null}` : null,
        patch.disabledReason !== undefined ? sql`disabled_reason = ${patch.disabledReason}` : null,
        patch.disabledAt !== undefined ? sql`disabled_at = ${patch.disabledAt?.toISOString() ?? null}` : null,
        patch.resetFailures ? sql`consecutive_failures = 0, failing_since = null` : null,
        sql`updated_at = ${at.toISOString()}`,
      ].filter((x): x is NonNullable<typeof x> => x !== null);
      const [r] = await query<EndpointRow>(db, sql`update webhook_endpoints as e set ${sql.join(sets, sql`, `)} where e.id = ${id} returning ${ENDPOINT_COLUMNS}`);
      return r ? toEndpoint(r) : null;
    },
    async disableEndpoint(id, reason, at) {
      const [r] = await query<{ n: number; notified: number }>(
        db,
        sql`with u as (
              update webhook_endpoints set enabled = false, disabled_reason = ${reason}, disabled_at = ${at.toISOString()}, updated_at = ${at.toISOString()}
              where id = ${id} and enabled returning id, client_id, url),
            o as (
              insert into outbox_events (type, aggregate_id, client_id, payload)
              select 'webhook_endpoint.disabled', gen_random_uuid(), u.client_id, jsonb_build_object('endpointId', u.id, 'url', u.url, 'reason', ${reason}::text) from u
              returning id)
            select (select count(*) from u)::int as n, (select count(pg_notify('leadledger_outbox', id::text)) from o)::int as notified`,
      );
      return Number(r?.n ?? 0) > 0;
    },

    async claim(deliveryId, now, leaseUntil): Promise<ClaimResult> {
      const [r] = await queryPrepared<{ d: DeliveryRow; e: EndpointRow }>(
        db,
        sql`with d as (
              update webhook_deliveries d set status = 'sending', attempts = d.attempts + 1, lease_until = ${leaseUntil.toISOString()}
              from webhook_endpoints e
              where d.id = ${deliveryId} and e.id = d.endpoint_id and e.enabled
                and ((d.status = 'pending' and d.next_attempt_at <= ${now.toISOString()}) or (d.status = 'sending' and d.lease_until <= ${now.toISOString()}))
              returning d.id, d.client_id, d.endpoint_id, d.event_id, d.event_type, d.message_id, d.lead_id, d.status, d.attempts, d.next_attempt_at,
                d.lease_until, d.payload, d.last_status, d.last_error, d.delivered_at, d.created_at)
            select to_jsonb(d.*) as d, to_jsonb(e.*) as e from d join webhook_endpoints e on e.id = d.endpoint_id`,
      );
      if (r) {
        const delivery = toDelivery(r.d);
        return { claimed: true, delivery, endpoint: toEndpoint(r.e), previousStatus: "pending" };
      }
      // Not claimed: say why; a delivery whose endpoint is off fails unsent (never send to a disabled endpoint).
      const [x] = await query<DeliveryRow>(
        db,
        sql`update webhook_deliveries d set status = 'failed', last_error = 'endpoint disabled; not sent', lease_until = null
            from webhook_endpoints e
            where d.id = ${deliveryId} and e.id = d.endpoint_id and not e.enabled and d.status in ('pending', 'sending')
              and (d.status = 'pending' or d.lease_until <= ${now.toISOString()})
            returning ${DELIVERY_COLUMNS}`,
      );
      if (x) return { claimed: false, delivery: toDelivery(x), endpointDisabled: true };
      const [y] = await query<DeliveryRow>(db, sql`select ${DELIVERY_COLUMNS} from webhook_deliveries d where d.id = ${deliveryId}`);
      return { claimed: false, delivery: y ? toDelivery(y) : null, endpointDisabled: false };
    },
    eventFacts: (eventId) => loadEventFacts(db, eventId),
    async recordAttempt({ deliveryId, endpointId, attempt: a, outcome, succeeded, at, payload }) {
      // One statement (one round trip, one implicit transaction): the attempt, the delivery's new
      // state (and its body, kept for every later attempt), the endpoint's failure streak.
      const [s] = await queryPrepared<{ consecutive_failures: number; failing_since: string | null }>(
        db,
        sql`with
            att as (
              insert into webhook_attempts (delivery_id, attempt, started_at, duration_ms, url, request_headers, request_body, response_status, response_body, error, next_retry_at)
              values (${deliveryId}, ${a.attempt}, ${a.startedAt.toISOString()}, ${a.durationMs}, ${a.url}, ${JSON.stringify(a.requestHeaders)}::jsonb, ${a.requestBody},
                      ${a.responseStatus}::int, ${a.responseBody}, ${a.error}, ${a.nextRetryAt?.toISOString() ?? null}::timestamptz)
              on conflict (delivery_id, attempt) do nothing returning 1),
            del as (
              update webhook_deliveries set
                status = ${outcome.status},
                next_attempt_at = coalesce(${outcome.status === "pending" ? outcome.nextAttemptAt.toISOString() : null}::timestamptz, next_attempt_at),
                lease_until = null,
                payload = coalesce(payload, ${payload ? JSON.stringify(payload) : null}::jsonb),
                last_status = ${a.responseStatus}::int,
                last_error = ${outcome.status === "failed" ? outcome.reason : (a.error ?? (a.responseStatus !== null && outcome.status !== "delivered" ? `HTTP ${a.responseStatus}` : null))},
                delivered_at = ${outcome.status === "delivered" ? outcome.at.toISOString() : null}::timestamptz
              where id = ${deliveryId} and status = 'sending' and attempts = ${a.attempt} returning 1),
            ok as (
              update webhook_endpoints set consecutive_failures = 0, failing_since = null
              where ${succeeded} and id = ${endpointId} and consecutive_failures > 0 returning 0 as consecutive_failures, null::timestamptz as failing_since),
            bad as (
              update webhook_endpoints set consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, ${at.toISOString()}::timestamptz)
              where not ${succeeded} and id = ${endpointId} returning consecutive_failures, failing_since)
          select consecutive_failures, failing_since, (select count(*) from att)::int as a, (select count(*) from del)::int as d from ok
          union all select consecutive_failures, failing_since, (select count(*) from att)::int, (select count(*) from del)::int from bad
          union all select 0, null, (select count(*) from att)::int, (select count(*) from del)::int where not exists (select 1 from ok) and not exists (select 1 from bad)`,
      );
      return { consecutiveFailures: Number(s?.consecutive_failures ?? 0), failingSince: date(s?.failing_since) };
    },

    async createTestDelivery(endpoint, payload, messageId, at) {
      const [r] = await query<DeliveryRow>(
        db,
        sql`with d as (
              insert into webhook_deliveries (client_id, endpoint_id, event_id, event_type, message_id, payload, next_attempt_at, created_at)
              values (${endpoint.clientId}, ${endpoint.id}, null, ${payload.type}, ${messageId}, ${JSON.stringify(payload)}::jsonb, ${at.toISOString()}, ${at.toISOString()})
              returning *)
            select ${DELIVERY_COLUMNS}, pg_notify(${DELIVERY_CHANNEL}, 'w:' || d.id::text) from d`,
      );
      return toDelivery(r!);
    },
    async requeue(filter, at) {
      const r =
        "deliveryId" in filter
          ? await query<{ id: string }>(
              db,
              sql`with u as (update webhook_deliveries set status = 'pending', next_attempt_at = ${at.toISOString()}, lease_until = null where id = ${filter.deliveryId} and status <> 'sending' returning id)
                  select id, pg_notify(${DELIVERY_CHANNEL}, 'w:' || id::text) from u`,
            )
          : await query<{ id: string }>(
              db,
              sql`with u as (update webhook_deliveries set status = 'pending', next_attempt_at = ${at.toISOString()}, lease_until = null
                  where endpoint_id = ${filter.endpointId} and status = 'failed' and created_at >= ${filter.failedFrom.toISOString()} and created_at < ${filter.failedTo.toISOString()}
                  returning id)
                  select id, pg_notify(${DELIVERY_CHANNEL}, 'w:' || id::text) from u`,
            );
      return r.map((x) => x.id);
    },
    async findDelivery(id) {
      const [r] = await query<DeliveryLogRow>(
        db,
        sql`select ${DELIVERY_COLUMNS}, e.url as endpoint_url, e.description as endpoint_description, l.received_at as lead_received_at
            from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id left join leads l on l.id = d.lead_id where d.id = ${id}`,
      );
      if (!r) return null;
      const attempts = await query<AttemptRow>(db, sql`select * from webhook_attempts where delivery_id = ${id} order by attempt`);
      return { ...toLogEntry(r), attemptsLog: attempts.map(toAttempt) };
    },
    async listDeliveries(f) {
      const r = await query<DeliveryLogRow>(
        db,
        sql`select ${DELIVERY_COLUMNS}, e.url as endpoint_url, e.description as endpoint_description, l.received_at as lead_received_at,
              (select a.duration_ms from webhook_attempts a where a.delivery_id = d.id order by a.attempt desc limit 1) as last_duration_ms
            from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id left join leads l on l.id = d.lead_id
            where (${f.clientId}::uuid is null or d.client_id = ${f.clientId}::uuid)
              and (${f.endpointId ?? null}::uuid is null or d.endpoint_id = ${f.endpointId ?? null}::uuid)
              and (${f.leadId ?? null}::uuid is null or d.lead_id = ${f.leadId ?? null}::uuid)
              and (${f.status ?? null}::text is null or d.status = ${f.status ?? null}::text)
            order by d.created_at desc, d.id desc limit ${f.limit}`,
      );
      return r.map((x) => ({ ...toLogEntry(x), lastDurationMs: num(x.last_duration_ms) }));
    },
  };
}

/** Webhook deliveries (with their endpoint, the runner's queue key) and e-mails to try. */
export interface DeliveriesToTry {
  webhooks: { id: string; endpointId: string }[];
  emails: string[];
}

/** Deliveries of one event still waiting for their first attempt (the listener's fast path). */
export async function pendingDeliveriesOfEvent(db: DbOrTx, eventId: number): Promise<DeliveriesToTry> {
  const r = await queryPrepared<DeliveryKey & { k: "w" | "e" }>(
    db,
    sql`select 'w' as k, id, endpoint_id from webhook_deliveries where event_id = ${eventId} and status = 'pending' and attempts = 0
        union all select 'e', id, null from email_messages where event_id = ${eventId} and status = 'pending' and attempts = 0`,
  );
  return {
    webhooks: r.filter((x) => x.k === "w").map((x) => ({ id: x.id, endpointId: x.endpoint_id })),
    emails: r.filter((x) => x.k === "e").map((x) => x.id),
  };
}

/**
 * What the delivery runner should try now (jobs/webhooks-deliver.ts): deliveries and e-mails that are
 * due — a retry whose time has come, a first attempt nobody made, an attempt whose lease ran out (a
 * crash between attempt and record). The rows are the retry schedule (decision 019). At most
 * `perEndpoint` per endpoint, oldest first, so one endpoint's backlog never hides another's.
 */
export async function dueDeliveries(db: DbOrTx, now: Date, opts: { perEndpoint: number; emails: number }): Promise<DeliveriesToTry> {
  const nowIso = now.toISOString();
  const w = await queryPrepared<DeliveryKey>(
    db,
    sql`select d.id, e.id as endpoint_id from webhook_endpoints e
        cross join lateral (
          select id from webhook_deliveries
          where endpoint_id = e.id and status in ('pending', 'sending') and coalesce(lease_until, next_attempt_at) <= ${nowIso}
          order by coalesce(lease_until, next_attempt_at) limit ${opts.perEndpoint}) d`,
  );
  const m = await queryPrepared<{ id: string }>(
    db,
    sql`select id from email_messages where status in ('pending', 'sending') and coalesce(lease_until, next_attempt_at) <= ${nowIso}
        order by coalesce(lease_until, next_attempt_at) limit ${opts.emails}`,
  );
  return { webhooks: w.map((x) => ({ id: x.id, endpointId: x.endpoint_id })), emails: m.map((x) => x.id) };
}

/**
 * Deliveries and e-mails that should have been tried by now and were not: pending and due for longer
 * than `graceMs` (a lost job), or `sending` past their lease (a crash between attempt and record).
 */
export async function overdueDeliveries(db: DbOrTx, now: Date, graceMs: number, limit: number): Promise<{ webhooks: string[]; emails: string[] }> {
  const before = new Date(now.getTime() - graceMs).toISOString();
  const nowIso = now.toISOString();
  const w = await queryPrepared<{ id: string }>(
    db,
    sql`select id from webhook_deliveries where status in ('pending', 'sending') and coalesce(lease_until, next_attempt_at) <= ${before}
          and (status = 'pending' or lease_until <= ${nowIso}) order by coalesce(lease_until, next_attempt_at) limit ${limit}`,
  );
  const e = await queryPrepared<{ id: string }>(
    db,
    sql`select id from email_messages where status in ('pending', 'sending') and coalesce(lease_until, next_attempt_at) <= ${before}
          and (status = 'pending' or lease_until <= ${nowIso}) order by coalesce(lease_until, next_attempt_at) limit ${limit}`,
  );
  return { webhooks: w.map((x) => x.id), emails: e.map((x) => x.id) };
}

/**
 * The store with `eventFacts` remembered for a few seconds: an event with several endpoints is
 * loaded once for all their first attempts instead of once per endpoint.
 */
export function withEventFactsCache(store: WebhookStore, opts: { ttlMs?: number; max?: number } = {}): WebhookStore {
  const ttlMs = opts.ttlMs ?? 5_000;
  const max = opts.max ?? 1_000;
  const cache = new Map<number, { at: number; facts: Promise<EventFacts | null> }>();
  return {
    ...store,
    eventFacts(eventId) {
      const now = Date.now();
      const hit = cache.get(eventId);
      if (hit && now - hit.at < ttlMs) return hit.facts;
      if (cache.size >= max) for (const [k, v] of cache) if (now - v.at >= ttlMs || cache.size >= max) cache.delete(k);
      const facts = store.eventFacts(eventId);
      cache.set(eventId, { at: now, facts });
      facts.catch(() => cache.delete(eventId));
      return facts;
    },
  };
}
