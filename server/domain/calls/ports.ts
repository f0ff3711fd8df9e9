import type { AuditLog } from "../audit/audit";
import type { IntakeTx, NewLead } from "../leads/ports";
import type { CallFacts, EarlierDuplicate } from "../qualification/lead-input";
import type { Clock } from "../shared/clock";

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
  update(id: string, patch: Partial<Pick<TrackingNumberRecord, "campaignId" | "forwardTo" | "record" | "disclosureText" | "whisperText" | "twilioSid" | "status">>): Promise<TrackingNumberRecord | null>;
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
  timezone: string;
  phoneCountry: string;
}

/** A call lead as stored, with what judging it needs. */
export interface CallLead extends NewLead {
  status: "received" | "qualified" | "rejected";
  timezone: string;
  phoneCountry: string;
  call: CallFacts;
}

/** The intake transaction plus what calls add to it. */
export interface CallTx extends IntakeTx {
  findRoute(phoneNumber: string): Promise<CallRoute | null>;
  /** The call's lead, row-locked until the transaction ends; null when no lead has this CallSid. */
  lockCallLead(callSid: string): Promise<CallLead | null>;
  saveDialOutcome(leadId: string, call: CallFacts): Promise<void>;
  /** Stores the recording on the call's lead; returns the lead id, or null when no lead has this CallSid. */
  saveRecording(callSid: string, recording: { recordingSid: string; recordingUrl: string | null; durationSeconds: number | null }): Promise<string | null>;
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
  type: "voice" | "dial-complete" | "recording";
  payload: unknown;
}

/**
 * Exactly-once processing of a Twilio webhook: the event is stored in the same transaction as its
 * work; a repeat (also a concurrent one) gets the first delivery's answer and changes nothing.
 */
export interface CallWebhooks {
  once(event: WebhookEvent, work: (tx: CallTx) => Promise<string>): Promise<{ response: string; processed: boolean }>;
}

export interface CallDeps {
  webhooks: CallWebhooks;
  clock: Clock;
  newId(): string;
}

/** The answer of a webhook: the stored response, and the outcome when this delivery did the work. */
export interface WebhookAnswer<O> {
  response: string;
  /** False for a repeat delivery (the response is the first delivery's). */
  processed: boolean;
  /** Null for a repeat delivery. */
  outcome: O | null;
}

/** Reads for the whisper, the simulator's summary and the recording player. */
export interface CallReadRepository {
  campaignName(campaignId: string): Promise<string | null>;
  trackingNumberWhisper(trackingNumberId: string): Promise<{ campaignId: string; whisperText: string | null } | null>;
  leadOfCall(callSid: string): Promise<{ id: string; status: "received" | "qualified" | "rejected" } | null>;
  recordingOfLead(leadId: string): Promise<{ clientId: string; recordingSid: string | null } | null>;
}
