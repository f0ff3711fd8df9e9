import { z } from "zod";
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
});
