import { contactLockKeys, judgeInTransaction, recordJudgement } from "../leads/judge";
import type { IntakeTx } from "../leads/ports";
import { normalizePhone } from "../leads/normalize";
import type { CallFacts } from "../qualification/lead-input";
import type { VerdictReason } from "../qualification/verdict";
import { parseInput } from "../shared/parse";
import { dialCompleteInput, screenCallInput, type DialCompleteInput, type ScreenCallInput } from "./inputs";
import type { CallDeps, CallLead, CallTx, WebhookAnswer } from "./ports";

/** After a missed call (not answered, busy, failed or not accepted): what the caller gets next. */
export type MissedCallNext =
  | { kind: "fallback_dial"; to: string }
  | { kind: "voicemail" }
  | { kind: "hang_up" };

/** The missed-call text claimed for this call (sent after the commit), or null. */
export interface MissedCallText {
  id: string;
  to: string;
}

export type CompleteDialOutcome =
  | { kind: "unknown_call"; callSid: string }
  /** The business missed the call; the fallback number is dialled before the call is judged. */
  | { kind: "fallback"; leadId: string; to: string }
  /** The call's lead was already judged (cannot happen with one dial per call; kept safe). */
  | { kind: "already_judged"; leadId: string; status: "qualified" | "rejected" }
  /** No contract version was in force when the call came in: the lead waits, unjudged. */
  | { kind: "no_contract"; leadId: string }
  | {
      kind: "judged";
      leadId: string;
      status: "qualified" | "rejected";
      billable: boolean;
      chargedCents: number;
      reasons: VerdictReason[];
      /** Set when the call was missed: voicemail or hang up. */
      next: MissedCallNext | null;
      textBack: MissedCallText | null;
    };

const NOT_CONNECTED = new Set(["busy", "no-answer", "failed", "canceled", "not_accepted"]);

/** The sentence of the missed-call text. */
export const MISSED_CALL_TEXT = "Sorry we missed you — we'll call you back";

/** Conversation length: DialCallDuration; Twilio omits it when the business never answered (then 0). */
export function callFacts(dialCallStatus: string | null, dialCallDuration: number | null): CallFacts {
  const status = dialCallStatus ? dialCallStatus.toLowerCase() : null;
  const conversationSeconds = dialCallDuration ?? (status && NOT_CONNECTED.has(status) ? 0 : null);
  return { conversationSeconds, dialStatus: status };
}

/**
 * docs/architecture.md flow 2, second step: the forwarded leg ended. The conversation length and dial status
 * are stored on the call's lead, and the lead is judged in the same transaction with the contract
 * version in force when the call came in — exactly like a form lead: contact locks, verdict, lead
 * charge and the lead.qualified event (alerts and billing hang off those).
 */
export async function completeDial(
  deps: CallDeps,
  raw: DialCompleteInput,
  render: (outcome: CompleteDialOutcome) => string,
): Promise<WebhookAnswer<CompleteDialOutcome>> {
  const input = parseInput(dialCompleteInput, raw);
  let outcome: CompleteDialOutcome | null = null;
  const type = input.leg === "fallback" ? "dial-complete:fallback" : "dial-complete";
  const { response, processed } = await deps.webhooks.once({ sid: input.callSid, type, payload: input.params }, async (tx) => {
    outcome = await endDial(deps, tx, input.callSid, input.leg, input.dialCallStatus, input.dialCallDuration);
    return render(outcome);
  });
  return { response, processed, outcome: processed ? outcome : null };
}

/** YYYY-MM-DD of `at` in the time zone (the client's calendar day). */
function localDay(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/**
 * A Dial ended (the first, or the fallback number's). With screening on, a call the business did
 * not accept with 1 counts as `not_accepted` whatever Twilio says of the leg (a voicemail that
 * picked up "answered" it): no conversation, never billed. A missed first leg goes to the fallback
 * number before anything is judged; a missed last leg is judged and gets the voicemail (or a hang
 * up) and, when the number says so, one missed-call text per caller and day.
 */
async function endDial(deps: CallDeps, tx: CallTx, callSid: string, leg: "first" | "fallback", dialCallStatus: string | null, dialCallDuration: number | null): Promise<CompleteDialOutcome> {
  const stored = await tx.lockCallLead(callSid);
  if (!stored) return { kind: "unknown_call", callSid };
  const notAccepted = leg === "first" && stored.callScreening !== null && stored.callScreening !== "accepted";
  if (notAccepted && stored.callScreening === "pending") await tx.screen(callSid, "not_accepted");
  const facts = notAccepted ? callFacts("not_accepted", 0) : callFacts(dialCallStatus, dialCallDuration);
  const missed = facts.dialStatus !== null && NOT_CONNECTED.has(facts.dialStatus);
  const options = missed && stored.trackingNumberId ? await tx.missedCallOptions(stored.trackingNumberId) : null;
  if (missed && leg === "first" && options?.fallbackNumber && stored.status === "received") {
    await tx.saveDialOutcome(stored.id, facts);
    return { kind: "fallback", leadId: stored.id, to: options.fallbackNumber };
  }
  const judged = await judgeCall(deps, tx, stored, facts);
  if (judged.kind !== "judged" || !missed) return judged;
  const next: MissedCallNext = options?.voicemail ? { kind: "voicemail" } : { kind: "hang_up" };
  let textBack: MissedCallText | null = null;
  const caller = normalizePhone(stored.callFrom ?? null, stored.phoneCountry);
  if (options?.textBack && caller.valid && caller.phone) {
    const id = await tx.claimMissedCallText({ clientId: stored.clientId, leadId: stored.id, phone: caller.phone, day: localDay(deps.clock.now(), stored.timezone) });
    if (id) textBack = { id, to: caller.phone };
  }
  return { ...judged, next, textBack };
}

async function judgeCall(deps: CallDeps, tx: CallTx, stored: CallLead, facts: CallFacts): Promise<CompleteDialOutcome> {
  const callSid = stored.callSid ?? "";
  await tx.saveDialOutcome(stored.id, facts);
  if (stored.status !== "received") return { kind: "already_judged", leadId: stored.id, status: stored.status };
  const lead: CallLead = { ...stored, call: facts };

  await tx.lockContacts(lead.clientId, contactLockKeys(lead.clientId, lead));
  const version = await tx.findVersionInForce(lead.clientId, lead.receivedAt);
  if (!version) return { kind: "no_contract", leadId: lead.id };

  // Only leads received before this call count as its duplicates (later ones exist by now).
  const judging: IntakeTx = {
    ...tx,
    findEarlierDuplicate: (clientId, contact, since, excludeLeadId) =>
      tx.findEarlierDuplicateBefore(clientId, contact, since, { receivedAt: lead.receivedAt, leadId: excludeLeadId }),
  };
  const caller = normalizePhone(lead.callFrom ?? null, lead.phoneCountry);
  const judged = await judgeInTransaction(judging, {
    lead,
    version,
    timezone: lead.timezone,
    actor: lead.trackingNumberId ? `tracking_number:${lead.trackingNumberId}` : `call:${callSid}`,
    forJudgement: {
      source: "call",
      name: lead.name,
      phone: lead.phone,
      rawPhone: lead.callFrom ?? null,
      phoneValid: caller.valid,
      email: null,
      zip: lead.zip,
      state: lead.state,
      fields: {},
      receivedAt: lead.receivedAt,
      honeypotFilled: false,
      call: facts,
    },
  });
  const chargedCents = await recordJudgement(judging, lead, judged, { judgedAt: deps.clock.now(), versionId: version.id, insert: false });
  return { kind: "judged", leadId: lead.id, status: judged.status, billable: judged.verdict.billable, chargedCents, reasons: judged.verdict.reasons, next: null, textBack: null };
}

export type ScreenCallOutcome = { kind: "accepted" | "not_accepted"; callSid: string } | { kind: "unknown_call"; callSid: string };

/**
 * The screening prompt's answer (POST /twilio/voice/screen): 1 accepts the call (it is connected),
 * anything else does not (the business's leg hangs up and the caller goes to the fallback). Only a
 * pending screening changes; the answer is stored once per leg.
 */
export async function screenCall(deps: CallDeps, raw: ScreenCallInput, render: (outcome: ScreenCallOutcome) => string): Promise<WebhookAnswer<ScreenCallOutcome>> {
  const input = parseInput(screenCallInput, raw);
  let outcome: ScreenCallOutcome | null = null;
  const { response, processed } = await deps.webhooks.once({ sid: input.legSid, type: "screen", payload: input.params }, async (tx) => {
    const after = await tx.screen(input.callSid, input.digits?.trim() === "1" ? "accepted" : "not_accepted");
    outcome = after === null ? { kind: "unknown_call", callSid: input.callSid } : { kind: after === "accepted" ? "accepted" : "not_accepted", callSid: input.callSid };
    return render(outcome);
  });
  return { response, processed, outcome: processed ? outcome : null };
}
