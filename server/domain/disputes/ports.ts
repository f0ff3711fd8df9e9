import type { LeadSignals } from "../signals/signals";
import type { AuditLog } from "../audit/audit";
import type { CreditDecision, DisputeStatus } from "../billing/credit";
import type { LedgerEntry, NewLedgerEntry } from "../billing/ledger";
import type { ContractVersion } from "../contracts/contract-document";
import type { LeadReadRepository } from "../leads/read-leads";
import type { EarlierDuplicate, LeadSource } from "../qualification/lead-input";
import type { Clock } from "../shared/clock";

/** Who or what decided a dispute. */
export type DecisionSource = "agency" | "contract" | "evidence" | "sla" | "client";

/** Stored in disputes.decision (jsonb): what was decided, on what basis, and the credit it produced. */
export interface DisputeDecision {
  outcome: "approve" | "partial" | "reject" | "withdraw";
  by: DecisionSource;
  /** The requested credit (null for reject / withdraw). */
  credit: CreditDecision | null;
  /** The lead's charges net of reversals, and earlier dispute credits, when the decision was taken. */
  chargedCents: number;
  alreadyCreditedCents: number;
  /** The credit actually granted (positive cents; 0 when none). */
  creditCents: number;
  /** Evidence the automatic decision relied on (earlier lead, call seconds …). */
  evidence?: Record<string, unknown>;
}

/** A dispute row as the domain sees it. */
export interface DisputeRecord {
  id: string;
  clientId: string;
  leadId: string;
  contractVersionId: string | null;
  reason: string;
  note: string | null;
  evidencePath: string | null;
  evidenceContentType: string | null;
  evidenceFilename: string | null;
  status: DisputeStatus;
  openedBy: string | null;
  openedAt: Date;
  dueAt: Date;
  decision: DisputeDecision | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  creditCents: number | null;
  creditEntryId: string | null;
  requestKey: string | null;
}

export interface NewDispute {
  clientId: string;
  leadId: string;
  contractVersionId: string;
  reason: string;
  note: string | null;
  openedBy: string;
  openedAt: Date;
  dueAt: Date;
  requestKey: string | null;
}

/** What deciding a dispute writes (conditional on status 'open'). */
export interface DisputeDecisionPatch {
  status: DisputeStatus;
  decision: DisputeDecision;
  resolutionNote: string | null;
  resolvedBy: string;
  resolvedAt: Date;
  creditCents: number | null;
  creditEntryId: string | null;
}

/** The facts about a lead that opening and deciding a dispute need. */
export interface LeadForDispute {
  id: string;
  clientId: string;
  campaignId: string;
  source: LeadSource;
  receivedAt: Date;
  phone: string | null;
  email: string | null;
  contractVersionId: string | null;
  callConversationSeconds: number | null;
  /** judgement_evidence.facts.earlierDuplicate as stored with the verdict. */
  storedEarlierDuplicate: EarlierDuplicate | null;
  /** judgement_evidence.input.signals: what the intake checks found (docs/decisions/021-intake-signals.md). */
  storedSignals?: LeadSignals | null;
  clientTimezone: string;
  clientCurrency: string;
}

/** Data access inside one dispute transaction. */
export interface DisputeTx {
  audit: AuditLog;
  /** Serializes dispute opening per client (return-rate cap and one-open-per-lead checks are race-free). */
  lockClientDisputes(clientId: string): Promise<void>;
  findLead(leadId: string): Promise<LeadForDispute | null>;
  findVersionById(id: string): Promise<ContractVersion | null>;
  findByRequestKey(clientId: string, requestKey: string): Promise<DisputeRecord | null>;
  /** The most recently opened dispute of a lead (an open one is always the latest). */
  findLatestForLead(leadId: string): Promise<DisputeRecord | null>;
  /** All ledger entries of the lead (charges, reversals, earlier dispute credits). */
  leadLedger(leadId: string): Promise<Pick<LedgerEntry, "kind" | "amountCents" | "disputeId">[]>;
  /**
   * For the return-rate cap: distinct leads of the client received in [start, end) with a dispute
   * that is open or approved (any kind), not counting `excludeLeadId`; and the billable leads received then.
   */
  periodReturnCounts(clientId: string, bounds: { start: Date; end: Date }, excludeLeadId: string): Promise<{ returnedLeads: number; billableLeads: number }>;
  /** The most recent lead of the client before `before` (and since `since`) with this phone or e-mail. */
  findEarlierLeadSharingContact(
    clientId: string,
    contact: { phone: string | null; email: string | null },
    range: { since: Date; before: Date },
    excludeLeadId: string,
  ): Promise<EarlierDuplicate | null>;
  /** Inserts; null when a unique index (one open per lead, request key per client) refused it. */
  insert(d: NewDispute): Promise<DisputeRecord | null>;
  /** Locks the dispute row for a decision (select … for update). */
  lockForDecision(id: string): Promise<DisputeRecord | null>;
  /** `update … where id = $1 and status = 'open'`; null when it was no longer open. */
  saveDecision(id: string, patch: DisputeDecisionPatch): Promise<DisputeRecord | null>;
  /** Appends a dispute credit (on conflict do nothing); returns the entry id, the existing one on a repeat. */
  appendCredit(entry: NewLedgerEntry & { period: string; contractVersionId: string | null }): Promise<string>;
  /** Sets the evidence file while the dispute is open; null when it is no longer open. */
  setEvidence(id: string, e: { path: string; contentType: string; filename: string | null }): Promise<DisputeRecord | null>;
}

/** A dispute as lists and pages show it. */
export interface DisputeView {
  id: string;
  clientId: string;
  clientName: string;
  leadId: string;
  leadName: string | null;
  leadSource: LeadSource;
  leadReceivedAt: Date;
  campaignId: string;
  campaignName: string;
  contractVersionId: string | null;
  reason: string;
  note: string | null;
  status: DisputeStatus;
  openedAt: Date;
  openedBy: { id: string; email: string } | null;
  /** The agency's deadline; when it passes unanswered the dispute is auto-approved. */
  dueAt: Date;
  decision: DisputeDecision | null;
  resolutionNote: string | null;
  /** The deciding user's e-mail, or `system:<what>` for automatic decisions. */
  resolvedBy: string | null;
  resolvedAt: Date | null;
  creditCents: number | null;
  creditEntryId: string | null;
  evidence: { contentType: string; filename: string | null; url: string } | null;
}

export interface TimelineEvent {
  at: Date;
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
}

export interface DisputeListFilter {
  clientId?: string;
  status?: DisputeStatus;
  reason?: string;
  campaignId?: string;
  /** "queue": due_at ascending (agency); "recent": opened_at descending (client). */
  order: "queue" | "recent";
  after?: { at: Date; id: string };
  limit: number;
}

export interface StatsRow {
  campaignId: string;
  campaignName: string;
  source: LeadSource;
  reason: string | null;
  billableLeads: number;
  disputes: number;
  approved: number;
}

export interface DisputeReadRepository {
  list(filter: DisputeListFilter): Promise<DisputeView[]>;
  get(id: string): Promise<DisputeView | null>;
  timeline(id: string): Promise<TimelineEvent[]>;
  /** Where a dispute's evidence file is stored (relative path), or null when it has none. */
  evidenceFile(id: string): Promise<{ path: string; contentType: string; filename: string | null } | null>;
  /** Ids of open disputes due at or before `now`, oldest due first, after the keyset `after`. */
  openDue(now: Date, limit: number, after?: { dueAt: Date; id: string }): Promise<{ id: string; dueAt: Date }[]>;
  /**
   * Billable leads received in [from, to) by (campaign, source), and their disputes (not
   * withdrawn) by (campaign, source, reason): rows with reason null carry the billable counts.
   */
  stats(range: { from: Date; to: Date }, clientId?: string): Promise<StatsRow[]>;
}

export interface DisputeStore {
  transaction<T>(fn: (tx: DisputeTx) => Promise<T>): Promise<T>;
  reads: DisputeReadRepository;
}

/** Evidence files (the bytes live outside the database). Paths are relative to the evidence root. */
export interface EvidenceFiles {
  save(disputeId: string, body: Uint8Array): Promise<string>;
  read(path: string): Promise<Buffer | null>;
  remove(path: string): Promise<void>;
}

export interface DisputeDeps {
  store: DisputeStore;
  leads: LeadReadRepository;
  files: EvidenceFiles;
  clock: Clock;
}
