import { parseInput } from "../shared/parse";
import { recordingInput, type RecordingInput } from "./inputs";
import type { CallDeps, RecordingFacts, WebhookAnswer } from "./ports";

export type StoreRecordingOutcome =
  | { kind: "stored"; leadId: string; recordingSid: string }
  /** Twilio recorded no audio: the lead says "no recording" with Twilio's reason. */
  | { kind: "absent"; leadId: string; note: string }
  /** The call has no lead yet (its /twilio/voice came later or failed): kept, attached when it arrives. */
  | { kind: "kept_for_call"; callSid: string; recordingSid: string }
  /** A status we do not act on (in-progress, failed …). */
  | { kind: "not_completed"; recordingStatus: string };

/** Twilio's reason for an absent recording, in words. */
export function absentRecordingNote(errorCode: string | null): string {
  return `Twilio recorded no audio for this call${errorCode && errorCode !== "0" ? ` (Twilio ${errorCode})` : ""}`;
}

/**
 * docs/architecture.md flow 2: a recording status callback (`completed` or `absent`). Its SID, URL
 * and length are kept on the call's lead (the portal streams it through GET /recordings/:leadId,
 * never from Twilio directly); `absent` leaves "no recording" with Twilio's reason. Independent of
 * the judgement. A callback for a call whose lead does not exist yet is kept and attached when the
 * call arrives (receiveCall), so answering it 200 loses nothing.
 */
export async function storeRecording(
  deps: CallDeps,
  raw: RecordingInput,
  render: (outcome: StoreRecordingOutcome) => string,
): Promise<WebhookAnswer<StoreRecordingOutcome>> {
  const input = parseInput(recordingInput, raw);
  let outcome: StoreRecordingOutcome | null = null;
  const { response, processed } = await deps.webhooks.once({ sid: input.recordingSid, type: "recording", payload: input.params }, async (tx) => {
    const status = input.recordingStatus?.toLowerCase() ?? "completed";
    if (status !== "completed" && status !== "absent") {
      outcome = { kind: "not_completed", recordingStatus: status };
      return render(outcome);
    }
    const facts: RecordingFacts = {
      recordingSid: input.recordingSid,
      status,
      recordingUrl: status === "completed" ? input.recordingUrl : null,
      durationSeconds: status === "completed" ? input.recordingDuration : null,
      note: status === "absent" ? absentRecordingNote(input.errorCode) : null,
    };
    const leadId = await tx.saveRecording(input.callSid, facts);
    if (!leadId) {
      await tx.keepRecording(input.callSid, facts);
      outcome = { kind: "kept_for_call", callSid: input.callSid, recordingSid: input.recordingSid };
    } else {
      outcome = status === "completed" ? { kind: "stored", leadId, recordingSid: input.recordingSid } : { kind: "absent", leadId, note: facts.note! };
    }
    return render(outcome);
  });
  return { response, processed, outcome: processed ? outcome : null };
}
