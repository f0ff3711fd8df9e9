import type { Actor } from "../auth/roles";
import type { DisputeTerms } from "../contracts/contract-document";
import { DomainError } from "../errors";
import type { LeadDetail } from "../leads/read-leads";
import { BPS_DENOMINATOR, divRoundHalfUp } from "../money";
import type { LeadSource } from "../qualification/lead-input";
import { parseInput } from "../shared/parse";
import { disputeIdInput, disputeStatsInput, listDisputesInput, type DisputeStatsInput, type ListDisputesInput } from "./inputs";
import { windowClosesAt } from "./policy";
import type { DisputeDeps, DisputeView, StatsRow, TimelineEvent } from "./ports";
import { isUuid } from "../shared/formats";
import { canReach, clientScope, isClientSide } from "../auth/scope";

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
}
function decodeCursor(c: string): { at: Date; id: string } {
  const [t, id] = Buffer.from(c, "base64url").toString().split("|");
  const at = new Date(t ?? "");
  if (!id || !isUuid(id) || Number.isNaN(at.getTime())) {
    throw new DomainError("VALIDATION_FAILED", "The page cursor is not valid.", { issues: [{ path: ["cursor"], message: "is not a cursor from a previous page" }] });
  }
  return { at, id };
}

/**
 * Agency: the review queue, soonest deadline first, filterable by client, status, reason and campaign.
 * Client users: their own disputes, newest first, with status, deadline and outcome/notes.
 */
export async function listDisputes(deps: DisputeDeps, actor: Actor, raw: ListDisputesInput): Promise<{ items: DisputeView[]; nextCursor: string | null }> {
  const input = parseInput(listDisputesInput, raw);
  const order = isClientSide(actor) ? "recent" : "queue";
  const rows = await deps.store.reads.list({
    clientId: clientScope(actor, input.clientId),
    status: input.status,
    reason: input.reason,
    campaignId: input.campaignId,
    order,
    after: input.cursor ? decodeCursor(input.cursor) : undefined,
    limit: input.limit + 1,
  });
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > input.limit && last ? encodeCursor(order === "queue" ? last.dueAt : last.openedAt, last.id) : null;
  return { items, nextCursor };
}

export interface DisputeDetail extends DisputeView {
  /** The lead side by side: verdict reasons, raw payload, consent, call facts and charges. */
  lead: LeadDetail & { recordingUrl: string | null };
  /** The dispute terms of the contract version that judged the lead. */
  terms: (DisputeTerms & { minCallSeconds: number }) | null;
  windowClosesAt: Date | null;
  timeline: TimelineEvent[];
}

/** One dispute with its evidence; another client's dispute is NOT_FOUND. */
export async function getDispute(deps: DisputeDeps, actor: Actor, raw: { id: string }): Promise<DisputeDetail> {
  const { id } = parseInput(disputeIdInput, raw);
  const dispute = await deps.store.reads.get(id);
  if (!dispute || !canReach(actor, dispute.clientId)) throw new DomainError("NOT_FOUND", "Dispute not found.");
  const [lead, timeline, version] = await Promise.all([
    deps.leads.get(dispute.leadId),
    deps.store.reads.timeline(id),
    dispute.contractVersionId ? deps.leads.findVersionById(dispute.contractVersionId) : Promise.resolve(null),
  ]);
  if (!lead) throw new DomainError("LEAD_NOT_FOUND", "The disputed lead no longer exists.");
  const terms = version ? { ...version.document.disputes, minCallSeconds: version.document.qualification.minCallSeconds } : null;
  return {
    ...dispute,
    lead: { ...lead, recordingUrl: lead.call?.hasRecording ? `/recordings/${lead.id}` : null },
    terms,
    windowClosesAt: terms ? windowClosesAt(lead.receivedAt, terms.windowDays) : null,
    timeline,
  };
}

export interface RateRow {
  disputes: number;
  approved: number;
  billableLeads: number;
  /** disputes / billable leads in basis points; null when there were no billable leads. */
  rateBps: number | null;
}

export interface DisputeStats {
  from: Date;
  to: Date;
  clientId: string | null;
  totals: RateRow;
  byCampaign: (RateRow & { campaignId: string; campaignName: string })[];
  bySource: (RateRow & { source: LeadSource })[];
  byReason: (RateRow & { reason: string })[];
}

function rate(disputes: number, approved: number, billableLeads: number): RateRow {
  return { disputes, approved, billableLeads, rateBps: billableLeads > 0 ? divRoundHalfUp(disputes * BPS_DENOMINATOR, billableLeads) : null };
}

/** Pure: folds repository rows into rates by campaign, source and reason (reason rates use all billable leads). */
export function summarizeStats(rows: StatsRow[]): Omit<DisputeStats, "from" | "to" | "clientId"> {
  const campaigns = new Map<string, { name: string; d: number; a: number; b: number }>();
  const sources = new Map<LeadSource, { d: number; a: number; b: number }>();
  const reasons = new Map<string, { d: number; a: number }>();
  let d = 0;
  let a = 0;
  let b = 0;
  for (const r of rows) {
    const c = campaigns.get(r.campaignId) ?? { name: r.campaignName, d: 0, a: 0, b: 0 };
    const s = sources.get(r.source) ?? { d: 0, a: 0, b: 0 };
    c.d += r.disputes;
    c.a += r.approved;
    c.b += r.billableLeads;
    s.d += r.disputes;
    s.a += r.approved;
    s.b += r.billableLeads;
    campaigns.set(r.campaignId, c);
    sources.set(r.source, s);
    if (r.reason !== null) {
      const x = reasons.get(r.reason) ?? { d: 0, a: 0 };
      x.d += r.disputes;
      x.a += r.approved;
      reasons.set(r.reason, x);
    }
    d += r.disputes;
    a += r.approved;
    b += r.billableLeads;
  }
  const byRate = <T extends RateRow>(list: T[]) => list.sort((x, y) => (y.rateBps ?? -1) - (x.rateBps ?? -1) || y.disputes - x.disputes);
  return {
    totals: rate(d, a, b),
    byCampaign: byRate([...campaigns].map(([campaignId, v]) => ({ campaignId, campaignName: v.name, ...rate(v.d, v.a, v.b) }))),
    bySource: byRate([...sources].map(([source, v]) => ({ source, ...rate(v.d, v.a, v.b) }))),
    byReason: byRate([...reasons].map(([reason, v]) => ({ reason, ...rate(v.d, v.a, b) }))),
  };
}

/**
 * Dispute rate = disputes (not withdrawn) of leads received in [from, to) / billable leads received
 * then, by campaign, source and reason. Client users see their own client only.
 */
export async function disputeStats(deps: DisputeDeps, actor: Actor, raw: DisputeStatsInput): Promise<DisputeStats> {
  const input = parseInput(disputeStatsInput, raw);
  const clientId = clientScope(actor, input.clientId) ?? null;
  const from = new Date(input.from);
  const to = new Date(input.to);
  const rows = await deps.store.reads.stats({ from, to }, clientId ?? undefined);
  return { from, to, clientId, ...summarizeStats(rows) };
}
