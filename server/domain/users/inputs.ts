import { z } from "zod";
import { ROLES } from "../auth/roles";

export const createUserInput = z.object({
  email: z.email("must be an e-mail address").transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().max(120).default(""),
  password: z.string().min(10, "must be at least 10 characters").max(200),
  role: z.enum(ROLES),
  clientId: z.uuid().nullable().optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;
