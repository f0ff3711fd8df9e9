import { shareSpecInput, specRefInput, specTokenInput } from "../../domain/posting-specs/inputs";
import { agencyProcedure, authedProcedure, publicProcedure, router } from "../init";

export const postingSpecsRouter = router({
  /** The spec of a form or API key: agency staff, or the client's own users. */
  get: authedProcedure.input(specRefInput).query(({ ctx, input }) => ctx.deps.postingSpecs.get(ctx.actor, input)),
  /** Agency: make (or replace) the public link, or withdraw it with `share: false`. */
  share: agencyProcedure.input(shareSpecInput).mutation(({ ctx, input }) => ctx.deps.postingSpecs.share(ctx.actor, input)),
  /** No sign-in: what /spec/:token shows, by its unguessable token. */
  public: publicProcedure.input(specTokenInput).query(({ ctx, input }) => ctx.deps.postingSpecs.public(input.token)),
});
