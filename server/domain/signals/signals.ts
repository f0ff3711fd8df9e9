import type { SignalName, SignalRule } from "../contracts/contract-document";

/**
 * Intake signals (docs/decisions/021-intake-signals.md): what the checks at intake found about a
 * lead's phone, e-mail, location, velocity and consent certificate. They are evidence: stored with
 * the verdict (judgement_evidence.input.signals), shown to both sides, read by contract rules and
 * by dispute terms, and condensed into a quality score. Pure data and pure functions.
 */

/** Twilio Lookup v2 line types (line_type_intelligence.type). */
export const PHONE_LINE_TYPES = [
  "mobile",
  "landline",
  "fixedVoip",
  "nonFixedVoip",
  "personal",
  "tollFree",
  "premium",
  "sharedCost",
  "uan",
  "voicemail",
  "pager",
  "unknown",
] as const;

export interface PhoneSignal {
  /**
   * checked: the lookup answered (now or from the cache); not_dialable: the phone could not be
   * parsed, so no lookup was needed; unavailable: the lookup failed or ran out of time; off: the
   * client has lookups off; budget_spent: the client's daily lookup budget is used up; no_phone.
   */
  status: "checked" | "not_dialable" | "unavailable" | "off" | "budget_spent" | "no_phone";
  valid: boolean | null;
  lineType: string | null;
  carrier: string | null;
  /** The answer came from the lookup cache. */
  cached?: boolean;
}

export interface EmailSignal {
  status: "checked" | "no_email";
  valid: boolean | null;
  disposable: boolean | null;
  role: boolean | null;
  domain: string | null;
}

export interface IpSignal {
  address: string | null;
  status: "located" | "unknown" | "no_ip";
  country: string | null;
  region: string | null;
  city: string | null;
  /** The IP's US state equals the state of the lead's ZIP; false outside the US; null when either is unknown. */
  matchesZipState: boolean | null;
}

export interface VelocitySignal {
  /** Leads of this client from the same IP in the last hour, this one included (null: no IP). */
  ipPerHour: number | null;
  ipPerDay: number | null;
  phonePerDay: number | null;
  /** Leads with the same device/session id in the last hour (null: none given). */
  devicePerHour: number | null;
}

export interface ConsentClaim {
  /** verified: TrustedForm answered the claim; failed: it refused (unknown or expired certificate); unavailable: no answer in time; not_configured: no TRUSTEDFORM_API_KEY. */
  status: "verified" | "failed" | "unavailable" | "not_configured";
  /** Why a claim failed, in words ("certificate not found"). */
  detail?: string | null;
  createdAt?: string | null;
  expiresAt?: string | null;
  ip?: string | null;
  pageUrl?: string | null;
}

export interface ConsentSignal {
  trustedFormCertUrl: string | null;
  jornayaLeadId: string | null;
  claim: ConsentClaim | null;
}

export interface LeadSignals {
  phone: PhoneSignal;
  email: EmailSignal;
  ip: IpSignal;
  velocity: VelocitySignal;
  consent: ConsentSignal;
}

/** What a signal rule reads: the value, or null when the check could not tell. */
export function signalValue(s: LeadSignals, name: SignalName, score: number): string | number | boolean | null {
  switch (name) {
    case "phone.valid":
      return s.phone.valid;
    case "phone.lineType":
      return s.phone.lineType;
    case "phone.carrier":
      return s.phone.carrier;
    case "email.valid":
      return s.email.valid;
    case "email.disposable":
      return s.email.disposable;
    case "email.role":
      return s.email.role;
    case "ip.country":
      return s.ip.country;
    case "ip.region":
      return s.ip.region;
    case "ip.matchesZipState":
      return s.ip.matchesZipState;
    case "velocity.ipPerHour":
      return s.velocity.ipPerHour;
    case "velocity.ipPerDay":
      return s.velocity.ipPerDay;
    case "velocity.phonePerDay":
      return s.velocity.phonePerDay;
    case "velocity.devicePerHour":
      return s.velocity.devicePerHour;
    case "consent.certificate":
      return s.consent.trustedFormCertUrl !== null || s.consent.jornayaLeadId !== null;
    case "consent.verified":
      return s.consent.claim?.status === "verified" ? true : s.consent.claim?.status === "failed" ? false : null;
    case "quality.score":
      return score;
  }
}

/** Signal names in words, for rules ("the phone line type must be mobile or landline") and reasons. */
export const SIGNAL_LABELS: Readonly<Record<SignalName, string>> = {
  "phone.valid": "the phone number valid",
  "phone.lineType": "the phone line type",
  "phone.carrier": "the phone carrier",
  "email.valid": "the e-mail address valid",
  "email.disposable": "the e-mail disposable",
  "email.role": "the e-mail a role address",
  "ip.country": "the visitor's IP country",
  "ip.region": "the visitor's IP region",
  "ip.matchesZipState": "the IP location matching the ZIP's state",
  "velocity.ipPerHour": "leads from the same IP in an hour",
  "velocity.ipPerDay": "leads from the same IP in 24 hours",
  "velocity.phonePerDay": "leads with the same phone in 24 hours",
  "velocity.devicePerHour": "leads from the same device in an hour",
  "consent.certificate": "a consent certificate given",
  "consent.verified": "the consent certificate verified",
  "quality.score": "the quality score",
};

/** Which check a signal comes from, for "phone check unavailable". */
export const SIGNAL_CHECK: Readonly<Record<string, string>> = {
  phone: "phone check",
  email: "e-mail check",
  ip: "IP location",
  velocity: "velocity count",
  consent: "consent certificate check",
  quality: "quality score",
};

/** Line types in words: "nonFixedVoip" → "internet (VoIP) number". */
export const LINE_TYPE_WORDS: Readonly<Record<string, string>> = {
  mobile: "mobile",
  landline: "landline",
  fixedVoip: "fixed VoIP",
  nonFixedVoip: "internet (VoIP) number",
  personal: "personal number",
  tollFree: "toll-free",
  premium: "premium-rate",
  sharedCost: "shared-cost",
  uan: "universal access number",
  voicemail: "voicemail-only",
  pager: "pager",
  unknown: "unknown line type",
};

export type RuleOutcome = { result: "pass" | "fail" | "unknown"; observed: string | number | boolean | null };

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.trim().toLowerCase() === b.trim().toLowerCase();
  return a === b;
}

/** One rule against one lead's signals: unknown when the check could not tell (the rule then does not apply). */
export function evaluateSignalRule(rule: SignalRule, signals: LeadSignals, score: number): RuleOutcome {
  const v = signalValue(signals, rule.signal, score);
  if (v === null) return { result: "unknown", observed: null };
  let ok: boolean;
  switch (rule.op) {
    case "equals":
      ok = same(v, rule.value);
      break;
    case "in":
      ok = rule.value.some((x) => same(v, x));
      break;
    case "not_in":
      ok = !rule.value.some((x) => same(v, x));
      break;
    case "min":
      ok = typeof v === "number" && v >= rule.value;
      break;
    case "max":
      ok = typeof v === "number" && v <= rule.value;
      break;
  }
  return { result: ok ? "pass" : "fail", observed: v };
}

/** A signal value inside a sentence: line types and booleans in words. */
export function formatSignalValue(name: SignalName, v: unknown): string {
  if (v === null || v === undefined) return "unknown";
  if (name === "phone.lineType" && typeof v === "string") return LINE_TYPE_WORDS[v] ?? v;
  if (typeof v === "boolean") return v ? "yes" : "no";
  return String(v);
}

/** "1st", "2nd", "3rd", "11th". */
export function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th"}`;
}
