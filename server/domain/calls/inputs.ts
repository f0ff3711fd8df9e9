import { z } from "zod";

/**
 * Inputs of call tracking: tracking numbers (tRPC, CLI) and the Twilio voice webhooks (parsed at the
 * edge into these plain shapes). One schema per input, shared by every entry point.
 */

/** "+1 (212) 555-0100" → "+12125550100"; anything that is not then E.164 is refused. */
export const e164 = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s().-]/g, ""))
  .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/, "must be an E.164 phone number such as +12125550100"));

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((s) => (s === "" ? null : s))
    .nullable()
    .optional();

/** Screening, fallback and missed-call text of a tracking number (create and update alike). */
const missedCallFields = {
  /** The business presses 1 to accept the call; a call not accepted is not billed. */
  screenCalls: z.boolean().default(false),
  /** Dialled when the business does not answer, is busy or does not accept. */
  fallbackNumber: e164.nullable().optional(),
  /** Then (or without a fallback number) the caller may leave a voicemail, kept on the lead. */
  voicemail: z.boolean().default(false),
  /** "Sorry we missed you — we'll call you back" to the caller of a missed call, once a day. */
  textBack: z.boolean().default(false),
};

export const createTrackingNumberInput = z
  .object({
    campaignId: z.uuid(),
    /** The Twilio number people call. */
    phoneNumber: e164,
    /** The client's phone the call is forwarded to. */
    forwardTo: e164,
    record: z.boolean().default(true),
    /** Read to the caller before forwarding when the call is recorded; null → the default disclosure. */
    disclosureText: optionalText(500),
    /** Read to the business when it answers; null → "LeadLedger call from <campaign>". */
    whisperText: optionalText(300),
    ...missedCallFields,
  })
  .refine((v) => v.phoneNumber !== v.forwardTo, { path: ["forwardTo"], message: "must differ from the tracking number (a call would loop)" })
  .refine((v) => v.fallbackNumber !== v.phoneNumber, { path: ["fallbackNumber"], message: "must differ from the tracking number (a call would loop)" });
export type CreateTrackingNumberInput = z.input<typeof createTrackingNumberInput>;

export const updateTrackingNumberInput = z.object({
  id: z.uuid(),
  /** Another campaign of the same client. */
  campaignId: z.uuid().optional(),
  forwardTo: e164.optional(),
  record: z.boolean().optional(),
  disclosureText: optionalText(500),
  whisperText: optionalText(300),
  screenCalls: z.boolean().optional(),
  fallbackNumber: e164.nullable().optional(),
  voicemail: z.boolean().optional(),
  textBack: z.boolean().optional(),
});
export type UpdateTrackingNumberInput = z.input<typeof updateTrackingNumberInput>;

export const releaseTrackingNumberInput = z.object({ id: z.uuid() });
export type ReleaseTrackingNumberInput = z.input<typeof releaseTrackingNumberInput>;

export const listTrackingNumbersInput = z
  .object({
    /** Agency staff: optional filter. Client users: ignored in favour of their own client. */
    clientId: z.uuid().optional(),
    campaignId: z.uuid().optional(),
    includeReleased: z.boolean().default(false),
  })
  .default({ includeReleased: false });
export type ListTrackingNumbersInput = z.input<typeof listTrackingNumbersInput>;

// --- Twilio voice webhooks (already signature-checked at the edge) -----------------------------

const sid = (prefix: string) => z.string().trim().regex(new RegExp(`^${prefix}[0-9a-zA-Z]{8,64}$`), `must be a Twilio ${prefix}… SID`);
const param = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => (s ? s : null));
const seconds = z
  .string()
  .trim()
  .regex(/^\d{1,7}$/, "must be a whole number of seconds")
  .transform(Number)
  .nullish()
  .transform((n) => n ?? null);

/** POST /twilio/voice: a call to one of our numbers starts ringing. */
export const incomingCallInput = z.object({
  callSid: sid("CA"),
  to: z.string().trim().min(1, "is required").max(40),
  from: param(64),
  callerName: param(200),
  fromCity: param(100),
  fromState: param(100),
  fromZip: param(20),
  /** Every parameter Twilio sent, kept as the lead's raw payload (evidence). */
  params: z.record(z.string(), z.unknown()),
});
export type IncomingCallInput = z.input<typeof incomingCallInput>;

/** POST /twilio/voice/dial-complete: the <Dial> to the business ended. */
export const dialCompleteInput = z.object({
  callSid: sid("CA"),
  /** "fallback" for the Dial to the number's fallback number (its own action URL says so). */
  leg: z.enum(["first", "fallback"]).default("first"),
  dialCallStatus: param(40),
  dialCallDuration: seconds,
  params: z.record(z.string(), z.unknown()),
});
export type DialCompleteInput = z.input<typeof dialCompleteInput>;

/** POST /twilio/voice/recording: the recording of the forwarded call is ready (or failed). */
export const recordingInput = z.object({
  callSid: sid("CA"),
  recordingSid: sid("RE"),
  recordingUrl: param(500),
  recordingStatus: param(40),
  recordingDuration: seconds,
  /** Twilio's ErrorCode on an `absent` recording. */
  errorCode: param(20),
  params: z.record(z.string(), z.unknown()),
});
export type RecordingInput = z.input<typeof recordingInput>;

/** POST /twilio/voice/screen: what the business pressed in the screening <Gather> (parent CallSid in the URL). */
export const screenCallInput = z.object({
  callSid: sid("CA"),
  /** The leg that heard the prompt (the request's own CallSid): the webhook is stored once per leg. */
  legSid: sid("CA"),
  digits: param(20),
  params: z.record(z.string(), z.unknown()),
});
export type ScreenCallInput = z.input<typeof screenCallInput>;

export const whisperQuery = z.object({
  campaign: z.string().max(100).nullish(),
  number: z.string().max(100).nullish(),
});
