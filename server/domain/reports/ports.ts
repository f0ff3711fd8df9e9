import type { Pricing } from "../contracts/contract-document";

/**
 * What the reports read from the database. Every figure is an SQL aggregate (one round trip per
 * report, whatever the number of clients); money is integer cents.
 */

/** Month-to-date and today's figures of one client, windows in the client's time zone. */
export interface DeliveryFigures {
  clientId: string;
  clientName: string;
  timezone: string;
  currency: string;
  clientStatus: string;
  /** Billing period 'YYYY-MM' of the report instant, in the client's time zone. */
  period: string;
  dayStart: Date;
  monthStart: Date;
  monthEnd: Date;
  today: { leads: number; qualified: number; billedCents: number; failedAlerts: number };
  month: {
    leads: number;
    qualified: number;
    billableLeads: number;
    /** Net ledger amount: charges (retainer, lead, acquisition, revenue share) minus credits, ± adjustments. */
    billedCents: number;
    /** lead_charge cents of `period` (what a spend cap counts). */
    leadChargesCents: number;
    disputesOpened: number;
    failedAlerts: number;
    /** Seconds from lead received to its first SMS sent, over leads received this month; null without alerts. */
    speedToLeadP50Seconds: number | null;
    speedToLeadP90Seconds: number | null;
    alertedLeads: number;
  };
  /** Pricing of the contract version in force at the report instant; null without a contract. */
  pricing: Pick<Pricing, "monthlyCap"> | null;
  contractVersion: number | null;
}

export interface LeadsPerDayRow {
  /** Calendar day 'YYYY-MM-DD' in the lead's client's time zone. */
  day: string;
  received: number;
  qualified: number;
  rejected: number;
}

/** One (client, campaign) row of a date-range report; campaignId null = client-level ledger entries (retainer, adjustments). */
export interface SummaryFigures {
  clientId: string;
  clientName: string;
  timezone: string;
  currency: string;
  campaignId: string | null;
  campaignName: string | null;
  leads: number;
  qualified: number;
  billableLeads: number;
  won: number;
  revenueCents: number;
  billedCents: number;
  /** Lead charges less dispute credits, among billedCents: what cost per lead divides. */
  leadChargesCents: number;
  disputes: number;
  disputesByReason: Record<string, number>;
}

export interface AuditEventRow {
  id: string;
  createdAt: Date;
  actorId: string | null;
  actorLabel: string;
  clientId: string | null;
  clientName: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  actor?: string;
  clientId?: string;
  entityType?: string;
  entityId?: string;
  /** Keyset position: rows strictly older than (createdAt, id); createdAt at full microsecond precision. */
  after?: { createdAt: string; id: string };
  limit: number;
}

/** One client's home page figures (reports.overview), windows in the client's time zone. */
export interface ClientOverviewFigures {
  timezone: string;
  currency: string;
  period: string;
  dayStart: Date;
  monthStart: Date;
  today: { leads: number; qualified: number; rejected: number };
  month: {
    leads: number;
    qualified: number;
    rejected: number;
    /** Leads received this month marked won, and the deal values they reported. */
    won: number;
    wonValueCents: number;
    /** The billing period's net ledger amount (charges − credits ± adjustments). */
    spendCents: number;
    /** Credits among them, as a positive amount. */
    creditsCents: number;
  };
  /** Qualified real leads with no won/lost yet (any month). */
  awaitingOutcome: number;
  openDisputes: {
    count: number;
    /** The five with the nearest deadline. */
    soonest: { id: string; leadId: string; leadName: string | null; leadPhone: string | null; leadReceivedAt: Date; dueAt: Date; reason: string }[];
  };
  /** Issued, unpaid invoices. */
  due: { cents: number; invoices: number; oldestIssuedAt: Date | null };
}

export interface ReportsRepository {
  deliveryFigures(at: Date): Promise<DeliveryFigures[]>;
  /** null for an unknown client. */
  clientOverview(input: { clientId: string; at: Date }): Promise<ClientOverviewFigures | null>;
  leadsPerDay(input: { at: Date; days: number; clientId?: string }): Promise<LeadsPerDayRow[]>;
  summary(input: { from: string; to: string; clientId?: string }): Promise<SummaryFigures[]>;
  /** Newest first; each row carries its exact keyset position (`createdAtExact`, microseconds, UTC ISO). */
  auditEvents(filter: AuditFilter): Promise<(AuditEventRow & { createdAtExact: string })[]>;
  /** Distinct record types in the audit log, for the filter's choices. */
  auditEntityTypes(): Promise<string[]>;
}

export interface ReportsDeps {
  repo: ReportsRepository;
  clock: { now(): Date };
}
