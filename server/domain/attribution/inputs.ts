import { z } from "zod";
import { e164 } from "../calls/inputs";
import { summaryInput } from "../reports/inputs";
import { CONVERSION_PLATFORMS } from "./conversion-files";
import { REPORT_DIMENSIONS } from "./ports";

/** Attribution inputs: one zod schema per input, shared by tRPC, REST, the CLI and the pages. */

/** The snippet's visitor session id: random, URL-safe. */
export const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8–64 letters, digits, - or _");

/** The body of POST /api/dni/:poolKey (sent as text/plain JSON so no CORS preflight is needed). */
export const dniRequestInput = z.object({
  session: sessionIdSchema,
  first: z.unknown().optional(),
  last: z.unknown().optional(),
});
export type DniRequestInput = z.input<typeof dniRequestInput>;

export const poolKeySchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, "is not a pool key");

export const createPoolInput = z.object({
  campaignId: z.uuid(),
  name: z.string().trim().min(1).max(100),
  defaultNumber: e164,
  /** Tracking numbers (ids) of the campaign's client that make up the pool. */
  trackingNumberIds: z.array(z.uuid()).min(1).max(200),
  /** How long a visitor keeps a number without the page open (minutes, default 20). */
  reservationMinutes: z.number().int().min(1).max(24 * 60).default(20),
});
export type CreatePoolInput = z.input<typeof createPoolInput>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-11-30");

export const exportConversionsInput = z
  .object({
    clientId: z.uuid(),
    platform: z.enum(CONVERSION_PLATFORMS),
    /** First and last day (inclusive) of the won date, in the client's time zone. */
    from: isoDate,
    to: isoDate,
    /** Include conversions exported to this platform before (they are flagged). */
    again: z.boolean().default(false),
  })
  .refine((r) => r.from <= r.to, { message: "must not be before the start date", path: ["to"] });
export type ExportConversionsInput = z.input<typeof exportConversionsInput>;

export const attributionSettingsInput = z.object({
  clientId: z.uuid(),
  googleConversionName: z.string().trim().min(1).max(100).optional(),
  microsoftConversionName: z.string().trim().min(1).max(100).optional(),
  /** How long the snippet remembers a visitor's first touch (days). */
  cookieDays: z.number().int().min(1).max(395).optional(),
});
export type AttributionSettingsInput = z.input<typeof attributionSettingsInput>;

export const attributionReportInput = summaryInput.and(z.object({ dimension: z.enum(REPORT_DIMENSIONS).default("source") }));
export type AttributionReportInput = z.input<typeof attributionReportInput>;
