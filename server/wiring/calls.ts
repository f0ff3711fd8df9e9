import { randomUUID } from "node:crypto";
import { auditLog } from "../db/repositories/audit";
import { callReadRepository, callWebhooks, missedCallTextStore } from "../db/repositories/calls";
import { trackingNumberRepository } from "../db/repositories/tracking-numbers";
import type { Actor } from "../domain/auth/roles";
import { completeDial, screenCall, type CompleteDialOutcome, type MissedCallText, type ScreenCallOutcome } from "../domain/calls/complete-dial";
import type {
  CreateTrackingNumberInput,
  DialCompleteInput,
  IncomingCallInput,
  ListTrackingNumbersInput,
  RecordingInput,
  ReleaseTrackingNumberInput,
  ScreenCallInput,
  UpdateTrackingNumberInput,
} from "../domain/calls/inputs";
import { sendMissedCallText } from "../domain/calls/missed-call-text";
import type { CallDeps, TrackingNumberDeps, VoiceNumberConfigurator } from "../domain/calls/ports";
import { findRecording, whisperText } from "../domain/calls/read-calls";
import { receiveCall, type ReceiveCallOutcome } from "../domain/calls/receive-call";
import { storeRecording, type StoreRecordingOutcome } from "../domain/calls/store-recording";
import { createTrackingNumber, listTrackingNumbers, releaseTrackingNumber, updateTrackingNumber } from "../domain/calls/tracking-numbers";
import { twilioVoiceNumbers } from "../integrations/twilio/voice-numbers";
import { withTransaction, type Wiring } from "./context";

/** Call tracking: tracking numbers pointed at /twilio/voice, calls stored, judged and billed like leads. */
export function callUseCases({ config, db, clock, twilio }: Wiring) {
  const voiceNumbers: VoiceNumberConfigurator = {
    async pointVoiceWebhook(phoneNumber) {
      if (twilio.mode === "not-configured") return { twilioSid: null, warning: "Twilio is not configured (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN), so the number's voice URL was not set." };
      if (twilio.fake && !twilio.apiBase) return { twilioSid: null, warning: "No Twilio credentials are configured, so the number's voice URL was not set." };
      return twilioVoiceNumbers({ client: twilio.client, accountSid: twilio.accountSid, voiceUrl: `${config.publicUrl}/twilio/voice` }).pointVoiceWebhook(phoneNumber);
    },
  };
  const numbersDeps: TrackingNumberDeps = { ...withTransaction(db, (conn) => ({ numbers: trackingNumberRepository(conn), audit: auditLog(conn) })), voice: voiceNumbers };
  const callDeps: CallDeps = { webhooks: callWebhooks(db), clock, newId: randomUUID };
  return {
    trackingNumbers: {
      list: (actor: Actor, input: ListTrackingNumbersInput) => listTrackingNumbers(numbersDeps, actor, input),
      create: (actor: Actor, input: CreateTrackingNumberInput) => createTrackingNumber(numbersDeps, actor, input),
      update: (actor: Actor, input: UpdateTrackingNumberInput) => updateTrackingNumber(numbersDeps, actor, input),
      release: (actor: Actor, input: ReleaseTrackingNumberInput) => releaseTrackingNumber(numbersDeps, actor, input),
    },
    /** Twilio voice webhooks (each exactly once per SID; `render` makes the stored TwiML answer) and call reads. */
    calls: {
      receive: (input: IncomingCallInput, render: (o: ReceiveCallOutcome) => string) => receiveCall(callDeps, input, render),
      completeDial: (input: DialCompleteInput, render: (o: CompleteDialOutcome) => string) => completeDial(callDeps, input, render),
      storeRecording: (input: RecordingInput, render: (o: StoreRecordingOutcome) => string) => storeRecording(callDeps, input, render),
      screen: (input: ScreenCallInput, render: (o: ScreenCallOutcome) => string) => screenCall(callDeps, input, render),
      sendMissedCallText: (text: MissedCallText) => sendMissedCallText({ sms: twilio.sms, store: missedCallTextStore(db) }, text),
      whisperText: (query: { campaign?: unknown; number?: unknown }) => whisperText(callReadRepository(db), query),
      leadOfCall: (callSid: string) => callReadRepository(db).leadOfCall(callSid),
      findRecording: (actor: Actor, leadId: string) => findRecording(callReadRepository(db), actor, leadId),
    },
  };
}
