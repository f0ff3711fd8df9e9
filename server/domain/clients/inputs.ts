import { z } from "zod";
import { paymentTermsDays } from "../billing/payment-terms";

/** Optional text that clears the value when sent empty. */
const clearable = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => s || null)
    .nullable()
    .optional();

/** An IANA time zone name (clients' calendars, users' preference). */
export const timezone = z
  .string()
  .min(1)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as America/New_York");

export const createClientInput = z.object({
  name: z.string().trim().min(2, "must be at least 2 characters").max(120),
  timezone: timezone.default("America/New_York"),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO currency code such as USD")
    .default("USD"),
  phoneCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be a 2-letter country code such as US")
    .default("US"),
});
export type CreateClientInput = z.input<typeof createClientInput>;

export const updateClientInput = z.object({
  id: z.uuid(),
  name: z.string().trim().min(2).max(120).optional(),
  timezone: timezone.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  status: z.enum(["active", "paused", "archived"]).optional(),
  /** Bill-to details printed on invoices from the next one issued. */
  legalName: clearable(200),
  billingAddress: clearable(500),
  taxId: clearable(60),
  paymentTermsDays: paymentTermsDays.optional(),
  /** Twilio Lookup for this client's leads (decision 021): on/off, and how many lookups a day it may pay for. */
  phoneLookupEnabled: z.boolean().optional(),
  phoneLookupDailyBudget: z.number().int().min(0).max(1_000_000).optional(),
}).strict();
// Alert routing and the SMS template are changed only through alerts.updateSettings, which checks
// the template (it must carry {link}: decision 005 relies on every alert text being unique).
export type UpdateClientInput = z.input<typeof updateClientInput>;
