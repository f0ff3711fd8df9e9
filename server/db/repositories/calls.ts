import { sql } from "drizzle-orm";
import type { CallLead, CallReadRepository, CallTx, CallWebhooks, MissedCallTextStore, RecordingFacts } from "../../domain/calls/ports";
import type { Db, DbOrTx } from "../client";
import { intakeTx } from "./intake";
import { callSessionMatch } from "./attribution";
import { handleWebhookOnce } from "./webhook-events";
import { isUuid } from "../../domain/shared/formats";

type Row = Record<string, unknown>;

async function rows(db: DbOrTx, q: ReturnType<typeof sql>): Promise<Row[]> {
  return (await db.execute(q)).rows as Row[];
}

function toCallLead(r: Row): CallLead {
  return {
    id: r.id as string,
    clientId: r.client_id as string,
    campaignId: r.campaign_id as string,
    source: "call",
    trackingNumberId: (r.tracking_number_id as string | null) ?? null,
    name: (r.name as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    zip: (r.zip as string | null) ?? null,
    state: (r.state as string | null) ?? null,
    city: (r.city as string | null) ?? null,
    fields: (r.fields as Record<string, unknown>) ?? {},
    rawPayload: r.raw_payload,
    consent: null,
    receivedAt: new Date(r.received_at as string),
    callSid: (r.call_sid as string | null) ?? null,
    callFrom: (r.call_from as string | null) ?? null,
    status: r.status as CallLead["status"],
    timezone: r.timezone as string,
    phoneCountry: r.phone_country as string,
    call: {
      conversationSeconds: (r.call_conversation_seconds as number | null) ?? null,
      dialStatus: (r.call_dial_status as string | null) ?? null,
    },
    callScreening: (r.call_screening as CallLead["callScreening"]) ?? null,
  };
}

function toRecordingFacts(r: Row): RecordingFacts {
  return {
    recordingSid: r.recording_sid as string,
    status: r.status === "absent" ? "absent" : "completed",
    recordingUrl: (r.recording_url as string | null) ?? null,
    durationSeconds: (r.duration_seconds as number | null) ?? null,
    note: (r.note as string | null) ?? null,
  };
}

/** The intake transaction (one way to store and judge leads) plus the call-specific steps. */
export function callTx(db: DbOrTx): CallTx {
  return {
    ...intakeTx(db),
    callSessionMatch: (trackingNumberId, now) => callSessionMatch(db, trackingNumberId, now),
    async findRoute(phoneNumber) {
      const r = await rows(
        db,
        sql`select t.id, t.client_id, t.campaign_id, cp.name as campaign_name, t.phone_number, t.forward_to, t.record, t.disclosure_text, t.screen_calls, c.timezone, c.phone_country
            from tracking_numbers t join clients c on c.id = t.client_id join campaigns cp on cp.id = t.campaign_id
            where t.phone_number = ${phoneNumber} and t.status = 'active' and c.status <> 'archived'`,
      );
      const t = r[0];
      return t
        ? {
            trackingNumberId: t.id as string,
            clientId: t.client_id as string,
            campaignId: t.campaign_id as string,
            campaignName: t.campaign_name as string,
            phoneNumber: t.phone_number as string,
            forwardTo: t.forward_to as string,
            record: Boolean(t.record),
            disclosureText: (t.disclosure_text as string | null) ?? null,
            screenCalls: Boolean(t.screen_calls),
            timezone: t.timezone as string,
            phoneCountry: t.phone_country as string,
          }
        : null;
    },
    async lockCallLead(callSid) {
      const r = await rows(
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
          ? await rows(
              db,
              sql`update leads set recording_sid = ${rec.recordingSid}, recording_url = ${rec.recordingUrl}, recording_duration_seconds = ${rec.durationSeconds},
                    recording_status = 'completed', recording_note = null
                  where call_sid = ${callSid} returning id`,
            )
          : // "No recording" never hides one we have (a voicemail after an unanswered, unrecorded dial).
            await rows(
              db,
              sql`update leads set recording_status = case when recording_sid is null then 'absent' else recording_status end,
                    recording_note = case when recording_sid is null then ${rec.note} else recording_note end
                  where call_sid = ${callSid} returning id`,
            );
      return (r[0]?.id as string | undefined) ?? null;
    },
    async keepRecording(callSid, rec) {
      await db.execute(
        sql`insert into call_recording_events (recording_sid, call_sid, status, recording_url, duration_seconds, note)
            values (${rec.recordingSid}, ${callSid}, ${rec.status}, ${rec.recordingUrl}, ${rec.durationSeconds}, ${rec.note})
            on conflict (recording_sid) do nothing`,
      );
    },
    async takeKeptRecordings(callSid) {
      const r = await rows(
        db,
        sql`update call_recording_events set attached_at = now() where call_sid = ${callSid} and attached_at is null
            returning recording_sid, status, recording_url, duration_seconds, note, received_at`,
      );
      return r.sort((a, b) => new Date(a.received_at as string).getTime() - new Date(b.received_at as string).getTime()).map(toRecordingFacts);
    },
    async startScreening(leadId) {
      await db.execute(sql`update leads set call_screening = 'pending' where id = ${leadId}`);
    },
    async screen(callSid, result) {
      const r = await rows(
        db,
        sql`update leads set call_screening = case when call_screening = 'pending' then ${result} else call_screening end
            where call_sid = ${callSid} returning call_screening`,
      );
      return (r[0]?.call_screening as "pending" | "accepted" | "not_accepted" | null | undefined) ?? null;
    },
    async missedCallOptions(trackingNumberId) {
      const r = await rows(db, sql`select fallback_number, voicemail, text_back from tracking_numbers where id = ${trackingNumberId}`);
      const t = r[0];
      return t ? { fallbackNumber: (t.fallback_number as string | null) ?? null, voicemail: Boolean(t.voicemail), textBack: Boolean(t.text_back) } : null;
    },
    async claimMissedCallText(m) {
      const r = await rows(
        db,
        sql`insert into missed_call_texts (client_id, lead_id, phone, day) values (${m.clientId}, ${m.leadId}, ${m.phone}, ${m.day}::date)
            on conflict on constraint missed_call_texts_once_a_day do nothing returning id`,
      );
      return (r[0]?.id as string | undefined) ?? null;
    },
    async findEarlierDuplicateBefore(clientId, contact, since, before) {
      if (!contact.phone && !contact.email) return null;
      const at = before.receivedAt.toISOString();
      const r = await rows(
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
      const d = r[0];
      return d ? { leadId: d.id as string, matchedOn: d.matched as "phone" | "email", receivedAt: new Date(d.received_at as string) } : null;
    },
  };
}

/** Exactly-once webhook processing (webhook_events) with the work running on a CallTx. */
export function callWebhooks(db: Db): CallWebhooks {
  return {
    once: (event, work) => handleWebhookOnce(db, event, (tx) => work(callTx(tx))),
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
      const r = await rows(db, sql`select name from campaigns where id = ${campaignId}`);
      return (r[0]?.name as string | undefined) ?? null;
    },
    async trackingNumberWhisper(id) {
      if (!isUuid(id)) return null;
      const r = await rows(db, sql`select campaign_id, whisper_text from tracking_numbers where id = ${id}`);
      return r[0] ? { campaignId: r[0].campaign_id as string, whisperText: (r[0].whisper_text as string | null) ?? null } : null;
    },
    async leadOfCall(callSid) {
      const r = await rows(db, sql`select id, status from leads where call_sid = ${callSid}`);
      return r[0] ? { id: r[0].id as string, status: r[0].status as "received" | "qualified" | "rejected" } : null;
    },
    async recordingOfLead(leadId) {
      if (!isUuid(leadId)) return null;
      const r = await rows(db, sql`select client_id, recording_sid from leads where id = ${leadId}`);
      return r[0] ? { clientId: r[0].client_id as string, recordingSid: (r[0].recording_sid as string | null) ?? null } : null;
    },
  };
}
