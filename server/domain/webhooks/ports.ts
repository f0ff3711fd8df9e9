import type { FieldMapping } from "./inputs";
import type { DisputeFacts, InvoiceFacts, LeadFacts, WebhookEnvelope } from "./payload";

export interface EndpointRecord {
  id: string;
  clientId: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  fieldMapping: FieldMapping | null;
  consecutiveFailures: number;
  failingSince: Date | null;
  createdAt: Date;
}

export type DeliveryStatus = "pending" | "sending" | "delivered" | "failed";

export interface DeliveryRecord {
  id: string;
  clientId: string;
  endpointId: string;
  eventId: number | null;
  eventType: string;
  messageId: string;
  leadId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  payload: WebhookEnvelope | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface AttemptRecord {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  nextRetryAt: Date | null;
}

/** What an outbox event is about, loaded when its body is first built. */
export interface EventFacts {
  eventId: number;
  type: string;
  createdAt: Date;
  lead: LeadFacts | null;
  dispute: DisputeFacts | null;
  invoice: InvoiceFacts | null;
}

export type ClaimResult =
  | { claimed: true; delivery: DeliveryRecord; endpoint: EndpointRecord; previousStatus: DeliveryStatus }
  /** Not claimable now (done, another worker has it, not due, missing) or the endpoint is off (then it was failed). */
  | { claimed: false; delivery: DeliveryRecord | null; endpointDisabled: boolean };

export interface RecordAttemptInput {
  deliveryId: string;
  endpointId: string;
  attempt: AttemptRecord;
  outcome: { status: "delivered"; at: Date } | { status: "pending"; nextAttemptAt: Date } | { status: "failed"; reason: string };
  /** A success resets the endpoint's failure streak; a failure extends it. */
  succeeded: boolean;
  at: Date;
  /** The body built for this attempt, kept on the delivery unless one is kept already. */
  payload: WebhookEnvelope | null;
}

export interface WebhookStore {
  createEndpoint(e: Omit<EndpointRecord, "id" | "createdAt" | "consecutiveFailures" | "failingSince" | "disabledAt" | "disabledReason" | "previousSecret" | "previousSecretExpiresAt">): Promise<EndpointRecord>;
  findEndpoint(id: string): Promise<EndpointRecord | null>;
  listEndpoints(clientId: string | null): Promise<EndpointRecord[]>;
  updateEndpoint(id: string, patch: Partial<Pick<EndpointRecord, "url" | "description" | "events" | "enabled" | "fieldMapping" | "secret" | "previousSecret" | "previousSecretExpiresAt" | "disabledReason" | "disabledAt">> & { resetFailures?: boolean }, at: Date): Promise<EndpointRecord | null>;
  /** Switches the endpoint off once (false when it already was) and writes the `webhook_endpoint.disabled` event. */
  disableEndpoint(id: string, reason: string, at: Date): Promise<boolean>;

  claim(deliveryId: string, now: Date, leaseUntil: Date): Promise<ClaimResult>;
  eventFacts(eventId: number): Promise<EventFacts | null>;
  /** One transaction: the attempt row, the delivery's new state and body, the endpoint's failure streak. Returns the streak. */
  recordAttempt(input: RecordAttemptInput): Promise<{ consecutiveFailures: number; failingSince: Date | null }>;

  createTestDelivery(endpoint: EndpointRecord, payload: WebhookEnvelope, messageId: string, at: Date): Promise<DeliveryRecord>;
  /** Back to pending, due now (not while an attempt is running). Returns the ids it re-queued. */
  requeue(filter: { deliveryId: string } | { endpointId: string; failedFrom: Date; failedTo: Date }, at: Date): Promise<string[]>;
  findDelivery(id: string): Promise<(DeliveryRecord & { endpointUrl: string; endpointDescription: string | null; leadReceivedAt: Date | null; attemptsLog: AttemptRecord[] }) | null>;
  listDeliveries(filter: { clientId: string | null; endpointId?: string; leadId?: string; status?: DeliveryStatus; limit: number }): Promise<(DeliveryRecord & { endpointUrl: string; endpointDescription: string | null; leadReceivedAt: Date | null; lastDurationMs: number | null })[]>;
}

export interface HttpAttempt {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface HttpAttemptResult {
  /** null: no HTTP answer (timeout, refused address, network error — see `error`). */
  status: number | null;
  retryAfter: string | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

/** Posts one attempt; never follows redirects; refuses forbidden addresses (production) at connect time. */
export interface WebhookHttpSender {
  post(req: HttpAttempt): Promise<HttpAttemptResult>;
}
