import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import type { Clock } from "../shared/clock";
import { parseInput } from "../shared/parse";
import { forbiddenAddressReason } from "./addresses";
import { TEST_EVENT_TYPE } from "./events";
import {
  createEndpointInput,
  idInput,
  listDeliveriesInput,
  listEndpointsInput,
  replayFailedInput,
  updateEndpointInput,
  type CreateEndpointInput,
  type ListDeliveriesInput,
  type ListEndpointsInput,
  type ReplayFailedInput,
  type UpdateEndpointInput,
} from "./inputs";
import { envelope, leadData } from "./payload";
import type { DeliveryRecord, EndpointRecord, WebhookStore } from "./ports";
import { newWebhookSecret, secretHint } from "./signing";
import { canReach, clientScope, mayManageClient, requireClientAdminOrAgency } from "../auth/scope";

/**
 * Webhook endpoints of a client and their delivery log. Who may do what: agency staff — any client
 * (clientId in the input); client admins — their own client; client members — read the log of their
 * own leads only. Another client's endpoint or delivery is NOT_FOUND.
 */
export interface EndpointDeps {
  store: WebhookStore;
  clock: Clock;
  /** NODE_ENV=production: https only, no private or loopback address. */
  production: boolean;
  newSecret?: () => string;
  newMessageId: () => string;
  leadUrl(leadId: string): string;
  /** How long a rotated-out secret keeps signing (default 24 h). */
  rotationOverlapMs?: number;
}

export interface EndpointView extends Omit<EndpointRecord, "secret" | "previousSecret"> {
  secretHint: string;
  rotating: boolean;
}

const view = (e: EndpointRecord, now: Date): EndpointView => {
  const { secret, previousSecret: _p, ...rest } = e;
  return { ...rest, secretHint: secretHint(secret), rotating: Boolean(e.previousSecret && e.previousSecretExpiresAt && e.previousSecretExpiresAt > now) };
};

function scopedClient(actor: Actor, requested: string | undefined): string | null {
  return clientScope(actor, requested) ?? null;
}

function assertCanManage(actor: Actor): void {
  requireClientAdminOrAgency(actor, "Only a client admin or agency staff can manage webhooks.");
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** https required in production (and no literal private address); outside it, http only for this machine. */
export function checkEndpointUrl(raw: string, production: boolean): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new DomainError("VALIDATION_FAILED", "The URL is not valid.", { issues: [{ path: ["url"], message: "is not a valid URL" }] });
  }
  const bad = (message: string) => new DomainError("VALIDATION_FAILED", `The URL ${message}.`, { issues: [{ path: ["url"], message }] });
  if (u.username || u.password) throw bad("must not contain a user name or password");
  const host = u.hostname.toLowerCase();
  if (u.protocol === "https:") {
    if (production && (LOCAL_HOSTS.has(host) || host.endsWith(".localhost") || forbiddenAddressReason(host))) throw bad(`points at a ${forbiddenAddressReason(host) ?? "loopback"} address, which is not allowed`);
    return u.toString();
  }
  if (u.protocol === "http:" && !production && LOCAL_HOSTS.has(host)) return u.toString();
  throw bad(production ? "must use https" : "must use https (http only for localhost outside production)");
}

async function visibleEndpoint(deps: EndpointDeps, actor: Actor, id: string): Promise<EndpointRecord> {
  const e = await deps.store.findEndpoint(id);
  if (!e || !canReach(actor, e.clientId)) throw new DomainError("NOT_FOUND", "Webhook endpoint not found.");
  return e;
}

export async function createEndpoint(deps: EndpointDeps, actor: Actor, raw: CreateEndpointInput): Promise<{ endpoint: EndpointView; secret: string }> {
  assertCanManage(actor);
  const input = parseInput(createEndpointInput, raw);
  const clientId = scopedClient(actor, input.clientId);
  if (!clientId) throw new DomainError("VALIDATION_FAILED", "clientId is required.", { issues: [{ path: ["clientId"], message: "is required" }] });
  const url = checkEndpointUrl(input.url, deps.production);
  const secret = (deps.newSecret ?? newWebhookSecret)();
  const e = await deps.store.createEndpoint({ clientId, url, description: input.description || null, events: [...new Set(input.events)], enabled: input.enabled, secret, fieldMapping: input.fieldMapping });
  return { endpoint: view(e, deps.clock.now()), secret };
}

export async function listEndpoints(deps: EndpointDeps, actor: Actor, raw: ListEndpointsInput): Promise<EndpointView[]> {
  assertCanManage(actor);
  const input = parseInput(listEndpointsInput, raw);
  const now = deps.clock.now();
  return (await deps.store.listEndpoints(scopedClient(actor, input.clientId))).map((e) => view(e, now));
}

/** Endpoints switched off by us (410 or a failure streak): the console and portal banner. */
export async function disabledEndpoints(deps: EndpointDeps, actor: Actor, raw: ListEndpointsInput): Promise<EndpointView[]> {
  if (!mayManageClient(actor)) return [];
  const input = parseInput(listEndpointsInput, raw);
  const now = deps.clock.now();
  return (await deps.store.listEndpoints(scopedClient(actor, input.clientId))).filter((e) => !e.enabled && e.disabledReason).map((e) => view(e, now));
}

export async function updateEndpoint(deps: EndpointDeps, actor: Actor, raw: UpdateEndpointInput): Promise<EndpointView> {
  assertCanManage(actor);
  const input = parseInput(updateEndpointInput, raw);
  const e = await visibleEndpoint(deps, actor, input.id);
  const reenabled = input.enabled === true && !e.enabled;
  const updated = await deps.store.updateEndpoint(
    e.id,
    {
      url: input.url !== undefined ? checkEndpointUrl(input.url, deps.production) : undefined,
      events: input.events ? [...new Set(input.events)] : undefined,
      description: input.description !== undefined ? input.description || null : undefined,
      enabled: input.enabled,
      fieldMapping: input.fieldMapping,
      ...(reenabled ? { disabledReason: null, disabledAt: null, resetFailures: true } : {}),
    },
    deps.clock.now(),
  );
  if (!updated) throw new DomainError("NOT_FOUND", "Webhook endpoint not found.");
  return view(updated, deps.clock.now());
}

/** A new secret (shown once); the old one keeps signing beside it for 24 h so receivers can switch. */
export async function rotateSecret(deps: EndpointDeps, actor: Actor, raw: { id: string }): Promise<{ endpoint: EndpointView; secret: string }> {
  assertCanManage(actor);
  const { id } = parseInput(idInput, raw);
  const e = await visibleEndpoint(deps, actor, id);
  const now = deps.clock.now();
  const secret = (deps.newSecret ?? newWebhookSecret)();
  const updated = await deps.store.updateEndpoint(e.id, { secret, previousSecret: e.secret, previousSecretExpiresAt: new Date(now.getTime() + (deps.rotationOverlapMs ?? 24 * 3_600_000)) }, now);
  return { endpoint: view(updated!, now), secret };
}

export async function listDeliveries(deps: EndpointDeps, actor: Actor, raw: ListDeliveriesInput) {
  const input = parseInput(listDeliveriesInput, raw);
  if (!input.leadId) assertCanManage(actor);
  if (input.endpointId) await visibleEndpoint(deps, actor, input.endpointId);
  return deps.store.listDeliveries({ clientId: scopedClient(actor, input.clientId), endpointId: input.endpointId, leadId: input.leadId, status: input.status, limit: input.limit });
}

export async function getDelivery(deps: EndpointDeps, actor: Actor, raw: { id: string }) {
  assertCanManage(actor);
  const { id } = parseInput(idInput, raw);
  const d = await deps.store.findDelivery(id);
  if (!d || !canReach(actor, d.clientId)) throw new DomainError("NOT_FOUND", "Webhook delivery not found.");
  return d;
}

/** Sends one delivery again now, with the same `webhook-id` and body (a receiver that has it dedupes). */
export async function replayDelivery(deps: EndpointDeps, actor: Actor, raw: { id: string }): Promise<{ deliveryIds: string[] }> {
  const d = await getDelivery(deps, actor, raw);
  const e = await visibleEndpoint(deps, actor, d.endpointId);
  if (!e.enabled) throw new DomainError("CONFLICT", "The endpoint is disabled; enable it before replaying.");
  return { deliveryIds: await deps.store.requeue({ deliveryId: d.id }, deps.clock.now()) };
}

/** Every failed delivery of an endpoint created in [from, to) again. */
export async function replayFailed(deps: EndpointDeps, actor: Actor, raw: ReplayFailedInput): Promise<{ deliveryIds: string[] }> {
  assertCanManage(actor);
  const input = parseInput(replayFailedInput, raw);
  const e = await visibleEndpoint(deps, actor, input.endpointId);
  if (!e.enabled) throw new DomainError("CONFLICT", "The endpoint is disabled; enable it before replaying.");
  if (input.to <= input.from) throw new DomainError("VALIDATION_FAILED", "The range is empty.", { issues: [{ path: ["to"], message: "must be after from" }] });
  return { deliveryIds: await deps.store.requeue({ endpointId: e.id, failedFrom: input.from, failedTo: input.to }, deps.clock.now()) };
}

/** A `webhook.test` event with a sample lead, signed like any other. */
export async function sendTestEvent(deps: EndpointDeps, actor: Actor, raw: { id: string }): Promise<DeliveryRecord> {
  assertCanManage(actor);
  const { id } = parseInput(idInput, raw);
  const e = await visibleEndpoint(deps, actor, id);
  if (!e.enabled) throw new DomainError("CONFLICT", "The endpoint is disabled; enable it before sending a test event.");
  const now = deps.clock.now();
  const messageId = deps.newMessageId();
  const lead = leadData(
    {
      id: "00000000-0000-4000-8000-000000000000",
      clientId: e.clientId,
      source: "form",
      status: "qualified",
      receivedAt: now,
      name: "Test Lead",
      phone: "+12125550100",
      email: "test.lead@example.com",
      zip: "10001",
      city: "New York",
      state: "NY",
      fields: {},
      campaign: null,
      verdict: { qualified: true, reasons: [] },
      contractVersionId: null,
      chargeCents: 0,
      currency: "USD",
      outcome: null,
    },
    deps.leadUrl("00000000-0000-4000-8000-000000000000"),
  );
  return deps.store.createTestDelivery(e, envelope(TEST_EVENT_TYPE, `evt_test_${messageId.slice(4)}`, now, { test: true, lead }), messageId, now);
}
