import { sql, type SQL } from "drizzle-orm";
import type { CampaignRef, TrackingNumberRecord, TrackingNumberRepository } from "../../domain/calls/ports";
import type { DbOrTx } from "../client";
import { isUuid } from "../../domain/shared/formats";

type Row = Record<string, unknown>;

function toRecord(r: Row): TrackingNumberRecord {
  return {
    id: r.id as string,
    clientId: r.client_id as string,
    campaignId: r.campaign_id as string,
    campaignName: r.campaign_name as string,
    phoneNumber: r.phone_number as string,
    forwardTo: r.forward_to as string,
    record: Boolean(r.record),
    disclosureText: (r.disclosure_text as string | null) ?? null,
    whisperText: (r.whisper_text as string | null) ?? null,
    screenCalls: Boolean(r.screen_calls),
    fallbackNumber: (r.fallback_number as string | null) ?? null,
    voicemail: Boolean(r.voicemail),
    textBack: Boolean(r.text_back),
    twilioSid: (r.twilio_sid as string | null) ?? null,
    status: r.status as TrackingNumberRecord["status"],
    createdAt: new Date(r.created_at as string),
  };
}

const SELECT = sql`select t.*, c.name as campaign_name from tracking_numbers t join campaigns c on c.id = t.campaign_id`;

const COLUMNS: Record<string, string> = {
  campaignId: "campaign_id",
  forwardTo: "forward_to",
  record: "record",
  disclosureText: "disclosure_text",
  whisperText: "whisper_text",
  screenCalls: "screen_calls",
  fallbackNumber: "fallback_number",
  voicemail: "voicemail",
  textBack: "text_back",
  twilioSid: "twilio_sid",
  status: "status",
};

export function trackingNumberRepository(db: DbOrTx): TrackingNumberRepository {
  const one = async (where: SQL): Promise<TrackingNumberRecord | null> => {
    const r = await db.execute(sql`${SELECT} where ${where}`);
    const row = r.rows[0] as Row | undefined;
    return row ? toRecord(row) : null;
  };
  return {
    async findCampaign(id) {
      if (!isUuid(id)) return null;
      const r = await db.execute(sql`select id, client_id, name, status from campaigns where id = ${id}`);
      const c = r.rows[0] as Row | undefined;
      return c ? ({ id: c.id as string, clientId: c.client_id as string, name: c.name as string, status: c.status as CampaignRef["status"] } satisfies CampaignRef) : null;
    },
    findById: (id) => (isUuid(id) ? one(sql`t.id = ${id}`) : Promise.resolve(null)),
    findByNumber: (phoneNumber) => one(sql`t.phone_number = ${phoneNumber}`),
    async insert(n) {
      const r = await db.execute(sql`insert into tracking_numbers (client_id, campaign_id, phone_number, forward_to, record, disclosure_text, whisper_text, screen_calls, fallback_number, voicemail, text_back)
          values (${n.clientId}, ${n.campaignId}, ${n.phoneNumber}, ${n.forwardTo}, ${n.record}, ${n.disclosureText}, ${n.whisperText}, ${n.screenCalls}, ${n.fallbackNumber}, ${n.voicemail}, ${n.textBack})
          on conflict (phone_number) do nothing returning id`);
      const id = (r.rows[0] as { id: string } | undefined)?.id;
      return id ? one(sql`t.id = ${id}`) : null;
    },
    async update(id, patch) {
      const sets = Object.entries(patch)
        .filter(([k, v]) => v !== undefined && COLUMNS[k])
        .map(([k, v]) => sql`${sql.identifier(COLUMNS[k]!)} = ${v}`);
      if (sets.length > 0) await db.execute(sql`update tracking_numbers set ${sql.join(sets, sql`, `)} where id = ${id}`);
      return one(sql`t.id = ${id}`);
    },
    async list(f) {
      const where: SQL[] = [sql`true`];
      if (f.clientId) where.push(sql`t.client_id = ${f.clientId}`);
      if (f.campaignId) where.push(sql`t.campaign_id = ${f.campaignId}`);
      if (!f.includeReleased) where.push(sql`t.status = 'active'`);
      const r = await db.execute(sql`${SELECT} where ${sql.join(where, sql` and `)} order by t.created_at, t.phone_number`);
      return (r.rows as Row[]).map(toRecord);
    },
  };
}
