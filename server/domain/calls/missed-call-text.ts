import { describeSmsError } from "../alerts/status";
import { isSmsSendError, type SmsSender } from "../alerts/sms-sender";
import { MISSED_CALL_TEXT, type MissedCallText } from "./complete-dial";
import type { MissedCallTextStore } from "./ports";

/**
 * Sends the missed-call text claimed in the dial-complete transaction, after it committed, through
 * the same SMS sender as the alerts. At most one per caller, client and day (the claim's unique
 * key). A caller who texted STOP to our number is refused by Twilio (21610): recorded, not retried.
 * A crash between the claim and the send leaves the row `pending`: that caller gets no text that day
 * rather than two.
 */
export async function sendMissedCallText(deps: { sms: SmsSender; store: MissedCallTextStore }, text: MissedCallText): Promise<{ sent: boolean; reason: string | null }> {
  try {
    const sent = await deps.sms.send({ to: text.to, body: MISSED_CALL_TEXT });
    await deps.store.markSent(text.id, sent.sid);
    return { sent: true, reason: null };
  } catch (e) {
    const reason = isSmsSendError(e) ? describeSmsError(e.code, e.message) : e instanceof Error ? e.message : String(e);
    await deps.store.markFailed(text.id, reason);
    return { sent: false, reason };
  }
}
