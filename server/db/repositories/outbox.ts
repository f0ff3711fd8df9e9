import { sql } from "drizzle-orm";
import type { DispatchStore, DispatchTx, LeadForAlert, OutboxEventRecord } from "../../domain/alerts/ports";
import type { ActiveHours, AlertRouting, RoutingRecipient } from "../../domain/alerts/routing";
import { executePrepared, type Db, type DbOrTx } from "../client";

type Row = Record<string, unknown>;

async function rows(db: DbOrTx, q: ReturnType<typeof sql>): Promise<Row[]> {
  return (await executePrepared(db, q)).rows;
}

const toRecipient = (x: Row): RoutingRecipient => ({
  id: x.id as string,
  name: x.name as string,
  phone: x.phone as string,
  active: Boolean(x.active),
  activeHours: (x.active_hours as ActiveHours | null) ?? null,
  optedOutAt: x.opted_out_at ? new Date(x.opted_out_at as string) : null,
  createdAt: new Date(x.created_at as string),
});

/**
 * The transactional outbox (outbox_events) as the alert dispatcher consumes it: two statements
 * per event (load, record) inside the caller's transaction, plus a row lock for round robin.
 */
export function dispatchTx(db: DbOrTx): DispatchTx {
  return {
    async load(eventId, type) {
      const [r] = await rows(
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
      const event: OutboxEventRecord = { id: Number(r.event_id), type: r.type as string, aggregateId: r.aggregate_id as string, clientId: (r.event_client_id as string | null) ?? null, payload: r.payload };
      const lead: LeadForAlert | null = r.lead_id
        ? {
            leadId: r.lead_id as string,
            clientId: r.client_id as string,
            status: r.status as LeadForAlert["status"],
            name: (r.name as string | null) ?? null,
            phone: (r.phone as string | null) ?? null,
            zip: (r.zip as string | null) ?? null,
            source: r.source as LeadForAlert["source"],
            campaign: (r.campaign as string | null) ?? null,
            receivedAt: new Date(r.received_at as string),
          }
        : null;
      const client = r.timezone
        ? { timezone: r.timezone as string, routing: r.alert_routing as AlertRouting, template: (r.alert_template as string | null) ?? null, roundRobinCursor: Number(r.alert_round_robin_cursor) }
        : null;
      return { event, lead, client, recipients: ((r.recipients as Row[] | null) ?? []).map(toRecipient) };
    },
    async lockRoundRobinCursor(clientId) {
      // NO KEY UPDATE, not UPDATE: it serializes this client's dispatchers without blocking intake,
      // whose inserts take KEY SHARE on the client row (foreign keys).
      const [r] = await rows(db, sql`select alert_round_robin_cursor from clients where id = ${clientId} for no key update`);
      return Number(r?.alert_round_robin_cursor ?? 0);
    },
    async record({ eventId, alerts: alertRows, cursor, at, note }) {
      const values = alertRows.map(
        (a) =>
          sql`(${a.clientId}::uuid, ${a.leadId}::uuid, ${a.recipientId}::uuid, ${a.toPhone}, ${a.body}, ${a.status}, ${a.errorMessage}, ${a.queuedAt.toISOString()}::timestamptz)`,
      );
      const links = alertRows.flatMap((a) => (a.link ? [sql`(${a.recipientId}::uuid, ${a.link.tokenHash}, ${a.link.expiresAt.toISOString()}::timestamptz)`] : []));
      const r = await rows(
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
      return r.filter((x) => x.status === "pending").map((x) => x.id as string);
    },
  };
}

export function dispatchStore(db: Db): DispatchStore {
  return { transaction: (fn) => db.transaction((tx) => fn(dispatchTx(tx))) };
}

/** Committed events of these types not processed yet, oldest first (for the sweep). */
export async function unprocessedEventIds(db: DbOrTx, types: readonly string[], opts: { limit?: number; maxAttempts?: number } = {}): Promise<number[]> {
  if (types.length === 0) return [];
  const r = await rows(
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
