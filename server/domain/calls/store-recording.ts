import { parseInput } from "../shared/parse";
import { recordingInput, type RecordingInput } from "./inputs";
import type { CallDeps, WebhookAnswer } from "./ports";

export type StoreRecordingOutcome =
  | { kind: "stored"; leadId: string; recordingSid: string }
  /** Twilio reported a failed or absent recording: nothing to keep. */
  | { kind: "not_completed"; recordingStatus: string }
  | { kind: "unknown_call"; callSid: string };

/**
 * docs/architecture.md flow 2: the recording of the forwarded call is ready. Its SID, URL and length are kept on
 * the call's lead (the portal streams it through GET /recordings/:leadId, never from Twilio directly).
 * Independent of the judgement, so it may arrive before or after dial-complete.
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
    if (status !== "completed") {
      outcome = { kind: "not_completed", recordingStatus: status };
    } else {
      const leadId = await tx.saveRecording(input.callSid, {
        recordingSid: input.recordingSid,
        recordingUrl: input.recordingUrl,
        durationSeconds: input.recordingDuration,
      });
      outcome = leadId ? { kind: "stored", leadId, recordingSid: input.recordingSid } : { kind: "unknown_call", callSid: input.callSid };
    }
    return render(outcome);
  });
  return { response, processed, outcome: processed ? outcome : null };
}
