import { sql } from "drizzle-orm";
import type { LeadCard, RepLinkDeps, RepLinkRecord, RepLinkRepository } from "../../domain/alerts/rep-links";
import { isUuid } from "../../domain/shared/formats";
import type { Db, DbOrTx } from "../client";
import { auditLog } from "./audit";

type Row = Record<string, unknown>;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string));

const LINK_COLUMNS = sql.raw(
  `k.id, k.alert_id, k.lead_id, k.client_id, k.expires_at, k.revoked_at, k.revoked_by, k.last_opened_at, k.created_at, a.to_phone, r.name as recipient_name`,
);
const LINK_FROM = sql.raw(`rep_links k join alerts a on a.id = k.alert_id join alert_recipients r on r.id = a.recipient_id`);

function toLink(r: Row): RepLinkRecord {
  return {
    id: r.id as string,
    alertId: r.alert_id as string,
    leadId: r.lead_id as string,
    clientId: r.client_id as string,
    recipientName: r.recipient_name as string,
    toPhone: r.to_phone as string,
    expiresAt: date(r.expires_at)!,
    revokedAt: date(r.revoked_at),
    revokedBy: (r.revoked_by as string | null) ?? null,
    lastOpenedAt: date(r.last_opened_at),
    createdAt: date(r.created_at)!,
  };
}

/** Custom fields that carry the lead's own request, most specific first. */
const ASKED_FOR_FIELDS = ["service", "project", "request", "message", "details", "description", "comments", "comment", "notes", "note", "job"];

function askedFor(fields: Record<string, unknown> | null, source: string, seconds: number | null): string | null {
  const byKey = new Map(Object.entries(fields ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const said = ASKED_FOR_FIELDS.map((k) => byKey.get(k)).find((v): v is string => typeof v === "string" && v.trim() !== "");
  if (said) return said.trim().slice(0, 500);
  if (source === "call" && seconds !== null) return `Phoned in and talked for ${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return null;
}

export function repLinkRepository(db: DbOrTx): RepLinkRepository {
  const one = async (q: ReturnType<typeof sql>) => ((await db.execute(q)).rows as Row[])[0];
  return {
    async open(tokenHash, openedAt) {
      const r = await one(sql`
        with hit as (
          update rep_links set last_opened_at = ${openedAt.toISOString()}
          where token_hash = ${tokenHash} and revoked_at is null and expires_at > ${openedAt.toISOString()}
          returning id)
        select ${LINK_COLUMNS}, coalesce((select ${openedAt.toISOString()}::timestamptz from hit), k.last_opened_at) as opened,
          l.name, l.phone, l.zip, l.city, l.state, l.fields, l.source, l.received_at, l.call_conversation_seconds,
          cp.name as campaign, c.name as client_name, c.timezone
        from ${LINK_FROM}
          join leads l on l.id = k.lead_id join campaigns cp on cp.id = l.campaign_id join clients c on c.id = k.client_id
        where k.token_hash = ${tokenHash}`);
      if (!r) return null;
      const card: LeadCard = {
        clientName: r.client_name as string,
        timezone: r.timezone as string,
        name: (r.name as string | null) ?? null,
        phone: (r.phone as string | null) ?? null,
        zip: (r.zip as string | null) ?? null,
        city: (r.city as string | null) ?? null,
        state: (r.state as string | null) ?? null,
        askedFor: askedFor(r.fields as Record<string, unknown> | null, r.source as string, r.call_conversation_seconds === null ? null : Number(r.call_conversation_seconds)),
        source: r.source as LeadCard["source"],
        campaign: r.campaign as string,
        receivedAt: date(r.received_at)!,
      };
      return { link: { ...toLink(r), lastOpenedAt: date(r.opened) }, card };
    },
    async findById(id) {
      if (!isUuid(id)) return null;
      const r = await one(sql`select ${LINK_COLUMNS} from ${LINK_FROM} where k.id = ${id}`);
      return r ? toLink(r) : null;
    },
    async listForLead(leadId) {
      const r = (await db.execute(sql`select ${LINK_COLUMNS} from ${LINK_FROM} where k.lead_id = ${leadId} order by k.created_at, r.name`)).rows as Row[];
      return r.map(toLink);
    },
    async revoke(id, at, by) {
      await db.execute(sql`update rep_links set revoked_at = ${at.toISOString()}, revoked_by = ${by} where id = ${id} and revoked_at is null`);
      return this.findById(id);
    },
    async revokeAllOfLead(leadId, at, by) {
      const r = (await db.execute(sql`update rep_links set revoked_at = ${at.toISOString()}, revoked_by = ${by} where lead_id = ${leadId} and revoked_at is null returning id`)).rows as Row[];
      return r.map((x) => x.id as string);
    },
    async leadClientId(leadId) {
      const r = await one(sql`select client_id from leads where id = ${leadId}`);
      return r ? (r.client_id as string) : null;
    },
  };
}

export function repLinkStore(db: Db): Pick<RepLinkDeps, "repo" | "audit" | "transaction"> {
  return {
    repo: repLinkRepository(db),
    audit: auditLog(db),
    transaction: (fn) => db.transaction((tx) => fn({ repo: repLinkRepository(tx), audit: auditLog(tx) })),
  };
}
