import { deliveryInput, leadsPerDayInput, summaryInput } from "../../domain/reports/inputs";
import { clientOverviewInput } from "../../domain/reports/client-overview";
import { agencyProcedure, authedProcedure, router } from "../init";

/** Agency reports: delivery dashboard figures, leads per day, date-range summary and its CSV. */
export const reportsRouter = router({
  /** A client's home page figures: client users get their own; agency staff name the client. */
  overview: authedProcedure.input(clientOverviewInput).query(({ ctx, input }) => ctx.deps.reports.overview(ctx.actor, input)),
  /** Per client, today and month to date in the client's time zone, with pacing against the cap in force. */
  delivery: agencyProcedure.input(deliveryInput).query(({ ctx, input }) => ctx.deps.reports.delivery(ctx.actor, input)),
  /** Leads per day by status over the last `days` days (default 30), all clients or one. */
  leadsPerDay: agencyProcedure.input(leadsPerDayInput).query(({ ctx, input }) => ctx.deps.reports.leadsPerDay(ctx.actor, input)),
  /** Per client and campaign over [from, to] (calendar dates in each client's time zone). */
  summary: agencyProcedure.input(summaryInput).query(({ ctx, input }) => ctx.deps.reports.summary(ctx.actor, input)),
  /** Lead quality (intake checks) per client, campaign and source over [from, to], worst average first. */
  quality: agencyProcedure.input(summaryInput).query(({ ctx, input }) => ctx.deps.reports.quality(ctx.actor, input)),
  /** The same rows as CSV text with the download file name. */
  summaryCsv: agencyProcedure.input(summaryInput).query(({ ctx, input }) => ctx.deps.reports.summaryCsv(ctx.actor, input)),
});
