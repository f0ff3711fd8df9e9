import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { field, formAction, intent, type ActionFailure } from "~/lib/form-action.server";
import { optionalId } from "~/components/setup";

/**
 * Loader and action of the "Webhooks & e-mail" page, shared by the client portal (a client admin,
 * own client: `clientId` is ignored by the routers) and the agency console (`clientId` from the URL).
 */
export async function loadWebhooksPage(context: AppLoadContext, request: Request, clientId?: string) {
  const url = new URL(request.url);
  const deliveryId = optionalId(url.searchParams.get("delivery"));
  const [endpoints, deliveries, recipients, emails, delivery, mode] = await Promise.all([
    context.caller.webhooks.list({ clientId }),
    context.caller.webhooks.deliveries({ clientId, limit: 30 }),
    context.caller.emailNotifications.recipients({ clientId }),
    context.caller.emailNotifications.list({ clientId, limit: 20 }),
    deliveryId ? context.caller.webhooks.delivery({ id: deliveryId }).catch(() => null) : Promise.resolve(null),
    context.caller.emailNotifications.mode(),
  ]);
  return { endpoints, deliveries, recipients, emails, delivery, captures: mode.captures };
}

export type WebhooksActionResult = { ok: true; intent: string; message: string; secret?: string } | ActionFailure;

const byId = { id: field.text };
const webhooksForm = z.discriminatedUnion("intent", [
  intent("create", { url: field.text, description: field.text, fieldMapping: field.text, events: field.list }),
  intent("send-test", byId),
  intent("enable", byId),
  intent("disable", byId),
  intent("rotate", byId),
  intent("replay", byId),
  intent("replay-failed", { ...byId, days: field.text }),
  intent("add-email", { email: field.text, emailEvents: field.list }),
  intent("remove-email", byId),
]);
type WebhooksInput = z.output<typeof webhooksForm>;

/** What goes back into the inputs after a refusal: the create form's and the e-mail form's fields. */
function valuesOf(input: WebhooksInput): Record<string, string> {
  if (input.intent === "create") return { url: input.url, description: input.description, fieldMapping: input.fieldMapping };
  if (input.intent === "add-email") return { email: input.email };
  return {};
}

/** This page has always answered a refusal with 200. */
export async function webhooksAction(context: AppLoadContext, form: FormData, clientId?: string) {
  return formAction(form, webhooksForm, (input) => run(context, input, clientId), { values: valuesOf, status: 200 });
}

async function run(context: AppLoadContext, input: WebhooksInput, clientId: string | undefined): Promise<WebhooksActionResult> {
  const { intent: name } = input;
  switch (input.intent) {
    case "create": {
      let fieldMapping: unknown = null;
      if (input.fieldMapping.trim()) {
        try {
          fieldMapping = JSON.parse(input.fieldMapping);
        } catch {
          return { ok: false, intent: name, message: "Please correct the highlighted fields.", fieldErrors: { fieldMapping: "is not valid JSON" }, values: valuesOf(input) };
        }
      }
      const events = input.events;
      const r = await context.caller.webhooks.create({ clientId, url: input.url, description: input.description || undefined, events: events.length ? (events as never) : undefined, fieldMapping: fieldMapping as never });
      return { ok: true, intent: name, message: `Endpoint added: ${r.endpoint.url}. Copy its signing secret now; it is shown once.`, secret: r.secret };
    }
    case "send-test": {
      const d = await context.caller.webhooks.sendTest({ id: input.id });
      return { ok: true, intent: name, message: `Test event sent (webhook-id ${d.messageId}); it shows in the deliveries below.` };
    }
    case "enable":
    case "disable": {
      const e = await context.caller.webhooks.update({ id: input.id, enabled: name === "enable" });
      return { ok: true, intent: name, message: `${e.url} is ${e.enabled ? "enabled" : "disabled"}.` };
    }
    case "rotate": {
      const r = await context.caller.webhooks.rotateSecret({ id: input.id });
      return { ok: true, intent: name, message: "New signing secret: copy it now. The old one keeps signing beside it for 24 hours.", secret: r.secret };
    }
    case "replay": {
      const r = await context.caller.webhooks.replay({ id: input.id });
      return { ok: true, intent: name, message: r.deliveryIds.length ? "Delivery queued again with the same webhook-id." : "That delivery is being attempted right now." };
    }
    case "replay-failed": {
      const days = Math.min(30, Math.max(1, Number(input.days) || 3));
      const to = new Date();
      const r = await context.caller.webhooks.replayFailed({ endpointId: input.id, from: new Date(to.getTime() - days * 86_400_000), to: new Date(to.getTime() + 60_000) });
      return { ok: true, intent: name, message: `${r.deliveryIds.length} failed ${r.deliveryIds.length === 1 ? "delivery" : "deliveries"} of the last ${days} days queued again.` };
    }
    case "add-email": {
      const events = input.emailEvents;
      const r = await context.caller.emailNotifications.addRecipient({ clientId, email: input.email, events: events.length ? (events as never) : undefined });
      return { ok: true, intent: name, message: `${r.email} will get: ${r.events.join(", ")}.` };
    }
    case "remove-email": {
      await context.caller.emailNotifications.removeRecipient({ id: input.id });
      return { ok: true, intent: name, message: "Recipient removed." };
    }
  }
}
