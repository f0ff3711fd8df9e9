import { reportsRepository } from "../db/repositories/reports";
import { leadQualityReport } from "../domain/reports/lead-quality";
import { qualityReportRepository } from "../db/repositories/reports/lead-quality";
import type { Actor } from "../domain/auth/roles";
import { listAuditEvents } from "../domain/reports/audit-log";
import { deliveryReport, leadsPerDay } from "../domain/reports/delivery";
import type { AuditListInput, DeliveryInput, LeadsPerDayInput, SummaryInput } from "../domain/reports/inputs";
import { summaryReport, summaryReportCsv } from "../domain/reports/summary";
import type { Wiring } from "./context";
import { clientOverview, type ClientOverviewInput } from "../domain/reports/client-overview";
import { ledgerBalance } from "../domain/billing/ledger-queries";
import { billingReadRepository } from "../db/repositories/ledger";

/** Agency reports (delivery dashboard, leads per day, date-range summary + CSV) and the audit log; read-only SQL aggregates. */
export function reportUseCases({ db, clock }: Wiring) {
  const deps = () => ({ repo: reportsRepository(db), clock });
  return {
    reports: {
      delivery: (actor: Actor, input: DeliveryInput) => deliveryReport(deps(), actor, input),
      leadsPerDay: (actor: Actor, input: LeadsPerDayInput) => leadsPerDay(deps(), actor, input),
      summary: (actor: Actor, input: SummaryInput) => summaryReport(deps(), actor, input),
      summaryCsv: (actor: Actor, input: SummaryInput) => summaryReportCsv(deps(), actor, input),
      /** Lead quality per client, campaign and source (which source sends junk; decision 021). */
      quality: (actor: Actor, input: SummaryInput) => leadQualityReport(qualityReportRepository(db), actor, input),
      /** A client's home page (client users: their own; agency: the named client). */
      overview: (actor: Actor, input: ClientOverviewInput) =>
        clientOverview({ repo: reportsRepository(db), clock, balance: (clientId) => ledgerBalance(billingReadRepository(db), actor, { clientId }, clock.now()) }, actor, input),
    },
    audit: {
      list: (actor: Actor, input: AuditListInput) => listAuditEvents(deps(), actor, input),
    },
  };
}
