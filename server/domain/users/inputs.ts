import { z } from "zod";
import { ROLES } from "../auth/roles";
import { timezone } from "../clients/inputs";

/** A password people choose: the rule for invitations, resets and the CLI. */
export const passwordField = z.string().min(10, "must be at least 10 characters").max(200);

export const createUserInput = z.object({
  email: z.email("must be an e-mail address").transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().max(120).default(""),
  password: passwordField,
  role: z.enum(ROLES),
  clientId: z.uuid().nullable().optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;

/** Role changes and deactivation: a user of the actor's reach (a client admin: their own client's). */
export const updateUserInput = z.object({
  id: z.uuid(),
  role: z.enum(ROLES).optional(),
  active: z.boolean().optional(),
});
export type UpdateUserInput = z.input<typeof updateUserInput>;

/** The signed-in user's own preferences. */
export const updatePreferencesInput = z.object({
  /** Empty: UTC. */
  timeZone: z.union([z.literal("").transform(() => null), z.null(), timezone]),
});
export type UpdatePreferencesInput = z.input<typeof updatePreferencesInput>;

export const passwordResetRequestInput = z.object({ email: z.string().trim().toLowerCase().max(320) });
export const passwordResetInput = z.object({ token: z.string().min(10).max(200), password: passwordField });
