import { z } from "zod";
import { createApiKeyInput, listApiKeysInput } from "../../domain/api-keys/inputs";
import { agencyProcedure, authedProcedure, router } from "../init";

export const apiKeysRouter = router({
  /** Prefix, name and dates only; never the key. Client users see their own client's keys. */
  list: authedProcedure.input(listApiKeysInput).query(({ ctx, input }) => ctx.deps.apiKeys.list(ctx.actor, input)),
  /** The answer carries the plain `key` this once; only its SHA-256 is stored. */
  create: agencyProcedure.input(createApiKeyInput).mutation(({ ctx, input }) => ctx.deps.apiKeys.create(ctx.actor, input)),
  revoke: agencyProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => ctx.deps.apiKeys.revoke(ctx.actor, input.id)),
});
