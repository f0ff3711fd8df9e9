import { z } from "zod";
import { createUserInput, updatePreferencesInput, updateUserInput } from "../../domain/users/inputs";
import { authedProcedure, router } from "../init";

const codeInput = z.object({ code: z.string().trim().min(1).max(40) });

export const usersRouter = router({
  /** Agency admin: any user. Client admin: users of its own client (role and client enforced in the use case). */
  create: authedProcedure.input(createUserInput).mutation(({ ctx, input }) => ctx.deps.users.create(ctx.actor, input)),
  list: authedProcedure
    .input(z.object({ clientId: z.uuid().nullable().optional() }).optional())
    .query(({ ctx, input }) => ctx.deps.users.list(ctx.actor, input?.clientId)),
  /** Role change and (de)activation; a client admin reaches only its own client's users (another's: 404). */
  update: authedProcedure.input(updateUserInput).mutation(({ ctx, input }) => ctx.deps.users.update(ctx.actor, input)),
  /** The signed-in agency user's time zone. */
  updatePreferences: authedProcedure.input(updatePreferencesInput).mutation(({ ctx, input }) => ctx.deps.users.updatePreferences(ctx.actor, input)),
  /** Two-factor sign-in of the signed-in agency user: status, start, confirm with a code, turn off with a code. */
  twoFactorStatus: authedProcedure.query(({ ctx }) => ctx.deps.auth.twoFactor.status(ctx.actor)),
  beginTwoFactor: authedProcedure.mutation(({ ctx }) => ctx.deps.auth.twoFactor.begin(ctx.actor)),
  confirmTwoFactor: authedProcedure.input(codeInput).mutation(({ ctx, input }) => ctx.deps.auth.twoFactor.confirm(ctx.actor, input)),
  disableTwoFactor: authedProcedure.input(codeInput).mutation(({ ctx, input }) => ctx.deps.auth.twoFactor.disable(ctx.actor, input)),
});
