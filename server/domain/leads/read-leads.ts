import { z } from "zod";
import type { LeadAttribution } from "../attribution/attribution";
import { describeAttribution } from "../attribution/describe";
import type { Actor } from "../auth/roles";
import type { InvoiceStatus } from "../billing/invoice";
import { priceLeadCharge } from "../billing/pricing";
import type { ContractVersion } from "../contracts/contract-document";
import { DomainError } from "../errors";
import { evaluate, withCapReached } from "../qualification/evaluate";
import type { JudgementFacts, LeadForJudgement } from "../qualification/lead-input";
import type { Verdict } from "../qualification/verdict";
import { parseInput } from "../shared/parse";
import type { JudgementEvidence } from "./judge";
import { isUuid } from "../shared/formats";
import { canReach, clientScope, isClientSide } from "../auth/scope";

export const listLeadsInput = z.object({
  clientId: z.uuid().optional(),
  status: z.enum(["received", "qualified", "rejected"]).optional(),
  /** "none": no outcome yet. */
  outcome: z.enum(["won", "lost", "none"]).optional(),
  campaignId: z.uuid().optional(),
  source: z.enum(["form", "api", "call"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Calendar days (inclusive), each read in the lead's client's time zone — what the inbox's date fields send. */
  fromDate: z.iso.date().optional(),
  toDate: z.iso.date().optional(),
  /** true: only leads with a dispute (any status); false: only leads without one. */
  disputed: z.boolean().optional(),
  q: z.string().trim().max(100).optional(),
  /** The quality score's band (docs/quality-score.md): good 80–100, fair 50–79, poor 0–49. */
  quality: z.enum(["good", "fair", "poor"]).optional(),
  /** Where the lead came from (its last touch): utm_source, utm_medium, utm_campaign, utm_term (keyword); case-insensitive. */
  utmSource: z.string().trim().min(1).max(200).optional(),
  utmMedium: z.string().trim().min(1).max(200).optional(),
  utmCampaign: z.string().trim().min(1).max(200).optional(),
  utmTerm: z.string().trim().min(1).max(200).optional(),
  /** true: only test leads (the "Test leads" list); default: only real leads. */
  test: z.boolean().default(false),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type ListLeadsInput = z.input<typeof listLeadsInput>;

export interface LeadSummary {
  id: string;
  clientId: string;
  clientName: string;
  /** Lead pages show times in the client's time zone. */
  clientTimezone: string;
  campaignId: string;
  campaignName: string;
  source: "form" | "api" | "call";
  status: "received" | "qualified" | "rejected";
  outcome: "won" | "lost" | null;
  billable: boolean | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  zip: string | null;
  receivedAt: Date;
  reasonCodes: string[];
  /** The verdict's reasons in words, as the contract version that judged the lead wrote them. */
  reasons: { code: string; message: string }[];
  chargedCents: number;
  /** Dispute credits given back on this lead (a positive amount). Net billed = charged − credited. */
  creditedCents: number;
  /** The latest dispute on the lead ("open", "approved", …), or null. */
  disputeStatus: string | null;
  /** A test lead (docs/decisions/012-test-mode.md): never billed, alerted or reported. */
  isTest: boolean;
  /** The intake checks' score and reading (decision 021); null when the lead was not checked. */
  quality: { score: number; band: "good" | "fair" | "poor"; summary: string } | null;
}

export interface LeadDetail extends LeadSummary {
  state: string | null;
  city: string | null;
  fields: Record<string, unknown>;
  rawPayload: unknown;
  consent: unknown;
  verdict: Verdict | null;
  judgedAt: Date | null;
  contractVersion: { id: string; version: number; effectiveFrom: Date } | null;
  outcomeValueCents: number | null;
  outcomeAt: Date | null;
  /** Where the lead came from (lead_attributions), null when nothing is known; `summary` says it in words. */
  attribution: (LeadAttribution & { summary: string }) | null;
  call: {
    callSid: string | null;
    from: string | null;
    conversationSeconds: number | null;
    dialStatus: string | null;
    hasRecording: boolean;
    recordingDurationSeconds: number | null;
    /** Why there is no recording (Twilio's reason for an absent one). */
    recordingNote: string | null;
    /** Call screening: pending, accepted or not_accepted; null when the number does not screen. */
    screening: string | null;
  } | null;
  /** The lead's ledger entries; `invoice` is the invoice holding each (a client never sees a draft: it reads as not yet invoiced). */
  charges: {
    id: string;
    kind: string;
    amountCents: number;
    createdAt: Date;
    invoiceId: string | null;
    /** `number` as printed on the invoice (INV-0007). */
    invoice: { status: InvoiceStatus; number: string } | null;
    disputeId: string | null;
  }[];
  /** The client's other leads its verdict names (the earlier lead of a duplicate), to name them in words. */
  relatedLeads: { id: string; name: string | null; phone: string | null; receivedAt: Date }[];
}

export interface LeadReadRepository {
  list(filter: z.output<typeof listLeadsInput> & { clientId?: string; after?: { receivedAt: Date; id: string } }): Promise<LeadSummary[]>;
  get(id: string): Promise<LeadDetail | null>;
  evidence(id: string): Promise<{ clientId: string; verdict: Verdict | null; evidence: JudgementEvidence | null; contractVersionId: string | null } | null>;
  findVersionById(id: string): Promise<ContractVersion | null>;
}

function encodeCursor(l: { receivedAt: Date; id: string }): string {
  return Buffer.from(`${l.receivedAt.toISOString()}|${l.id}`).toString("base64url");
}
function decodeCursor(c: string): { receivedAt: Date; id: string } {
  const [t, id] = Buffer.from(c, "base64url").toString().split("|");
  const receivedAt = new Date(t ?? "");
  if (!id || !isUuid(id) || Number.isNaN(receivedAt.getTime())) {
    throw new DomainError("VALIDATION_FAILED", "The page cursor is not valid.", { issues: [{ path: ["cursor"], message: "is not a cursor from a previous page" }] });
  }
  return { receivedAt, id };
}

/** Newest first, stable (received_at, id) keyset paging; client users only ever see their own leads. */
export async function listLeads(repo: LeadReadRepository, actor: Actor, raw: ListLeadsInput): Promise<{ items: LeadSummary[]; nextCursor: string | null }> {
  const input = parseInput(listLeadsInput, raw);
  const clientId = clientScope(actor, input.clientId);
  const rows = await repo.list({ ...input, clientId, limit: input.limit + 1, after: input.cursor ? decodeCursor(input.cursor) : undefined });
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
}

export async function getLead(repo: LeadReadRepository, actor: Actor, id: string): Promise<LeadDetail> {
  const lead = isUuid(id) ? await repo.get(id) : null;
  if (!lead || !canReach(actor, lead.clientId)) throw new DomainError("LEAD_NOT_FOUND", "Lead not found.");
  if (lead.attribution) lead.attribution.summary = describeAttribution(lead.attribution, { timezone: lead.clientTimezone, receivedAt: lead.receivedAt, campaignName: lead.campaignName });
  if (!isClientSide(actor)) return lead;
  // Drafts are the agency's until issued: to the client a charge on one is still "next invoice".
  return { ...lead, charges: lead.charges.map((c) => (c.invoice?.status === "draft" ? { ...c, invoiceId: null, invoice: null } : c)) };
}

/** JSON with sorted keys and no undefined values, so a jsonb round trip compares equal. */
export function canonicalJson(v: unknown): string {
  const canon = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(canon)
      : x && typeof x === "object" && !(x instanceof Date)
        ? Object.fromEntries(
            Object.keys(x)
              .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
              .sort()
              .map((k) => [k, canon((x as Record<string, unknown>)[k])]),
          )
        : x;
  return JSON.stringify(canon(v));
}

function reviveInput(i: LeadForJudgement): LeadForJudgement {
  return { ...i, receivedAt: new Date(i.receivedAt) };
}
function reviveFacts(f: JudgementFacts): JudgementFacts {
  return { ...f, earlierDuplicate: f.earlierDuplicate ? { ...f.earlierDuplicate, receivedAt: new Date(f.earlierDuplicate.receivedAt) } : null };
}

/**
 * Re-evaluates a lead against the version that judged it, from the evidence stored with the
 * verdict. Deterministic rules mean the replay must agree with what was stored.
 */
export async function explainLead(repo: LeadReadRepository, actor: Actor, id: string): Promise<{ leadId: string; stored: Verdict | null; replayed: Verdict | null; agree: boolean }> {
  const row = isUuid(id) ? await repo.evidence(id) : null;
  if (!row || !canReach(actor, row.clientId)) throw new DomainError("LEAD_NOT_FOUND", "Lead not found.");
  if (!row.verdict || !row.evidence || !row.contractVersionId) return { leadId: id, stored: row.verdict, replayed: null, agree: row.verdict === null };
  const version = await repo.findVersionById(row.contractVersionId);
  if (!version) throw new DomainError("NOT_FOUND", "The contract version that judged this lead is missing.");
  let replayed = evaluate(version, reviveInput(row.evidence.input), reviveFacts(row.evidence.facts));
  if (replayed.qualified && row.evidence.monthToDate) {
    const quote = priceLeadCharge(version.document.pricing, row.evidence.monthToDate);
    if (!quote.billable) replayed = withCapReached(replayed, quote.cap.observed, quote.cap.limit);
  }
  const agree = canonicalJson(replayed) === canonicalJson(row.verdict);
  return { leadId: id, stored: row.verdict, replayed, agree };
}
