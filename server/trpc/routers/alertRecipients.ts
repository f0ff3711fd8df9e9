import { z } from "zod";
import { alertSettingsInput, createRecipientInput, listRecipientsInput, updateAlertSettingsInput, updateRecipientInput } from "../../domain/alerts/inputs";
import { authedProcedure, router } from "../init";

/**
 * Who gets lead alerts, and how (routing, message template). Agency staff pass `clientId`; client
 * users always act on their own client (any clientId they pass is ignored); client members read only.
 */
export const alertRecipientsRouter = router({
  list: authedProcedure.input(listRecipientsInput).query(({ ctx, input }) => ctx.deps.alertRecipients.list(ctx.actor, input)),
  create: authedProcedure.input(createRecipientInput).mutation(({ ctx, input }) => ctx.deps.alertRecipients.create(ctx.actor, input)),
  update: authedProcedure.input(updateRecipientInput).mutation(({ ctx, input }) => ctx.deps.alertRecipients.update(ctx.actor, input)),
  /** Deletes a recipient without alert history; one with history is switched off instead (the answer says which). */
  remove: authedProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => ctx.deps.alertRecipients.remove(ctx.actor, input.id)),
  settings: router({
    get: authedProcedure.input(alertSettingsInput).query(({ ctx, input }) => ctx.deps.alertRecipients.getSettings(ctx.actor, input)),
    update: authedProcedure.input(updateAlertSettingsInput).mutation(({ ctx, input }) => ctx.deps.alertRecipients.updateSettings(ctx.actor, input)),
  }),
});
