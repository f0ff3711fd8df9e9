import { sql } from "drizzle-orm";
import type { DispatchStore, DispatchTx, LeadForAlert, OutboxEventRecord } from "../../domain/alerts/ports";
import type { ActiveHours, AlertRouting, RoutingRecipient } from "../../domain/alerts/routing";
import { executePrepared, queryPrepared, type Db, type DbOrTx } from "../client";

/** A recipient as the dispatch statement aggregates it (json_build_object). */
interface RecipientJson {
  id: string;
  name: string;
  phone: string;
  active: boolean;
  active_hours: ActiveHours | null;
  opted_out_at: string | null;
  created_at: string;
}

/** The dispatch statement's one row: the event, its lead (left join) and the client's alert settings. */
interface DispatchRow {
  event_id: number;
  type: string;
  aggregate_id: string;
  event_client_id: string | null;
  payload: unknown;
  lead_id: string | null;
  client_id: string;
  status: LeadForAlert["status"];
  name: string | null;
  phone: string | null;
  zip: string | null;
  source: LeadForAlert["source"];
  received_at: string;
  campaign: string | null;
  timezone: string | null;
  alert_routing: AlertRouting;
  alert_template: string | null;
  alert_round_robin_cursor: number;
  recipients: RecipientJson[] | null;
}

const toRecipient = (x: RecipientJson): RoutingRecipient => ({
  id: x.id,
  name: x.name,
  phone: x.phone,
  active: Boolean(x.active),
  activeHours: x.active_hours ?? null,
  optedOutAt: x.opted_out_at ? new Date(x.opted_out_at) : null,
  createdAt: new Date(x.created_at),
});

/**
 * The transactional outbox (outbox_events) as the alert dispatcher consumes it: two statements
 * per event (load, record) inside the caller's transaction, plus a row lock for round robin.
 */
export function dispatchTx(db: DbOrTx): DispatchTx {
  return {
    async load(eventId, type) {
      const [r] = await queryPrepared<DispatchRow>(
        db,
        sql`select e.id as event_id, e.type, e.aggregate_id, e.client_id as event_client_id, e.payload,
              l.id as lead_id, l.client_id, l.status, l.name, l.phone, l.zip, l.source, l.received_at, cp.name as campaign,
              c.timezone, c.alert_routing, c.alert_template, c.alert_round_robin_cursor,
              (select coalesce(json_agg(json_build_object('id', r.id, 'name', r.name, 'phone', r.phone, 'active', r.active, 'active_hours', r.active_hours,
                        'opted_out_at', r.opted_out_at, 'created_at', r.created_at)), '[]'::json)
                 from alert_recipients r where r.client_id = l.client_id) as recipients
            from outbox_events e
            left join leads l on l.id = e.aggregate_id
            left join campaigns cp on cp.id = l.campaign_id
            left join clients c on c.id = l.client_id
            where e.id = ${eventId} and e.type = ${type} and e.processed_at is null
            for update of e skip locked`,
      );
      if (!r) return null;
      const event: OutboxEventRecord = { id: Number(r.event_id), type: r.type, aggregateId: r.aggregate_id, clientId: r.event_client_id ?? null, payload: r.payload };
      const lead: LeadForAlert | null = r.lead_id
        ? {
            leadId: r.lead_id,
            clientId: r.client_id,
            status: r.status,
            name: r.name ?? null,
            phone: r.phone ?? null,
            zip: r.zip ?? null,
            source: r.source,
            campaign: r.campaign ?? null,
            receivedAt: new Date(r.received_at),
          }
        : null;
      const client = r.timezone
        ? { timezone: r.timezone, routing: r.alert_routing, template: r.alert_template ?? null, roundRobinCursor: Number(r.alert_round_robin_cursor) }
        : null;
      return { event, lead, client, recipients: (r.recipients ?? []).map(toRecipient) };
    },
    async lockRoundRobinCursor(clientId) {
      // NO KEY UPDATE, not UPDATE: it serializes this client's dispatchers without blocking intake,
      // whose inserts take KEY SHARE on the client row (foreign keys).
      const [r] = await queryPrepared<{ alert_round_robin_cursor: number }>(db, sql`select alert_round_robin_cursor from clients where id = ${clientId} for no key update`);
      return Number(r?.alert_round_robin_cursor ?? 0);
    },
    async record({ eventId, alerts: alertRows, cursor, at, note }) {
      const values = alertRows.map(
        (a) =>
          sql`(${a.clientId}::uuid, ${a.leadId}::uuid, ${a.recipientId}::uuid, ${a.toPhone}, ${a.body}, ${a.status}, ${a.errorMessage}, ${a.queuedAt.toISOString()}::timestamptz)`,
      );
      const links = alertRows.flatMap((a) => (a.link ? [sql`(${a.recipientId}::uuid, ${a.link.tokenHash}, ${a.link.expiresAt.toISOString()}::timestamptz)`] : []));
      const r = await queryPrepared<{ id: string | null; status: string | null }>(
        db,
        sql`with
            ins as (
              insert into alerts (client_id, lead_id, recipient_id, to_phone, body, status, error_message, queued_at)
              select * from (values ${values.length ? sql.join(values, sql`, `) : sql`(null::uuid, null::uuid, null::uuid, null::text, null::text, null::text, null::text, null::timestamptz)`}) v
              where ${values.length > 0}
              on conflict (lead_id, recipient_id) do nothing
              returning id, status, lead_id, client_id, recipient_id),
            lnk as (
              insert into rep_links (alert_id, lead_id, client_id, token_hash, expires_at)
              select ins.id, ins.lead_id, ins.client_id, lv.token_hash, lv.expires_at
              from ins join (values ${links.length ? sql.join(links, sql`, `) : sql`(null::uuid, null::text, null::timestamptz)`}) lv(recipient_id, token_hash, expires_at)
                on lv.recipient_id = ins.recipient_id
              where ins.status = 'pending'
              returning id),
            cur as (
              update clients set alert_round_robin_cursor = ${cursor?.value ?? 0}
              where ${cursor !== null} and id = ${cursor?.clientId ?? null}::uuid returning id),
            done as (
              update outbox_events set processed_at = ${at.toISOString()}, attempts = attempts + 1, last_error = ${note}
              where id = ${eventId} returning id)
          select ins.id, ins.status, (select count(*) from cur) as c, (select count(*) from done) as d, (select count(*) from lnk) as l from ins
          union all select null, null, (select count(*) from cur), (select count(*) from done), (select count(*) from lnk) where not exists (select 1 from ins)`,
      );
      return r.filter((x) => x.status === "pending").map((x) => x.id!);
    },
  };
}

export function dispatchStore(db: Db): DispatchStore {
  return { transaction: (fn) => db.transaction((tx) => fn(dispatchTx(tx))) };
}

/** Committed events of these types not processed yet, oldest first (for the sweep). */
export async function unprocessedEventIds(db: DbOrTx, types: readonly string[], opts: { limit?: number; maxAttempts?: number } = {}): Promise<number[]> {
  if (types.length === 0) return [];
  const r = await queryPrepared<{ id: number }>(
    db,
    sql`select id from outbox_events
        where processed_at is null and type in (${sql.join(types.map((t) => sql`${t}`), sql`, `)}) and attempts < ${opts.maxAttempts ?? 10}
        order by id limit ${opts.limit ?? 100}`,
  );
  return r.map((x) => Number(x.id));
}

/** Records a failed dispatch (the event stays unprocessed; the sweep retries it up to maxAttempts). */
export async function recordEventFailure(db: DbOrTx, eventId: number, error: string): Promise<void> {
  await executePrepared(db, sql`update outbox_events set attempts = attempts + 1, last_error = ${error.slice(0, 500)} where id = ${eventId} and processed_at is null`);
}
