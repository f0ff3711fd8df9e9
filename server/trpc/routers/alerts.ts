import { listAlertsInput, speedToLeadInput } from "../../domain/alerts/inputs";
import { authedProcedure, router } from "../init";

/** Sent alerts and speed-to-lead. Agency: any client (or all); client users: their own client only. */
export const alertsRouter = router({
  /** Failures first, with their reasons; filter by client, status or lead. */
  list: authedProcedure.input(listAlertsInput).query(({ ctx, input }) => ctx.deps.alerts.list(ctx.actor, input)),
  /** The same log a page at a time: `{ items, nextCursor }` (pass `cursor` for the next page). */
  page: authedProcedure.input(listAlertsInput).query(({ ctx, input }) => ctx.deps.alerts.page(ctx.actor, input)),
  /** p50/p90 seconds from a lead being received to its first alert sent and delivered. */
  speedToLead: authedProcedure.input(speedToLeadInput).query(({ ctx, input }) => ctx.deps.alerts.speedToLead(ctx.actor, input)),
});
