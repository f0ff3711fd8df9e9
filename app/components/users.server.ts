import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { field, formAction, intent } from "~/lib/form-action.server";

/**
 * The people pages' action (client hub overview, portal home): invite a user, change a user's role,
 * deactivate or reactivate them. The server decides who may do what (a client admin: only their
 * own client's users); the forms only offer what fits. `clientId` is the agency's choice; client
 * users leave it out.
 */

type Role = "agency_admin" | "agency_staff" | "client_admin" | "client_member";
const role = field.text.transform((s) => s as Role);

const usersForm = () =>
  z.discriminatedUnion("intent", [
    intent("create-user", { email: field.text, name: field.text, password: field.text, role }),
    intent("change-role", { id: field.text, role, email: field.text }),
    intent("set-active", { id: field.text, active: field.text.transform((s) => s === "true"), email: field.text }),
  ]);

export async function usersAction(context: AppLoadContext, form: FormData, clientId?: string) {
  return formAction(form, usersForm(), async (input) => {
    switch (input.intent) {
      case "create-user": {
        const { intent: _, ...fields } = input;
        const user = await context.caller.users.create({ ...(clientId ? { clientId } : {}), ...fields });
        return { ok: true as const, intent: input.intent, message: `${user.email} can now sign in.` };
      }
      case "change-role": {
        const user = await context.caller.users.update({ id: input.id, role: input.role });
        return { ok: true as const, intent: input.intent, message: `${user.email} is now ${user.role === "client_admin" || user.role === "agency_admin" ? "an admin" : "a member"}.` };
      }
      case "set-active": {
        const user = await context.caller.users.update({ id: input.id, active: input.active });
        return { ok: true as const, intent: input.intent, message: input.active ? `${user.email} can sign in again.` : `${user.email} was deactivated and signed out everywhere.` };
      }
    }
  }, { domainMessages: true });
}
