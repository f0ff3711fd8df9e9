import { LINE_TYPE_WORDS, ordinal, type LeadSignals } from "./signals";

/**
 * The quality score of a lead, 0–100, from its intake signals (docs/quality-score.md,
 * docs/decisions/021-intake-signals.md). Start at 100 and subtract, then clamp to 0–100:
 *
 *   phone   not a valid number −45 · premium/toll-free/shared/pager/voicemail-only −30 ·
 *           internet VoIP (nonFixedVoip) −25 · fixed VoIP or unknown type −10 ·
 *           not checked (unavailable, off, budget spent) −5 · no phone −10
 *   e-mail  not a valid address −25 · disposable −30 · role address (info@, noreply@) −10
 *   IP      outside the US −20 · in another US state than the ZIP −10
 *   velocity  each lead beyond 3 from one IP in an hour −10 (at most −30) ·
 *           each lead beyond 1 with one phone in 24 hours −10 (at most −20) ·
 *           each lead beyond 3 from one device in an hour −10 (at most −20)
 *   consent a TrustedForm certificate that failed its claim −15
 *
 * Bands: 80–100 good, 50–79 fair, 0–49 poor. Pure: the same signals always give the same score,
 * so a stored verdict's quality replays exactly.
 */
export interface Deduction {
  points: number;
  /** In words: "the phone is an internet (VoIP) number". */
  reason: string;
}

export interface Quality {
  score: number;
  band: "good" | "fair" | "poor";
  /** "Phone: mobile, Verizon Wireless · E-mail: ok · IP: New York, NY, matches the ZIP · 2nd lead from this IP in 24 hours" */
  summary: string;
  deductions: Deduction[];
}

const RISKY_LINE_TYPES = new Set(["premium", "tollFree", "sharedCost", "uan", "voicemail", "pager"]);

export const QUALITY_BANDS = { good: 80, fair: 50 } as const;

export function bandOf(score: number): Quality["band"] {
  return score >= QUALITY_BANDS.good ? "good" : score >= QUALITY_BANDS.fair ? "fair" : "poor";
}

function beyond(count: number | null, allowed: number, each: number, most: number): number {
  if (count === null || count <= allowed) return 0;
  return Math.min((count - allowed) * each, most);
}

export function deductionsOf(s: LeadSignals): Deduction[] {
  const out: Deduction[] = [];
  const add = (points: number, reason: string) => {
    if (points > 0) out.push({ points, reason });
  };
  const p = s.phone;
  if (p.status === "no_phone") add(10, "no phone number was given");
  else if (p.valid === false) add(45, "the phone number is not a valid number");
  else if (p.status === "checked") {
    const t = p.lineType ?? "unknown";
    if (RISKY_LINE_TYPES.has(t)) add(30, `the phone is a ${LINE_TYPE_WORDS[t] ?? t} line`);
    else if (t === "nonFixedVoip") add(25, "the phone is an internet (VoIP) number");
    else if (t === "fixedVoip" || t === "unknown") add(10, `the phone is a ${LINE_TYPE_WORDS[t]} line`);
  } else add(5, "the phone could not be checked");

  const e = s.email;
  if (e.valid === false) add(25, "the e-mail address is not valid");
  else {
    if (e.disposable) add(30, `the e-mail is at a disposable domain (${e.domain ?? "?"})`);
    if (e.role) add(10, "the e-mail is a role address, not a person's");
  }

  if (s.ip.status === "located" && s.ip.country !== null && s.ip.country !== "US") add(20, `the visitor's IP is outside the US (${s.ip.country})`);
  else if (s.ip.matchesZipState === false) add(10, `the visitor's IP is in ${s.ip.region ?? "another state"}, not the ZIP's state`);

  const v = s.velocity;
  add(beyond(v.ipPerHour, 3, 10, 30), `${v.ipPerHour} leads from this IP within an hour`);
  add(beyond(v.phonePerDay, 1, 10, 20), `${v.phonePerDay} leads with this phone within 24 hours`);
  add(beyond(v.devicePerHour, 3, 10, 20), `${v.devicePerHour} leads from this device within an hour`);

  if (s.consent.claim?.status === "failed") add(15, `the consent certificate failed its check${s.consent.claim.detail ? ` (${s.consent.claim.detail})` : ""}`);
  return out;
}

function phoneWords(s: LeadSignals): string {
  const p = s.phone;
  switch (p.status) {
    case "no_phone":
      return "none given";
    case "not_dialable":
      return "not a valid number";
    case "unavailable":
      return "phone check unavailable";
    case "off":
      return "not checked (lookups off)";
    case "budget_spent":
      return "not checked (daily lookup budget spent)";
    case "checked":
      if (p.valid === false) return "not a valid number";
      return [LINE_TYPE_WORDS[p.lineType ?? "unknown"] ?? p.lineType, p.carrier].filter(Boolean).join(", ");
  }
}

function emailWords(s: LeadSignals): string {
  const e = s.email;
  if (e.status === "no_email") return "none given";
  if (e.valid === false) return "not a valid address";
  const flags = [e.disposable ? "disposable" : null, e.role ? "role address" : null].filter(Boolean);
  return flags.length ? flags.join(", ") : "ok";
}

function ipWords(s: LeadSignals): string {
  const ip = s.ip;
  if (ip.status === "no_ip") return "not known";
  if (ip.status === "unknown") return "location unknown";
  const place = ip.country === "US" ? [ip.city, ip.region].filter(Boolean).join(", ") || "US" : [ip.city, ip.country].filter(Boolean).join(", ");
  const match = ip.matchesZipState === true ? ", matches the ZIP" : ip.matchesZipState === false ? ", does not match the ZIP" : "";
  return `${place}${match}`;
}

/** The one-line reading of a lead's signals for the inbox and the lead page. */
export function summaryOf(s: LeadSignals): string {
  const parts = [`Phone: ${phoneWords(s)}`, `E-mail: ${emailWords(s)}`, `IP: ${ipWords(s)}`];
  if (s.velocity.ipPerDay !== null && s.velocity.ipPerDay > 1) parts.push(`${ordinal(s.velocity.ipPerDay)} lead from this IP in 24 hours`);
  if (s.velocity.phonePerDay !== null && s.velocity.phonePerDay > 1) parts.push(`${ordinal(s.velocity.phonePerDay)} lead with this phone in 24 hours`);
  if (s.consent.trustedFormCertUrl || s.consent.jornayaLeadId) {
    const c = s.consent.claim;
    const which = s.consent.trustedFormCertUrl ? "TrustedForm certificate" : "Jornaya LeadiD";
    parts.push(c?.status === "verified" ? `${which} verified` : c?.status === "failed" ? `${which} failed its check` : `${which} given`);
  }
  return parts.join(" · ");
}

export function qualityOf(s: LeadSignals): Quality {
  const deductions = deductionsOf(s);
  const score = Math.max(0, Math.min(100, 100 - deductions.reduce((n, d) => n + d.points, 0)));
  return { score, band: bandOf(score), summary: summaryOf(s), deductions };
}
