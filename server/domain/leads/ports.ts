import type { LeadAttribution } from "../attribution/attribution";
import type { MonthToDate } from "../billing/pricing";
import type { NewLedgerEntry } from "../billing/ledger";
import type { ContractVersion } from "../contracts/contract-document";
import type { EarlierDuplicate, LeadSource } from "../qualification/lead-input";
import type { Verdict } from "../qualification/verdict";
import type { VelocityCounter } from "../signals/ports";

/** A lead as intake creates it (before judgement). */
export interface NewLead {
  id: string;
  clientId: string;
  campaignId: string;
  source: LeadSource;
  formId?: string | null;
  apiKeyId?: string | null;
  trackingNumberId?: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  zip: string | null;
  state: string | null;
  city: string | null;
  fields: Record<string, unknown>;
  rawPayload: unknown;
  consent: ConsentRecord | null;
  receivedAt: Date;
  callSid?: string | null;
  callFrom?: string | null;
  /** A test lead (docs/decisions/012-test-mode.md): judged like any lead, never charged, alerted or reported. */
  isTest?: boolean;
  /** Where the lead came from (lead_attributions), written with the lead; null/absent → no row. */
  attribution?: LeadAttribution | null;
}

export interface ConsentRecord {
  text: string | null;
  at: string;
  ip: string | null;
  userAgent: string | null;
  pageUrl: string | null;
}

export interface StoredVerdict {
  status: "qualified" | "rejected";
  verdict: Verdict;
  /** Inputs and facts of the judgement (see judge.ts), kept for replay. */
  evidence: unknown;
  judgedAt: Date;
}

export interface DomainEvent {
  type: "lead.qualified";
  aggregateId: string;
  clientId: string;
  payload: Record<string, unknown>;
}

export interface IdempotentAnswer {
  status: number;
  body: unknown;
}

/** What judging and storing a lead needs inside one database transaction (velocity: docs/decisions/021). */
export interface IntakeTx extends VelocityCounter {
  /** Serializes leads of one client that share a phone or e-mail (race-free duplicate detection). */
  lockContacts(clientId: string, keys: string[]): Promise<void>;
  /** lockContacts + findVersionInForce in one round trip (the version lookup does not depend on the lock). */
  lockContactsAndFindVersion(clientId: string, keys: string[], at: Date): Promise<ContractVersion | null>;
  /** Serializes billing of one client's leads (race-free tier and cap counting). */
  lockClientBilling(clientId: string): Promise<void>;
  /** The campaign's id when it belongs to the client (else null); with no id, the client's default campaign. */
  resolveCampaign(clientId: string, campaignId: string | null): Promise<string | null>;
  findVersionInForce(clientId: string, at: Date): Promise<ContractVersion | null>;
  findVersionById(id: string): Promise<ContractVersion | null>;
  /**
   * The most recent other lead of the client with this phone or e-mail received since `since`, among
   * test leads when `isTest`, else among real ones: the two never make each other duplicates. Among
   * test leads only qualified ones count, so a vendor can fix a rejected test lead and send it again.
   */
  findEarlierDuplicate(clientId: string, contact: { phone: string | null; email: string | null }, since: Date, excludeLeadId: string, isTest: boolean): Promise<EarlierDuplicate | null>;
  /**
   * The client's month-to-date figures for `period`, from its month counter (zeros when it has
   * none). Exact for the caller that holds lockClientBilling: every lead priced under that lock adds
   * to the counter before its transaction commits.
   */
  monthToDate(clientId: string, period: string): Promise<MonthToDate>;
  /** Counts one more billable lead (`leadId`) of the client in `period`, charged `chargedCents` (0 when not charged). */
  addToMonthCounter(leadId: string, clientId: string, period: string, chargedCents: number): Promise<void>;
  insertLead(lead: NewLead, verdict: (StoredVerdict & { contractVersionId: string; billable: boolean }) | null): Promise<void>;
  /**
   * Inserts a judged lead with its charge (if any) and its lead.qualified event (if qualified) in one
   * round trip. Returns the cents actually charged (0 when the charge key already existed).
   * The event payload's chargedCents is filled in by the store. `counted`: the lead is billable and
   * counts towards this billing period, so the same statement adds it (and the cents charged) to
   * the client's month counter (see addToMonthCounter).
   */
  insertJudgedLead(
    lead: NewLead,
    verdict: StoredVerdict & { contractVersionId: string; billable: boolean },
    charge: (NewLedgerEntry & { period: string; contractVersionId: string | null }) | null,
    event: DomainEvent | null,
    counted: { period: string } | null,
  ): Promise<{ chargedCents: number }>;
  saveVerdict(leadId: string, v: StoredVerdict & { contractVersionId: string; billable: boolean }): Promise<void>;
  /** Appends to the ledger; false when the idempotency key already exists (a normal outcome). */
  appendLedger(entry: NewLedgerEntry & { period: string; contractVersionId: string | null }): Promise<boolean>;
  emit(event: DomainEvent): Promise<void>;
  /** Claims an Idempotency-Key for this transaction; returns the stored answer when it was used before. */
  claimIdempotencyKey(scope: string, key: string, requestHash: string): Promise<{ claimed: true } | { claimed: false; requestHash: string; answer: IdempotentAnswer | null }>;
  completeIdempotencyKey(scope: string, key: string, answer: IdempotentAnswer): Promise<void>;
}

export interface IntakeStore {
  transaction<T>(fn: (tx: IntakeTx) => Promise<T>): Promise<T>;
}
