import { DateTime } from "luxon";
import {
  WEEKDAYS,
  type ContractDocument,
  type CustomPredicate,
  type ServiceAreaMatch,
  type StoredServiceArea,
  type Weekday,
  retainerProrationOf,
  serviceAreaMatchOf,
} from "../contracts/contract-document";
import { formatCents } from "../money-format";
import { WEEKDAY_NAMES } from "../shared/weekday-names";
import type { SignalName, SignalRule } from "../contracts/contract-document";
import { LINE_TYPE_WORDS, SIGNAL_LABELS } from "../signals/signals";

/**
 * Plain-English descriptions of a contract document for the portal, and of what changed between
 * two versions. Pure functions: same document in, same lines out.
 */

export interface DescribeOptions {
  /** ISO currency of the client; amounts in the document are minor units of it. Default USD. */
  currency?: string;
}


const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: "a name",
  phone: "a phone",
  email: "an email",
  zip: "a ZIP",
  state: "a state",
};

// ---------------------------------------------------------------------------------------------
// Small helpers, shared with evaluate.ts
// ---------------------------------------------------------------------------------------------

/** "a", "a and b", "a, b and c" (or with `conjunction` "or"). */
export function joinList(items: readonly string[], conjunction: "and" | "or" = "and"): string {
  if (items.length === 0) return "";
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]!}`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** Sorted, de-duplicated ZIPs with runs of three or more consecutive ZIPs written as "10001–10005". */
export function collapseZipRanges(zips: readonly string[]): string[] {
  const sorted = [...new Set(zips)].sort();
  const out: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (
      j + 1 < sorted.length &&
      /^\d+$/.test(sorted[j + 1]!) &&
      /^\d+$/.test(sorted[j]!) &&
      sorted[j + 1]!.length === sorted[j]!.length &&
      Number(sorted[j + 1]) === Number(sorted[j]) + 1
    ) {
      j++;
    }
    if (j - i >= 2) {
      out.push(`${sorted[i]!}–${sorted[j]!}`);
    } else {
      for (let k = i; k <= j; k++) out.push(sorted[k]!);
    }
    i = j + 1;
  }
  return out;
}

/** Basis points as a percentage with up to two decimals: 1000 → "10%", 1250 → "12.5%", 1 → "0.01%". */
export function formatBps(bps: number): string {
  const negative = bps < 0;
  const abs = Math.abs(Math.trunc(bps));
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  const fracText = frac === 0 ? "" : `.${String(frac).padStart(2, "0").replace(/0$/, "")}`;
  return `${negative ? "-" : ""}${whole}${fracText}%`;
}

/** A value inside a sentence: strings quoted, everything else as written. */
export function formatValue(v: unknown, maxLength = 60): string {
  let text: string;
  if (typeof v === "string") text = JSON.stringify(v);
  else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") text = String(v);
  else if (v === null || v === undefined) text = "empty";
  else {
    try {
      text = JSON.stringify(v) ?? String(v);
    } catch {
      text = Object.prototype.toString.call(v);
    }
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** "08:00–12:00 and 13:00–18:00" */
export function formatRanges(ranges: readonly (readonly [string, string])[]): string {
  return joinList(ranges.map(([a, b]) => `${a}–${b}`));
}

/** What a custom predicate requires, without the field name: "must be at least 5000". */
export function predicateRequirement(p: CustomPredicate): string {
  switch (p.op) {
    case "equals":
      return `must be ${formatValue(p.value)}`;
    case "in":
      return `must be one of ${joinList(p.value.map((v) => formatValue(v)), "or")}`;
    case "not_in":
      return `must not be ${joinList(p.value.map((v) => formatValue(v)), "or")}`;
    case "min":
      return `must be at least ${p.value}`;
    case "max":
      return `must be at most ${p.value}`;
    case "matches":
      return `must match the pattern ${p.value}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Signal rules "in words" (docs/decisions/021-intake-signals.md)
// ---------------------------------------------------------------------------------------------

/** Yes/no signals as statements: [when true, when false]. */
const SIGNAL_STATEMENTS: Partial<Record<SignalName, readonly [string, string]>> = {
  "phone.valid": ["the phone number is valid", "the phone number is not a valid number"],
  "email.valid": ["the e-mail address is valid", "the e-mail address is not valid"],
  "email.disposable": ["the e-mail is at a disposable domain", "the e-mail is not at a disposable domain"],
  "email.role": ["the e-mail is a role address (info@, noreply@ …)", "the e-mail is not a role address"],
  "ip.matchesZipState": ["the visitor's IP is in the ZIP's state", "the visitor's IP is not in the ZIP's state"],
  "consent.certificate": ["a consent certificate (TrustedForm or Jornaya) was given", "no consent certificate was given"],
  "consent.verified": ["the consent certificate passed its TrustedForm check", "the consent certificate failed its TrustedForm check"],
};

const isCount = (name: SignalName): boolean => name.startsWith("velocity.");

function signalWord(name: SignalName, v: unknown): string {
  if (name === "phone.lineType" && typeof v === "string") return LINE_TYPE_WORDS[v] ?? v;
  return typeof v === "string" ? v : formatValue(v);
}

/** What a signal rule requires, as a statement: "the phone line type is mobile or landline", "at most 3 leads from the same IP in an hour". */
export function signalStatement(rule: SignalRule): string {
  const label = SIGNAL_LABELS[rule.signal];
  const yesNo = SIGNAL_STATEMENTS[rule.signal];
  switch (rule.op) {
    case "equals":
      if (yesNo && typeof rule.value === "boolean") return yesNo[rule.value ? 0 : 1];
      return `${label} is ${signalWord(rule.signal, rule.value)}`;
    case "in":
      return `${label} is ${joinList(rule.value.map((v) => signalWord(rule.signal, v)), "or")}`;
    case "not_in":
      return `${label} is not ${joinList(rule.value.map((v) => signalWord(rule.signal, v)), "or")}`;
    case "min":
      return isCount(rule.signal) ? `at least ${rule.value} ${label}` : `${label} is at least ${rule.value}`;
    case "max":
      return isCount(rule.signal) ? `at most ${rule.value} ${label}` : `${label} is at most ${rule.value}`;
  }
}

/** What a lead's signal was, as a statement: "the e-mail is at a disposable domain", "5 leads from the same IP in an hour". */
export function signalFinding(name: SignalName, observed: unknown): string {
  const yesNo = SIGNAL_STATEMENTS[name];
  if (yesNo && typeof observed === "boolean") return yesNo[observed ? 0 : 1];
  if (isCount(name)) return `${formatValue(observed)} ${SIGNAL_LABELS[name]}`;
  return `${SIGNAL_LABELS[name]} is ${signalWord(name, observed)}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A contract line for a signal rule: "Required: the e-mail is not at a disposable domain." */
export function describeSignalRule(rule: SignalRule): string {
  return `Required: ${signalStatement(rule)}.`;
}

/** The reason of a lead failing a signal rule: "The e-mail is at a disposable domain, but the contract requires that …". */
export function signalFailureMessage(rule: SignalRule, observed: unknown): string {
  return `${capitalize(signalFinding(rule.signal, observed))}, but the contract requires that ${signalStatement(rule)}`;
}

/** The rule of a custom predicate, without a final period: "budget must be at least 5000". */
export function describePredicate(p: CustomPredicate): string {
  return `${p.field} ${predicateRequirement(p)}`;
}

type Tier = { upTo: number | null; priceCents: number };

function describeTiers(tiers: readonly Tier[], currency: string): string {
  const parts: string[] = [];
  let from = 1;
  tiers.forEach((t, i) => {
    const price = formatCents(t.priceCents, currency);
    const last = i === tiers.length - 1;
    if (i === 0) {
      parts.push(t.upTo === null ? `${price} per lead` : `${price} per lead for the first ${plural(t.upTo, "lead")} each month`);
    } else if (t.upTo === null) {
      parts.push(`then ${price}`);
    } else if (last) {
      parts.push(`then ${price} for leads ${from}–${t.upTo}`);
    } else {
      parts.push(`${price} for leads ${from}–${t.upTo}`);
    }
    if (t.upTo !== null) from = t.upTo + 1;
  });
  return parts.join(", ");
}

function describeCap(cap: { leads?: number; spendCents?: number } | undefined, currency: string): string {
  if (!cap) return "none";
  const parts: string[] = [];
  if (cap.leads !== undefined) parts.push(plural(cap.leads, "billable lead"));
  if (cap.spendCents !== undefined) parts.push(`${formatCents(cap.spendCents, currency)} billed`);
  return parts.length === 2 ? `${parts.join(" or ")}, whichever comes first` : parts.join("");
}

function describeHours(hours: Partial<Record<Weekday, [string, string][]>>): string {
  // Group consecutive days with the same hours: "Monday to Friday 08:00–18:00; closed Saturday and Sunday".
  const keyOf = (d: Weekday): string => JSON.stringify(hours[d] ?? []);
  const groups: { days: Weekday[]; key: string }[] = [];
  for (const d of WEEKDAYS) {
    const key = keyOf(d);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.days.push(d);
    else groups.push({ days: [d], key });
  }
  return groups
    .map(({ days }) => {
      const first = WEEKDAY_NAMES[days[0]!];
      const lastDay = WEEKDAY_NAMES[days[days.length - 1]!];
      const span = days.length === 1 ? first : days.length === 2 ? `${first} and ${lastDay}` : `${first} to ${lastDay}`;
      const ranges = hours[days[0]!] ?? [];
      return ranges.length === 0 ? `closed ${span}` : `${span} ${formatRanges(ranges)}`;
    })
    .join("; ");
}

const DISPUTE_REASON_LABELS: Readonly<Record<string, string>> = {
  wrong_number: "wrong number",
  out_of_area: "out of area",
  not_looking: "not looking",
};
const DISPUTE_REASON_PLURALS: Readonly<Record<string, string>> = {
  wrong_number: "wrong numbers",
  out_of_area: "out-of-area leads",
  duplicate: "duplicates",
  spam: "spam",
  not_looking: "leads not looking",
  other: "other disputes",
};
/** A dispute reason code in words: "wrong_number" → "wrong number". */
export const reasonLabel = (r: string): string => DISPUTE_REASON_LABELS[r] ?? r.replace(/_/g, " ");
const reasonPlural = (r: string): string => DISPUTE_REASON_PLURALS[r] ?? `${reasonLabel(r)} disputes`;

function describeDuplicate(dup: { windowDays: number; fields: string[] }): string {
  return `A lead with the same ${joinList(dup.fields, "or")} as an earlier lead within ${plural(dup.windowDays, "day")} is a duplicate.`;
}

const SERVICE_AREA_MATCH_WORDS: Record<ServiceAreaMatch, string> = {
  zip_or_state: "ZIP or state",
  zip_and_state: "ZIP and state",
  zip_only: "ZIP only",
};

function describeServiceArea(area: StoredServiceArea): string | null {
  const match = serviceAreaMatchOf(area);
  const zips = area.zips ?? [];
  const z = collapseZipRanges(zips);
  const s = match === "zip_only" ? [] : [...new Set(area.states ?? [])].sort();
  const zipCount = new Set(zips).size;
  const zipText = z.length === 0 ? "" : `${zipCount === 1 ? "ZIP" : "ZIPs"} ${joinList(z)}`;
  const stateText = s.length === 0 ? "" : `the ${s.length === 1 ? "state" : "states"} ${joinList(s)}`;
  const byZip = "a lead's state is the one its ZIP is in";
  if (zipText && stateText && match === "zip_and_state") return `Service area: ${zipText}, and only in ${stateText} (${byZip}).`;
  if (zipText && stateText) return `Service area: ${zipText}, or anywhere in ${stateText} (${byZip}).`;
  if (stateText) return `Service area: ${stateText} (${byZip}).`;
  if (zipText) return `Service area: ${zipText}${match === "zip_only" ? " only; the state is not considered" : ""}.`;
  return null;
}

function formatEffectiveFrom(iso: string | undefined): string {
  if (!iso) return "not set";
  const dt = DateTime.fromISO(iso, { setZone: true });
  return dt.isValid ? dt.toUTC().setLocale("en-US").toFormat("d LLLL yyyy, HH:mm 'UTC'") : iso;
}

// ---------------------------------------------------------------------------------------------
// describeContract
// ---------------------------------------------------------------------------------------------

/** The parts of a contract the plain-English reading has, in the order it reads them. */
export const CONTRACT_PARTS = [
  "requiredFields",
  "serviceArea",
  "minCallSeconds",
  "businessHours",
  "duplicate",
  "blocked",
  "custom",
  "spam",
  "retainer",
  "leadPrice",
  "acquisition",
  "revshare",
  "monthlyCap",
  "disputes",
] as const;
export type ContractPart = (typeof CONTRACT_PARTS)[number];
export type QualificationPart = Extract<ContractPart, "requiredFields" | "serviceArea" | "minCallSeconds" | "businessHours" | "duplicate" | "blocked" | "custom" | "spam">;

/**
 * The qualification rules in words, part by part. `sources` leaves out what cannot apply to a lead
 * source (the call minimum for forms and vendor posts, the spam trap for anything but forms).
 */
export function describeQualificationParts(q: ContractDocument["qualification"], opts: { sources?: readonly ("form" | "api" | "call")[] } = {}): Record<QualificationPart, string[]> {
  const sources = opts.sources ?? ["form", "api", "call"];
  const parts: Record<QualificationPart, string[]> = { requiredFields: [], serviceArea: [], minCallSeconds: [], businessHours: [], duplicate: [], blocked: [], custom: [], spam: [] };
  const required = [...new Set(q.requiredFields ?? [])];
  if (required.length > 0) {
    const labels = required.map((f) => FIELD_LABELS[f] ?? `${/^[aeiou]/i.test(f) ? "an" : "a"} ${f}`);
    parts.requiredFields.push(`Leads must have ${joinList(labels)}.`);
  }
  if (q.serviceArea) {
    const area = describeServiceArea(q.serviceArea);
    if (area) parts.serviceArea.push(area);
  }
  const minCall = q.minCallSeconds ?? 90;
  if (sources.includes("call")) parts.minCallSeconds.push(minCall > 0 ? `Calls count after ${plural(minCall, "second")} of conversation.` : "Calls count as soon as they connect.");
  if (q.businessHours) parts.businessHours.push(`Business hours (client's time zone): ${describeHours(q.businessHours)}.`);
  if (q.duplicate) parts.duplicate.push(describeDuplicate(q.duplicate));
  if (q.blocked) {
    if (q.blocked.phones?.length) parts.blocked.push(`Blocked phones: ${q.blocked.phones.join(", ")}.`);
    if (q.blocked.emails?.length) parts.blocked.push(`Blocked emails: ${q.blocked.emails.join(", ")}.`);
    if (q.blocked.emailDomains?.length) {
      parts.blocked.push(`Blocked email domains, including their subdomains: ${q.blocked.emailDomains.join(", ")}.`);
    }
  }
  for (const pred of q.custom ?? []) parts.custom.push(`${describePredicate(pred)}.`);
  // Rules over the intake checks (decision 021) read as custom rules, right after the field rules.
  for (const rule of q.signals ?? []) parts.custom.push(describeSignalRule(rule));
  if ((q.signals ?? []).length > 0) parts.custom.push("A rule whose check gave no answer (for example, phone check unavailable) does not reject the lead; its verdict says so.");
  if (q.spam?.rejectInvalidPhone !== false) parts.spam.push("Leads with a phone number that cannot be dialled are rejected.");
  if (q.spam?.honeypot !== false && sources.includes("form")) parts.spam.push("Form submissions that fill in the hidden spam-trap field are rejected.");
  return parts;
}

/** The qualification rules in words, one line per rule, in document order (see describeQualificationParts). */
export function describeQualification(q: ContractDocument["qualification"], opts: { sources?: readonly ("form" | "api" | "call")[] } = {}): string[] {
  const parts = describeQualificationParts(q, opts);
  return CONTRACT_PARTS.flatMap((p) => (p in parts ? parts[p as QualificationPart] : []));
}

/** A whole contract in words, part by part: what describeContract says, keyed by the part it is about. */
export function describeContractParts(document: ContractDocument, opts: DescribeOptions = {}): Record<ContractPart, string[]> {
  const currency = opts.currency ?? "USD";
  const p = document.pricing;
  const d = document.disputes;
  const parts: Record<ContractPart, string[]> = { ...describeQualificationParts(document.qualification), retainer: [], leadPrice: [], acquisition: [], revshare: [], monthlyCap: [], disputes: [] };

  // pricing
  if (p.retainerCents > 0) {
    const partial =
      retainerProrationOf(p) === "daily"
        ? "a first or last partial month is billed by the day"
        : "billed in full even for a partial month";
    parts.retainer.push(`${formatCents(p.retainerCents, currency)} monthly retainer; ${partial}.`);
  }
  if (p.tiers && p.tiers.length > 0) parts.leadPrice.push(`${describeTiers(p.tiers, currency)}.`);
  else if (p.leadPriceCents > 0) parts.leadPrice.push(`${formatCents(p.leadPriceCents, currency)} per lead.`);
  if (p.acquisitionPriceCents > 0) parts.acquisition.push(`${formatCents(p.acquisitionPriceCents, currency)} per acquisition.`);
  if (p.revshareBps > 0) parts.revshare.push(`${formatBps(p.revshareBps)} revenue share.`);
  if (p.monthlyCap) parts.monthlyCap.push(`Monthly cap: ${describeCap(p.monthlyCap, currency)}.`);

  // disputes
  if (d.windowDays === 0 || d.reasons.length === 0) {
    parts.disputes.push("Leads cannot be disputed.");
  } else {
    const clauses = [`Disputes within ${plural(d.windowDays, "day")} for: ${d.reasons.map(reasonLabel).join(", ")}`];
    if (d.autoApprove.length > 0) clauses.push(`${joinList(d.autoApprove.map(reasonPlural))} are approved automatically`);
    clauses.push(`the agency answers within ${plural(d.agencyResponseDays, "day")} or the dispute is approved`);
    for (const a of d.approveOnSignals ?? []) clauses.push(`${reasonPlural(a.reason)} are approved at once when ${signalStatement(a.when)}`);
    if (d.maxReturnRateBps < 10_000) clauses.push(`returns are capped at ${formatBps(d.maxReturnRateBps)} of a month's leads`);
    parts.disputes.push(`${clauses.join("; ")}.`);
  }
  return parts;
}

/** Plain-English lines for the portal, one rule or term per line, in document order. */
export function describeContract(document: ContractDocument, opts: DescribeOptions = {}): string[] {
  const parts = describeContractParts(document, opts);
  return CONTRACT_PARTS.flatMap((p) => parts[p]);
}

// ---------------------------------------------------------------------------------------------
// diffContracts
// ---------------------------------------------------------------------------------------------

function setDiff(label: string, before: readonly string[], after: readonly string[], render = (xs: string[]) => xs.join(", ")): string[] {
  const a = new Set(before);
  const b = new Set(after);
  const added = [...b].filter((x) => !a.has(x)).sort();
  const removed = [...a].filter((x) => !b.has(x)).sort();
  const out: string[] = [];
  if (added.length) out.push(`${label} added: ${render(added)}`);
  if (removed.length) out.push(`${label} removed: ${render(removed)}`);
  return out;
}

function changed(label: string, before: string, after: string): string[] {
  return before === after ? [] : [`${label}: ${before} → ${after}`];
}

const lower = (xs: readonly string[] | undefined): string[] => (xs ?? []).map((x) => x.trim().toLowerCase());
const onOff = (b: boolean): string => (b ? "on" : "off");
const zipRender = (xs: string[]): string => collapseZipRanges(xs).join(", ");

/** Paths compared by the specific rules below; anything else is compared generically. */
const KNOWN_PATHS = [
  "effectiveFrom",
  "qualification.requiredFields",
  "qualification.serviceArea",
  "qualification.minCallSeconds",
  "qualification.businessHours",
  "qualification.duplicate",
  "qualification.blocked",
  "qualification.custom",
  "qualification.spam",
  "qualification.signals",
  "disputes.approveOnSignals",
  "pricing.retainerCents",
  "pricing.retainerProration",
  "pricing.leadPriceCents",
  "pricing.tiers",
  "pricing.acquisitionPriceCents",
  "pricing.revshareBps",
  "pricing.monthlyCap",
  "disputes.windowDays",
  "disputes.reasons",
  "disputes.autoApprove",
  "disputes.agencyResponseDays",
  "disputes.maxReturnRateBps",
];

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (KNOWN_PATHS.some((k) => path === k || path.startsWith(`${k}.`))) return;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
    return;
  }
  if (value !== undefined) out.set(path, JSON.stringify(value));
}

/**
 * What changed from version `a` to version `b`, one human line per change, e.g.
 * "Lead price: $75.00 → $60.00", "Service area ZIPs added: 10006". Empty when nothing changed.
 * Fields this function does not know (added to the document later) are reported by path.
 */
export function diffContracts(a: ContractDocument, b: ContractDocument, opts: DescribeOptions = {}): string[] {
  const currency = opts.currency ?? "USD";
  const money = (c: number): string => formatCents(c, currency);
  const qa = a.qualification;
  const qb = b.qualification;
  const out: string[] = [];

  out.push(...changed("Effective from", formatEffectiveFrom(a.effectiveFrom), formatEffectiveFrom(b.effectiveFrom)));

  // qualification
  out.push(...setDiff("Required fields", qa.requiredFields ?? [], qb.requiredFields ?? []));
  if (qa.serviceArea && qb.serviceArea) {
    out.push(...changed("Service area match", SERVICE_AREA_MATCH_WORDS[serviceAreaMatchOf(qa.serviceArea)], SERVICE_AREA_MATCH_WORDS[serviceAreaMatchOf(qb.serviceArea)]));
  }
  out.push(...setDiff("Service area ZIPs", qa.serviceArea?.zips ?? [], qb.serviceArea?.zips ?? [], zipRender));
  out.push(...setDiff("Service area states", qa.serviceArea?.states ?? [], qb.serviceArea?.states ?? []));
  out.push(...changed("Minimum call length", `${qa.minCallSeconds ?? 90} s`, `${qb.minCallSeconds ?? 90} s`));

  if (!qa.businessHours && qb.businessHours) out.push(`Business hours added: ${describeHours(qb.businessHours)}`);
  else if (qa.businessHours && !qb.businessHours) out.push("Business hours removed: leads count at any hour");
  else if (qa.businessHours && qb.businessHours) {
    for (const day of WEEKDAYS) {
      const fmt = (r: [string, string][] | undefined): string => (r && r.length ? formatRanges(r) : "closed");
      out.push(...changed(`Business hours ${WEEKDAY_NAMES[day]}`, fmt(qa.businessHours[day]), fmt(qb.businessHours[day])));
    }
  }

  const dupText = (dup: { windowDays: number; fields: string[] } | undefined): string =>
    dup ? `same ${joinList(dup.fields, "or")} within ${plural(dup.windowDays, "day")}` : "none";
  if (qa.duplicate && qb.duplicate) {
    out.push(...changed("Duplicate window", plural(qa.duplicate.windowDays, "day"), plural(qb.duplicate.windowDays, "day")));
    out.push(...changed("Duplicate fields", qa.duplicate.fields.join(", "), qb.duplicate.fields.join(", ")));
  } else {
    out.push(...changed("Duplicate rule", dupText(qa.duplicate), dupText(qb.duplicate)));
  }

  out.push(...setDiff("Blocked phones", qa.blocked?.phones ?? [], qb.blocked?.phones ?? []));
  out.push(...setDiff("Blocked emails", lower(qa.blocked?.emails), lower(qb.blocked?.emails)));
  out.push(...setDiff("Blocked email domains", lower(qa.blocked?.emailDomains), lower(qb.blocked?.emailDomains)));

  const customA = (qa.custom ?? []).map(describePredicate);
  const customB = (qb.custom ?? []).map(describePredicate);
  for (const r of customA) if (!customB.includes(r)) out.push(`Custom rule removed: ${r}`);
  for (const r of customB) if (!customA.includes(r)) out.push(`Custom rule added: ${r}`);

  out.push(...setDiff("Signal rules", (qa.signals ?? []).map(signalStatement), (qb.signals ?? []).map(signalStatement), (xs) => xs.join("; ")));
  out.push(...changed("Honeypot check", onOff(qa.spam?.honeypot !== false), onOff(qb.spam?.honeypot !== false)));
  out.push(
    ...changed("Invalid phones rejected", onOff(qa.spam?.rejectInvalidPhone !== false), onOff(qb.spam?.rejectInvalidPhone !== false)),
  );

  // pricing
  const pa = a.pricing;
  const pb = b.pricing;
  out.push(...changed("Monthly retainer", money(pa.retainerCents), money(pb.retainerCents)));
  const partialMonth = (pr: Parameters<typeof retainerProrationOf>[0]) => (retainerProrationOf(pr) === "daily" ? "by the day" : "billed in full");
  if (pa.retainerCents > 0 || pb.retainerCents > 0) out.push(...changed("Retainer for a partial month", partialMonth(pa), partialMonth(pb)));
  out.push(...changed("Lead price", money(pa.leadPriceCents), money(pb.leadPriceCents)));
  const tierText = (t: Tier[] | undefined): string => (t && t.length ? describeTiers(t, currency) : "none");
  out.push(...changed("Volume pricing", tierText(pa.tiers), tierText(pb.tiers)));
  out.push(...changed("Acquisition price", money(pa.acquisitionPriceCents), money(pb.acquisitionPriceCents)));
  out.push(...changed("Revenue share", formatBps(pa.revshareBps), formatBps(pb.revshareBps)));
  out.push(...changed("Monthly cap", describeCap(pa.monthlyCap, currency), describeCap(pb.monthlyCap, currency)));

  // disputes
  const da = a.disputes;
  const db = b.disputes;
  out.push(...changed("Dispute window", plural(da.windowDays, "day"), plural(db.windowDays, "day")));
  out.push(...setDiff("Dispute reasons", da.reasons.map(reasonLabel), db.reasons.map(reasonLabel)));
  out.push(...setDiff("Automatically approved dispute reasons", da.autoApprove.map(reasonLabel), db.autoApprove.map(reasonLabel)));
  out.push(...changed("Agency response time", plural(da.agencyResponseDays, "day"), plural(db.agencyResponseDays, "day")));
  const onSignals = (d: typeof da) => (d.approveOnSignals ?? []).map((x) => `${reasonLabel(x.reason)} when ${signalStatement(x.when)}`);
  out.push(...setDiff("Disputes approved on signals", onSignals(da), onSignals(db), (xs) => xs.join("; ")));
  out.push(...changed("Maximum return rate", formatBps(da.maxReturnRateBps), formatBps(db.maxReturnRateBps)));

  // anything else, by path
  const fa = new Map<string, string>();
  const fb = new Map<string, string>();
  flatten(a, "", fa);
  flatten(b, "", fb);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  for (const path of paths) out.push(...changed(path, fa.get(path) ?? "none", fb.get(path) ?? "none"));

  return out;
}
