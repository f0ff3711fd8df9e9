import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

/**
 * Normalization of what a form, vendor or call delivers into the lead's contact fields.
 * Pure: phone to E.164 (libphonenumber-js, default country from the client), e-mail trimmed and
 * lower-cased, ZIP to 5 digits, state to its 2-letter code. The raw payload is kept separately.
 */
export const CONTACT_FIELDS = ["name", "phone", "email", "zip", "state", "city"] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export interface NormalizedContact {
  name: string | null;
  phone: string | null;
  rawPhone: string | null;
  phoneValid: boolean;
  email: string | null;
  zip: string | null;
  state: string | null;
  city: string | null;
}

export interface NormalizedSubmission {
  contact: NormalizedContact;
  /** Everything that is not a contact field, honeypot or consent/meta field. */
  fields: Record<string, unknown>;
  honeypotFilled: boolean;
  consentText: string | null;
  pageUrl: string | null;
  campaignId: string | null;
}

const STATE_NAMES: Record<string, string> = {
  alabama: "AL", alaska: "AK", arizona: "AZ", arkansas: "AR", california: "CA", colorado: "CO", connecticut: "CT", delaware: "DE",
  "district of columbia": "DC", florida: "FL", georgia: "GA", hawaii: "HI", idaho: "ID", illinois: "IL", indiana: "IN", iowa: "IA",
  kansas: "KS", kentucky: "KY", louisiana: "LA", maine: "ME", maryland: "MD", massachusetts: "MA", michigan: "MI", minnesota: "MN",
  mississippi: "MS", missouri: "MO", montana: "MT", nebraska: "NE", nevada: "NV", "new hampshire": "NH", "new jersey": "NJ",
  "new mexico": "NM", "new york": "NY", "north carolina": "NC", "north dakota": "ND", ohio: "OH", oklahoma: "OK", oregon: "OR",
  pennsylvania: "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", tennessee: "TN", texas: "TX", utah: "UT",
  vermont: "VT", virginia: "VA", washington: "WA", "west virginia": "WV", wisconsin: "WI", wyoming: "WY", "puerto rico": "PR",
};

/** Posted names that mean a contact field without any mapping. */
const ALIASES: Record<string, ContactField | "first_name" | "last_name"> = {
  name: "name", full_name: "name", fullname: "name", your_name: "name",
  first_name: "first_name", firstname: "first_name", last_name: "last_name", lastname: "last_name",
  phone: "phone", phone_number: "phone", telephone: "phone", tel: "phone", mobile: "phone",
  email: "email", email_address: "email", e_mail: "email",
  zip: "zip", zipcode: "zip", zip_code: "zip", postal_code: "zip", postcode: "zip",
  state: "state", region: "state", city: "city",
};

/** Keys that describe the submission rather than the lead. */
const META_KEYS = new Set(["consent_text", "consenttext", "page_url", "pageurl", "campaign_id", "campaignid", "consent"]);

function text(v: unknown, max = 500): string | null {
  if (v === null || v === undefined) return null;
  const s = (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "").trim();
  return s ? s.slice(0, max) : null;
}

function keyOf(k: string): string {
  return k.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

export function normalizePhone(raw: string | null, country: string): { phone: string | null; valid: boolean } {
  if (!raw) return { phone: null, valid: true };
  const parsed = parsePhoneNumberFromString(raw, country as CountryCode);
  if (!parsed || !parsed.isValid()) return { phone: null, valid: false };
  return { phone: parsed.number, valid: true };
}

export function normalizeEmail(raw: string | null): string | null {
  return raw ? raw.trim().toLowerCase() : null;
}

/** "10001", "10001-1234", " 10001 " → "10001"; anything else is kept as given so the verdict can show it. */
export function normalizeZip(raw: string | null): string | null {
  if (!raw) return null;
  const m = /^\s*(\d{5})(?:[-\s]?\d{4})?\s*$/.exec(raw);
  return m ? m[1]! : raw.trim().slice(0, 20);
}

export function normalizeState(raw: string | null): string | null {
  if (!raw) return null;
  const t = raw.trim();
  if (/^[a-z]{2}$/i.test(t)) return t.toUpperCase();
  return STATE_NAMES[t.toLowerCase()] ?? t.slice(0, 40);
}

/**
 * Splits a submitted object into contact fields and custom fields. `fieldMapping` maps posted
 * names to lead fields (e.g. { "your_phone": "phone", "budget_usd": "budget" }).
 */
export function normalizeSubmission(
  raw: Record<string, unknown>,
  opts: { fieldMapping?: Record<string, string>; honeypotField?: string | null; phoneCountry: string },
): NormalizedSubmission {
  const mapping = new Map(Object.entries(opts.fieldMapping ?? {}).map(([k, v]) => [keyOf(k), v]));
  const honeypot = opts.honeypotField ? keyOf(opts.honeypotField) : null;
  const contact: Record<string, string | null> = {};
  let first: string | null = null;
  let last: string | null = null;
  const fields: Record<string, unknown> = {};
  let honeypotFilled = false;
  let consentText: string | null = null;
  let pageUrl: string | null = null;
  let campaignId: string | null = null;

  for (const [rawKey, value] of Object.entries(raw)) {
    const k = keyOf(rawKey);
    if (honeypot && k === honeypot) {
      honeypotFilled = text(value) !== null;
      continue;
    }
    if (META_KEYS.has(k)) {
      if (k === "consent_text" || k === "consenttext") consentText = text(value, 2000);
      else if (k === "page_url" || k === "pageurl") pageUrl = text(value, 2000);
      else if (k === "campaign_id" || k === "campaignid") campaignId = text(value, 100);
      else if (k === "consent" && typeof value === "object" && value) consentText = text((value as Record<string, unknown>).text, 2000);
      continue;
    }
    const target = mapping.get(k) ?? ALIASES[k] ?? null;
    if (target === "first_name") first = text(value, 100);
    else if (target === "last_name") last = text(value, 100);
    else if (target && (CONTACT_FIELDS as readonly string[]).includes(target)) contact[target] = text(value);
    else if (k === "fields" && value && typeof value === "object" && !Array.isArray(value)) {
      for (const [fk, fv] of Object.entries(value as Record<string, unknown>)) fields[fk] = fv;
    } else fields[target ?? rawKey] = value;
  }

  const rawPhone = contact.phone ?? null;
  const { phone, valid } = normalizePhone(rawPhone, opts.phoneCountry);
  return {
    contact: {
      name: contact.name ?? ([first, last].filter(Boolean).join(" ") || null),
      phone,
      rawPhone,
      phoneValid: valid,
      email: normalizeEmail(contact.email ?? null),
      zip: normalizeZip(contact.zip ?? null),
      state: normalizeState(contact.state ?? null),
      city: contact.city ?? null,
    },
    fields,
    honeypotFilled,
    consentText,
    pageUrl,
    campaignId,
  };
}

/** NUL, and UTF-16 surrogates without their pair (valid in JSON, not storable as UTF-8). */
// eslint-disable-next-line no-control-regex -- NUL is one of the characters replaced
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with every character PostgreSQL text and jsonb cannot hold replaced by U+FFFD. */
export function storableText(value: string): string {
  return value.replace(UNSTORABLE, "\uFFFD");
}

/**
 * The value with every NUL character (U+0000) and lone surrogate in strings and keys replaced by
 * U+FFFD: PostgreSQL cannot hold them, and a lead must not be lost over one stray character.
 */
export function storableJson(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [storableJson(k) as string, storableJson(v)]));
  }
  return value;
}
