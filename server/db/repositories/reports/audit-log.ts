import { sql, type SQL } from "drizzle-orm";
import type { AuditEventRow, ReportsRepository } from "../../../domain/reports/ports";
import type { DbOrTx } from "../../client";

type Row = Record<string, unknown>;

/** The audit log, newest first, keyset-paged; and the entity types it holds. */
export async function auditEvents(db: DbOrTx, f: Parameters<ReportsRepository["auditEvents"]>[0]): ReturnType<ReportsRepository["auditEvents"]> {
  const where: SQL[] = [sql`true`];
  if (f.actor) {
    const like = `%${f.actor.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(sql`a.actor_label ilike ${like}`);
  }
  if (f.clientId) where.push(sql`a.client_id = ${f.clientId}`);
  if (f.entityType) where.push(sql`a.entity_type = ${f.entityType}`);
  if (f.entityId) where.push(sql`a.entity_id = ${f.entityId}`);
  if (f.after) where.push(sql`(a.created_at, a.id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)`);
  const r = await db.execute(sql`
    select a.*, c.name as client_name, to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at_exact
    from audit_events a left join clients c on c.id = a.client_id
    where ${sql.join(where, sql` and `)}
    order by a.created_at desc, a.id desc
    limit ${f.limit}`);
  return (r.rows as Row[]).map(
    (x): AuditEventRow & { createdAtExact: string } => ({
      id: x.id as string,
      createdAtExact: x.created_at_exact as string,
      createdAt: new Date(x.created_at as string),
      actorId: (x.actor_id as string | null) ?? null,
      actorLabel: x.actor_label as string,
      clientId: (x.client_id as string | null) ?? null,
      clientName: (x.client_name as string | null) ?? null,
      action: x.action as string,
      entityType: x.entity_type as string,
      entityId: x.entity_id as string,
      before: x.before ?? null,
      after: x.after ?? null,
    }),
  );
}

/** The entity types present in the audit log (the filter's choices). */
export async function auditEntityTypes(db: DbOrTx): ReturnType<ReportsRepository["auditEntityTypes"]> {
  const r = await db.execute(sql`select distinct entity_type from audit_events order by 1`);
  return (r.rows as Row[]).map((x) => x.entity_type as string);
}
