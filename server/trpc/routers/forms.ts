import { z } from "zod";
import { createFormInput, listFormsInput, updateFormInput } from "../../domain/forms/inputs";
import { agencyProcedure, authedProcedure, router } from "../init";

const byId = z.object({ id: z.uuid() });

export const formsRouter = router({
  /** Agency: by clientId or campaignId. Client users: their own client's forms. */
  list: authedProcedure.input(listFormsInput).query(({ ctx, input }) => ctx.deps.forms.list(ctx.actor, input)),
  get: authedProcedure.input(byId).query(({ ctx, input }) => ctx.deps.forms.get(ctx.actor, input.id)),
  create: agencyProcedure.input(createFormInput).mutation(({ ctx, input }) => ctx.deps.forms.create(ctx.actor, input)),
  update: agencyProcedure.input(updateFormInput).mutation(({ ctx, input }) => ctx.deps.forms.update(ctx.actor, input)),
  disable: agencyProcedure.input(byId).mutation(({ ctx, input }) => ctx.deps.forms.disable(ctx.actor, input.id)),
  /** Agency: give the form a (new) test key `pk_test_…`, or remove it with `enabled: false`. */
  setTestKey: agencyProcedure.input(byId.extend({ enabled: z.boolean() })).mutation(({ ctx, input }) => ctx.deps.forms.setTestKey(ctx.actor, input)),
  /** The copy-paste HTML form (posts to PUBLIC_URL/api/forms/:publicKey). */
  embedSnippet: authedProcedure.input(byId).query(({ ctx, input }) => ctx.deps.forms.embedSnippet(ctx.actor, input.id)),
});
