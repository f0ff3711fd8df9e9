import { sql } from "drizzle-orm";
import type { AttemptRecord, ClaimResult, DeliveryRecord, DeliveryStatus, EndpointRecord, EventFacts, WebhookStore } from "../../domain/webhooks/ports";
import type { LeadFacts, WebhookEnvelope } from "../../domain/webhooks/payload";
import type { FieldMapping } from "../../domain/webhooks/inputs";
import { executePrepared, type Db, type DbOrTx } from "../client";

type Row = Record<string, unknown>;

/**
 * The outbox channel also carries single deliveries to try now (a replay, a test event): `w:<id>`
 * for a webhook delivery; the listener hands them to the in-process sender.
 */
export const DELIVERY_CHANNEL = "leadledger_outbox";
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

async function rows(db: DbOrTx, q: ReturnType<typeof sql>): Promise<Row[]> {
  return (await executePrepared(db, q)).rows;
}
async function plain(db: DbOrTx, q: ReturnType<typeof sql>): Promise<Row[]> {
  return (await db.execute(q)).rows as Row[];
}

/** A text[] from a parameter (a JSON array), so no value is spliced into the SQL. */
const textArray = (xs: string[]) => sql`array(select jsonb_array_elements_text(${JSON.stringify(xs)}::jsonb))`;

const ENDPOINT_COLUMNS = sql`e.id, e.client_id, e.url, e.description, e.events, e.enabled, e.disabled_reason, e.disabled_at, e.secret, e.previous_secret,
  e.previous_secret_expires_at, e.field_mapping, e.consecutive_failures, e.failing_since, e.created_at`;
const DELIVERY_COLUMNS = sql`d.id, d.client_id, d.endpoint_id, d.event_id, d.event_type, d.message_id, d.lead_id, d.status, d.attempts, d.next_attempt_at,
  d.lease_until, d.payload, d.last_status, d.last_error, d.delivered_at, d.created_at`;

const toEndpoint = (r: Row): EndpointRecord => ({
  id: r.id as string,
  clientId: r.client_id as string,
  url: r.url as string,
  description: (r.description as string | null) ?? null,
  events: (r.events as string[]) ?? [],
  enabled: Boolean(r.enabled),
  disabledReason: (r.disabled_reason as string | null) ?? null,
  disabledAt: date(r.disabled_at),
  secret: r.secret as string,
  previousSecret: (r.previous_secret as string | null) ?? null,
  previousSecretExpiresAt: date(r.previous_secret_expires_at),
  fieldMapping: (r.field_mapping as FieldMapping | null) ?? null,
  consecutiveFailures: Number(r.consecutive_failures ?? 0),
  failingSince: date(r.failing_since),
  createdAt: new Date(r.created_at as string),
});

const toDelivery = (r: Row): DeliveryRecord => ({
  id: r.id as string,
  clientId: r.client_id as string,
  endpointId: r.endpoint_id as string,
  eventId: num(r.event_id),
  eventType: r.event_type as string,
  messageId: r.message_id as string,
  leadId: (r.lead_id as string | null) ?? null,
  status: r.status as DeliveryStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: new Date(r.next_attempt_at as string),
  leaseUntil: date(r.lease_until),
  payload: (r.payload as WebhookEnvelope | null) ?? null,
  lastStatus: num(r.last_status),
  lastError: (r.last_error as string | null) ?? null,
  deliveredAt: date(r.delivered_at),
  createdAt: new Date(r.created_at as string),
});

const toAttempt = (r: Row): AttemptRecord => ({
  attempt: Number(r.attempt),
  startedAt: new Date(r.started_at as string),
  durationMs: Number(r.duration_ms),
  url: r.url as string,
  requestHeaders: r.request_headers as Record<string, string>,
  requestBody: r.request_body as string,
  responseStatus: num(r.response_status),
  responseBody: (r.response_body as string | null) ?? null,
  error: (r.error as string | null) ?? null,
  nextRetryAt: date(r.next_retry_at),
});

/** What an outbox event is about (lead with campaign and charge, dispute, invoice with lines), for bodies and e-mails. */
export async function loadEventFacts(db: DbOrTx, eventId: number): Promise<(EventFacts & { payload: Record<string, unknown>; clientName: string | null }) | null> {
  const [r] = await rows(
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
  const payload = (r.payload as Record<string, unknown>) ?? {};
  const currency = (r.currency as string | null) ?? "USD";
  const outcomeFromEvent = r.type === "lead.outcome" ? { outcome: String(payload.outcome), valueCents: num(payload.valueCents), at: date(payload.at) } : null;
  const lead = r.lead_id
    ? {
        id: r.lead_id as string,
        clientId: r.lead_client_id as string,
        source: r.source as string,
        status: r.lead_status as string,
        receivedAt: new Date(r.received_at as string),
        name: (r.name as string | null) ?? null,
        phone: (r.phone as string | null) ?? null,
        email: (r.email as string | null) ?? null,
        zip: (r.zip as string | null) ?? null,
        city: (r.city as string | null) ?? null,
        state: (r.state as string | null) ?? null,
        fields: (r.fields as Record<string, unknown>) ?? {},
        campaign: r.campaign_id
          ? {
              id: r.campaign_id as string,
              name: r.campaign_name as string,
              channel: (r.channel as string | null) ?? null,
              utmSource: (r.utm_source as string | null) ?? null,
              utmMedium: (r.utm_medium as string | null) ?? null,
              utmCampaign: (r.utm_campaign as string | null) ?? null,
            }
          : null,
        verdict: (r.verdict as LeadFacts["verdict"]) ?? null,
        contractVersionId: (r.contract_version_id as string | null) ?? null,
        chargeCents: num(r.charge_cents),
        currency,
        outcome: outcomeFromEvent ?? (r.outcome ? { outcome: r.outcome as string, valueCents: num(r.outcome_value_cents), at: date(r.outcome_at) } : null),
      }
    : null;
  const dispute = r.dispute_id
    ? {
        id: r.dispute_id as string,
        leadId: r.dispute_lead_id as string,
        reason: r.reason as string,
        note: (r.note as string | null) ?? null,
        status: r.dispute_status as string,
        openedAt: new Date(r.opened_at as string),
        resolvedAt: date(r.resolved_at),
        resolutionNote: (r.resolution_note as string | null) ?? null,
        creditCents: num(r.credit_cents),
      }
    : null;
  let invoice: EventFacts["invoice"] = null;
  if (r.invoice_id) {
    const lines = await plain(db, sql`select description, quantity, unit_amount_cents, amount_cents from invoice_lines where invoice_id = ${r.invoice_id as string} order by position`);
    invoice = {
      id: r.invoice_id as string,
      number: Number(r.number),
      period: r.period as string,
      status: r.invoice_status as string,
      currency: (r.invoice_currency as string) ?? currency,
      subtotalCents: Number(r.subtotal_cents),
      creditAppliedCents: Number(r.credit_applied_cents),
      totalCents: Number(r.total_cents),
      issuedAt: date(r.issued_at),
      lines: lines.map((x) => ({ description: x.description as string, quantity: Number(x.quantity), unitAmountCents: num(x.unit_amount_cents), amountCents: Number(x.amount_cents) })),
    };
  }
  return { eventId: Number(r.event_id), type: r.type as string, createdAt: new Date(r.event_created_at as string), lead, dispute, invoice, payload, clientName: (r.client_name as string | null) ?? null };
}

export function webhookStore(db: Db): WebhookStore {
  return {
    async createEndpoint(e) {
      const [r] = await plain(
        db,
        sql`insert into webhook_endpoints as e (client_id, url, description, events, enabled, secret, field_mapping)
            values (${e.clientId}, ${e.url}, ${e.description}, ${textArray(e.events)}, ${e.enabled}, ${e.secret}, ${e.fieldMapping ? JSON.stringify(e.fieldMapping) : null}::jsonb)
            returning ${ENDPOINT_COLUMNS}`,
      );
      return toEndpoint(r!);
    },
    async findEndpoint(id) {
      const [r] = await plain(db, sql`select ${ENDPOINT_COLUMNS} from webhook_endpoints e where e.id = ${id}`);
      return r ? toEndpoint(r) : null;
    },
    async listEndpoints(clientId) {
      const r = await plain(db, sql`select ${ENDPOINT_COLUMNS} from webhook_endpoints e where ${clientId}::uuid is null or e.client_id = ${clientId}::uuid order by e.created_at, e.id`);
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
      const [r] = await plain(db, sql`update webhook_endpoints as e set ${sql.join(sets, sql`, `)} where e.id = ${id} returning ${ENDPOINT_COLUMNS}`);
      return r ? toEndpoint(r) : null;
    },
    async disableEndpoint(id, reason, at) {
      const [r] = await plain(
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
      const [r] = await rows(
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
        const delivery = toDelivery(r.d as Row);
        return { claimed: true, delivery, endpoint: toEndpoint(r.e as Row), previousStatus: "pending" };
      }
      // Not claimed: say why; a delivery whose endpoint is off fails unsent (never send to a disabled endpoint).
      const [x] = await plain(
        db,
        sql`update webhook_deliveries d set status = 'failed', last_error = 'endpoint disabled; not sent', lease_until = null
            from webhook_endpoints e
            where d.id = ${deliveryId} and e.id = d.endpoint_id and not e.enabled and d.status in ('pending', 'sending')
              and (d.status = 'pending' or d.lease_until <= ${now.toISOString()})
            returning ${DELIVERY_COLUMNS}`,
      );
      if (x) return { claimed: false, delivery: toDelivery(x), endpointDisabled: true };
      const [y] = await plain(db, sql`select ${DELIVERY_COLUMNS} from webhook_deliveries d where d.id = ${deliveryId}`);
      return { claimed: false, delivery: y ? toDelivery(y) : null, endpointDisabled: false };
    },
    eventFacts: (eventId) => loadEventFacts(db, eventId),
    async recordAttempt({ deliveryId, endpointId, attempt: a, outcome, succeeded, at, payload }) {
      // One statement (one round trip, one implicit transaction): the attempt, the delivery's new
      // state (and its body, kept for every later attempt), the endpoint's failure streak.
      const [s] = await rows(
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
      const [r] = await plain(
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
          ? await plain(
              db,
              sql`with u as (update webhook_deliveries set status = 'pending', next_attempt_at = ${at.toISOString()}, lease_until = null where id = ${filter.deliveryId} and status <> 'sending' returning id)
                  select id, pg_notify(${DELIVERY_CHANNEL}, 'w:' || id::text) from u`,
            )
          : await plain(
              db,
              sql`with u as (update webhook_deliveries set status = 'pending', next_attempt_at = ${at.toISOString()}, lease_until = null
                  where endpoint_id = ${filter.endpointId} and status = 'failed' and created_at >= ${filter.failedFrom.toISOString()} and created_at < ${filter.failedTo.toISOString()}
                  returning id)
                  select id, pg_notify(${DELIVERY_CHANNEL}, 'w:' || id::text) from u`,
            );
      return r.map((x) => x.id as string);
    },
    async findDelivery(id) {
      const [r] = await plain(
        db,
        sql`select ${DELIVERY_COLUMNS}, e.url as endpoint_url, e.description as endpoint_description, l.received_at as lead_received_at
            from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id left join leads l on l.id = d.lead_id where d.id = ${id}`,
      );
      if (!r) return null;
      const attempts = await plain(db, sql`select * from webhook_attempts where delivery_id = ${id} order by attempt`);
      return { ...toDelivery(r), endpointUrl: r.endpoint_url as string, endpointDescription: (r.endpoint_description as string | null) ?? null, leadReceivedAt: date(r.lead_received_at), attemptsLog: attempts.map(toAttempt) };
    },
    async listDeliveries(f) {
      const r = await plain(
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
      return r.map((x) => ({
        ...toDelivery(x),
        endpointUrl: x.endpoint_url as string,
        endpointDescription: (x.endpoint_description as string | null) ?? null,
        leadReceivedAt: date(x.lead_received_at),
        lastDurationMs: num(x.last_duration_ms),
      }));
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
  const r = await rows(
    db,
    sql`select 'w' as k, id, endpoint_id from webhook_deliveries where event_id = ${eventId} and status = 'pending' and attempts = 0
        union all select 'e', id, null from email_messages where event_id = ${eventId} and status = 'pending' and attempts = 0`,
  );
  return {
    webhooks: r.filter((x) => x.k === "w").map((x) => ({ id: x.id as string, endpointId: x.endpoint_id as string })),
    emails: r.filter((x) => x.k === "e").map((x) => x.id as string),
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
  const w = await rows(
    db,
    sql`select d.id, e.id as endpoint_id from webhook_endpoints e
        cross join lateral (
          select id from webhook_deliveries
          where endpoint_id = e.id and status in ('pending', 'sending') and coalesce(lease_until, next_attempt_at) <= ${nowIso}
          order by coalesce(lease_until, next_attempt_at) limit ${opts.perEndpoint}) d`,
  );
  const m = await rows(
    db,
    sql`select id from email_messages where status in ('pending', 'sending') and coalesce(lease_until, next_attempt_at) <= ${nowIso}
        order by coalesce(lease_until, next_attempt_at) limit ${opts.emails}`,
  );
  return { webhooks: w.map((x) => ({ id: x.id as string, endpointId: x.endpoint_id as string })), emails: m.map((x) => x.id as string) };
}

/**
 * Deliveries and e-mails that should have been tried by now and were not: pending and due for longer
 * than `graceMs` (a lost job), or `sending` past their lease (a crash between attempt and record).
 */
export async function overdueDeliveries(db: DbOrTx, now: Date, graceMs: number, limit: number): Promise<{ webhooks: string[]; emails: string[] }> {
  const before = new Date(now.getTime() - graceMs).toISOString();
  const nowIso = now.toISOString();
  const w = await rows(
    db,
    sql`select id from webhook_deliveries where status in ('pending', 'sending') and coalesce(lease_until, next_attempt_at) <= ${before}
          and (status = 'pending' or lease_until <= ${nowIso}) order by coalesce(lease_until, next_attempt_at) limit ${limit}`,
  );
  const e = await rows(
    db,
    sql`select id from email_messages where status in ('pending', 'sending') and coalesce(lease_until, next_attempt_at) <= ${before}
          and (status = 'pending' or lease_until <= ${nowIso}) order by coalesce(lease_until, next_attempt_at) limit ${limit}`,
  );
  return { webhooks: w.map((x) => x.id as string), emails: e.map((x) => x.id as string) };
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
