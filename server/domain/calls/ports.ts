import type { CallSessionMatch } from "../attribution/ports";
import type { AuditLog } from "../audit/audit";
import type { IntakeTx, NewLead } from "../leads/ports";
import type { CallFacts, EarlierDuplicate } from "../qualification/lead-input";
import type { Clock } from "../shared/clock";
import type { WebhookOnce } from "../shared/webhook-once";

/** A tracking number as people manage it (tRPC, CLI). */
export interface TrackingNumberRecord {
  id: string;
  clientId: string;
  campaignId: string;
  campaignName: string;
  phoneNumber: string;
  forwardTo: string;
  record: boolean;
  disclosureText: string | null;
  whisperText: string | null;
  /** Call screening: the business presses 1 to accept; a call not accepted is not billed. */
  screenCalls: boolean;
  /** Dialled when the business does not answer, is busy or does not accept; null → none. */
  fallbackNumber: string | null;
  /** After a missed call (and the fallback number): the caller may leave a voicemail. */
  voicemail: boolean;
  /** "Sorry we missed you — we'll call you back" to the caller of a missed call, once a day. */
  textBack: boolean;
  /** Twilio's PN… SID once the number's voice URL was pointed at us. */
  twilioSid: string | null;
  status: "active" | "released";
  createdAt: Date;
}

export interface CampaignRef {
  id: string;
  clientId: string;
  name: string;
  status: "active" | "paused" | "archived";
}

export interface TrackingNumberRepository {
  findCampaign(id: string): Promise<CampaignRef | null>;
  findById(id: string): Promise<TrackingNumberRecord | null>;
  /** Whatever its status (the phone number is unique across all rows). */
  findByNumber(phoneNumber: string): Promise<TrackingNumberRecord | null>;
  /** Null when the phone number is already taken (a concurrent insert won). */
  insert(n: Omit<TrackingNumberRecord, "id" | "campaignName" | "twilioSid" | "status" | "createdAt">): Promise<TrackingNumberRecord | null>;
  update(
    id: string,
    patch: Partial<Pick<TrackingNumberRecord, "campaignId" | "forwardTo" | "record" | "disclosureText" | "whisperText" | "screenCalls" | "fallbackNumber" | "voicemail" | "textBack" | "twilioSid" | "status">>,
  ): Promise<TrackingNumberRecord | null>;
  list(filter: { clientId?: string; campaignId?: string; includeReleased: boolean }): Promise<TrackingNumberRecord[]>;
}

/**
 * What configuring a number gave: its Twilio SID when found, and a warning when it was not found,
 * not configured, or configured other than asked (both may be set).
 */
export interface VoiceNumberConfigured {
  twilioSid: string | null;
  warning: string | null;
}

/** Points a Twilio number's voice webhook at this server. Never throws: a failure is a warning. */
export interface VoiceNumberConfigurator {
  pointVoiceWebhook(phoneNumber: string): Promise<VoiceNumberConfigured>;
}

export interface TrackingNumberDeps {
  numbers: TrackingNumberRepository;
  audit: AuditLog;
  transaction<T>(fn: (deps: { numbers: TrackingNumberRepository; audit: AuditLog }) => Promise<T>): Promise<T>;
  voice: VoiceNumberConfigurator;
}

/** What an incoming call needs to know about the number it reached (active numbers of live clients only). */
export interface CallRoute {
  trackingNumberId: string;
  clientId: string;
  campaignId: string;
  campaignName: string;
  phoneNumber: string;
  forwardTo: string;
  record: boolean;
  disclosureText: string | null;
  screenCalls: boolean;
  timezone: string;
  phoneCountry: string;
}

/** What happens after the forwarded leg of a call ends without a conversation. */
export interface MissedCallOptions {
  fallbackNumber: string | null;
  voicemail: boolean;
  textBack: boolean;
}

/** A recording callback's facts, stored on the lead or kept until the call's lead exists. */
export interface RecordingFacts {
  recordingSid: string;
  status: "completed" | "absent";
  recordingUrl: string | null;
  durationSeconds: number | null;
  /** Why there is no recording (Twilio's reason), for `absent`. */
  note: string | null;
}

/** A call lead as stored, with what judging it needs. */
export interface CallLead extends NewLead {
  status: "received" | "qualified" | "rejected";
  timezone: string;
  phoneCountry: string;
  call: CallFacts;
  /** null when the number does not screen calls. */
  callScreening: "pending" | "accepted" | "not_accepted" | null;
}

/** The intake transaction plus what calls add to it. */
export interface CallTx extends IntakeTx {
  findRoute(phoneNumber: string): Promise<CallRoute | null>;
  /** A pool number's holder at ring time (docs/decisions/022-attribution.md); null for a number in no pool. */
  callSessionMatch(trackingNumberId: string, now: Date): Promise<CallSessionMatch>;
  /** The call's lead, row-locked until the transaction ends; null when no lead has this CallSid. */
  lockCallLead(callSid: string): Promise<CallLead | null>;
  saveDialOutcome(leadId: string, call: CallFacts): Promise<void>;
  /**
   * Stores the recording on the call's lead (an `absent` one never replaces a recording already
   * there); returns the lead id, or null when no lead has this CallSid.
   */
  saveRecording(callSid: string, recording: RecordingFacts): Promise<string | null>;
  /** Keeps a recording callback whose call has no lead yet (idempotent on the RecordingSid). */
  keepRecording(callSid: string, recording: RecordingFacts): Promise<void>;
  /** The recordings kept for this call, not attached yet, oldest first; marks them attached. */
  takeKeptRecordings(callSid: string): Promise<RecordingFacts[]>;
  /** Starts screening on a new call lead (call_screening = 'pending'). */
  startScreening(leadId: string): Promise<void>;
  /** pending → accepted | not_accepted on the call's lead; returns the lead's screening after. */
  screen(callSid: string, result: "accepted" | "not_accepted"): Promise<"pending" | "accepted" | "not_accepted" | null>;
  /** The tracking number's options for a missed call. */
  missedCallOptions(trackingNumberId: string): Promise<MissedCallOptions | null>;
  /** Claims today's missed-call text to this phone; the row's id, or null when one exists for the day. */
  claimMissedCallText(r: { clientId: string; leadId: string; phone: string; day: string }): Promise<string | null>;
  /**
   * Like IntakeTx.findEarlierDuplicate, but only among leads received before `before` (ties broken
   * by id). A call is judged when it ends, after later leads may already exist; only earlier ones
   * make it a duplicate, so two overlapping calls never reject each other.
   */
  findEarlierDuplicateBefore(
    clientId: string,
    contact: { phone: string | null; email: string | null },
    since: Date,
    before: { receivedAt: Date; leadId: string },
  ): Promise<EarlierDuplicate | null>;
}

export interface WebhookEvent {
  sid: string;
  type: "voice" | "dial-complete" | "dial-complete:fallback" | "recording" | "screen";
  payload: unknown;
}

/** Exactly-once processing of a Twilio voice webhook (server/domain/shared/webhook-once.ts). */
export type CallWebhooks = WebhookOnce<CallTx, WebhookEvent["type"]>;

export interface CallDeps {
  webhooks: CallWebhooks;
  clock: Clock;
  newId(): string;
}

/** The missed-call text, sent after the webhook's transaction committed. */
export interface MissedCallTextStore {
  markSent(id: string, messageSid: string): Promise<void>;
  markFailed(id: string, reason: string): Promise<void>;
}

export type { WebhookAnswer } from "../shared/webhook-once";

/** Reads for the whisper, the simulator's summary and the recording player. */
export interface CallReadRepository {
  campaignName(campaignId: string): Promise<string | null>;
  trackingNumberWhisper(trackingNumberId: string): Promise<{ campaignId: string; whisperText: string | null } | null>;
  leadOfCall(callSid: string): Promise<{ id: string; status: "received" | "qualified" | "rejected" } | null>;
  recordingOfLead(leadId: string): Promise<{ clientId: string; recordingSid: string | null } | null>;
}
