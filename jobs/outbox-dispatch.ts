import type { Deps } from "../server/deps";
import { LEAD_QUALIFIED, type DispatchOutcome } from "../server/domain/alerts/dispatch-lead-alerts";
import { ALERTS_SEND } from "./alerts-send";
import type { Enqueuer } from "./queue";
import { EMAILS_SEND, WEBHOOKS_DELIVER } from "./webhooks-deliver";


/**
 * One outbox event → alert rows (one transaction, see dispatchLeadQualified) → one `alerts.send`
 * job per new pending alert, enqueued after the commit. A failure is recorded on the event, which
 * stays unprocessed for the sweep; a lost enqueue is caught by the sweep's overdue-alert pass.
 */
export async function dispatchOutboxEvent(
  deps: Deps,
  eventId: number,
  enqueue: Enqueuer,
  /** When given, the enqueues are handed over instead of awaited (the listener frees its slot at commit). */
  detach?: (enqueues: Promise<unknown>) => void,
): Promise<DispatchOutcome | null> {
  let outcome: DispatchOutcome;
  try {
    outcome = await deps.alerts.dispatch(eventId);
  } catch (err) {
    deps.logger.error({ err, eventId }, "outbox event dispatch failed; the sweep will retry it");
    await deps.outbox.recordFailure(eventId, err instanceof Error ? err.message : String(err)).catch(() => undefined);
    return null;
  }
  if (outcome.kind === "dispatched" && outcome.pendingAlertIds.length > 0) {
    const enqueues = Promise.all(
      outcome.pendingAlertIds.map((alertId) =>
        enqueue.now(ALERTS_SEND, { alertId }).catch((err: unknown) => deps.logger.error({ err, alertId }, "could not enqueue alerts.send; the sweep will")),
      ),
    );
    if (detach) detach(enqueues);
    else await enqueues;
  } else if (outcome.kind === "ignored") {
    deps.logger.info({ eventId, note: outcome.note }, "outbox event consumed without alerts");
  }
  return outcome;
}

export interface SweepOptions {
  /**
   * How overdue a pending/sending alert must be before it is re-enqueued (default 60 s). Longer than
   * the worst queue lag you expect: a re-enqueue of an alert whose job is merely waiting is harmless
   * (the claim makes it a no-op) but adds work when the queue is already behind.
   */
  overdueGraceMs?: number;
  limit?: number;
  /** A delivery runner in this process picks up due webhooks and e-mails itself (decision 019): skip them here. */
  deliveriesHere?: boolean;
}

export interface SweepResult {
  /** Unprocessed events found and dispatched (or found busy). */
  events: number;
  /** Overdue alerts re-enqueued. */
  alerts: number;
  /** Overdue webhook deliveries and e-mails re-enqueued (a lost job, a crash between attempt and record). */
  deliveries: number;
}

/**
 * The safety net under LISTEN/NOTIFY (at-least-once): dispatches committed events nobody
 * processed (a missed notification, a listener that was down, a failed dispatch) and re-enqueues
 * alerts, webhook deliveries and e-mails stuck in `pending`/`sending` longer than the grace period
 * (a lost job, a crashed worker).
 */
export async function sweepOutbox(deps: Deps, enqueue: Enqueuer, opts: SweepOptions = {}): Promise<SweepResult> {
  const ids = await deps.outbox.unprocessed([LEAD_QUALIFIED], opts.limit ?? 100);
  for (const id of ids) await dispatchOutboxEvent(deps, id, enqueue);
  const overdue = await deps.alerts.overdue(opts.overdueGraceMs ?? 60_000, opts.limit ?? 200);
  await Promise.all(
    overdue.map((alertId) => enqueue.now(ALERTS_SEND, { alertId }).catch((err: unknown) => deps.logger.error({ err, alertId }, "could not re-enqueue alerts.send"))),
  );
  // Webhook deliveries and e-mails are rows from the moment their event commits (decision 014): only
  // the ones whose attempt went missing need picking up — due and untried past the grace period, or
  // `sending` past their lease.
  if (opts.deliveriesHere) {
    if (ids.length || overdue.length) deps.logger.info({ events: ids.length, alerts: overdue.length }, "outbox sweep picked up missed work");
    return { events: ids.length, alerts: overdue.length, deliveries: 0 };
  }
  const late = await deps.webhooks.overdue(opts.overdueGraceMs ?? 60_000, opts.limit ?? 200);
  await Promise.all([
    ...late.webhooks.map((deliveryId) => enqueue.now(WEBHOOKS_DELIVER, { deliveryId }).catch((err: unknown) => deps.logger.error({ err, deliveryId }, "could not re-enqueue webhooks.deliver"))),
    ...late.emails.map((emailId) => enqueue.now(EMAILS_SEND, { emailId }).catch((err: unknown) => deps.logger.error({ err, emailId }, "could not re-enqueue emails.send"))),
  ]);
  const deliveries = late.webhooks.length + late.emails.length;
  if (ids.length || overdue.length || deliveries) deps.logger.info({ events: ids.length, alerts: overdue.length, deliveries }, "outbox sweep picked up missed work");
  return { events: ids.length, alerts: overdue.length, deliveries };
}
