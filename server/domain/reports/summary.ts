import { stringify } from "csv-stringify/sync";
import { safeText } from "../shared/csv";
import type { Actor } from "../auth/roles";
import { DISPUTE_REASONS } from "../contracts/contract-document";
import { divRoundHalfUp, sumCents } from "../money";
import { parseInput } from "../shared/parse";
import { REPORTS_ARE_FOR_AGENCY } from "./delivery";
import { requireAgency } from "../auth/scope";
import { summaryInput, type SummaryInput } from "./inputs";
import { rateBps } from "./pacing";
import type { ReportsDeps, SummaryFigures } from "./ports";

/**
 * `reports.summary`: per client and campaign over a date range. Dates are calendar days read in
 * each client's own time zone (a New York and a Los Angeles client each get their own midnights).
 *
 * - leads, qualified, won, revenue: leads RECEIVED in the range (won = outcome 'won' now; revenue =
 *   sum of their outcome_value_cents);
 * - billed: the net of ledger entries CREATED in the range (charges minus credits ± adjustments),
 *   attributed to the entry's campaign or its lead's; entries with neither (retainer) form a
 *   client-level row with campaignId null;
 * - disputes: disputes OPENED in the range, by reason; rates are over billable leads received in
 *   the range;
 * - cost per lead = lead charges less dispute credits / qualified leads (retainer, acquisition and revenue-share charges
 *   are not a price per lead); cost per acquisition = everything billed / won (cents, rounded by the
 *   one money rule; null when the divisor is 0).
 */

export interface SummaryRow extends SummaryFigures {
  costPerLeadCents: number | null;
  costPerAcquisitionCents: number | null;
  disputeRateBps: number | null;
  disputeRateByReasonBps: Record<string, number | null>;
}

export interface SummaryReport {
  from: string;
  to: string;
  /** Dispute reasons that get a column: the standard ones plus any others seen. */
  reasons: string[];
  /** Campaign rows (and client-level rows), by client name then campaign name. */
  rows: SummaryRow[];
  /** One total per client that has a row, in the same order. */
  clientTotals: SummaryRow[];
}

/** Per lead and per acquisition cost: lead charges less credits / qualified, billed / won (null when the divisor is 0). */
export function costFigures(f: Pick<SummaryFigures, "qualified" | "won" | "leadChargesCents" | "billedCents">): { costPerLeadCents: number | null; costPerAcquisitionCents: number | null } {
  return {
    costPerLeadCents: f.qualified > 0 ? divRoundHalfUp(f.leadChargesCents, f.qualified) : null,
    costPerAcquisitionCents: f.won > 0 ? divRoundHalfUp(f.billedCents, f.won) : null,
  };
}

/** The CSV cells leads … cost per acquisition, in the report's column order. */
export function outcomeCells(r: Pick<SummaryFigures, "leads" | "qualified" | "billableLeads" | "billedCents" | "won" | "revenueCents"> & ReturnType<typeof costFigures>): (string | number)[] {
  return [r.leads, r.qualified, r.billableLeads, r.billedCents, r.won, r.revenueCents, r.costPerLeadCents ?? "", r.costPerAcquisitionCents ?? ""];
}

function derive(f: SummaryFigures, reasons: string[]): SummaryRow {
  const disputeRateByReasonBps: Record<string, number | null> = {};
  for (const r of reasons) disputeRateByReasonBps[r] = rateBps(f.disputesByReason[r] ?? 0, f.billableLeads);
  return {
    ...f,
    ...costFigures(f),
    disputeRateBps: rateBps(f.disputes, f.billableLeads),
    disputeRateByReasonBps,
  };
}

function clientTotal(rows: SummaryFigures[]): SummaryFigures {
  const first = rows[0]!;
  const disputesByReason: Record<string, number> = {};
  for (const r of rows) for (const [k, n] of Object.entries(r.disputesByReason)) disputesByReason[k] = (disputesByReason[k] ?? 0) + n;
  const sum = (pick: (r: SummaryFigures) => number) => rows.reduce((n, r) => n + pick(r), 0);
  return {
    clientId: first.clientId,
    clientName: first.clientName,
    timezone: first.timezone,
    currency: first.currency,
    campaignId: null,
    campaignName: null,
    leads: sum((r) => r.leads),
    qualified: sum((r) => r.qualified),
    billableLeads: sum((r) => r.billableLeads),
    won: sum((r) => r.won),
    revenueCents: sumCents(rows.map((r) => r.revenueCents)),
    billedCents: sumCents(rows.map((r) => r.billedCents)),
    leadChargesCents: sumCents(rows.map((r) => r.leadChargesCents)),
    disputes: sum((r) => r.disputes),
    disputesByReason,
  };
}

export async function summaryReport(deps: ReportsDeps, actor: Actor, raw: SummaryInput): Promise<SummaryReport> {
  requireAgency(actor, REPORTS_ARE_FOR_AGENCY);
  const input = parseInput(summaryInput, raw);
  const figures = await deps.repo.summary(input);
  const seen = new Set<string>(DISPUTE_REASONS);
  for (const f of figures) for (const k of Object.keys(f.disputesByReason)) seen.add(k);
  const reasons = [...DISPUTE_REASONS, ...[...seen].filter((r) => !(DISPUTE_REASONS as readonly string[]).includes(r)).sort()];
  const byClient = new Map<string, SummaryFigures[]>();
  for (const f of figures) byClient.set(f.clientId, [...(byClient.get(f.clientId) ?? []), f]);
  return {
    from: input.from,
    to: input.to,
    reasons,
    rows: figures.map((f) => derive(f, reasons)),
    clientTotals: [...byClient.values()].map((rs) => derive(clientTotal(rs), reasons)),
  };
}

// ---------------------------------------------------------------------------------------------
// CSV export of the same rows.

/** bps as a percentage with two decimals, exactly (1250 → "12.50"); empty when there is no rate. */
export function bpsToPercent(bps: number | null): string {
  if (bps === null) return "";
  const neg = bps < 0;
  const a = Math.abs(bps);
  return `${neg ? "-" : ""}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}


export function reportFilename(report: Pick<SummaryReport, "from" | "to">): string {
  return `leadledger-report-${report.from}-${report.to}.csv`;
}

/** The report as CSV: one line per campaign row, then per client a `client_total` line. */
export function summaryCsv(report: SummaryReport): string {
  const header = [
    "row_type",
    "client",
    "client_id",
    "campaign",
    "campaign_id",
    "time_zone",
    "currency",
    "from",
    "to",
    "leads",
    "qualified",
    "billable_leads",
    "billed_cents",
    "won",
    "revenue_cents",
    "cost_per_lead_cents",
    "cost_per_acquisition_cents",
    "disputes",
    "dispute_rate_pct",
    ...report.reasons.flatMap((r) => [`disputes_${r}`, `dispute_rate_pct_${r}`]),
  ];
  const line = (type: string, r: SummaryRow) => [
    type,
    safeText(r.clientName),
    r.clientId,
    safeText(r.campaignId ? r.campaignName : type === "client_total" ? "All campaigns" : "Not tied to a campaign"),
    r.campaignId ?? "",
    r.timezone,
    r.currency,
    report.from,
    report.to,
    ...outcomeCells(r),
    r.disputes,
    bpsToPercent(r.disputeRateBps),
    ...report.reasons.flatMap((k) => [r.disputesByReason[k] ?? 0, bpsToPercent(r.disputeRateByReasonBps[k] ?? null)]),
  ];
  const records: (string | number)[][] = [header];
  for (const total of report.clientTotals) {
    for (const r of report.rows.filter((x) => x.clientId === total.clientId)) records.push(line("campaign", r));
    records.push(line("client_total", total));
  }
  return stringify(records, { record_delimiter: "\r\n" });
}

export async function summaryReportCsv(deps: ReportsDeps, actor: Actor, raw: SummaryInput): Promise<{ filename: string; csv: string; rows: number }> {
  const report = await summaryReport(deps, actor, raw);
  return { filename: reportFilename(report), csv: summaryCsv(report), rows: report.rows.length };
}
