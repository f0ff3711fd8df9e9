import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { listAlertsInput, speedToLeadInput, type ListAlertsInput, type SpeedToLeadInput } from "./inputs";
import type { AlertListItem, AlertReadRepository, SpeedToLead } from "./ports";
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
  const input = parseInput(listAlertsInput, raw);
  const clientId = clientScope(actor, input.clientId);
  const rows = await repo.list({ clientId, status: input.status, leadId: input.leadId, limit: input.limit });
  return rows.map((a) => ({ ...a, body: maskRepLinks(a.body), segments: describeSegments(smsSegments(a.body)) }));
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
