import type { AppLoadContext } from "@remix-run/node";
import { data } from "@remix-run/node";
import { formFailure, orNotFound, str } from "~/lib/guards.server";
import { WEEKDAYS, type ActiveHours, type RecipientsResult } from "./alert-recipients";

/**
 * Loader and action of the recipients pages (portal and agency). `clientId` is the agency's
 * choice; for client users it is left out (the procedures use the session's client).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loadRecipients(context: AppLoadContext, request: Request, clientId?: string) {
  const [recipients, settings] = await Promise.all([
    orNotFound(context.caller.alertRecipients.list({ clientId })),
    orNotFound(context.caller.alertRecipients.settings.get({ clientId })),
  ]);
  const removeId = new URL(request.url).searchParams.get("remove");
  const toRemove = removeId && UUID.test(removeId) ? (recipients.find((r) => r.id === removeId) ?? null) : null;
  return { recipients, settings, toRemove, publicUrl: context.publicUrl };
}

/** "00:00" as an end time means midnight (24:00); the form's time inputs cannot say 24:00. */
function endOf(v: string): string {
  return v === "00:00" ? "24:00" : v;
}

/** The weekday schedule from the form, or null for "always". */
export function activeHoursFrom(form: FormData): ActiveHours | null {
  if (str(form, "mode") !== "hours") return null;
  const hours: ActiveHours = {};
  for (const d of WEEKDAYS) {
    if (form.get(`on-${d}`) !== "on") continue;
    hours[d] = [[str(form, `from-${d}`), endOf(str(form, `to-${d}`))]];
  }
  return hours;
}

function values(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "intent") out[k] = v;
  return out;
}

/** Runs one of the page's forms; a refused change comes back as field errors, a foreign id as 404, a member as 403. */
export async function recipientsAction(context: AppLoadContext, form: FormData, clientId?: string) {
  const intent = str(form, "intent");
  const id = str(form, "id");
  const caller = context.caller.alertRecipients;
  try {
    if (intent === "add-recipient" || intent === "update-recipient") {
      const activeHours = activeHoursFrom(form);
      if (activeHours && Object.keys(activeHours).length === 0) {
        return data<RecipientsResult>(
          { ok: false, intent, id, message: "Please correct the highlighted fields.", fieldErrors: { activeHours: "Tick at least one day, or choose “Always”." }, values: values(form) },
          { status: 400 },
        );
      }
      const fields = { name: str(form, "name"), phone: str(form, "phone"), active: form.get("active") === "on", activeHours };
      const r = intent === "add-recipient" ? await caller.create({ clientId, ...fields }) : await caller.update({ id: uuid(id), ...fields });
      return { ok: true as const, intent, message: intent === "add-recipient" ? `${r.name} (${r.phone}) now gets lead alerts.` : `${r.name} is saved.` };
    }
    if (intent === "toggle-recipient") {
      const r = await caller.update({ id: uuid(id), active: str(form, "active") === "true" });
      return { ok: true as const, intent, message: r.active ? `${r.name} gets lead alerts again.` : `${r.name} is switched off: no alerts until switched on.` };
    }
    if (intent === "remove-recipient") {
      const r = await caller.remove({ id: uuid(id) });
      return { ok: true as const, intent, message: r.message };
    }
    if (intent === "save-settings" || intent === "reset-template") {
      const routing = str(form, "routing");
      const template = intent === "reset-template" ? null : str(form, "template").trim() || null;
      await caller.settings.update({ clientId, routing: routing === "round_robin" || routing === "everyone" ? routing : undefined, template });
      return { ok: true as const, intent, message: intent === "reset-template" ? "Alerts use the default message again." : "Routing and message are saved." };
    }
    throw new Response("Unknown action", { status: 400 });
  } catch (e) {
    if (e instanceof Response) throw e;
    const f = formFailure(e);
    return data<RecipientsResult>({ ok: false, intent, id, message: f.message, fieldErrors: f.fieldErrors, values: values(form) }, { status: 400 });
  }
}

function uuid(id: string): string {
  if (!UUID.test(id)) throw new Response("No such alert recipient.", { status: 404 });
  return id;
}
