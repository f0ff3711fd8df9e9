import twilio from "twilio";
import type VoiceResponseTwiml from "twilio/lib/twiml/VoiceResponse";

const { VoiceResponse, MessagingResponse } = twilio.twiml;

export interface ForwardCallTwimlInput {
  /** Recording/consent disclosure read to the caller before forwarding; empty or null → none. */
  disclosure?: string | null;
  /** The client's phone (E.164). */
  forwardTo: string;
  record: boolean;
  /** TwiML URL played to the business when it answers (the whisper); null → none. */
  whisperUrl?: string | null;
  /** Dial action: Twilio POSTs DialCallStatus / DialCallDuration here when the forwarded leg ends. */
  actionUrl: string;
  recordingStatusCallbackUrl: string;
  /** Caller ID shown to the business; default is the original caller. */
  callerId?: string;
}

/**
 * <Response>[<Say>disclosure</Say>]<Dial answerOnBridge="true" action method="POST"
 * [record="record-from-answer-dual" recordingStatusCallback recordingStatusCallbackEvent="completed"]
 * [callerId]><Number [url=whisper]>forwardTo</Number></Dial></Response>
 *
 * The recording callback attributes are only emitted when `record` is true.
 */
export function forwardCallTwiml(input: ForwardCallTwimlInput): string {
  const response = new VoiceResponse();
  if (input.disclosure && input.disclosure.trim()) response.say(input.disclosure.trim());
  const dialAttrs: VoiceResponseTwiml.DialAttributes = {
    answerOnBridge: true,
    action: input.actionUrl,
    method: "POST",
  };
  if (input.record) {
    dialAttrs.record = "record-from-answer-dual";
    dialAttrs.recordingStatusCallback = input.recordingStatusCallbackUrl;
    dialAttrs.recordingStatusCallbackMethod = "POST";
    dialAttrs.recordingStatusCallbackEvent = ["completed"];
  }
  if (input.callerId) dialAttrs.callerId = input.callerId;
  const dial = response.dial(dialAttrs);
  if (input.whisperUrl) dial.number({ url: input.whisperUrl }, input.forwardTo);
  else dial.number(input.forwardTo);
  return response.toString();
}

/** Played to the business on answer, before the caller is connected. */
export function whisperTwiml(text: string): string {
  const response = new VoiceResponse();
  response.say(text);
  return response.toString();
}

/** A call to a number we do not track: apologise and hang up. */
export function unknownNumberTwiml(): string {
  const response = new VoiceResponse();
  response.say("Sorry, this number is not in service. Goodbye.");
  response.hangup();
  return response.toString();
}

/** <Response/> — "nothing to do" for voice status callbacks. */
export function emptyTwiml(): string {
  return new VoiceResponse().toString();
}

/** Reply to an inbound SMS; null → no reply (<Response/>). */
export function messagingReplyTwiml(text: string | null): string {
  const response = new MessagingResponse();
  if (text) response.message(text);
  return response.toString();
}
