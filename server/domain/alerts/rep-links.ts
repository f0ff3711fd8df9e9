import { z } from "zod";
import type { AuditLog } from "../audit/audit";
import { actorLabel, type Actor } from "../auth/roles";
import { requireAgency } from "../auth/scope";
import { DomainError } from "../errors";
import type { Clock } from "../shared/clock";
import { parseInput } from "../shared/parse";
import { REP_LINK_TOKEN } from "./template";

/**
 * A sales rep's link to one lead (decision 024): every alert SMS carries its own `/r/<token>`,
 * which opens a read-only card of that lead made for a phone — name, tap-to-call phone, ZIP, what
 * they asked for, source — without signing in. Nothing else is reachable from it. The token is
 * 128 random bits; only its SHA-256 is stored (rep_links.token_hash). A link works until
 * `expires_at` (REP_LINK_TTL_HOURS after the alert was queued, 72 by default) and can be revoked by
 * agency staff, one link or every link of a lead.
 */

export interface RepLinkTokens {
  newToken(): string;
  hashToken(token: string): string;
}

export type RepLinkState = "active" | "expired" | "revoked";

export interface RepLinkRecord {
  id: string;
  alertId: string;
  leadId: string;
  clientId: string;
  recipientName: string;
  toPhone: string;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  lastOpenedAt: Date | null;
  createdAt: Date;
}

/** What the rep sees: the lead, and nothing that leads elsewhere. */
export interface LeadCard {
  clientName: string;
  timezone: string;
  name: string | null;
  phone: string | null;
  zip: string | null;
  city: string | null;
  state: string | null;
  /** The lead's own words: a message / service / project field, or for a call how long they talked. */
  askedFor: string | null;
  source: "form" | "api" | "call";
  campaign: string;
  receivedAt: Date;
}

export interface RepLinkRepository {
  /** The link by token hash with its lead's card; stamps last_opened_at when `openedAt` is given and the link is active. */
  open(tokenHash: string, openedAt: Date): Promise<{ link: RepLinkRecord; card: LeadCard } | null>;
  findById(id: string): Promise<RepLinkRecord | null>;
  listForLead(leadId: string): Promise<RepLinkRecord[]>;
  /** Revokes the link if it is not revoked yet; returns the link as it is now. */
  revoke(id: string, at: Date, by: string): Promise<RepLinkRecord | null>;
  /** Revokes every not-yet-revoked link of the lead; returns the ids revoked now. */
  revokeAllOfLead(leadId: string, at: Date, by: string): Promise<string[]>;
  /** The lead's client, or null for an unknown lead. */
  leadClientId(leadId: string): Promise<string | null>;
}

export interface RepLinkDeps {
  repo: RepLinkRepository;
  tokens: RepLinkTokens;
  clock: Clock;
  audit: AuditLog;
  transaction<T>(fn: (deps: { repo: RepLinkRepository; audit: AuditLog }) => Promise<T>): Promise<T>;
}

export const repLinkTokenInput = z.object({ token: z.string().max(200) });
export const repLinkIdInput = z.object({ id: z.uuid() });
export const leadRepLinksInput = z.object({ leadId: z.uuid() });

export function repLinkState(link: Pick<RepLinkRecord, "expiresAt" | "revokedAt">, now: Date): RepLinkState {
  if (link.revokedAt) return "revoked";
  return link.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

export type OpenedRepLink =
  | { state: "active"; card: LeadCard; expiresAt: Date }
  | { state: "expired"; expiredAt: Date; clientName: string }
  | { state: "revoked"; revokedAt: Date; clientName: string };

const unknownLink = () => new DomainError("NOT_FOUND", "This link is not valid. Check that it was copied whole from the text message.");

/** /r/<token>: the card while the link is active; for an expired or revoked link only when and whose (no lead data). */
export async function openRepLink(deps: Pick<RepLinkDeps, "repo" | "tokens" | "clock">, raw: unknown): Promise<OpenedRepLink> {
  const { token } = parseInput(repLinkTokenInput, raw);
  if (!REP_LINK_TOKEN.test(token)) throw unknownLink();
  const now = deps.clock.now();
  const found = await deps.repo.open(deps.tokens.hashToken(token), now);
  if (!found) throw unknownLink();
  const state = repLinkState(found.link, now);
  if (state === "revoked") return { state, revokedAt: found.link.revokedAt!, clientName: found.card.clientName };
  if (state === "expired") return { state, expiredAt: found.link.expiresAt, clientName: found.card.clientName };
  return { state, card: found.card, expiresAt: found.link.expiresAt };
}

export interface RepLinkView extends RepLinkRecord {
  state: RepLinkState;
}

const view = (link: RepLinkRecord, now: Date): RepLinkView => ({ ...link, state: repLinkState(link, now) });

/** The rep links of a lead, for the console (agency staff only). */
export async function listLeadRepLinks(deps: Pick<RepLinkDeps, "repo" | "clock">, actor: Actor, raw: unknown): Promise<RepLinkView[]> {
  requireAgency(actor);
  const { leadId } = parseInput(leadRepLinksInput, raw);
  const now = deps.clock.now();
  return (await deps.repo.listForLead(leadId)).map((l) => view(l, now));
}

/** Revokes one link (agency staff). Revoking a revoked link changes nothing and says so. */
export async function revokeRepLink(deps: RepLinkDeps, actor: Actor, raw: unknown): Promise<RepLinkView & { changed: boolean }> {
  requireAgency(actor);
  const { id } = parseInput(repLinkIdInput, raw);
  const now = deps.clock.now();
  return deps.transaction(async (tx) => {
    const before = await tx.repo.findById(id);
    if (!before) throw new DomainError("NOT_FOUND", "No such link.");
    if (before.revokedAt) return { ...view(before, now), changed: false };
    const after = await tx.repo.revoke(id, now, actorLabel(actor));
    if (!after) throw new DomainError("NOT_FOUND", "No such link.");
    await tx.audit.record(actor, {
      clientId: before.clientId,
      action: "rep_link.revoked",
      entityType: "lead",
      entityId: before.leadId,
      before: { linkId: id, recipient: before.recipientName, expiresAt: before.expiresAt.toISOString() },
      after: { linkId: id, revokedAt: now.toISOString() },
    });
    return { ...view(after, now), changed: true };
  });
}

/** Revokes every link of a lead (agency staff); returns how many were still unrevoked. */
export async function revokeLeadRepLinks(deps: RepLinkDeps, actor: Actor, raw: unknown): Promise<{ leadId: string; revoked: number }> {
  requireAgency(actor);
  const { leadId } = parseInput(leadRepLinksInput, raw);
  const now = deps.clock.now();
  return deps.transaction(async (tx) => {
    const clientId = await tx.repo.leadClientId(leadId);
    if (!clientId) throw new DomainError("LEAD_NOT_FOUND", "Lead not found.");
    const ids = await tx.repo.revokeAllOfLead(leadId, now, actorLabel(actor));
    if (ids.length) {
      await tx.audit.record(actor, { clientId, action: "rep_links.revoked_all", entityType: "lead", entityId: leadId, after: { linkIds: ids, revokedAt: now.toISOString() } });
    }
    return { leadId, revoked: ids.length };
  });
}
