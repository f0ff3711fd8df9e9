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
 * [record="record-from-answer-dual" recordingStatusCallback recordingStatusCallbackEvent="completed absent"]
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
    // "absent": Twilio tells us when there is no audio, so the lead can say why it has no recording.
    dialAttrs.recordingStatusCallbackEvent = ["completed", "absent"];
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

/**
 * Call screening, played to the business on answer: <Gather numDigits="1"> "… Press 1 to accept
 * this lead." Pressing a key posts Digits to `actionUrl`; silence (a voicemail greeting, nobody)
 * falls through to <Hangup/>, which ends the business's leg without connecting the caller.
 */
export function screeningWhisperTwiml(text: string, actionUrl: string): string {
  const response = new VoiceResponse();
  const gather = response.gather({ numDigits: 1, timeout: 8, action: actionUrl, method: "POST", actionOnEmptyResult: false });
  gather.say(`${text}. Press 1 to accept this lead.`);
  response.hangup();
  return response.toString();
}

/** The screening answer: empty (connect the caller) when accepted, else hang up the business's leg. */
export function screeningResultTwiml(accepted: boolean): string {
  const response = new VoiceResponse();
  if (!accepted) response.hangup();
  return response.toString();
}

/** The business missed the call: dial the fallback number; its end posts to `actionUrl`. */
export function fallbackDialTwiml(input: { to: string; actionUrl: string; record: boolean; recordingStatusCallbackUrl: string }): string {
  const response = new VoiceResponse();
  const attrs: VoiceResponseTwiml.DialAttributes = { answerOnBridge: true, action: input.actionUrl, method: "POST" };
  if (input.record) {
    attrs.record = "record-from-answer-dual";
    attrs.recordingStatusCallback = input.recordingStatusCallbackUrl;
    attrs.recordingStatusCallbackMethod = "POST";
    attrs.recordingStatusCallbackEvent = ["completed", "absent"];
  }
  response.dial(attrs).number(input.to);
  return response.toString();
}

/** The caller may leave a message; its recording comes to the recording callback like a call's. */
export function voicemailTwiml(input: { actionUrl: string; recordingStatusCallbackUrl: string }): string {
  const response = new VoiceResponse();
  response.say("Sorry, nobody could take your call. Please leave a message after the tone.");
  response.record({
    maxLength: 120,
    playBeep: true,
    action: input.actionUrl,
    method: "POST",
    recordingStatusCallback: input.recordingStatusCallbackUrl,
    recordingStatusCallbackMethod: "POST",
    recordingStatusCallbackEvent: ["completed", "absent"],
  });
  return response.toString();
}

/** <Response><Hangup/></Response> */
export function hangupTwiml(): string {
  const response = new VoiceResponse();
  response.hangup();
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
