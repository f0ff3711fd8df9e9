import { eq, sql } from "drizzle-orm";
import type { CallLead, CallReadRepository, CallTx, CallWebhooks, MissedCallTextStore, RecordingFacts } from "../../domain/calls/ports";
import { query, type Db, type DbOrTx } from "../client";
import { campaigns, leads, trackingNumbers } from "../schema";
import { intakeTx } from "./intake";
import { callSessionMatch } from "./attribution";
import { handleWebhookOnce } from "./webhook-events";
import { eachAlone } from "../group-commit";
import { isUuid } from "../../domain/shared/formats";

/** `select l.*` of a call lead plus its client's time zone and phone country (raw: it is locked `for update of l`). */
interface CallLeadRow {
  id: string;
  client_id: string;
  campaign_id: string;
  tracking_number_id: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  zip: string | null;
  state: string | null;
  city: string | null;
  fields: Record<string, unknown> | null;
  raw_payload: unknown;
  received_at: string;
  call_sid: string | null;
  call_from: string | null;
  status: CallLead["status"];
  timezone: string;
  phone_country: string;
  call_conversation_seconds: number | null;
  call_dial_status: string | null;
  call_screening: CallLead["callScreening"];
}

function toCallLead(r: CallLeadRow): CallLead {
  return {
    id: r.id,
    clientId: r.client_id,
    campaignId: r.campaign_id,
    source: "call",
    trackingNumberId: r.tracking_number_id ?? null,
    name: r.name ?? null,
    phone: r.phone ?? null,
    email: r.email ?? null,
    zip: r.zip ?? null,
    state: r.state ?? null,
    city: r.city ?? null,
    fields: r.fields ?? {},
    rawPayload: r.raw_payload,
    consent: null,
    receivedAt: new Date(r.received_at),
    callSid: r.call_sid ?? null,
    callFrom: r.call_from ?? null,
    status: r.status,
    timezone: r.timezone,
    phoneCountry: r.phone_country,
    call: {
      conversationSeconds: r.call_conversation_seconds ?? null,
      dialStatus: r.call_dial_status ?? null,
    },
    callScreening: r.call_screening ?? null,
  };
}

interface RecordingEventRow {
  recording_sid: string;
  status: string;
  recording_url: string | null;
  duration_seconds: number | null;
  note: string | null;
  received_at: string;
}

function toRecordingFacts(r: RecordingEventRow): RecordingFacts {
  return {
    recordingSid: r.recording_sid,
    status: r.status === "absent" ? "absent" : "completed",
    recordingUrl: r.recording_url ?? null,
    durationSeconds: r.duration_seconds ?? null,
    note: r.note ?? null,
  };
}

interface RouteRow {
  id: string;
  client_id: string;
  campaign_id: string;
  campaign_name: string;
  phone_number: string;
  forward_to: string;
  record: boolean;
  disclosure_text: string | null;
  screen_calls: boolean;
  timezone: string;
  phone_country: string;
}

/** The intake transaction (one way to store and judge leads) plus the call-specific steps. */
// eslint-disable-next-line max-lines-per-function -- one short method per port operation
export function callTx(db: DbOrTx): CallTx {
  return {
    ...intakeTx(db),
    callSessionMatch: (trackingNumberId, now) => callSessionMatch(db, trackingNumberId, now),
    async findRoute(phoneNumber) {
      const r = await query<RouteRow>(
        db,
        sql`select t.id, t.client_id, t.campaign_id, cp.name as campaign_name, t.phone_number, t.forward_to, t.record, t.disclosure_text, t.screen_calls, c.timezone, c.phone_country
            from tracking_numbers t join clients c on c.id = t.client_id join campaigns cp on cp.id = t.campaign_id
            where t.phone_number = ${phoneNumber} and t.status = 'active' and c.status <> 'archived'`,
      );
      const t = r[0];
      return t
        ? {
            trackingNumberId: t.id,
            clientId: t.client_id,
            campaignId: t.campaign_id,
            campaignName: t.campaign_name,
            phoneNumber: t.phone_number,
            forwardTo: t.forward_to,
            record: Boolean(t.record),
            disclosureText: t.disclosure_text ?? null,
            screenCalls: Boolean(t.screen_calls),
            timezone: t.timezone,
            phoneCountry: t.phone_country,
          }
        : null;
    },
    async lockCallLead(callSid) {
      const r = await query<CallLeadRow>(
        db,
        sql`select l.*, c.timezone, c.phone_country from leads l join clients c on c.id = l.client_id where l.call_sid = ${callSid} for update of l`,
      );
      return r[0] ? toCallLead(r[0]) : null;
    },
    async saveDialOutcome(leadId, call) {
      await db.execute(sql`update leads set call_conversation_seconds = ${call.conversationSeconds}, call_dial_status = ${call.dialStatus} where id = ${leadId}`);
    },
    async saveRecording(callSid, rec) {
      const r =
        rec.status === "completed"
          ? await query<{ id: string }>(
              db,
              sql`update leads set recording_sid = ${rec.recordingSid}, recording_url = ${rec.recordingUrl}, recording_duration_seconds = ${rec.durationSeconds},
                    recording_status = 'completed', recording_note = null
                  where call_sid = ${callSid} returning id`,
            )
          : // "No recording" never hides one we have (a voicemail after an unanswered, unrecorded dial).
            await query<{ id: string }>(
              db,
              sql`update leads set recording_status = case when recording_sid is null then 'absent' else recording_status end,
                    recording_note = case when recording_sid is null then ${rec.note} else recording_note end
                  where call_sid = ${callSid} returning id`,
            );
      return r[0]?.id ?? null;
    },
    async keepRecording(callSid, rec) {
      await db.execute(
        sql`insert into call_recording_events (recording_sid, call_sid, status, recording_url, duration_seconds, note)
            values (${rec.recordingSid}, ${callSid}, ${rec.status}, ${rec.recordingUrl}, ${rec.durationSeconds}, ${rec.note})
            on conflict (recording_sid) do nothing`,
      );
    },
    async takeKeptRecordings(callSid) {
      const r = await query<RecordingEventRow>(
        db,
        sql`update call_recording_events set attached_at = now() where call_sid = ${callSid} and attached_at is null
            returning recording_sid, status, recording_url, duration_seconds, note, received_at`,
      );
      return r.sort((a, b) => new Date(a.received_at).getTime() - new Date(b.received_at).getTime()).map(toRecordingFacts);
    },
    async startScreening(leadId) {
      await db.execute(sql`update leads set call_screening = 'pending' where id = ${leadId}`);
    },
    async screen(callSid, result) {
      const r = await query<{ call_screening: "pending" | "accepted" | "not_accepted" | null }>(
        db,
        sql`update leads set call_screening = case when call_screening = 'pending' then ${result} else call_screening end
            where call_sid = ${callSid} returning call_screening`,
      );
      return r[0]?.call_screening ?? null;
    },
    async missedCallOptions(trackingNumberId) {
      const [t] = await db
        .select({ fallbackNumber: trackingNumbers.fallbackNumber, voicemail: trackingNumbers.voicemail, textBack: trackingNumbers.textBack })
        .from(trackingNumbers)
        .where(eq(trackingNumbers.id, trackingNumberId));
      return t ? { fallbackNumber: t.fallbackNumber ?? null, voicemail: Boolean(t.voicemail), textBack: Boolean(t.textBack) } : null;
    },
    async claimMissedCallText(m) {
      const r = await query<{ id: string }>(
        db,
        sql`insert into missed_call_texts (client_id, lead_id, phone, day) values (${m.clientId}, ${m.leadId}, ${m.phone}, ${m.day}::date)
            on conflict on constraint missed_call_texts_once_a_day do nothing returning id`,
      );
      return r[0]?.id ?? null;
    },
    async findEarlierDuplicateBefore(clientId, contact, since, before) {
      if (!contact.phone && !contact.email) return null;
      const at = before.receivedAt.toISOString();
      const [d] = await query<{ id: string; received_at: string; matched: "phone" | "email" }>(
        db,
        sql`select id, received_at, matched from (
              (select id, received_at, 'phone' as matched from leads
                where ${contact.phone}::text is not null and client_id = ${clientId} and phone = ${contact.phone} and received_at >= ${since.toISOString()} and not is_test
                  and (received_at, id) < (${at}::timestamptz, ${before.leadId}::uuid)
                order by received_at desc limit 1)
              union all
              (select id, received_at, 'email' as matched from leads
                where ${contact.email}::text is not null and client_id = ${clientId} and email = ${contact.email} and received_at >= ${since.toISOString()} and not is_test
                  and (received_at, id) < (${at}::timestamptz, ${before.leadId}::uuid)
                order by received_at desc limit 1)
            ) d order by received_at desc limit 1`,
      );
      return d ? { leadId: d.id, matchedOn: d.matched, receivedAt: new Date(d.received_at) } : null;
    },
  };
}

/** Exactly-once webhook processing (webhook_events) with the work running on a CallTx. */
export function callWebhooks(db: Db): CallWebhooks {
  return {
    once: (event, work) => handleWebhookOnce(eachAlone(db), event, (tx) => work(callTx(tx))),
  };
}

/** The missed-call text's outcome, written after the send. */
export function missedCallTextStore(db: DbOrTx): MissedCallTextStore {
  return {
    async markSent(id, messageSid) {
      await db.execute(sql`update missed_call_texts set status = 'sent', message_sid = ${messageSid} where id = ${id}`);
    },
    async markFailed(id, reason) {
      await db.execute(sql`update missed_call_texts set status = 'failed', error_message = ${reason} where id = ${id}`);
    },
  };
}

export function callReadRepository(db: DbOrTx): CallReadRepository {
  return {
    async campaignName(campaignId) {
      if (!isUuid(campaignId)) return null;
      const [c] = await db.select({ name: campaigns.name }).from(campaigns).where(eq(campaigns.id, campaignId));
      return c?.name ?? null;
    },
    async trackingNumberWhisper(id) {
      if (!isUuid(id)) return null;
      const [t] = await db.select({ campaignId: trackingNumbers.campaignId, whisperText: trackingNumbers.whisperText }).from(trackingNumbers).where(eq(trackingNumbers.id, id));
      return t ? { campaignId: t.campaignId, whisperText: t.whisperText ?? null } : null;
    },
    async leadOfCall(callSid) {
      const [l] = await db.select({ id: leads.id, status: leads.status }).from(leads).where(eq(leads.callSid, callSid));
      return l ? { id: l.id, status: l.status as "received" | "qualified" | "rejected" } : null;
    },
    async recordingOfLead(leadId) {
      if (!isUuid(leadId)) return null;
      const [l] = await db.select({ clientId: leads.clientId, recordingSid: leads.recordingSid }).from(leads).where(eq(leads.id, leadId));
      return l ? { clientId: l.clientId, recordingSid: l.recordingSid ?? null } : null;
    },
  };
}
