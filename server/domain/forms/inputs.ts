import { z } from "zod";
import { LEAD_FIELDS } from "../contracts/contract-document";

/**
 * "https://Example.com/" → "https://example.com"; "http://localhost:8080" stays as it is.
 * Only the scheme, host and (non-default) port of an http(s) URL; a path, query, fragment or
 * credentials mean it is not an origin. Returns null when the text is not an origin.
 */
export function normalizeOrigin(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return null;
  if (u.username || u.password || u.search || u.hash || (u.pathname !== "/" && u.pathname !== "")) return null;
  if (!u.hostname) return null;
  // URL lower-cases the host and drops a default port (:443 for https, :80 for http).
  return `${u.protocol}//${u.host}`;
}

export const originSchema = z
  .string()
  .max(300)
  .transform((s, ctx) => {
    const origin = normalizeOrigin(s);
    if (!origin) {
      ctx.addIssue({ code: "custom", message: "must be an origin like https://example.com (scheme and host, optional port, no path)" });
      return z.NEVER;
    }
    return origin;
  });

export const allowedOriginsSchema = z
  .array(originSchema)
  .max(50, "at most 50 origins")
  .transform((origins) => [...new Set(origins)]);

export const httpUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "https:" || u.protocol === "http:") && Boolean(u.hostname);
    } catch {
      return false;
    }
  }, "must be an http(s) URL like https://example.com/thanks");

/** Posted field names, e.g. "your_phone"; compared case-insensitively with spaces and dashes as "_". */
const postedName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.\-[\] ]+$/, "may contain letters, digits, spaces and _ . - [ ]");

/** A lead field ("name", "phone", "email", "zip", "state") or the name of a custom field such as "budget". */
const mappingTarget = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, `must be one of ${LEAD_FIELDS.join(", ")} or a custom field name (letters, digits, _)`);

export const fieldMappingSchema = z.record(postedName, mappingTarget);


const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((s) => (s === "" ? null : s))
    .nullable()
    .optional();

/** Names the intake reads for itself (contact fields and submission metadata); a honeypot must not reuse them. */
const RESERVED_NAMES = [...LEAD_FIELDS, "city", "consent", "consent_text", "page_url", "campaign_id", "fields"];
const key = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, "_");

/** Why a honeypot field name would clash with real fields (empty when it is fine). */
export function honeypotProblems(honeypotField: string, fieldMapping: Record<string, string>): string[] {
  const hp = key(honeypotField);
  const problems: string[] = [];
  if (RESERVED_NAMES.includes(hp)) problems.push(`must not be a real field name (${RESERVED_NAMES.join(", ")})`);
  if (Object.keys(fieldMapping).some((k) => key(k) === hp)) problems.push("must not be one of the mapped form fields");
  return problems;
}

const honeypotSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, "must be a field name (letters, digits, _ or -)")
  .refine((hp) => !RESERVED_NAMES.includes(key(hp)), `must not be a real field name (${RESERVED_NAMES.join(", ")})`);

function checkHoneypot(v: { honeypotField?: string; fieldMapping?: Record<string, string> }, ctx: z.RefinementCtx): void {
  // Reserved names are refused by honeypotSchema itself; here only the clash with the mapping.
  if (v.honeypotField === undefined || !v.fieldMapping) return;
  const hp = key(v.honeypotField);
  if (Object.keys(v.fieldMapping).some((k) => key(k) === hp)) ctx.addIssue({ code: "custom", path: ["honeypotField"], message: "must not be one of the mapped form fields" });
}

export const createFormInput = z
  .object({
    campaignId: z.uuid(),
    name: z.string().trim().min(2, "must be at least 2 characters").max(120).default("Web form"),
    allowedOrigins: allowedOriginsSchema.default([]),
    thankYouUrl: httpUrlSchema.nullable().optional(),
    fieldMapping: fieldMappingSchema.default({}),
    honeypotField: honeypotSchema.default("website"),
    consentText: optionalText(2000),
  })
  .superRefine(checkHoneypot);
export type CreateFormInput = z.input<typeof createFormInput>;

export const updateFormInput = z
  .object({
    id: z.uuid(),
    name: z.string().trim().min(2, "must be at least 2 characters").max(120).optional(),
    allowedOrigins: allowedOriginsSchema.optional(),
    thankYouUrl: httpUrlSchema.nullable().optional(),
    fieldMapping: fieldMappingSchema.optional(),
    honeypotField: honeypotSchema.optional(),
    consentText: optionalText(2000),
    status: z.enum(["active", "disabled"]).optional(),
  })
  .superRefine(checkHoneypot);
export type UpdateFormInput = z.input<typeof updateFormInput>;

export const listFormsInput = z
  .object({
    /** Agency staff: the client (or give campaignId). Client users: their own client. */
    clientId: z.uuid().optional(),
    campaignId: z.uuid().optional(),
    includeDisabled: z.boolean().default(true),
  })
  .default({ includeDisabled: true });
export type ListFormsInput = z.input<typeof listFormsInput>;
