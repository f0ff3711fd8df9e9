import { z } from "zod";
import { createEmailRecipientInput, createEndpointInput, idInput, listDeliveriesInput, listEmailsInput, listEndpointsInput, replayFailedInput, updateEndpointInput } from "../../domain/webhooks/inputs";
import { authedProcedure, router } from "../init";

/**
 * Webhook endpoints and their delivery log. Agency staff pass `clientId`; client admins always act
 * on their own client (any clientId they pass is ignored); another client's endpoint or delivery is
 * NOT_FOUND. The secret is in the answer of `create` and `rotateSecret` only.
 */
export const webhooksRouter = router({
  list: authedProcedure.input(listEndpointsInput).query(({ ctx, input }) => ctx.deps.webhooks.list(ctx.actor, input)),
  disabled: authedProcedure.input(listEndpointsInput).query(({ ctx, input }) => ctx.deps.webhooks.disabled(ctx.actor, input)),
  create: authedProcedure.input(createEndpointInput).mutation(({ ctx, input }) => ctx.deps.webhooks.create(ctx.actor, input)),
  update: authedProcedure.input(updateEndpointInput).mutation(({ ctx, input }) => ctx.deps.webhooks.update(ctx.actor, input)),
  rotateSecret: authedProcedure.input(idInput).mutation(({ ctx, input }) => ctx.deps.webhooks.rotateSecret(ctx.actor, input.id)),
  sendTest: authedProcedure.input(idInput).mutation(({ ctx, input }) => ctx.deps.webhooks.sendTest(ctx.actor, input.id)),
  deliveries: authedProcedure.input(listDeliveriesInput).query(({ ctx, input }) => ctx.deps.webhooks.deliveries(ctx.actor, input)),
  delivery: authedProcedure.input(idInput).query(({ ctx, input }) => ctx.deps.webhooks.delivery(ctx.actor, input.id)),
  replay: authedProcedure.input(idInput).mutation(({ ctx, input }) => ctx.deps.webhooks.replay(ctx.actor, input.id)),
  replayFailed: authedProcedure.input(replayFailedInput).mutation(({ ctx, input }) => ctx.deps.webhooks.replayFailed(ctx.actor, input)),
});

/** E-mail notifications: who gets which events, and the sent / captured messages. */
export const emailNotificationsRouter = router({
  recipients: authedProcedure.input(z.object({ clientId: z.uuid().optional() }).default({})).query(({ ctx, input }) => ctx.deps.emails.recipients(ctx.actor, input)),
  addRecipient: authedProcedure.input(createEmailRecipientInput).mutation(({ ctx, input }) => ctx.deps.emails.addRecipient(ctx.actor, input)),
  removeRecipient: authedProcedure.input(idInput).mutation(({ ctx, input }) => ctx.deps.emails.removeRecipient(ctx.actor, input.id)),
  list: authedProcedure.input(listEmailsInput).query(({ ctx, input }) => ctx.deps.emails.list(ctx.actor, input)),
  /** `captures`: no SMTP_URL, so e-mails are kept in the database and shown, not sent. */
  mode: authedProcedure.query(({ ctx }) => ({ captures: ctx.deps.emails.captures })),
});
