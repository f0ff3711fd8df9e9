import { sql } from "drizzle-orm";
import type { EmailMessageRecord, EmailRecipientRecord, EmailStore } from "../../domain/notifications/ports";
import { executePrepared, type Db } from "../client";
import { loadEventFacts } from "./webhooks";

type Row = Record<string, unknown>;
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

const MESSAGE_COLUMNS = sql`m.id, m.client_id, m.event_id, m.event_type, m.lead_id, m.to_address, m.status, m.attempts, m.next_attempt_at, m.subject, m.text_body,
  m.html_body, m.captured, m.last_error, m.sent_at, m.created_at`;

const toRecipient = (r: Row): EmailRecipientRecord => ({
  id: r.id as string,
  clientId: r.client_id as string,
  email: r.email as string,
  events: (r.events as string[]) ?? [],
  enabled: Boolean(r.enabled),
  createdAt: new Date(r.created_at as string),
});

const toMessage = (r: Row): EmailMessageRecord => ({
  id: r.id as string,
  clientId: (r.client_id as string | null) ?? null,
  eventId: Number(r.event_id),
  eventType: r.event_type as string,
  leadId: (r.lead_id as string | null) ?? null,
  toAddress: r.to_address as string,
  status: r.status as EmailMessageRecord["status"],
  attempts: Number(r.attempts),
  nextAttemptAt: new Date(r.next_attempt_at as string),
  subject: (r.subject as string | null) ?? null,
  textBody: (r.text_body as string | null) ?? null,
  htmlBody: (r.html_body as string | null) ?? null,
  captured: Boolean(r.captured),
  lastError: (r.last_error as string | null) ?? null,
  sentAt: date(r.sent_at),
  createdAt: new Date(r.created_at as string),
});

/** A text[] from a parameter (a JSON array), so no value is spliced into the SQL. */
const textArray = (xs: string[]) => sql`array(select jsonb_array_elements_text(${JSON.stringify(xs)}::jsonb))`;

export function emailStore(db: Db): EmailStore {
  return {
    async createRecipient(r) {
      const [x] = (
        await db.execute(sql`insert into email_recipients (client_id, email, events) values (${r.clientId}, ${r.email}, ${textArray(r.events)})
          on conflict (client_id, email) do update set events = excluded.events, enabled = true
          returning id, client_id, email, events, enabled, created_at`)
      ).rows as Row[];
      return toRecipient(x!);
    },
    async listRecipients(clientId) {
      const r = await db.execute(sql`select id, client_id, email, events, enabled, created_at from email_recipients where ${clientId}::uuid is null or client_id = ${clientId}::uuid order by created_at, id`);
      return (r.rows as Row[]).map(toRecipient);
    },
    async findRecipient(id) {
      const [x] = (await db.execute(sql`select id, client_id, email, events, enabled, created_at from email_recipients where id = ${id}`)).rows as Row[];
      return x ? toRecipient(x) : null;
    },
    async removeRecipient(id) {
      await db.execute(sql`delete from email_recipients where id = ${id}`);
    },
    async listMessages(clientId, limit) {
      const r = await db.execute(sql`select ${MESSAGE_COLUMNS} from email_messages m where ${clientId}::uuid is null or m.client_id = ${clientId}::uuid order by m.created_at desc, m.id desc limit ${limit}`);
      return (r.rows as Row[]).map(toMessage);
    },
    async claim(id, now, leaseUntil) {
      const [x] = (
        await executePrepared(
          db,
          sql`update email_messages m set status = 'sending', attempts = m.attempts + 1, lease_until = ${leaseUntil.toISOString()}
              where m.id = ${id} and ((m.status = 'pending' and m.next_attempt_at <= ${now.toISOString()}) or (m.status = 'sending' and m.lease_until <= ${now.toISOString()}))
              returning ${MESSAGE_COLUMNS}`,
        )
      ).rows;
      if (x) return { claimed: true, message: toMessage(x) };
      const [y] = (await db.execute(sql`select ${MESSAGE_COLUMNS} from email_messages m where m.id = ${id}`)).rows as Row[];
      return { claimed: false, message: y ? toMessage(y) : null };
    },
    eventFacts: (eventId) => loadEventFacts(db, eventId),
    async freeze(id, m) {
      const [x] = (
        await db.execute(sql`with u as (update email_messages set subject = ${m.subject}, text_body = ${m.text}, html_body = ${m.html} where id = ${id} and subject is null returning subject, text_body, html_body)
          select * from u union all select subject, text_body, html_body from email_messages where id = ${id} and not exists (select 1 from u)`)
      ).rows as Row[];
      return x ? { subject: x.subject as string, text: x.text_body as string, html: x.html_body as string } : m;
    },
    async markSent(id, r) {
      await executePrepared(
        db,
        sql`update email_messages set status = 'sent', sent_at = ${r.at.toISOString()}, transport_message_id = ${r.messageId}, captured = ${r.captured}, lease_until = null, last_error = null
            where id = ${id} and status = 'sending'`,
      );
    },
    async markRetry(id, r) {
      await executePrepared(db, sql`update email_messages set status = 'pending', next_attempt_at = ${r.nextAttemptAt.toISOString()}, lease_until = null, last_error = ${r.error} where id = ${id} and status = 'sending'`);
    },
    async markFailed(id, r) {
      await executePrepared(db, sql`update email_messages set status = 'failed', lease_until = null, last_error = ${r.error} where id = ${id} and status = 'sending'`);
    },
  };
}
