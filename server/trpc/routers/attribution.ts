import { z } from "zod";
import { attributionReportInput, attributionSettingsInput, createPoolInput, exportConversionsInput } from "../../domain/attribution/inputs";
import { agencyProcedure, authedProcedure, router } from "../init";

/** Where leads come from: reports by source/medium/campaign/keyword, number pools, conversion files (decision 022). */
export const attributionRouter = router({
  /** Grouped by one attribution value; agency staff see any client, a client user only their own. */
  report: authedProcedure.input(attributionReportInput).query(({ ctx, input }) => ctx.deps.attribution.report(ctx.actor, input)),
  reportCsv: authedProcedure.input(attributionReportInput).query(({ ctx, input }) => ctx.deps.attribution.reportCsv(ctx.actor, input)),
  pools: agencyProcedure.input(z.object({ clientId: z.uuid().optional() })).query(({ ctx, input }) => ctx.deps.attribution.listPools(ctx.actor, input)),
  createPool: agencyProcedure.input(createPoolInput).mutation(({ ctx, input }) => ctx.deps.attribution.createPool(ctx.actor, input)),
  /** A conversion file for one client, platform and won-date range; what it contains is recorded as exported. */
  exportConversions: agencyProcedure.input(exportConversionsInput).mutation(({ ctx, input }) => ctx.deps.attribution.exportConversions(ctx.actor, input)),
  settings: agencyProcedure.input(z.object({ clientId: z.uuid() })).query(({ ctx, input }) => ctx.deps.attribution.settings(ctx.actor, input.clientId)),
  updateSettings: agencyProcedure.input(attributionSettingsInput).mutation(({ ctx, input }) => ctx.deps.attribution.updateSettings(ctx.actor, input)),
});
