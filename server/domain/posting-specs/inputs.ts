import { z } from "zod";

/** Which spec: a form's or an API key's. */
export const specRefInput = z.object({ kind: z.enum(["form", "api"]), id: z.uuid() });
export const shareSpecInput = specRefInput.extend({ share: z.boolean().default(true) });
/** The public link's token (anything else is simply not found). */
export const specTokenInput = z.object({ token: z.string().max(200) });
