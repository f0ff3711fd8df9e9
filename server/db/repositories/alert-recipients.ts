import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { AlertRecipientRecord, AlertSettingsRecord, InboundSmsRepository, RecipientRepository } from "../../domain/alerts/ports";
import type { ActiveHours } from "../../domain/alerts/routing";
import type { DbOrTx } from "../client";
import { alertRecipients, alerts, clients } from "../schema";

const cols = {
  id: alertRecipients.id,
  clientId: alertRecipients.clientId,
  name: alertRecipients.name,
  phone: alertRecipients.phone,
  active: alertRecipients.active,
  activeHours: alertRecipients.activeHours,
  optedOutAt: alertRecipients.optedOutAt,
  createdAt: alertRecipients.createdAt,
};

const settingsCols = {
  clientId: clients.id,
  timezone: clients.timezone,
  phoneCountry: clients.phoneCountry,
  routing: clients.alertRouting,
  template: clients.alertTemplate,
};

type Row = { [K in keyof typeof cols]: unknown };
const toRecord = (r: Row): AlertRecipientRecord => ({ ...(r as AlertRecipientRecord), activeHours: (r.activeHours as ActiveHours | null) ?? null });

function isUniqueViolation(e: unknown): boolean {
  for (let x: unknown = e, i = 0; x && typeof x === "object" && i < 4; x = (x as { cause?: unknown }).cause, i++) {
    if ((x as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** Alert recipients and the client's alert settings (clients.alert_routing / alert_template). */
export function recipientRepository(db: DbOrTx): RecipientRepository {
  return {
    async clientSettings(clientId) {
      const [row] = await db.select(settingsCols).from(clients).where(eq(clients.id, clientId)).limit(1);
      return (row as AlertSettingsRecord | undefined) ?? null;
    },
    async sampleLeadOf(clientId) {
      // The client's own trade: its first campaign, and the ZIP of its latest lead or else the first of its contract's service area.
      const r = await db.execute(sql`select
          (select cp.name from campaigns cp where cp.client_id = ${clientId} order by cp.created_at, cp.id limit 1) as campaign,
          coalesce(
            (select l.zip from leads l where l.client_id = ${clientId} and not l.is_test and l.zip is not null order by l.received_at desc nulls last, l.id desc nulls last limit 1),
            (select v.document #>> '{qualification,serviceArea,zips,0}' from contract_versions v where v.client_id = ${clientId} order by v.effective_from desc, v.version desc limit 1)
          ) as zip`);
      const row = r.rows[0] as { campaign: string | null; zip: string | null } | undefined;
      return { campaign: row?.campaign ?? null, zip: row?.zip ?? null };
    },
    async updateClientSettings(clientId, patch) {
      const set: Partial<typeof clients.$inferInsert> = { updatedAt: new Date() };
      if (patch.routing !== undefined) set.alertRouting = patch.routing;
      if (patch.template !== undefined) set.alertTemplate = patch.template;
      const [row] = await db.update(clients).set(set).where(eq(clients.id, clientId)).returning(settingsCols);
      return (row as AlertSettingsRecord | undefined) ?? null;
    },
    async list(clientId) {
      const rows = await db.select(cols).from(alertRecipients).where(eq(alertRecipients.clientId, clientId)).orderBy(asc(alertRecipients.createdAt), asc(alertRecipients.id));
      return rows.map(toRecord);
    },
    async findById(id) {
      const [row] = await db.select(cols).from(alertRecipients).where(eq(alertRecipients.id, id)).limit(1);
      return row ? toRecord(row) : null;
    },
    async findByPhone(clientId, phone) {
      const [row] = await db.select(cols).from(alertRecipients).where(and(eq(alertRecipients.clientId, clientId), eq(alertRecipients.phone, phone))).limit(1);
      return row ? toRecord(row) : null;
    },
    async insert(r) {
      const [row] = await db
        .insert(alertRecipients)
        .values({ clientId: r.clientId, name: r.name, phone: r.phone, active: r.active, activeHours: r.activeHours })
        .onConflictDoNothing({ target: [alertRecipients.clientId, alertRecipients.phone] })
        .returning(cols);
      return row ? toRecord(row) : null;
    },
    async update(id, patch) {
      const set: Partial<typeof alertRecipients.$inferInsert> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.phone !== undefined) set.phone = patch.phone;
      if (patch.active !== undefined) set.active = patch.active;
      if (patch.activeHours !== undefined) set.activeHours = patch.activeHours;
      if (Object.keys(set).length === 0) {
        const [row] = await db.select(cols).from(alertRecipients).where(eq(alertRecipients.id, id)).limit(1);
        return row ? toRecord(row) : null;
      }
      try {
        // A savepoint, so a taken phone does not abort the caller's transaction.
        const [row] = await db.transaction((sp) => sp.update(alertRecipients).set(set).where(eq(alertRecipients.id, id)).returning(cols));
        return row ? toRecord(row) : null;
      } catch (e) {
        if (isUniqueViolation(e)) return "phone_taken";
        throw e;
      }
    },
    async countAlerts(recipientId) {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(alerts).where(eq(alerts.recipientId, recipientId));
      return row?.n ?? 0;
    },
    async delete(id) {
      await db.delete(alertRecipients).where(eq(alertRecipients.id, id));
    },
  };
}

/** STOP / START from a phone apply to that phone as a recipient of every client. */
export function inboundSmsRepository(db: DbOrTx): InboundSmsRepository {
  return {
    async optOut(phone, at) {
      return db
        .update(alertRecipients)
        .set({ optedOutAt: at })
        .where(and(eq(alertRecipients.phone, phone), isNull(alertRecipients.optedOutAt)))
        .returning({ id: alertRecipients.id, clientId: alertRecipients.clientId });
    },
    async optIn(phone) {
      return db
        .update(alertRecipients)
        .set({ optedOutAt: null })
        .where(and(eq(alertRecipients.phone, phone), isNotNull(alertRecipients.optedOutAt)))
        .returning({ id: alertRecipients.id, clientId: alertRecipients.clientId });
    },
    async skipPendingAlerts(recipientIds, reason) {
      if (recipientIds.length === 0) return 0;
      // Only `pending`: a `sending` alert may already be at Twilio (which refuses it with 21610 if so).
      const skipped = await db
        .update(alerts)
        .set({ status: "skipped", errorMessage: reason })
        .where(and(inArray(alerts.recipientId, recipientIds), eq(alerts.status, "pending")))
        .returning({ id: alerts.id });
      return skipped.length;
    },
  };
}
