import type { Clock } from "../shared/clock";
import { applyFieldMapping, canonicalJson, disputeData, envelope, invoiceData, leadData, type WebhookEnvelope } from "./payload";
import type { DeliveryRecord, EventFacts, WebhookHttpSender, WebhookStore } from "./ports";
import { DEFAULT_DELIVERY_POLICY, judgeAttempt, retryDelayAfter, type DeliveryPolicy } from "./retry";
import { signedHeaders } from "./signing";

export interface DeliverWebhookDeps {
  store: WebhookStore;
  http: WebhookHttpSender;
  clock: Clock;
  /** `${PUBLIC_URL}/portal/leads/:id`, the link in the body. */
  leadUrl(leadId: string): string;
  policy?: DeliveryPolicy;
  random?: () => number;
}

export type DeliverOutcome =
  | { kind: "delivered"; attempt: number; status: number; durationMs: number }
  | { kind: "retry"; attempt: number; retryAt: Date; error: string }
  | { kind: "failed"; attempt: number; error: string; endpointDisabled: boolean }
  | { kind: "nothing"; reason: "done" | "busy" | "not_due" | "missing" | "endpoint_disabled" };

/** The versioned body of an outbox event (payload.ts), from what the event is about. */
export function bodyOfEvent(facts: EventFacts, leadUrl: (id: string) => string): WebhookEnvelope {
  const data: Record<string, unknown> = {};
  if (facts.lead) data.lead = leadData(facts.lead, leadUrl(facts.lead.id));
  if (facts.dispute) data.dispute = disputeData(facts.dispute);
  if (facts.invoice) data.invoice = invoiceData(facts.invoice);
  return envelope(facts.type, `evt_${facts.eventId}`, facts.createdAt, data);
}

function describeFailure(status: number | null, error: string | null): string {
  if (error) return error;
  return status === null ? "no answer" : `HTTP ${status}`;
}

/**
 * One attempt of one delivery (docs/decisions/014-webhook-delivery.md), safe to run again and
 * concurrently:
 * 1. claim: `pending` and due, or `sending` whose lease ran out (a crash between attempt and record)
 *    → `sending` with attempts + 1; anything else is left alone; a disabled endpoint fails it unsent;
 * 2. the body is built from the event at the first attempt and kept on the row with its record, so
 *    every retry sends the same bytes; an attempt after a crash rebuilds it (same event, same
 *    `webhook-id`);
 * 3. signed (Standard Webhooks; a rotated secret signs too for 24 h), posted with a time limit;
 * 4. recorded in one transaction: the attempt, 2xx → delivered; 410 → failed and the endpoint off;
 *    anything else → pending again at the next step of the schedule (Retry-After respected), or
 *    failed after the last; a long enough failure streak switches the endpoint off.
 */
export async function deliverWebhook(deps: DeliverWebhookDeps, deliveryId: string): Promise<DeliverOutcome> {
  const policy = deps.policy ?? DEFAULT_DELIVERY_POLICY;
  const random = deps.random ?? Math.random;
  const now = deps.clock.now();
  const claim = await deps.store.claim(deliveryId, now, new Date(now.getTime() + policy.leaseMs));
  if (!claim.claimed) {
    const d = claim.delivery;
    if (claim.endpointDisabled) return { kind: "nothing", reason: "endpoint_disabled" };
    return { kind: "nothing", reason: !d ? "missing" : d.status === "pending" ? "not_due" : d.status === "sending" ? "busy" : "done" };
  }
  const { delivery, endpoint } = claim;
  const attempt = delivery.attempts;
  const built = delivery.payload ? null : await bodyOf(deps, delivery);
  const payload = delivery.payload ?? built!;
  const body = canonicalJson(applyFieldMapping(payload, endpoint.fieldMapping));
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) secrets.push(endpoint.previousSecret);
  const startedAt = deps.clock.now();
  const headers = signedHeaders(secrets, delivery.messageId, Math.floor(startedAt.getTime() / 1000), body);
  const result = await deps.http.post({ url: endpoint.url, headers, body, timeoutMs: policy.timeoutMs, maxResponseBytes: policy.maxResponseBytes });
  const at = deps.clock.now();
  const verdict = judgeAttempt(result.status, result.retryAfter, at);
  const log = {
    attempt,
    startedAt,
    durationMs: result.durationMs,
    url: endpoint.url,
    requestHeaders: { ...headers, "webhook-signature": headers["webhook-signature"]!.replace(/v1,[^ ]+/g, "v1,…") },
    requestBody: body,
    responseStatus: result.status,
    responseBody: result.body,
    error: result.error,
    nextRetryAt: null as Date | null,
  };

  if (verdict.kind === "delivered") {
    await deps.store.recordAttempt({ deliveryId, endpointId: endpoint.id, attempt: log, outcome: { status: "delivered", at }, succeeded: true, at, payload: built });
    return { kind: "delivered", attempt, status: result.status!, durationMs: result.durationMs };
  }
  const failure = describeFailure(result.status, result.error);
  if (verdict.kind === "gone") {
    const reason = `${endpoint.url} answered 410 Gone: the receiver asked us to stop`;
    await deps.store.recordAttempt({ deliveryId, endpointId: endpoint.id, attempt: log, outcome: { status: "failed", reason: "HTTP 410 Gone" }, succeeded: false, at, payload: built });
    await deps.store.disableEndpoint(endpoint.id, reason, at);
    return { kind: "failed", attempt, error: "HTTP 410 Gone", endpointDisabled: true };
  }
  const delay = retryDelayAfter(policy, attempt, random, verdict.retryAfterMs);
  if (delay === null) {
    const error = `gave up after ${attempt} attempts: ${failure}`;
    const streak = await deps.store.recordAttempt({ deliveryId, endpointId: endpoint.id, attempt: log, outcome: { status: "failed", reason: error }, succeeded: false, at, payload: built });
    const disabled = await maybeDisable(deps, policy, endpoint.id, streak, at);
    return { kind: "failed", attempt, error, endpointDisabled: disabled };
  }
  const retryAt = new Date(at.getTime() + delay);
  log.nextRetryAt = retryAt;
  const streak = await deps.store.recordAttempt({ deliveryId, endpointId: endpoint.id, attempt: log, outcome: { status: "pending", nextAttemptAt: retryAt }, succeeded: false, at, payload: built });
  if (await maybeDisable(deps, policy, endpoint.id, streak, at)) return { kind: "failed", attempt, error: failure, endpointDisabled: true };
  return { kind: "retry", attempt, retryAt, error: failure };
}

/** Built from the database as it is now: the same bytes again after a crash unless the lead changed meanwhile. */
async function bodyOf(deps: DeliverWebhookDeps, delivery: DeliveryRecord): Promise<WebhookEnvelope> {
  const facts = delivery.eventId !== null ? await deps.store.eventFacts(delivery.eventId) : null;
  return facts ? bodyOfEvent(facts, deps.leadUrl) : envelope(delivery.eventType, `evt_${delivery.eventId ?? delivery.id}`, delivery.createdAt, {});
}

async function maybeDisable(deps: DeliverWebhookDeps, policy: DeliveryPolicy, endpointId: string, streak: { consecutiveFailures: number; failingSince: Date | null }, at: Date): Promise<boolean> {
  if (streak.consecutiveFailures < policy.disableAfterFailures) return false;
  if (!streak.failingSince || at.getTime() - streak.failingSince.getTime() < policy.disableAfterFailingForMs) return false;
  const hours = Math.round((at.getTime() - streak.failingSince.getTime()) / 3_600_000);
  return deps.store.disableEndpoint(endpointId, `${streak.consecutiveFailures} failed attempts in a row over ${hours} h`, at);
}
