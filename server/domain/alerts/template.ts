/**
 * The SMS text of a lead alert, from the client's template (clients.alert_template) or the default.
 * Pure: same template and values in, same text out.
 *
 * Placeholders: {name} {phone} {source} {campaign} {zip} {link}. Values are cleaned (control
 * characters and runs of whitespace become one space, typographic dashes, quotes and the ellipsis
 * become their GSM-7 look-alikes so a campaign called "Search – Roofs" does not turn the SMS into
 * UCS-2) and cut to a fixed length per field on a code-point boundary (an emoji is never split), so
 * a template that fits with the longest possible values always fits. `validateAlertTemplate`
 * renders with exactly those worst-case values.
 *
 * {link} is the rep's own link to a read-only lead card (`/r/<token>`, decision 024): one token per
 * alert, so every alert text is unique and names its lead. `smsSegments` counts what the carrier
 * bills: GSM-7 (with the extension table) or UCS-2, 160/153 or 70/67 per segment.
 */

export const ALERT_PLACEHOLDERS = ["name", "phone", "source", "campaign", "zip", "link"] as const;
export type AlertPlaceholder = (typeof ALERT_PLACEHOLDERS)[number];

/** The longest alert text we send: at most this many characters (UTF-16 units, as SMS counts them). */
export const MAX_ALERT_LENGTH = 320;

/** Longest value each placeholder can produce (the link depends on PUBLIC_URL, see repLink). */
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

/** The sample lead of the template previews (the settings page and its read-only view). */
export const SAMPLE_ALERT_LEAD: AlertLeadValues = { leadId: "00000000-0000-4000-8000-000000000000", name: "Jane Doe", phone: "+12125550142", source: "form", campaign: "Google Search - Roof repair", zip: "10001" };

const MISSING = "-";
/** Three dots, not "…": U+2026 is outside GSM-7 and would make the whole SMS UCS-2. */
const ELLIPSIS = "...";
const PLACEHOLDER = /\{([a-zA-Z_]+)\}/g;

/** Length of a rep link token: 16 random bytes in base64url (128 bits, unguessable). */
export const REP_LINK_TOKEN_LENGTH = 22;
export const REP_LINK_TOKEN = /^[A-Za-z0-9_-]{22}$/;
/** A token-shaped stand-in for previews and the worst-case length (never a working link). */
export const SAMPLE_LINK_TOKEN = "x".repeat(REP_LINK_TOKEN_LENGTH);

/** `${PUBLIC_URL}/r/<token>`: the rep's read-only lead card, opened without signing in. */
export function repLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/r/${token}`;
}

/** The text with every rep link token cut to its first 4 characters: for showing a sent SMS on a page without handing out the key. */
export function maskRepLinks(text: string): string {
  return text.replace(/\/r\/([A-Za-z0-9_-]{4})[A-Za-z0-9_-]{18}(?![A-Za-z0-9_-])/g, "/r/$1…");
}

/** Typographic characters outside GSM-7 that have a GSM-7 look-alike. */
const GSM_LOOKALIKES: Readonly<Record<string, string>> = {
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201b": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u2026": "...",
  "\u00a0": " ",
  "\u2009": " ",
  "\u202f": " ",
};

/** Control characters and whitespace runs → one space, typographic punctuation → GSM-7 look-alikes; trimmed. */
function clean(v: string): string {
  return (
    v
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
      .replace(/[\u2010-\u2015\u2212\u2018-\u201e\u2026\u00a0\u2009\u202f]/g, (c) => GSM_LOOKALIKES[c] ?? c)
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair, ending with "..." when cut. */
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

/** The placeholder values of one alert; `linkToken` is that alert's rep link token. */
export function placeholderValues(lead: AlertLeadValues, publicUrl: string, linkToken: string): Record<AlertPlaceholder, string> {
  return {
    name: field(lead.name, FIELD_LIMITS.name),
    phone: field(lead.phone, FIELD_LIMITS.phone),
    source: SOURCE_LABELS[lead.source],
    campaign: field(lead.campaign, FIELD_LIMITS.campaign),
    zip: field(lead.zip, FIELD_LIMITS.zip),
    link: repLink(publicUrl, linkToken),
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
export function renderAlert(template: string | null, lead: AlertLeadValues, publicUrl: string, linkToken: string): string {
  const values = placeholderValues(lead, publicUrl, linkToken);
  let chosen = template && template.trim() ? template : DEFAULT_ALERT_TEMPLATE;
  // A template saved some other way without the link still names the lead (and stays unique).
  if (!chosen.includes("{link}")) chosen = `${chosen.trimEnd()} {link}`;
  const text = substitute(chosen, values);
  if (text.length <= MAX_ALERT_LENGTH) return text;
  const fallback = substitute(DEFAULT_ALERT_TEMPLATE, values);
  return fallback.length <= MAX_ALERT_LENGTH ? fallback : truncateSafely(fallback, MAX_ALERT_LENGTH);
}

/** The longest text the template can produce: every field at its limit (limits count UTF-16 units). */
export function worstCaseText(template: string, publicUrl: string): string {
  const longest = (n: number) => "W".repeat(n);
  const values: Record<AlertPlaceholder, string> = {
    name: longest(FIELD_LIMITS.name),
    phone: longest(FIELD_LIMITS.phone),
    source: longest(FIELD_LIMITS.source),
    campaign: longest(FIELD_LIMITS.campaign),
    zip: longest(FIELD_LIMITS.zip),
    link: repLink(publicUrl, SAMPLE_LINK_TOKEN),
  };
  return substitute(template, values);
}

export function worstCaseLength(template: string, publicUrl: string): number {
  return worstCaseText(template, publicUrl).length;
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
    issues.push({ path, message: "must contain {link} (it identifies the lead and opens its card for the rep)" });
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

// ---------------------------------------------------------------------------------------------
// SMS segments (what the carrier bills). GSM 03.38: the basic table costs one septet per
// character, the extension table two (escape + character); any other character makes the whole
// message UCS-2, counted in UTF-16 units. One segment holds 160 septets / 70 units; a longer
// message is split into segments of 153 / 67 (the rest is the concatenation header), and a split
// never cuts an escape pair or a surrogate pair.

const GSM_BASIC = new Set(
  Array.from("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"),
);
const GSM_EXTENSION = new Set(Array.from("\f^{}\\[~]|€"));

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 units (UCS-2) the text takes. */
  units: number;
  segments: number;
  /** Units one segment holds at this length: 160 / 153 (GSM-7) or 70 / 67 (UCS-2). */
  perSegment: number;
  /** The distinct characters that forced UCS-2 (empty for GSM-7). */
  nonGsm: string[];
  /** The extension-table characters used (each costs two septets). */
  extended: string[];
}

/** How an SMS with this text is encoded and how many segments it is billed as. */
export function smsSegments(text: string): SmsSegments {
  const chars = Array.from(text);
  const nonGsm = [...new Set(chars.filter((c) => !GSM_BASIC.has(c) && !GSM_EXTENSION.has(c)))];
  const extended = [...new Set(chars.filter((c) => GSM_EXTENSION.has(c)))];
  const gsm = nonGsm.length === 0;
  // Cost of each indivisible piece: a GSM character (1 or 2 septets) or a UCS-2 code point (1 or 2 units).
  const costs = chars.map((c) => (gsm ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = costs.reduce((a, b) => a + b, 0);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  if (units <= single) return { encoding: gsm ? "GSM-7" : "UCS-2", units, segments: units === 0 ? 0 : 1, perSegment: single, nonGsm, extended };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding: gsm ? "GSM-7" : "UCS-2", units, segments, perSegment: multi, nonGsm, extended };
}

/** "1 segment (GSM-7, 142 of 160)" */
export function describeSegments(s: SmsSegments): string {
  const capacity = s.segments <= 1 ? s.perSegment : s.segments * s.perSegment;
  return `${s.segments} segment${s.segments === 1 ? "" : "s"} (${s.encoding}, ${s.units} of ${capacity}${s.encoding === "GSM-7" ? " characters" : " UCS-2 units"})`;
}
