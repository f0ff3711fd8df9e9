import type { AuditLog } from "../audit/audit";
import type { ActiveHours, AlertRouting, RoutingRecipient } from "./routing";
import type { AlertStatus } from "./status";
import type { AlertLeadValues } from "./template";
import type { WebhookOnce } from "../shared/webhook-once";

/** What the alert use cases need from storage. Implemented in server/db/repositories/. */

export interface AlertRecipientRecord {
  id: string;
  clientId: string;
  name: string;
  phone: string;
  active: boolean;
  activeHours: ActiveHours | null;
  optedOutAt: Date | null;
  createdAt: Date;
}

export interface AlertSettingsRecord {
  clientId: string;
  timezone: string;
  phoneCountry: string;
  routing: AlertRouting;
  template: string | null;
}

export interface RecipientRepository {
  clientSettings(clientId: string): Promise<AlertSettingsRecord | null>;
  /** What the template preview's sample lead borrows from the client: its first campaign's name and a ZIP it serves. */
  sampleLeadOf(clientId: string): Promise<{ campaign: string | null; zip: string | null }>;
  updateClientSettings(clientId: string, patch: { routing?: AlertRouting; template?: string | null }): Promise<AlertSettingsRecord | null>;
  list(clientId: string): Promise<AlertRecipientRecord[]>;
  findById(id: string): Promise<AlertRecipientRecord | null>;
  findByPhone(clientId: string, phone: string): Promise<AlertRecipientRecord | null>;
  /** null when (client, phone) is taken. */
  insert(r: { clientId: string; name: string; phone: string; active: boolean; activeHours: ActiveHours | null }): Promise<AlertRecipientRecord | null>;
  /** null when (client, phone) is taken by another recipient. */
  update(id: string, patch: Partial<{ name: string; phone: string; active: boolean; activeHours: ActiveHours | null }>): Promise<AlertRecipientRecord | "phone_taken" | null>;
  countAlerts(recipientId: string): Promise<number>;
  delete(id: string): Promise<void>;
}

export interface RecipientDeps {
  recipients: RecipientRepository;
  audit: AuditLog;
  transaction<T>(fn: (deps: { recipients: RecipientRepository; audit: AuditLog }) => Promise<T>): Promise<T>;
  publicUrl: string;
}

// ---------------------------------------------------------------------------------------------
// Dispatch: lead.qualified → alert rows, in one transaction with marking the event processed
// ---------------------------------------------------------------------------------------------

export interface OutboxEventRecord {
  id: number;
  type: string;
  aggregateId: string;
  clientId: string | null;
  payload: unknown;
}

export interface LeadForAlert extends AlertLeadValues {
  clientId: string;
  receivedAt: Date;
  status: "received" | "qualified" | "rejected";
}

export interface NewAlertRow {
  clientId: string;
  leadId: string;
  recipientId: string;
  toPhone: string;
  body: string;
  status: "pending" | "skipped";
  errorMessage: string | null;
  queuedAt: Date;
  /** The rep link of a pending alert (hash of its token, expiry); null for skipped alerts (never sent). */
  link: { tokenHash: string; expiresAt: Date } | null;
}

/** Everything a dispatch decides on, read in one round trip with the event locked. */
export interface DispatchContext {
  event: OutboxEventRecord;
  /** null when the lead (or its campaign) is gone. */
  lead: LeadForAlert | null;
  client: { timezone: string; routing: AlertRouting; template: string | null; roundRobinCursor: number } | null;
  recipients: RoutingRecipient[];
}

export interface DispatchTx {
  /**
   * Locks the unprocessed event of this type (FOR UPDATE SKIP LOCKED, so a second dispatcher
   * skips it) and reads its lead, the client's routing settings and recipients; null when the
   * event is processed already, held by another worker, or of another type.
   */
  load(eventId: number, type: string): Promise<DispatchContext | null>;
  /** The round-robin cursor, read under a row lock that serializes this client's dispatchers. */
  lockRoundRobinCursor(clientId: string): Promise<number>;
  /**
   * In one statement: insert the alerts (`on conflict (lead_id, recipient_id) do nothing`), store
   * the cursor when given, mark the event processed (with a note when nothing was sent for a
   * reason). Returns the ids of the new pending alerts.
   */
  record(r: { eventId: number; alerts: NewAlertRow[]; cursor: { clientId: string; value: number } | null; at: Date; note: string | null }): Promise<string[]>;
}

export interface DispatchStore {
  transaction<T>(fn: (tx: DispatchTx) => Promise<T>): Promise<T>;
}

// ---------------------------------------------------------------------------------------------
// Sending and status
// ---------------------------------------------------------------------------------------------

export interface AlertRecord {
  id: string;
  clientId: string;
  leadId: string;
  recipientId: string;
  toPhone: string;
  body: string;
  status: AlertStatus;
  attempts: number;
  messageSid: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  queuedAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  failedAt: Date | null;
  nextAttemptAt: Date | null;
  /** Failed by us while Twilio may have had the message (see markFailed): a delivery receipt still counts. */
  outcomeUnknown: boolean;
}

export type ClaimResult =
  | { claimed: true; alert: AlertRecord; previousStatus: "pending" | "sending" }
  | { claimed: false; alert: AlertRecord | null };

export interface AlertSendRepository {
  /**
   * Atomically: when the alert is `pending`, or `sending` whose lease (next_attempt_at) ran out,
   * and next_attempt_at is not in the future → status `sending`, attempts + 1,
   * next_attempt_at = leaseUntil. Else nothing (another worker has it, it is done, or not due).
   */
  claim(alertId: string, now: Date, leaseUntil: Date): Promise<ClaimResult>;
  /** sending|pending → sent with the SID (never moves a later status back). */
  markSent(alertId: string, sid: string, at: Date): Promise<void>;
  /** Back to a retry: status stays/becomes `pending` (outcome known: not sent) or `sending` (unknown). */
  scheduleRetry(alertId: string, r: { status: "pending" | "sending"; nextAttemptAt: Date; errorCode: number | null; errorMessage: string }): Promise<void>;
  /** `outcomeUnknown`: we stop trying without knowing whether Twilio created the message. */
  /** `messageSid`: Twilio created the message already failed (kept as evidence). */
  markFailed(alertId: string, r: { errorCode: number | null; errorMessage: string; at: Date; outcomeUnknown?: boolean; messageSid?: string }): Promise<void>;
}

export interface StatusCallbackRepository {
  /** The alert for a status callback: by id when the callback URL names it, else by MessageSid. */
  findForCallback(alertId: string | null, messageSid: string): Promise<AlertRecord | null>;
  /** Moves status forward only (guarded in SQL too); sets the timestamps and error of final states. */
  /** Moves the alert forward by rank; `overGiveUp` also lets sent/delivered replace a failure of ours with an unknown outcome. */
  advance(alertId: string, r: { from: AlertStatus; to: AlertStatus; messageSid: string; at: Date; errorCode: number | null; errorMessage: string | null; overGiveUp?: boolean }): Promise<boolean>;
}

export interface InboundSmsRepository {
  /** Sets opted_out_at on every recipient with this phone (all clients); returns those changed. */
  optOut(phone: string, at: Date): Promise<{ id: string; clientId: string }[]>;
  /** Clears opted_out_at on every recipient with this phone; returns those changed. */
  optIn(phone: string): Promise<{ id: string; clientId: string }[]>;
  /** Moves these recipients' `pending` alerts to `skipped` with the reason; returns how many. */
  skipPendingAlerts(recipientIds: string[], reason: string, at: Date): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export interface AlertListItem extends AlertRecord {
  recipientName: string;
  leadReceivedAt: Date;
}

export interface SpeedToLead {
  leads: number;
  sentLeads: number;
  sentP50Seconds: number | null;
  sentP90Seconds: number | null;
  deliveredLeads: number;
  deliveredP50Seconds: number | null;
  deliveredP90Seconds: number | null;
}

/** Where a row sits in the alerts log's order (createdAt at full microsecond precision, UTC ISO). */
export interface AlertPosition {
  rank: number;
  createdAt: string;
  id: string;
}

export interface AlertReadRepository {
  /**
   * Failures first, then skipped, then the rest, newest first within each; `after` continues after a
   * row's `position` (keyset: its rank, exact created_at and id).
   */
  list(filter: { clientId?: string; status?: AlertStatus; leadId?: string; limit: number; after?: AlertPosition }): Promise<(AlertListItem & { position: AlertPosition })[]>;
  speedToLead(filter: { clientId?: string; from?: Date; to?: Date }): Promise<SpeedToLead>;
}

/** What an SMS webhook's work may touch inside its exactly-once transaction. */
export interface SmsWebhookTx {
  callbacks: StatusCallbackRepository;
  recipients: InboundSmsRepository;
  audit: AuditLog;
}

/** Exactly-once processing of Twilio's SMS webhooks (server/domain/shared/webhook-once.ts). */
export type SmsWebhooks = WebhookOnce<SmsWebhookTx>;
