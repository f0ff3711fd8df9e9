import { contactLockKeys, judgeInTransaction, recordJudgement } from "../leads/judge";
import type { IntakeTx } from "../leads/ports";
import { normalizePhone } from "../leads/normalize";
import type { CallFacts } from "../qualification/lead-input";
import type { VerdictReason } from "../qualification/verdict";
import { parseInput } from "../shared/parse";
import { dialCompleteInput, type DialCompleteInput } from "./inputs";
import type { CallDeps, CallLead, CallTx, WebhookAnswer } from "./ports";

export type CompleteDialOutcome =
  | { kind: "unknown_call"; callSid: string }
  /** The call's lead was already judged (cannot happen with one dial per call; kept safe). */
  | { kind: "already_judged"; leadId: string; status: "qualified" | "rejected" }
  /** No contract version was in force when the call came in: the lead waits, unjudged. */
  | { kind: "no_contract"; leadId: string }
  | { kind: "judged"; leadId: string; status: "qualified" | "rejected"; billable: boolean; chargedCents: number; reasons: VerdictReason[] };

const NOT_CONNECTED = new Set(["busy", "no-answer", "failed", "canceled"]);

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
  const facts = callFacts(input.dialCallStatus, input.dialCallDuration);
  let outcome: CompleteDialOutcome | null = null;
  const { response, processed } = await deps.webhooks.once({ sid: input.callSid, type: "dial-complete", payload: input.params }, async (tx) => {
    outcome = await judgeCall(deps, tx, input.callSid, facts);
    return render(outcome);
  });
  return { response, processed, outcome: processed ? outcome : null };
}

async function judgeCall(deps: CallDeps, tx: CallTx, callSid: string, facts: CallFacts): Promise<CompleteDialOutcome> {
  const stored = await tx.lockCallLead(callSid);
  if (!stored) return { kind: "unknown_call", callSid };
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
  return { kind: "judged", leadId: lead.id, status: judged.status, billable: judged.verdict.billable, chargedCents, reasons: judged.verdict.reasons };
}
