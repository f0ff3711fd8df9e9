import { sql } from "drizzle-orm";
import { eachAlone, type GroupCommit } from "../group-commit";
import type {
  AlertListItem,
  AlertPosition,
  AlertReadRepository,
  AlertRecord,
  AlertSendRepository,
  ClaimResult,
  SmsWebhooks,
  StatusCallbackRepository,
} from "../../domain/alerts/ports";
import { executePrepared, query, queryPrepared, type Db, type DbOrTx } from "../client";
import { isUuid } from "../../domain/shared/formats";
import { ALERT_STATUS_RANK, statusRank, type AlertStatus } from "../../domain/alerts/status";
import { sqlCaseOf } from "../sql-values";
import { inboundSmsRepository } from "./alert-recipients";
import { auditLog } from "./audit";
import { handleWebhookOnce } from "./webhook-events";

const date = (v: string | Date | null | undefined): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v));

/** An alerts row as raw SQL gives it (ALERT_COLUMNS). */
export interface AlertRow {
  id: string;
  client_id: string;
  lead_id: string;
  recipient_id: string;
  to_phone: string;
  body: string;
  status: AlertStatus;
  attempts: number;
  message_sid: string | null;
  error_code: number | null;
  error_message: string | null;
  queued_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  next_attempt_at: string | null;
  outcome_unknown: boolean;
}

export function toAlertRecord(r: AlertRow): AlertRecord {
  return {
    id: r.id,
    clientId: r.client_id,
    leadId: r.lead_id,
    recipientId: r.recipient_id,
    toPhone: r.to_phone,
    body: r.body,
    status: r.status,
    attempts: Number(r.attempts),
    messageSid: r.message_sid ?? null,
    errorCode: r.error_code === null || r.error_code === undefined ? null : Number(r.error_code),
    errorMessage: r.error_message ?? null,
    queuedAt: date(r.queued_at)!,
    sentAt: date(r.sent_at),
    deliveredAt: date(r.delivered_at),
    failedAt: date(r.failed_at),
    nextAttemptAt: date(r.next_attempt_at),
    outcomeUnknown: r.outcome_unknown === true,
  };
}

/**
 * Every column `toAlertRecord` reads, named: the send path's statements are prepared (see
 * executePrepared), and a prepared `select *` fails once a migration adds a column to the table.
 */
const ALERT_COLUMNS = sql.raw(
  "id, client_id, lead_id, recipient_id, to_phone, body, status, attempts, message_sid, error_code, error_message, queued_at, sent_at, delivered_at, failed_at, next_attempt_at, outcome_unknown",
);

/** The send and status-callback path: fixed texts, run often — prepared once per connection. */
const alertRows = (db: DbOrTx, q: ReturnType<typeof sql>) => queryPrepared<AlertRow>(db, q);

/** The send job's data access. Every state change is a conditional UPDATE, safe under concurrency. */
export function alertSendRepository(db: Db, commits: GroupCommit = eachAlone(db)): AlertSendRepository {
  return {
    async claim(alertId, now, leaseUntil): Promise<ClaimResult> {
      if (!isUuid(alertId)) return { claimed: false, alert: null };
      // On the SMS's critical path: its own transaction, never waiting for a batch (decision 029).
      return db.transaction(async (tx) => {
        // The row lock makes a concurrent claim wait, then see our `sending` and back off.
        const [current] = await alertRows(tx, sql`select ${ALERT_COLUMNS} from alerts where id = ${alertId} for update`);
        if (!current) return { claimed: false, alert: null };
        const alert = toAlertRecord(current);
        const due = alert.nextAttemptAt === null || alert.nextAttemptAt.getTime() <= now.getTime();
        if (!(alert.status === "pending" || alert.status === "sending") || !due) return { claimed: false, alert };
        const [updated] = await alertRows(
          tx,
          sql`update alerts set status = 'sending', attempts = attempts + 1, next_attempt_at = ${leaseUntil.toISOString()}
              where id = ${alertId} returning ${ALERT_COLUMNS}`,
        );
        return { claimed: true, alert: toAlertRecord(updated!), previousStatus: alert.status };
      });
    },
    async markSent(alertId, sid, at) {
      // A status callback may have moved it on already (it names the alert in its URL): keep the later status.
      // Grouped with other sent-marks and status callbacks: the SMS is already on its way.
      await commits.run((tx) => executePrepared(tx, sql`update alerts set
            status = case when status in ('pending', 'sending') then 'sent' else status end,
            message_sid = coalesce(message_sid, ${sid}),
            sent_at = coalesce(sent_at, ${at.toISOString()}),
            next_attempt_at = null
          where id = ${alertId}`));
    },
    async scheduleRetry(alertId, r) {
      await executePrepared(db, sql`update alerts set status = ${r.status}, next_attempt_at = ${r.nextAttemptAt.toISOString()},
            error_code = ${r.errorCode}, error_message = ${r.errorMessage}
          where id = ${alertId} and status in ('pending', 'sending')`);
    },
    async markFailed(alertId, r) {
      await executePrepared(db, sql`update alerts set status = 'failed', error_code = ${r.errorCode}, error_message = ${r.errorMessage},
            failed_at = ${r.at.toISOString()}, next_attempt_at = null, outcome_unknown = ${r.outcomeUnknown ?? false},
            message_sid = coalesce(message_sid, ${r.messageSid ?? null}::text)
          where id = ${alertId} and status in ('pending', 'sending')`);
    },
  };
}

const RANK_SQL = sqlCaseOf(sql`status`, ALERT_STATUS_RANK);

export function statusCallbackRepository(db: DbOrTx): StatusCallbackRepository {
  return {
    async findForCallback(alertId, messageSid) {
      const byId = alertId && isUuid(alertId) ? await alertRows(db, sql`select ${ALERT_COLUMNS} from alerts where id = ${alertId} for update`) : [];
      const r = byId[0] ?? (await alertRows(db, sql`select ${ALERT_COLUMNS} from alerts where message_sid = ${messageSid} for update`))[0];
      return r ? toAlertRecord(r) : null;
    },
    async advance(alertId, r) {
      const toRank = statusRank(r.to);
      const res = await queryPrepared<{ id: string }>(
        db,
        sql`update alerts set
              status = ${r.to},
              message_sid = coalesce(message_sid, ${r.messageSid}),
              sent_at = coalesce(sent_at, ${r.at.toISOString()}),
              delivered_at = case when ${r.to} = 'delivered' then ${r.at.toISOString()}::timestamptz else delivered_at end,
              failed_at = case when ${r.to} in ('failed', 'undelivered') then ${r.at.toISOString()}::timestamptz
                               when ${r.to} in ('sent', 'delivered') and status = 'failed' then null else failed_at end,
              error_code = case when ${r.to} in ('failed', 'undelivered') then ${r.errorCode}::int
                                when ${r.to} in ('sent', 'delivered') and status = 'failed' then null else error_code end,
              error_message = case when ${r.to} in ('failed', 'undelivered') then ${r.errorMessage}::text
                                   when ${r.to} = 'delivered' or status = 'failed' then null else error_message end,
              outcome_unknown = false,
              next_attempt_at = null
            where id = ${alertId}
              and (${RANK_SQL} < ${toRank}
                or (${r.overGiveUp ?? false} and status = 'failed' and outcome_unknown and ${r.to} in ('sent', 'delivered')))
            returning id`,
      );
      return res.length > 0;
    },
  };
}

/** Speed to lead: counts, and seconds as percentile_cont gives them (float8). */
interface SpeedRow {
  leads: number;
  sent_leads: number;
  sent_p50: number | null;
  sent_p90: number | null;
  delivered_leads: number;
  delivered_p50: number | null;
  delivered_p90: number | null;
}

export function alertReadRepository(db: DbOrTx): AlertReadRepository {
  return {
    async list(f) {
      const rank = sql`(case a.status when 'failed' then 0 when 'undelivered' then 0 when 'skipped' then 1 else 2 end)`;
      const conds = [sql`true`];
      if (f.clientId) conds.push(sql`a.client_id = ${f.clientId}`);
      if (f.status) conds.push(sql`a.status = ${f.status}`);
      if (f.leadId) conds.push(sql`a.lead_id = ${f.leadId}`);
      if (f.after) {
        const { rank: r, createdAt: c, id } = f.after;
        conds.push(sql`(${rank} > ${r}::int or (${rank} = ${r}::int and (a.created_at < ${c}::timestamptz or (a.created_at = ${c}::timestamptz and a.id > ${id}::uuid))))`);
      }
      const r = await query<AlertRow & { recipient_name: string; lead_received_at: string; position_rank: number; position_created_at: string }>(
        db,
        sql`select a.*, r.name as recipient_name, l.received_at as lead_received_at, ${rank} as position_rank,
              to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position_created_at
            from alerts a join alert_recipients r on r.id = a.recipient_id join leads l on l.id = a.lead_id
            where ${sql.join(conds, sql` and `)}
            order by ${rank}, a.created_at desc, a.id
            limit ${f.limit}`,
      );
      return r.map((x): AlertListItem & { position: AlertPosition } => ({
        ...toAlertRecord(x),
        recipientName: x.recipient_name,
        leadReceivedAt: date(x.lead_received_at)!,
        position: { rank: Number(x.position_rank), createdAt: String(x.position_created_at), id: x.id },
      }));
    },
    async speedToLead(f) {
      const conds = [sql`true`];
      if (f.clientId) conds.push(sql`l.client_id = ${f.clientId}`);
      if (f.from) conds.push(sql`l.received_at >= ${f.from.toISOString()}`);
      if (f.to) conds.push(sql`l.received_at < ${f.to.toISOString()}`);
      const [r] = await query<SpeedRow>(
        db,
        sql`with per_lead as (
              select l.id, l.received_at, min(a.sent_at) as sent_at, min(a.delivered_at) as delivered_at
              from leads l join alerts a on a.lead_id = l.id and a.status <> 'skipped'
              where ${sql.join(conds, sql` and `)}
              group by l.id, l.received_at)
            select count(*)::int as leads,
              count(sent_at)::int as sent_leads,
              percentile_cont(0.5) within group (order by extract(epoch from sent_at - received_at)) filter (where sent_at is not null) as sent_p50,
              percentile_cont(0.9) within group (order by extract(epoch from sent_at - received_at)) filter (where sent_at is not null) as sent_p90,
              count(delivered_at)::int as delivered_leads,
              percentile_cont(0.5) within group (order by extract(epoch from delivered_at - received_at)) filter (where delivered_at is not null) as delivered_p50,
              percentile_cont(0.9) within group (order by extract(epoch from delivered_at - received_at)) filter (where delivered_at is not null) as delivered_p90
            from per_lead`,
      );
      const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);
      return {
        leads: Number(r?.leads ?? 0),
        sentLeads: Number(r?.sent_leads ?? 0),
        sentP50Seconds: num(r?.sent_p50),
        sentP90Seconds: num(r?.sent_p90),
        deliveredLeads: Number(r?.delivered_leads ?? 0),
        deliveredP50Seconds: num(r?.delivered_p50),
        deliveredP90Seconds: num(r?.delivered_p90),
      };
    },
  };
}

/**
 * Alerts the sweep should (re-)enqueue: `pending` or `sending` whose next attempt (or lease) is
 * more than `graceMs` overdue — their job was lost (a crash between commit and enqueue, a worker
 * that died mid-send). Touches next_attempt_at so the next sweep leaves them alone for another
 * grace period; skips rows another sweep is handling.
 */
export async function overdueAlertIds(db: DbOrTx, now: Date, graceMs: number, limit = 200): Promise<string[]> {
  const cutoff = new Date(now.getTime() - graceMs).toISOString();
  const r = await query<{ id: string }>(
    db,
    sql`update alerts set next_attempt_at = ${now.toISOString()}
        where id in (
          select id from alerts
          where status in ('pending', 'sending') and coalesce(next_attempt_at, queued_at) < ${cutoff}
          order by coalesce(next_attempt_at, queued_at)
          limit ${limit}
          for update skip locked)
        returning id`,
  );
  return r.map((x) => x.id);
}

/** Twilio's SMS webhooks, each processed once per (sid, type) in one transaction with its work. */
export function smsWebhooks(db: Db, commits: GroupCommit = eachAlone(db)): SmsWebhooks {
  return {
    once: (event, work) =>
      handleWebhookOnce(commits, event, (tx) => work({ callbacks: statusCallbackRepository(tx), recipients: inboundSmsRepository(tx), audit: auditLog(tx) })),
  };
}
