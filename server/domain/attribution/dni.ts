import type { Actor } from "../auth/roles";
import { clientScope, requireAgency } from "../auth/scope";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { cleanTouch } from "./attribution";
import { createPoolInput, dniRequestInput, poolKeySchema, type CreatePoolInput } from "./inputs";
import type { DniPool, DniStore } from "./ports";

/**
 * Dynamic number insertion (docs/decisions/022-attribution.md): a landing page's snippet asks for a
 * number for its visitor session; the session holds a pool number (least recently used first) for
 * the pool's reservation time, extended while the page stays open. A call to the number while it
 * is held is attributed to that session. An exhausted pool answers with its default number and
 * counts the overflow, so the agency knows to add numbers.
 */

export interface DniDeps {
  store: DniStore;
  clock: { now(): Date };
  newPoolKey(): string;
}

export interface DniAnswer {
  /** E.164, for tel: links. */
  number: string;
  /** "(212) 555-0100" for a US number, else the E.164 form. */
  display: string;
  /** false: the pool's default number (the pool was exhausted). */
  pooled: boolean;
  /** Seconds until the reservation ends unless the page asks again. */
  expiresIn: number | null;
}

export function displayPhone(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

/** POST /api/dni/:poolKey. Unknown pool → NOT_FOUND; bad body → VALIDATION_FAILED. */
export async function reserveNumber(deps: DniDeps, poolKey: string, raw: unknown): Promise<DniAnswer> {
  const key = poolKeySchema.safeParse(poolKey);
  if (!key.success) throw new DomainError("NOT_FOUND", "No number pool has this key.");
  const input = parseInput(dniRequestInput, raw);
  const now = deps.clock.now();
  const at = now.toISOString();
  const r = await deps.store.reserve(key.data, { sessionId: input.session, first: cleanTouch(input.first, at), last: cleanTouch(input.last, at) }, now);
  if (!r) throw new DomainError("NOT_FOUND", "No number pool has this key.");
  if (r.kind === "overflow") return { number: r.phoneNumber, display: displayPhone(r.phoneNumber), pooled: false, expiresIn: null };
  return { number: r.phoneNumber, display: displayPhone(r.phoneNumber), pooled: true, expiresIn: Math.max(0, Math.round((r.reservedUntil.getTime() - now.getTime()) / 1000)) };
}

export async function listPools(deps: Pick<DniDeps, "store">, actor: Actor, input: { clientId?: string }): Promise<DniPool[]> {
  requireAgency(actor, "Only agency staff manage number pools.");
  return deps.store.listPools(clientScope(actor, input.clientId) ?? null);
}

export async function createPool(deps: DniDeps, actor: Actor, raw: CreatePoolInput, clientOfCampaign: (campaignId: string) => Promise<string | null>): Promise<DniPool> {
  requireAgency(actor, "Only agency staff manage number pools.");
  const input = parseInput(createPoolInput, raw);
  const clientId = await clientOfCampaign(input.campaignId);
  if (!clientId) throw new DomainError("NOT_FOUND", "Campaign not found.", { issues: [{ path: ["campaignId"], message: "is not a campaign" }] });
  const pool = await deps.store.createPool({
    clientId,
    campaignId: input.campaignId,
    name: input.name,
    poolKey: deps.newPoolKey(),
    defaultNumber: input.defaultNumber,
    reservationSeconds: input.reservationMinutes * 60,
    trackingNumberIds: [...new Set(input.trackingNumberIds)],
  });
  if (!pool) {
    throw new DomainError("VALIDATION_FAILED", "The input is not valid.", {
      issues: [{ path: ["trackingNumberIds"], message: "must be active tracking numbers of this client that are in no other pool" }],
    });
  }
  return pool;
}
