import { z } from "zod";
import { createClientInput, updateClientInput } from "../../domain/clients/inputs";
import { agencyProcedure, authedProcedure, router } from "../init";

export const clientsRouter = router({
  list: authedProcedure.query(({ ctx }) => ctx.deps.clients.list(ctx.actor)),
  get: authedProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => ctx.deps.clients.get(ctx.actor, input.id)),
  create: agencyProcedure.input(createClientInput).mutation(({ ctx, input }) => ctx.deps.clients.create(ctx.actor, input)),
  update: agencyProcedure.input(updateClientInput).mutation(({ ctx, input }) => ctx.deps.clients.update(ctx.actor, input)),
});
