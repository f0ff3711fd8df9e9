import { callAttribution } from "../attribution/attribution";
import { normalizePhone, normalizeState, normalizeZip } from "../leads/normalize";
import { locate } from "../leads/zip-places";
import type { NewLead } from "../leads/ports";
import { parseInput } from "../shared/parse";
import { incomingCallInput, type IncomingCallInput } from "./inputs";
import type { CallDeps, WebhookAnswer } from "./ports";

/** Read to the caller before a recorded call is forwarded when the number has no text of its own. */
export const DEFAULT_RECORDING_DISCLOSURE = "This call may be recorded for quality and training purposes.";

export type ReceiveCallOutcome =
  | { kind: "unknown_number"; to: string }
  | {
      kind: "forward";
      leadId: string;
      trackingNumberId: string;
      campaignId: string;
      forwardTo: string;
      record: boolean;
      /** What to say before forwarding (only for recorded calls); null → nothing. */
      disclosure: string | null;
      /** The business must press 1 to take the call (call screening in the whisper). */
      screen: boolean;
    };

/**
 * docs/architecture.md flow 2, first step: a call reaches a tracking number. The lead is stored at once as
 * `received` (source 'call', the caller's number and location) through the same IntakeTx.insertLead
 * as form leads; it is judged when the forwarded call ends (completeDial). `render` turns the outcome
 * into the answer (TwiML), stored with the webhook so every repeat gets the same one.
 */
export async function receiveCall(
  deps: CallDeps,
  raw: IncomingCallInput,
  render: (outcome: ReceiveCallOutcome) => string,
): Promise<WebhookAnswer<ReceiveCallOutcome>> {
  const input = parseInput(incomingCallInput, raw);
  let outcome: ReceiveCallOutcome | null = null;
  const { response, processed } = await deps.webhooks.once({ sid: input.callSid, type: "voice", payload: input.params }, async (tx) => {
    const route = await tx.findRoute(input.to);
    if (!route) {
      outcome = { kind: "unknown_number", to: input.to };
      return render(outcome);
    }
    const { phone } = normalizePhone(input.from, route.phoneCountry);
    const receivedAt = deps.clock.now();
    const lead: NewLead = {
      id: deps.newId(),
      clientId: route.clientId,
      campaignId: route.campaignId,
      source: "call",
      trackingNumberId: route.trackingNumberId,
      name: input.callerName,
      phone,
      email: null,
      ...locate({ zip: normalizeZip(input.fromZip), state: normalizeState(input.fromState), city: input.fromCity }),
      fields: {},
      rawPayload: input.params,
      consent: null,
      receivedAt,
      callSid: input.callSid,
      callFrom: input.from,
      attribution: callAttribution(await tx.callSessionMatch(route.trackingNumberId, receivedAt)),
    };
    await tx.insertLead(lead, null);
    if (route.screenCalls) await tx.startScreening(lead.id);
    // Recording callbacks that came before this call's lead existed.
    for (const rec of await tx.takeKeptRecordings(input.callSid)) await tx.saveRecording(input.callSid, rec);
    outcome = {
      kind: "forward",
      leadId: lead.id,
      trackingNumberId: route.trackingNumberId,
      campaignId: route.campaignId,
      forwardTo: route.forwardTo,
      record: route.record,
      disclosure: route.record ? (route.disclosureText ?? DEFAULT_RECORDING_DISCLOSURE) : null,
      screen: route.screenCalls,
    };
    return render(outcome);
  });
  return { response, processed, outcome: processed ? outcome : null };
}
