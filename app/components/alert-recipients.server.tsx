import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { field, fieldFailure, formAction, formObject, formValues, intent } from "~/lib/form-action.server";
import { orNotFound } from "~/lib/guards.server";
import { WEEKDAYS, type ActiveHours } from "./alert-recipients";

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

/** The schedule inputs (mode, on-mon, from-mon, to-mon …) are read by activeHoursFrom. */
const recipientFields = { id: field.text, name: field.text, phone: field.text, active: field.checkbox };
const recipientsForm = z.discriminatedUnion("intent", [
  intent("add-recipient", recipientFields),
  intent("update-recipient", recipientFields),
  intent("toggle-recipient", { id: field.text, active: field.text.transform((s) => s === "true") }),
  intent("remove-recipient", { id: field.text }),
  intent("save-settings", { id: field.text, routing: field.oneOf(["round_robin", "everyone"], undefined), template: field.nullable }),
  intent("reset-template", { id: field.text, routing: field.oneOf(["round_robin", "everyone"], undefined) }),
]);

/** The weekday schedule from the form, or null for "always". */
export function activeHoursFrom(form: FormData): ActiveHours | null {
  const input = formObject(form);
  const read = (name: string) => field.text.parse(input[name]);
  if (read("mode") !== "hours") return null;
  const hours: ActiveHours = {};
  for (const d of WEEKDAYS) {
    if (!field.checkbox.parse(input[`on-${d}`])) continue;
    hours[d] = [[read(`from-${d}`), endOf(read(`to-${d}`))]];
  }
  return hours;
}

/** Runs one of the page's forms; a refused change comes back as field errors, a foreign id as 404, a member as 403. */
export async function recipientsAction(context: AppLoadContext, form: FormData, clientId?: string) {
  const caller = context.caller.alertRecipients;
  const values = formValues(form);
  const id = values.id ?? "";
  return formAction(
    form,
    recipientsForm,
    async (input) => {
      const { intent: name } = input;
      switch (input.intent) {
        case "add-recipient":
        case "update-recipient": {
          const activeHours = activeHoursFrom(form);
          if (activeHours && Object.keys(activeHours).length === 0) {
            return fieldFailure(name, "activeHours", "Tick at least one day, or choose “Always”.", values, { extra: { id } });
          }
          const fields = { name: input.name, phone: input.phone, active: input.active, activeHours };
          const r = name === "add-recipient" ? await caller.create({ clientId, ...fields }) : await caller.update({ id: uuid(input.id), ...fields });
          return { ok: true as const, intent: name, message: name === "add-recipient" ? `${r.name} (${r.phone}) now gets lead alerts.` : `${r.name} is saved.` };
        }
        case "toggle-recipient": {
          const r = await caller.update({ id: uuid(input.id), active: input.active });
          return { ok: true as const, intent: name, message: r.active ? `${r.name} gets lead alerts again.` : `${r.name} is switched off: no alerts until switched on.` };
        }
        case "remove-recipient": {
          const r = await caller.remove({ id: uuid(input.id) });
          return { ok: true as const, intent: name, message: r.message };
        }
        case "save-settings":
        case "reset-template": {
          const template = input.intent === "reset-template" ? null : input.template;
          await caller.settings.update({ clientId, routing: input.routing, template });
          return { ok: true as const, intent: name, message: name === "reset-template" ? "Alerts use the default message again." : "Routing and message are saved." };
        }
      }
    },
    { values, extra: { id } },
  );
}

function uuid(id: string): string {
  if (!UUID.test(id)) throw new Response("No such alert recipient.", { status: 404 });
  return id;
}
