/**
 * The SMS text of a lead alert, from the client's template (clients.alert_template) or the default.
 * Pure: same template and values in, same text out.
 *
 * Placeholders: {name} {phone} {source} {campaign} {zip} {link}. Values are cleaned (control
 * characters and runs of whitespace become one space) and cut to a fixed length per field on a
 * code-point boundary (an emoji is never split), so a template that fits with the longest possible
 * values always fits. `validateAlertTemplate` renders with exactly those worst-case values.
 */

export const ALERT_PLACEHOLDERS = ["name", "phone", "source", "campaign", "zip", "link"] as const;
export type AlertPlaceholder = (typeof ALERT_PLACEHOLDERS)[number];

/** The longest alert text we send: at most this many characters (UTF-16 units, as SMS counts them). */
export const MAX_ALERT_LENGTH = 320;

/** Longest value each placeholder can produce (the link depends on PUBLIC_URL, see leadLink). */
export const FIELD_LIMITS: Readonly<Record<Exclude<AlertPlaceholder, "link">, number>> = {
  name: 40,
  phone: 16, // "+" and up to 15 digits (E.164)
  source: 4, // "form" | "API" | "call"
  campaign: 40,
  zip: 10,
};

export const DEFAULT_ALERT_TEMPLATE = "New lead: {name} {phone} ({source}, {campaign}, ZIP {zip}). Details: {link}";

/** What a lead contributes to its alert text. */
export interface AlertLeadValues {
  leadId: string;
  name: string | null;
  phone: string | null;
  source: "form" | "api" | "call";
  campaign: string | null;
  zip: string | null;
}

const MISSING = "-";
const ELLIPSIS = "…";
const PLACEHOLDER = /\{([a-zA-Z_]+)\}/g;

/** `${PUBLIC_URL}/portal/leads/<leadId>` */
export function leadLink(publicUrl: string, leadId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/portal/leads/${leadId}`;
}

/** Control characters and whitespace runs → one space; trimmed. */
function clean(v: string): string {
  // eslint-disable-next-line no-control-regex
  return v.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair, ending with "…" when cut. */
export function truncateSafely(v: string, max: number): string {
  if (v.length <= max) return v;
  let out = "";
  for (const ch of v) {
    if (out.length + ch.length > max - ELLIPSIS.length) break;
    out += ch;
  }
  return out.trimEnd() + ELLIPSIS;
}

function field(v: string | null, max: number): string {
  const c = v === null ? "" : clean(v);
  return c ? truncateSafely(c, max) : MISSING;
}

const SOURCE_LABELS: Readonly<Record<AlertLeadValues["source"], string>> = { form: "form", api: "API", call: "call" };

export function placeholderValues(lead: AlertLeadValues, publicUrl: string): Record<AlertPlaceholder, string> {
  return {
    name: field(lead.name, FIELD_LIMITS.name),
    phone: field(lead.phone, FIELD_LIMITS.phone),
    source: SOURCE_LABELS[lead.source],
    campaign: field(lead.campaign, FIELD_LIMITS.campaign),
    zip: field(lead.zip, FIELD_LIMITS.zip),
    link: leadLink(publicUrl, lead.leadId),
  };
}

function substitute(template: string, values: Record<AlertPlaceholder, string>): string {
  return template.replace(PLACEHOLDER, (whole, key: string) => ((ALERT_PLACEHOLDERS as readonly string[]).includes(key) ? values[key as AlertPlaceholder] : whole));
}

/**
 * The alert text for a lead. A template that passed `validateAlertTemplate` always fits in
 * MAX_ALERT_LENGTH; should it not (PUBLIC_URL grew longer since it was saved, or it was stored
 * without validation), the default template is used instead, and as a last resort the text is cut.
 * A template without {link} gets the link appended.
 */
export function renderAlert(template: string | null, lead: AlertLeadValues, publicUrl: string): string {
  const values = placeholderValues(lead, publicUrl);
  let chosen = template && template.trim() ? template : DEFAULT_ALERT_TEMPLATE;
  // A template saved some other way without the link still names the lead (and stays unique).
  if (!chosen.includes("{link}")) chosen = `${chosen.trimEnd()} {link}`;
  const text = substitute(chosen, values);
  if (text.length <= MAX_ALERT_LENGTH) return text;
  const fallback = substitute(DEFAULT_ALERT_TEMPLATE, values);
  return fallback.length <= MAX_ALERT_LENGTH ? fallback : truncateSafely(fallback, MAX_ALERT_LENGTH);
}

/** The longest text the template can produce: every field at its limit (limits count UTF-16 units). */
export function worstCaseLength(template: string, publicUrl: string): number {
  const longest = (n: number) => "W".repeat(n);
  const values: Record<AlertPlaceholder, string> = {
    name: longest(FIELD_LIMITS.name),
    phone: longest(FIELD_LIMITS.phone),
    source: longest(FIELD_LIMITS.source),
    campaign: longest(FIELD_LIMITS.campaign),
    zip: longest(FIELD_LIMITS.zip),
    link: leadLink(publicUrl, "00000000-0000-0000-0000-000000000000"),
  };
  return substitute(template, values).length;
}

export interface TemplateIssue {
  path: string[];
  message: string;
}

/** Problems with a template, or [] when it is fine to save. */
export function validateAlertTemplate(template: string, publicUrl: string): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const path = ["template"];
  if (!template.trim()) return [{ path, message: "must not be empty (use null for the default template)" }];
  const unknown = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((k) => !(ALERT_PLACEHOLDERS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    issues.push({ path, message: `unknown placeholder${unknown.length > 1 ? "s" : ""} ${[...new Set(unknown)].map((k) => `{${k}}`).join(", ")}; use ${ALERT_PLACEHOLDERS.map((k) => `{${k}}`).join(" ")}` });
  }
  if (!template.includes("{link}")) {
    // The link names the lead: it makes every alert text unique, which a retry after an unknown
    // outcome relies on to find the earlier message (findSent matches on the text).
    issues.push({ path, message: "must contain {link} (it identifies the lead and opens it in the portal)" });
  }
  const worst = worstCaseLength(template, publicUrl);
  if (worst > MAX_ALERT_LENGTH) {
    issues.push({
      path,
      message: `can render to ${worst} characters with the longest name (${FIELD_LIMITS.name}) and campaign (${FIELD_LIMITS.campaign}); shorten it by ${worst - MAX_ALERT_LENGTH} to stay within ${MAX_ALERT_LENGTH}`,
    });
  }
  return issues;
}
