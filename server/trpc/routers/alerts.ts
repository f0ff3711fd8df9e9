import { listAlertsInput, speedToLeadInput } from "../../domain/alerts/inputs";
import { leadRepLinksInput, repLinkIdInput, repLinkTokenInput } from "../../domain/alerts/rep-links";
import { agencyProcedure, authedProcedure, publicProcedure, router } from "../init";

/** Sent alerts and speed-to-lead. Agency: any client (or all); client users: their own client only. */
export const alertsRouter = router({
  /** Failures first, with their reasons; filter by client, status or lead. */
  list: authedProcedure.input(listAlertsInput).query(({ ctx, input }) => ctx.deps.alerts.list(ctx.actor, input)),
  /** The same log a page at a time: `{ items, nextCursor }` (pass `cursor` for the next page). */
  page: authedProcedure.input(listAlertsInput).query(({ ctx, input }) => ctx.deps.alerts.page(ctx.actor, input)),
  /** p50/p90 seconds from a lead being received to its first alert sent and delivered. */
  speedToLead: authedProcedure.input(speedToLeadInput).query(({ ctx, input }) => ctx.deps.alerts.speedToLead(ctx.actor, input)),
  /** Public (the token is the key): the lead card a rep's SMS link opens, or that it expired / was revoked. */
  repCard: publicProcedure.input(repLinkTokenInput).query(({ ctx, input }) => ctx.deps.alerts.openRepLink(input)),
  /** Agency: the rep links of a lead, with their state. */
  repLinks: agencyProcedure.input(leadRepLinksInput).query(({ ctx, input }) => ctx.deps.alerts.repLinks(ctx.actor, input)),
  /** Agency: revoke one rep link (a repeat changes nothing). */
  revokeRepLink: agencyProcedure.input(repLinkIdInput).mutation(({ ctx, input }) => ctx.deps.alerts.revokeRepLink(ctx.actor, input)),
  /** Agency: revoke every rep link of a lead. */
  revokeLeadRepLinks: agencyProcedure.input(leadRepLinksInput).mutation(({ ctx, input }) => ctx.deps.alerts.revokeLeadRepLinks(ctx.actor, input)),
});
