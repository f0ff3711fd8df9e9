import { createTrackingNumberInput, listTrackingNumbersInput, releaseTrackingNumberInput, updateTrackingNumberInput } from "../../domain/calls/inputs";
import { agencyProcedure, authedProcedure, router } from "../init";

export const trackingNumbersRouter = router({
  /** Agency: any client's numbers (filter by clientId / campaignId); client users: their own client's only. */
  list: authedProcedure.input(listTrackingNumbersInput).query(({ ctx, input }) => ctx.deps.trackingNumbers.list(ctx.actor, input)),
  /** Adds the number and points its Twilio voice URL here; `warning` says why Twilio was not configured (creation still succeeds). */
  create: agencyProcedure.input(createTrackingNumberInput).mutation(({ ctx, input }) => ctx.deps.trackingNumbers.create(ctx.actor, input)),
  update: agencyProcedure.input(updateTrackingNumberInput).mutation(({ ctx, input }) => ctx.deps.trackingNumbers.update(ctx.actor, input)),
  /** Stops tracking; later calls to the number hear "not in service". */
  release: agencyProcedure.input(releaseTrackingNumberInput).mutation(({ ctx, input }) => ctx.deps.trackingNumbers.release(ctx.actor, input)),
});
