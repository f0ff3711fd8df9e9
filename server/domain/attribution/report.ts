import { stringify } from "csv-stringify/sync";
import type { Actor } from "../auth/roles";
import { clientScope } from "../auth/scope";
import { parseInput } from "../shared/parse";
import { costFigures, outcomeCells } from "../reports/summary";
import { safeText } from "../shared/csv";
import { attributionReportInput, type AttributionReportInput } from "./inputs";
import type { AttributionReportRepository, AttributionReportRow, ReportDimension } from "./ports";

/**
 * "Which keyword brought the most qualified leads, and what did each cost?" Leads RECEIVED in the
 * date range (each client's own calendar days) grouped by one attribution value (source, medium,
 * campaign, keyword, ad content) of their last touch: leads, qualified, billed (net ledger amount
 * of those leads: charges less credits), won, revenue (deal values), cost per lead (lead charges
 * less dispute credits / qualified) and per acquisition (billed / won), rounded by the one money
 * rule. Agency staff see every client (or one); a client user only their own.
 */

export interface AttributionReportLine extends AttributionReportRow {
  costPerLeadCents: number | null;
  costPerAcquisitionCents: number | null;
}

export interface AttributionReport {
  from: string;
  to: string;
  dimension: ReportDimension;
  rows: AttributionReportLine[];
}

export const DIMENSION_LABELS: Record<ReportDimension, string> = { source: "Source", medium: "Medium", campaign: "Campaign", keyword: "Keyword", content: "Ad" };

export async function attributionReport(deps: { repo: AttributionReportRepository }, actor: Actor, raw: AttributionReportInput): Promise<AttributionReport> {
  const input = parseInput(attributionReportInput, raw);
  const clientId = clientScope(actor, input.clientId) ?? undefined;
  const rows = await deps.repo.rows({ from: input.from, to: input.to, clientId, dimension: input.dimension });
  return {
    from: input.from,
    to: input.to,
    dimension: input.dimension,
    rows: rows.map((r) => ({ ...r, ...costFigures(r) })),
  };
}

export function attributionReportCsv(report: AttributionReport): string {
  const records: (string | number)[][] = [
    ["client", "client_id", "currency", report.dimension, "from", "to", "leads", "qualified", "billable_leads", "billed_cents", "won", "revenue_cents", "cost_per_lead_cents", "cost_per_acquisition_cents"],
  ];
  for (const r of report.rows) {
    records.push([
      safeText(r.clientName),
      r.clientId,
      r.currency,
      r.value === null ? "(not set)" : safeText(r.value),
      report.from,
      report.to,
      ...outcomeCells(r),
    ]);
  }
  return stringify(records, { record_delimiter: "\r\n" });
}

export async function attributionReportFile(deps: { repo: AttributionReportRepository }, actor: Actor, raw: AttributionReportInput): Promise<{ filename: string; csv: string }> {
  const report = await attributionReport(deps, actor, raw);
  return { filename: `leadledger-${report.dimension}-report-${report.from}-${report.to}.csv`, csv: attributionReportCsv(report) };
}
