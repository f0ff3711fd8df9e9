import type { Actor } from "../auth/roles";
import { requireAgency } from "../auth/scope";
import { parseInput } from "../shared/parse";
import { REPORTS_ARE_FOR_AGENCY } from "./delivery";
import { summaryInput, type SummaryInput } from "./inputs";

/**
 * `reports.quality`: which source sends junk (docs/quality-score.md). Per client, campaign and lead
 * source over a date range (calendar days in each client's time zone): leads checked at intake,
 * their average quality score, how many scored poor (under 50), and how many an intake-check rule
 * of the contract rejected. Worst average first.
 */
export interface QualityRow {
  clientId: string;
  clientName: string;
  campaignId: string;
  campaignName: string;
  source: "form" | "api" | "call";
  leads: number;
  checked: number;
  /** Average score of the checked leads, rounded; null when none was checked. */
  averageScore: number | null;
  poor: number;
  rejectedByChecks: number;
}

export interface QualityReportRepository {
  leadQuality(range: { from: string; to: string; clientId?: string }): Promise<QualityRow[]>;
}

export async function leadQualityReport(repo: QualityReportRepository, actor: Actor, raw: SummaryInput): Promise<{ from: string; to: string; rows: QualityRow[] }> {
  requireAgency(actor, REPORTS_ARE_FOR_AGENCY);
  const input = parseInput(summaryInput, raw);
  const rows = await repo.leadQuality(input);
  return { from: input.from, to: input.to, rows };
}
