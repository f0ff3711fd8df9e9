import type { AuditLog } from "../audit/audit";
import type { Actor } from "../auth/roles";
import type { Clock } from "../shared/clock";
import type { WebhookAnswer } from "../shared/webhook-once";
import type { InboundSmsRepository, SmsWebhooks, StatusCallbackRepository } from "./ports";
import { alertStatusFromTwilio, canMove, describeSmsError, optedOutReason, smsErrorPermanence } from "./status";

/** What Twilio tells us after a send (POST /twilio/sms/status). */
export interface StatusCallbackInput {
  messageSid: string;
  messageStatus: string;
  errorCode: number | null;
  /** From the callback URL's query (we put it there when sending); null for unknown URLs. */
  alertId: string | null;
}

export type StatusCallbackOutcome =
  | { kind: "moved"; alertId: string; from: string; to: string }
  | { kind: "ignored"; reason: string };

/**
 * Moves the alert forward (sent → delivered | undelivered | failed), never backwards: a callback
 * that arrives late or out of order, or names a status we do not track, changes nothing.
 */
export async function applyStatusCallback(repo: StatusCallbackRepository, input: StatusCallbackInput, now: Date): Promise<StatusCallbackOutcome> {
  const to = alertStatusFromTwilio(input.messageStatus);
  if (!to) return { kind: "ignored", reason: `status ${input.messageStatus} is not tracked` };
  const alert = await repo.findForCallback(input.alertId, input.messageSid);
  if (!alert) return { kind: "ignored", reason: "no alert for this message" };
  if (alert.messageSid && alert.messageSid !== input.messageSid) return { kind: "ignored", reason: "the alert was sent as another message" };
  // We may have given up on an alert whose message Twilio did have: its receipt wins over our
  // failure. A failure Twilio reported stays final.
  const overGiveUp = alert.status === "failed" && alert.outcomeUnknown && (to === "sent" || to === "delivered");
  if (!canMove(alert.status, to) && !overGiveUp) return { kind: "ignored", reason: `alert is ${alert.status}; ${to} would not move it forward` };
  const failing = to === "failed" || to === "undelivered";
  const fallback = to === "undelivered" ? "the carrier could not deliver it" : input.messageStatus.toLowerCase() === "canceled" ? "Twilio canceled the message" : "Twilio could not send it";
  const temporary = smsErrorPermanence(input.errorCode) === "transient" ? "; temporary — a later message may get through" : "";
  const errorMessage = failing ? describeSmsError(input.errorCode, fallback) + temporary : null;
  const moved = await repo.advance(alert.id, { from: alert.status, to, messageSid: input.messageSid, at: now, errorCode: failing ? input.errorCode : null, errorMessage, overGiveUp });
  return moved ? { kind: "moved", alertId: alert.id, from: alert.status, to } : { kind: "ignored", reason: "changed concurrently" };
}

/**
 * Twilio's default keywords, matched on the whole message, any case (docs:
 * https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out — "STOP, UNSUBSCRIBE, END, QUIT,
 * STOPALL, REVOKE, OPTOUT, and CANCEL" — and help.twilio.com article 223134027 "Twilio support for
 * opt-out keywords": opt-in START, YES, UNSTOP; help HELP, INFO). With Advanced Opt-Out the
 * keywords are the messaging service's own (ARRET, COMENZAR …) and Twilio says which kind it matched
 * in `OptOutType`, which then decides.
 */
export const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]);
export const OPT_IN_KEYWORDS: ReadonlySet<string> = new Set(["START", "YES", "UNSTOP"]);
export const HELP_KEYWORDS: ReadonlySet<string> = new Set(["HELP", "INFO"]);

export type InboundKeyword = "opt_out" | "opt_in" | "help" | null;

/**
 * What an inbound SMS asks for. `optOutType` (Twilio's OptOutType: STOP, START or HELP, sent only
 * with Advanced Opt-Out) decides when present; else the body is matched like Twilio matches it: the
 * whole message, trimmed, any case (trailing punctuation ignored).
 */
export function inboundKeyword(body: string, optOutType?: string | null): InboundKeyword {
  switch (optOutType?.trim().toUpperCase()) {
    case "STOP":
      return "opt_out";
    case "START":
      return "opt_in";
    case "HELP":
      return "help";
  }
  const word = body.trim().replace(/[.!?]+$/, "").trim().toUpperCase();
  if (OPT_OUT_KEYWORDS.has(word)) return "opt_out";
  if (OPT_IN_KEYWORDS.has(word)) return "opt_in";
  if (HELP_KEYWORDS.has(word)) return "help";
  return null;
}

export function helpReplyText(agencyName: string, supportPhone: string | null | undefined): string {
  return `${agencyName} lead alerts. Reply STOP to opt out.${supportPhone ? ` Help: ${supportPhone}` : ""}`;
}

const INBOUND_ACTOR: Actor = { kind: "system", label: "sms-inbound" };

export interface InboundSmsInput {
  from: string;
  body: string;
  /** Twilio's OptOutType parameter (Advanced Opt-Out): STOP, START or HELP; null when absent. */
  optOutType?: string | null;
}

/**
 * An SMS to our number (POST /twilio/sms/inbound): opt-out words opt the sender out as an alert
 * recipient of every client and skip their alerts still waiting to be sent (with the reason),
 * opt-in words opt them back in. Twilio itself confirms STOP/START, and answers HELP on long codes
 * and with Advanced Opt-Out; we answer HELP only when `helpReply` is on and Twilio did not handle
 * it (no OptOutType). Returns the reply text, or null for no reply.
 */
export async function handleInboundSms(
  deps: { recipients: InboundSmsRepository; audit: AuditLog; agencyName: string; supportPhone?: string | null; helpReply?: boolean },
  input: InboundSmsInput,
  now: Date,
): Promise<{ keyword: InboundKeyword; reply: string | null; recipientsChanged: number; alertsSkipped: number }> {
  const keyword = inboundKeyword(input.body, input.optOutType);
  if (keyword === "help") {
    const reply = deps.helpReply && !input.optOutType ? helpReplyText(deps.agencyName, deps.supportPhone) : null;
    return { keyword, reply, recipientsChanged: 0, alertsSkipped: 0 };
  }
  if (keyword === "opt_out" || keyword === "opt_in") {
    const changed = keyword === "opt_out" ? await deps.recipients.optOut(input.from, now) : await deps.recipients.optIn(input.from);
    const alertsSkipped = keyword === "opt_out" && changed.length ? await deps.recipients.skipPendingAlerts(changed.map((r) => r.id), optedOutReason(now), now) : 0;
    for (const r of changed) {
      await deps.audit.record(INBOUND_ACTOR, {
        clientId: r.clientId,
        action: keyword === "opt_out" ? "alert_recipient.opted_out" : "alert_recipient.opted_in",
        entityType: "alert_recipient",
        entityId: r.id,
        after: { phone: input.from, keyword: input.body.trim().slice(0, 20), optOutType: input.optOutType ?? null, at: now.toISOString() },
      });
    }
    return { keyword, reply: null, recipientsChanged: changed.length, alertsSkipped };
  }
  return { keyword: null, reply: null, recipientsChanged: 0, alertsSkipped: 0 };
}

export interface SmsWebhookDeps {
  webhooks: SmsWebhooks;
  clock: Clock;
  agencyName: string;
  supportPhone?: string | null;
  helpReply?: boolean;
}

/**
 * POST /twilio/sms/status, exactly once per (MessageSid, status): the callback moves its alert in
 * the transaction that stores the event; a repeat gets the first answer. `render` makes the answer.
 */
export async function receiveStatusCallback(
  deps: SmsWebhookDeps,
  input: StatusCallbackInput & { payload: unknown },
  render: (outcome: StatusCallbackOutcome) => string,
): Promise<WebhookAnswer<StatusCallbackOutcome>> {
  let outcome: StatusCallbackOutcome | null = null;
  const { response, processed } = await deps.webhooks.once({ sid: input.messageSid, type: `sms-status:${input.messageStatus}`, payload: input.payload }, async (tx) => {
    outcome = await applyStatusCallback(tx.callbacks, input, deps.clock.now());
    return render(outcome);
  });
  return { response, processed, outcome };
}

export type InboundSmsOutcome = Awaited<ReturnType<typeof handleInboundSms>>;

/** POST /twilio/sms/inbound, exactly once per MessageSid: STOP / START / HELP (handleInboundSms). */
export async function receiveInboundSms(
  deps: SmsWebhookDeps,
  input: InboundSmsInput & { messageSid: string; payload: unknown },
  render: (outcome: InboundSmsOutcome) => string,
): Promise<WebhookAnswer<InboundSmsOutcome>> {
  let outcome: InboundSmsOutcome | null = null;
  const { response, processed } = await deps.webhooks.once({ sid: input.messageSid, type: "sms-inbound", payload: input.payload }, async (tx) => {
    outcome = await handleInboundSms({ recipients: tx.recipients, audit: tx.audit, agencyName: deps.agencyName, supportPhone: deps.supportPhone, helpReply: deps.helpReply }, input, deps.clock.now());
    return render(outcome);
  });
  return { response, processed, outcome };
}
