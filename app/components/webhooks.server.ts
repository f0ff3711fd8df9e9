import type { AppLoadContext } from "@remix-run/node";
import { formFailure, str } from "~/lib/guards.server";
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

export type WebhooksActionResult =
  | { ok: true; intent: string; message: string; secret?: string }
  | { ok: false; intent: string; message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

function fail(intent: string, e: unknown, values: Record<string, string> = {}): WebhooksActionResult {
  const f = formFailure(e);
  return { ok: false, intent, message: f.message, fieldErrors: f.fieldErrors, values };
}

export async function webhooksAction(context: AppLoadContext, form: FormData, clientId?: string): Promise<WebhooksActionResult> {
  const intent = str(form, "intent");
  const id = str(form, "id");
  try {
    if (intent === "create") {
      const values = { url: str(form, "url"), description: str(form, "description"), fieldMapping: str(form, "fieldMapping") };
      let fieldMapping: unknown = null;
      if (values.fieldMapping.trim()) {
        try {
          fieldMapping = JSON.parse(values.fieldMapping);
        } catch {
          return { ok: false, intent, message: "Please correct the highlighted fields.", fieldErrors: { fieldMapping: "is not valid JSON" }, values };
        }
      }
      try {
        const events = form.getAll("events").map(String);
        const r = await context.caller.webhooks.create({ clientId, url: values.url, description: values.description || undefined, events: events.length ? (events as never) : undefined, fieldMapping: fieldMapping as never });
        return { ok: true, intent, message: `Endpoint added: ${r.endpoint.url}. Copy its signing secret now; it is shown once.`, secret: r.secret };
      } catch (e) {
        return fail(intent, e, values);
      }
    }
    if (intent === "send-test") {
      const d = await context.caller.webhooks.sendTest({ id });
      return { ok: true, intent, message: `Test event sent (webhook-id ${d.messageId}); it shows in the deliveries below.` };
    }
    if (intent === "enable" || intent === "disable") {
      const e = await context.caller.webhooks.update({ id, enabled: intent === "enable" });
      return { ok: true, intent, message: `${e.url} is ${e.enabled ? "enabled" : "disabled"}.` };
    }
    if (intent === "rotate") {
      const r = await context.caller.webhooks.rotateSecret({ id });
      return { ok: true, intent, message: "New signing secret: copy it now. The old one keeps signing beside it for 24 hours.", secret: r.secret };
    }
    if (intent === "replay") {
      const r = await context.caller.webhooks.replay({ id });
      return { ok: true, intent, message: r.deliveryIds.length ? "Delivery queued again with the same webhook-id." : "That delivery is being attempted right now." };
    }
    if (intent === "replay-failed") {
      const days = Math.min(30, Math.max(1, Number(str(form, "days")) || 3));
      const to = new Date();
      const r = await context.caller.webhooks.replayFailed({ endpointId: id, from: new Date(to.getTime() - days * 86_400_000), to: new Date(to.getTime() + 60_000) });
      return { ok: true, intent, message: `${r.deliveryIds.length} failed ${r.deliveryIds.length === 1 ? "delivery" : "deliveries"} of the last ${days} days queued again.` };
    }
    if (intent === "add-email") {
      const values = { email: str(form, "email") };
      try {
        const events = form.getAll("emailEvents").map(String);
        const r = await context.caller.emailNotifications.addRecipient({ clientId, email: values.email, events: events.length ? (events as never) : undefined });
        return { ok: true, intent, message: `${r.email} will get: ${r.events.join(", ")}.` };
      } catch (e) {
        return fail(intent, e, values);
      }
    }
    if (intent === "remove-email") {
      await context.caller.emailNotifications.removeRecipient({ id });
      return { ok: true, intent, message: "Recipient removed." };
    }
  } catch (e) {
    return fail(intent, e);
  }
  throw new Response("Unknown action.", { status: 400 });
}
