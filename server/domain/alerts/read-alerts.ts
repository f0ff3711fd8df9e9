import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { listAlertsInput, speedToLeadInput, type ListAlertsInput, type SpeedToLeadInput } from "./inputs";
import type { AlertListItem, AlertPosition, AlertReadRepository, SpeedToLead } from "./ports";
import { isUuid } from "../shared/formats";
import { clientScope } from "../auth/scope";
import { describeSegments, maskRepLinks, smsSegments } from "./template";

export interface AlertListView extends AlertListItem {
  /** The text as sent, its rep link token shortened (the full link is the rep's key to the lead). */
  body: string;
  /** How the carrier bills the text as sent: "1 segment (GSM-7, 142 of 160 characters)". */
  segments: string;
}

/**
 * Alerts as the console shows them: failures (failed, undelivered) first with their reasons, then
 * skipped, then the rest, newest first. Agency staff see any client (or all); client users only
 * their own client's alerts. Each comes with the text that was sent (link token masked) and its segments.
 */
export async function listAlerts(repo: AlertReadRepository, actor: Actor, raw: ListAlertsInput): Promise<AlertListView[]> {
  return (await pageAlerts(repo, actor, raw)).items;
}

function encodeCursor(p: AlertPosition): string {
  return Buffer.from(`${p.rank}|${p.createdAt}|${p.id}`).toString("base64url");
}
function decodeCursor(c: string): AlertPosition {
  const [rank, createdAt, id] = Buffer.from(c, "base64url").toString().split("|");
  if (!/^[012]$/.test(rank ?? "") || !createdAt || Number.isNaN(Date.parse(createdAt)) || !id || !isUuid(id)) {
    throw new DomainError("VALIDATION_FAILED", "The page cursor is not valid.", { issues: [{ path: ["cursor"], message: "is not a cursor from a previous page" }] });
  }
  return { rank: Number(rank), createdAt, id };
}

/** `alerts.page`: the alerts log a page at a time (keyset on its order), with the next page's cursor. */
export async function pageAlerts(repo: AlertReadRepository, actor: Actor, raw: ListAlertsInput): Promise<{ items: AlertListView[]; nextCursor: string | null }> {
  const input = parseInput(listAlertsInput, raw);
  const clientId = clientScope(actor, input.clientId);
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const rows = await repo.list({ clientId, status: input.status, leadId: input.leadId, limit: input.limit + 1, after });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return { items: page.map(({ position: _, ...a }) => ({ ...a, body: maskRepLinks(a.body), segments: describeSegments(smsSegments(a.body)) })), nextCursor: rows.length > input.limit && last ? encodeCursor(last.position) : null };
}

/**
 * Speed-to-lead per lead: seconds from the lead being received to its first alert handed to
 * Twilio (sent_at) and to its first alert delivered (delivered_at); p50 and p90 over the leads
 * received in [from, to).
 */
export async function speedToLead(repo: AlertReadRepository, actor: Actor, raw: SpeedToLeadInput): Promise<SpeedToLead & { clientId: string | null; from: string | null; to: string | null }> {
  const input = parseInput(speedToLeadInput, raw);
  const clientId = clientScope(actor, input.clientId);
  const from = input.from ? new Date(input.from) : undefined;
  const to = input.to ? new Date(input.to) : undefined;
  if (from && to && from >= to) {
    throw new DomainError("VALIDATION_FAILED", "`from` must be before `to`.", { issues: [{ path: ["from"], message: "must be before to" }] });
  }
  const r = await repo.speedToLead({ clientId, from, to });
  return { ...r, clientId: clientId ?? null, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null };
}
