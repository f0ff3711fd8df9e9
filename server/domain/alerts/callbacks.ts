import type { AuditLog } from "../audit/audit";
import type { Actor } from "../auth/roles";
import type { InboundSmsRepository, StatusCallbackRepository } from "./ports";
import { alertStatusFromTwilio, canMove, describeSmsError } from "./status";

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
  const errorMessage = failing ? describeSmsError(input.errorCode, to === "undelivered" ? "the carrier could not deliver it" : "Twilio could not send it") : null;
  const moved = await repo.advance(alert.id, { from: alert.status, to, messageSid: input.messageSid, at: now, errorCode: failing ? input.errorCode : null, errorMessage, overGiveUp });
  return moved ? { kind: "moved", alertId: alert.id, from: alert.status, to } : { kind: "ignored", reason: "changed concurrently" };
}

const OPT_OUT = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const OPT_IN = new Set(["START", "YES", "UNSTOP"]);
const HELP = new Set(["HELP", "INFO"]);

export type InboundKeyword = "opt_out" | "opt_in" | "help" | null;

/** Like Twilio's own keyword handling: the whole message, trimmed, any case, trailing punctuation ignored. */
export function inboundKeyword(body: string): InboundKeyword {
  const word = body.trim().replace(/[.!?]+$/, "").trim().toUpperCase();
  if (OPT_OUT.has(word)) return "opt_out";
  if (OPT_IN.has(word)) return "opt_in";
  if (HELP.has(word)) return "help";
  return null;
}

export function helpReplyText(agencyName: string, supportPhone: string | null | undefined): string {
  return `${agencyName} lead alerts. Reply STOP to opt out.${supportPhone ? ` Help: ${supportPhone}` : ""}`;
}

const INBOUND_ACTOR: Actor = { kind: "system", label: "sms-inbound" };

/**
 * An SMS to our number (POST /twilio/sms/inbound): STOP-like words opt the sender out as an alert
 * recipient of every client, START-like words opt them back in, HELP answers with who we are.
 * Returns the reply text, or null for no reply (Twilio itself confirms STOP/START).
 */
export async function handleInboundSms(
  deps: { recipients: InboundSmsRepository; audit: AuditLog; agencyName: string; supportPhone?: string | null },
  input: { from: string; body: string },
  now: Date,
): Promise<{ keyword: InboundKeyword; reply: string | null; recipientsChanged: number }> {
  const keyword = inboundKeyword(input.body);
  if (keyword === "help") return { keyword, reply: helpReplyText(deps.agencyName, deps.supportPhone), recipientsChanged: 0 };
  if (keyword === "opt_out" || keyword === "opt_in") {
    const changed = keyword === "opt_out" ? await deps.recipients.optOut(input.from, now) : await deps.recipients.optIn(input.from);
    for (const r of changed) {
      await deps.audit.record(INBOUND_ACTOR, {
        clientId: r.clientId,
        action: keyword === "opt_out" ? "alert_recipient.opted_out" : "alert_recipient.opted_in",
        entityType: "alert_recipient",
        entityId: r.id,
        after: { phone: input.from, keyword: input.body.trim().slice(0, 20), at: now.toISOString() },
      });
    }
    return { keyword, reply: null, recipientsChanged: changed.length };
  }
  return { keyword: null, reply: null, recipientsChanged: 0 };
}
