import { z } from "zod";
import { createCampaignInput, listCampaignsInput, updateCampaignInput } from "../../domain/campaigns/inputs";
import { agencyProcedure, authedProcedure, router } from "../init";

export const campaignsRouter = router({
  /** Agency: a client's campaigns (clientId required). Client users: their own client's. */
  list: authedProcedure.input(listCampaignsInput).query(({ ctx, input }) => ctx.deps.campaigns.list(ctx.actor, input)),
  get: authedProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => ctx.deps.campaigns.get(ctx.actor, input.id)),
  create: agencyProcedure.input(createCampaignInput).mutation(({ ctx, input }) => ctx.deps.campaigns.create(ctx.actor, input)),
  update: agencyProcedure.input(updateCampaignInput).mutation(({ ctx, input }) => ctx.deps.campaigns.update(ctx.actor, input)),
});
