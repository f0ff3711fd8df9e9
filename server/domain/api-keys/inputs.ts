import { z } from "zod";

export const createApiKeyInput = z.object({
  clientId: z.uuid(),
  /** Who uses the key, e.g. "Lead vendor A" or "Client CRM". */
  name: z.string().trim().min(1, "is required").max(120).default("API key"),
  /** "test" makes an ll_test_ key: its leads are judged and answered but never billed, alerted or reported. */
  mode: z.enum(["live", "test"]).default("live"),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

export const listApiKeysInput = z
  .object({
    /** Agency staff: the client. Client users: their own client (another id is not found). */
    clientId: z.uuid().optional(),
  })
  .default({});
export type ListApiKeysInput = z.input<typeof listApiKeysInput>;
