import { z } from "zod";
import { markOutcomesInput } from "../../domain/billing/mark-outcomes";
import { outcomeCaller } from "../../domain/billing/mark-outcome";
import { exportLeadsInput } from "../../domain/leads/export-leads";
import { listLeadsInput } from "../../domain/leads/read-leads";
import { authedProcedure, router } from "../init";
import { markOutcomeProcedure } from "./outcomes";

export const leadsRouter = router({
  /** Agency: any client (filter by clientId); client users: their own leads only. */
  list: authedProcedure.input(listLeadsInput).query(({ ctx, input }) => ctx.deps.leads.list(ctx.actor, input)),
  get: authedProcedure.input(z.object({ id: z.string().max(100) })).query(({ ctx, input }) => ctx.deps.leads.get(ctx.actor, input.id)),
  /** The stored verdict and a replay against the recorded contract version; they must agree. */
  explain: authedProcedure.input(z.object({ id: z.string().max(100) })).query(({ ctx, input }) => ctx.deps.leads.explain(ctx.actor, input.id)),
  /** Client users: mark an own lead won (with valueCents) or lost — see routers/outcomes.ts. */
  markOutcome: markOutcomeProcedure,
  /** `{ filename, csv, rows }`: the leads the list's filters match, as CSV (same scope rules as list). */
  csv: authedProcedure.input(exportLeadsInput).query(({ ctx, input }) => ctx.deps.leads.csv(ctx.actor, input)),
  /** Mark many leads won or lost at once (client users: their own; agency staff: any), each exactly as markOutcome. */
  markOutcomes: authedProcedure.input(markOutcomesInput).mutation(({ ctx, input }) => ctx.deps.billing.markOutcomes(outcomeCaller(ctx.actor), input)),
});
