import { z } from "zod";
import { createUserInput } from "../../domain/users/inputs";
import { authedProcedure, router } from "../init";

export const usersRouter = router({
  /** Agency admin: any user. Client admin: users of its own client (role and client enforced in the use case). */
  create: authedProcedure.input(createUserInput).mutation(({ ctx, input }) => ctx.deps.users.create(ctx.actor, input)),
  list: authedProcedure
    .input(z.object({ clientId: z.uuid().nullable().optional() }).optional())
    .query(({ ctx, input }) => ctx.deps.users.list(ctx.actor, input?.clientId)),
});
