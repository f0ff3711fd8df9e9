import type { Actor } from "../auth/roles";
import { sumCents } from "../money";
import { parseInput } from "../shared/parse";
import { deliveryInput, leadsPerDayInput, type DeliveryInput, type LeadsPerDayInput } from "./inputs";
import { computePacing, rateBps, type Pacing } from "./pacing";
import type { LeadsPerDayRow, ReportsDeps } from "./ports";
import { requireAgency } from "../auth/scope";

/** One client's delivery at a glance (the agency dashboard row). Rates in bps, money in cents. */
export interface DeliveryRow {
  clientId: string;
  clientName: string;
  timezone: string;
  currency: string;
  clientStatus: string;
  period: string;
  contractVersion: number | null;
  today: { leads: number; qualified: number; qualifiedRateBps: number | null; billedCents: number; failedAlerts: number };
  month: {
    leads: number;
    qualified: number;
    qualifiedRateBps: number | null;
    billableLeads: number;
    billedCents: number;
    disputesOpened: number;
    /** disputes opened this month / billable leads this month; null with no billable lead. */
    disputeRateBps: number | null;
    failedAlerts: number;
    speedToLead: { p50Seconds: number | null; p90Seconds: number | null; alertedLeads: number };
  };
  pacing: Pacing;
}

export interface DeliveryReport {
  at: Date;
  rows: DeliveryRow[];
  totals: {
    clients: number;
    leadsToday: number;
    qualifiedToday: number;
    leadsMonth: number;
    qualifiedMonth: number;
    failedAlertsToday: number;
    /** Month-to-date billed per currency (clients may bill in different currencies). */
    billedMonthByCurrency: Record<string, number>;
    /** Clients whose cap runs out before the month ends or who fall short of it. */
    pacingWarnings: number;
  };
}

export const REPORTS_ARE_FOR_AGENCY = "Reports are for agency staff.";

/**
 * `reports.delivery`: per client, today and month to date in the client's own time zone — leads,
 * qualified rate, billed, pacing against the monthly cap in force, dispute rate, failed alerts and
 * speed-to-lead percentiles. One SQL round trip for all clients; pacing is computed here.
 */
export async function deliveryReport(deps: ReportsDeps, actor: Actor, raw: DeliveryInput): Promise<DeliveryReport> {
  requireAgency(actor, REPORTS_ARE_FOR_AGENCY);
  const input = parseInput(deliveryInput, raw) ?? {};
  const at = input.at ? new Date(input.at) : deps.clock.now();
  const figures = await deps.repo.deliveryFigures(at);
  const rows: DeliveryRow[] = figures.map((f) => ({
    clientId: f.clientId,
    clientName: f.clientName,
    timezone: f.timezone,
    currency: f.currency,
    clientStatus: f.clientStatus,
    period: f.period,
    contractVersion: f.contractVersion,
    today: { ...f.today, qualifiedRateBps: rateBps(f.today.qualified, f.today.leads) },
    month: {
      leads: f.month.leads,
      qualified: f.month.qualified,
      qualifiedRateBps: rateBps(f.month.qualified, f.month.leads),
      billableLeads: f.month.billableLeads,
      billedCents: f.month.billedCents,
      disputesOpened: f.month.disputesOpened,
      disputeRateBps: rateBps(f.month.disputesOpened, f.month.billableLeads),
      failedAlerts: f.month.failedAlerts,
      speedToLead: { p50Seconds: f.month.speedToLeadP50Seconds, p90Seconds: f.month.speedToLeadP90Seconds, alertedLeads: f.month.alertedLeads },
    },
    pacing: computePacing(f.pricing, { billableLeads: f.month.billableLeads, leadChargesCents: f.month.leadChargesCents }, at, { start: f.monthStart, end: f.monthEnd }),
  }));
  const billedMonthByCurrency: Record<string, number> = {};
  for (const r of rows) billedMonthByCurrency[r.currency] = sumCents([billedMonthByCurrency[r.currency] ?? 0, r.month.billedCents]);
  return {
    at,
    rows,
    totals: {
      clients: rows.length,
      leadsToday: rows.reduce((n, r) => n + r.today.leads, 0),
      qualifiedToday: rows.reduce((n, r) => n + r.today.qualified, 0),
      leadsMonth: rows.reduce((n, r) => n + r.month.leads, 0),
      qualifiedMonth: rows.reduce((n, r) => n + r.month.qualified, 0),
      failedAlertsToday: rows.reduce((n, r) => n + r.today.failedAlerts, 0),
      billedMonthByCurrency,
      pacingWarnings: rows.filter((r) => r.pacing.status === "will_exhaust_early" || r.pacing.status === "will_fall_short").length,
    },
  };
}

/** `reports.leadsPerDay`: leads per calendar day (each lead in its client's time zone) by status, oldest first, every day present. */
export async function leadsPerDay(deps: ReportsDeps, actor: Actor, raw: LeadsPerDayInput): Promise<{ days: LeadsPerDayRow[] }> {
  requireAgency(actor, REPORTS_ARE_FOR_AGENCY);
  const input = parseInput(leadsPerDayInput, raw) ?? { days: 30 };
  const at = input.at ? new Date(input.at) : deps.clock.now();
  const days = await deps.repo.leadsPerDay({ at, days: input.days, clientId: input.clientId });
  return { days };
}
