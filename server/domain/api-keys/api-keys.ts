import type { AuditLog } from "../audit/audit";
import type { Actor } from "../auth/roles";
import type { ClientRepository } from "../clients/clients";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { createApiKeyInput, listApiKeysInput, type CreateApiKeyInput, type ListApiKeysInput } from "./inputs";
import { requireAgency, requiredClientScope } from "../auth/scope";

/** What lists show about a key: never the key itself, only its first characters. */
export interface ApiKeyRecord {
  id: string;
  clientId: string;
  name: string;
  /** The first 12 characters of the key ("ll_live_" or "ll_test_" + 4), to tell keys apart. */
  prefix: string;
  /** "test": posts with this key are test leads (judged, never billed, alerted or reported). */
  mode: ApiKeyMode;
  /** Token of the key's public posting-spec link, or null when none is shared. */
  specToken: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The answer to create: the plain key, shown this once and stored only as a SHA-256 hash. */
export interface CreatedApiKey extends ApiKeyRecord {
  key: string;
}

export const API_KEY_MODES = ["live", "test"] as const;
export type ApiKeyMode = (typeof API_KEY_MODES)[number];
export const API_KEY_PREFIXES: Readonly<Record<ApiKeyMode, string>> = { live: "ll_live_", test: "ll_test_" };
export const API_KEY_PREFIX_LENGTH = 12;
/** How stale lastUsedAt may get before an authentication writes it again. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyRepository {
  insert(k: { clientId: string; name: string; prefix: string; keyHash: string; mode: ApiKeyMode }): Promise<ApiKeyRecord>;
  findById(id: string): Promise<ApiKeyRecord | null>;
  listByClient(clientId: string): Promise<ApiKeyRecord[]>;
  /** Sets revokedAt unless already set; returns the row as it is afterwards. */
  revoke(id: string, at: Date): Promise<ApiKeyRecord | null>;
  /** The unrevoked key with this hash whose client is not archived, with what intake needs of the client. */
  findActiveByHash(keyHash: string): Promise<ActiveApiKey | null>;
  /** Sets lastUsedAt = at when it is null or older than `staleBefore` (one cheap conditional update). */
  touchLastUsed(id: string, at: Date, staleBefore: Date): Promise<void>;
}

/** What intake needs to judge a lead for a client, fetched with the key. */
export interface ApiKeyClient {
  id: string;
  timezone: string;
  phoneCountry: string;
}

export interface ActiveApiKey {
  id: string;
  clientId: string;
  mode: ApiKeyMode;
  lastUsedAt: Date | null;
  client: ApiKeyClient;
}

/** A key that authenticated: who it is (as an actor too), whether it sends test leads, and its client. */
export interface ApiKeyAuth {
  apiKeyId: string;
  clientId: string;
  isTest: boolean;
  client: ApiKeyClient;
}

/** The actor an API key acts as: confined to its client (server/domain/auth/scope.ts). */
export function apiKeyActor(auth: Pick<ApiKeyAuth, "apiKeyId" | "clientId">): Actor {
  return { kind: "api_key", apiKeyId: auth.apiKeyId, clientId: auth.clientId };
}

export interface ApiKeySecrets {
  /** A new plain key: "ll_live_" (or "ll_test_") + 32 url-safe random characters. */
  newKey(mode: ApiKeyMode): string;
  /** The stored form of a key (SHA-256, hex). */
  hash(key: string): string;
}

export interface ApiKeyTxDeps {
  apiKeys: ApiKeyRepository;
  clients: Pick<ClientRepository, "findById">;
  audit: AuditLog;
}

export interface ApiKeyDeps extends ApiKeyTxDeps {
  secrets: ApiKeySecrets;
  clock: { now(): Date };
  transaction<T>(fn: (deps: ApiKeyTxDeps) => Promise<T>): Promise<T>;
}

export async function createApiKey(deps: ApiKeyDeps, actor: Actor, raw: CreateApiKeyInput): Promise<CreatedApiKey> {
  requireAgency(actor, "Only agency staff can create API keys.");
  const input = parseInput(createApiKeyInput, raw);
  const key = deps.secrets.newKey(input.mode);
  return deps.transaction(async (tx) => {
    if (!(await tx.clients.findById(input.clientId))) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
    const record = await tx.apiKeys.insert({ clientId: input.clientId, name: input.name, prefix: key.slice(0, API_KEY_PREFIX_LENGTH), keyHash: deps.secrets.hash(key), mode: input.mode });
    await tx.audit.record(actor, { clientId: record.clientId, action: "api_key.created", entityType: "api_key", entityId: record.id, after: record });
    return { ...record, key };
  });
}

export async function listApiKeys(deps: Pick<ApiKeyDeps, "apiKeys" | "clients">, actor: Actor, raw: ListApiKeysInput): Promise<ApiKeyRecord[]> {
  const input = parseInput(listApiKeysInput, raw);
  const clientId = requiredClientScope(actor, input.clientId);
  if (!(await deps.clients.findById(clientId))) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  return deps.apiKeys.listByClient(clientId);
}

/** Revokes a key at once; revoking a revoked key is a no-op that answers the same row. */
export async function revokeApiKey(deps: ApiKeyDeps, actor: Actor, id: string): Promise<ApiKeyRecord> {
  requireAgency(actor, "Only agency staff can revoke API keys.");
  return deps.transaction(async (tx) => {
    const before = await tx.apiKeys.findById(id);
    if (!before) throw new DomainError("NOT_FOUND", "API key not found.");
    if (before.revokedAt) return before;
    const after = await tx.apiKeys.revoke(id, deps.clock.now());
    if (!after) throw new DomainError("NOT_FOUND", "API key not found.");
    await tx.audit.record(actor, { clientId: after.clientId, action: "api_key.revoked", entityType: "api_key", entityId: id, before, after });
    return after;
  });
}

/**
 * Who a plain key belongs to, or null (unknown, malformed, revoked, or its client archived): the
 * one authentication of API keys, used by lead intake and conversions alike. The key is looked up
 * by its SHA-256, so no comparison of secrets happens in JavaScript. lastUsedAt is written at most
 * once a minute per key, so a busy vendor does not turn every lead into an extra row update.
 */
export async function authenticateApiKey(
  deps: { apiKeys: Pick<ApiKeyRepository, "findActiveByHash" | "touchLastUsed">; secrets: Pick<ApiKeySecrets, "hash">; clock: { now(): Date } },
  plainKey: string,
): Promise<ApiKeyAuth | null> {
  if (typeof plainKey !== "string" || !API_KEY_MODES.some((m) => plainKey.startsWith(API_KEY_PREFIXES[m])) || plainKey.length > 200) return null;
  const found = await deps.apiKeys.findActiveByHash(deps.secrets.hash(plainKey));
  if (!found) return null;
  const now = deps.clock.now();
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!found.lastUsedAt || found.lastUsedAt < staleBefore) await deps.apiKeys.touchLastUsed(found.id, now, staleBefore);
  return { apiKeyId: found.id, clientId: found.clientId, isTest: found.mode === "test", client: found.client };
}
