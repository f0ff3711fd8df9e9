import { sql } from "drizzle-orm";
import type { DispatchStore, DispatchTx, LeadForAlert, OutboxEventRecord } from "../../domain/alerts/ports";
import type { ActiveHours, AlertRouting, RoutingRecipient } from "../../domain/alerts/routing";
import type { Db, DbOrTx } from "../client";

type Row = Record<string, unknown>;

async function rows(db: DbOrTx, q: ReturnType<typeof sql>): Promise<Row[]> {
  return (await db.execute(q)).rows as Row[];
}

/** The transactional outbox (outbox_events): committed domain events waiting for their consumers. */
export function dispatchTx(db: DbOrTx): DispatchTx {
  return {
    async claimEvent(eventId, type) {
      const [r] = await rows(
        db,
        sql`select id, type, aggregate_id, client_id, payload from outbox_events where id = ${eventId} and type = ${type} and processed_at is null for update skip locked`,
      );
      return r ? ({ id: Number(r.id), type: r.type as string, aggregateId: r.aggregate_id as string, clientId: (r.client_id as string | null) ?? null, payload: r.payload } satisfies OutboxEventRecord) : null;
    },
    async findLead(leadId) {
      const [r] = await rows(
        db,
        sql`select l.id, l.client_id, l.status, l.name, l.phone, l.zip, l.source, l.received_at, c.name as campaign
            from leads l join campaigns c on c.id = l.campaign_id where l.id = ${leadId}`,
      );
      if (!r) return null;
      return {
        leadId: r.id as string,
        clientId: r.client_id as string,
        status: r.status as LeadForAlert["status"],
        name: (r.name as string | null) ?? null,
        phone: (r.phone as string | null) ?? null,
        zip: (r.zip as string | null) ?? null,
        source: r.source as LeadForAlert["source"],
        campaign: (r.campaign as string | null) ?? null,
        receivedAt: new Date(r.received_at as string),
      };
    },
    async lockClientRouting(clientId) {
      const [r] = await rows(db, sql`select timezone, alert_routing, alert_template, alert_round_robin_cursor from clients where id = ${clientId} for update`);
      return r
        ? { timezone: r.timezone as string, routing: r.alert_routing as AlertRouting, template: (r.alert_template as string | null) ?? null, roundRobinCursor: Number(r.alert_round_robin_cursor) }
        : null;
    },
    async recipients(clientId) {
      const r = await rows(db, sql`select id, name, phone, active, active_hours, opted_out_at, created_at from alert_recipients where client_id = ${clientId}`);
      return r.map(
        (x): RoutingRecipient => ({
          id: x.id as string,
          name: x.name as string,
          phone: x.phone as string,
          active: Boolean(x.active),
          activeHours: (x.active_hours as ActiveHours | null) ?? null,
          optedOutAt: x.opted_out_at ? new Date(x.opted_out_at as string) : null,
          createdAt: new Date(x.created_at as string),
        }),
      );
    },
    async insertAlerts(alertRows) {
      if (alertRows.length === 0) return [];
      const values = alertRows.map(
        (a) =>
          sql`(${a.clientId}::uuid, ${a.leadId}::uuid, ${a.recipientId}::uuid, ${a.toPhone}, ${a.body}, ${a.status}, ${a.errorMessage}, ${a.queuedAt.toISOString()}::timestamptz)`,
      );
      const r = await rows(
        db,
        sql`insert into alerts (client_id, lead_id, recipient_id, to_phone, body, status, error_message, queued_at)
            values ${sql.join(values, sql`, `)}
            on conflict (lead_id, recipient_id) do nothing
            returning id, status`,
      );
      return r.filter((x) => x.status === "pending").map((x) => x.id as string);
    },
    async saveCursor(clientId, cursor) {
      await db.execute(sql`update clients set alert_round_robin_cursor = ${cursor} where id = ${clientId}`);
    },
    async markProcessed(eventId, at, note) {
      await db.execute(sql`update outbox_events set processed_at = ${at.toISOString()}, attempts = attempts + 1, last_error = ${note ?? null} where id = ${eventId}`);
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
  await db.execute(sql`update outbox_events set attempts = attempts + 1, last_error = ${error.slice(0, 500)} where id = ${eventId} and processed_at is null`);
}
