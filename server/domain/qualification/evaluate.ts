import {
  WEEKDAYS,
  type ContractDocument,
  type ContractVersion,
  type CustomPredicate,
  type ServiceAreaMatch,
  type StoredServiceArea,
  type Weekday,
  serviceAreaMatchOf,
} from "../contracts/contract-document";
import { MAX_MATCHED_VALUE_LENGTH, compilePattern } from "../contracts/pattern";
import { formatCents } from "../money-format";
import { localWeekdayAndMinute } from "../shared/local-time";
import { WEEKDAY_NAMES } from "../shared/weekday-names";
import { collapseZipRanges, formatRanges, formatValue, predicateRequirement, signalFailureMessage, signalStatement } from "./describe";
import type { SignalRule } from "../contracts/contract-document";
import { qualityOf, type Quality } from "../signals/quality";
import { evaluateSignalRule, type LeadSignals } from "../signals/signals";
import type { JudgementFacts, LeadForJudgement } from "./lead-input";
import type { ReasonCode, Verdict, VerdictLocation, VerdictReason } from "./verdict";

/**
 * The qualification rule engine: a pure, deterministic function from (contract version, lead,
 * facts) to a Verdict. No I/O, no clock: the time is `lead.receivedAt`, history is `facts`.
 *
 * Every failing rule yields one reason (all of them, not just the first), in the order the rules
 * appear in the contract document:
 *   1. qualification.requiredFields        REQUIRED_FIELD_MISSING (one per missing field, document order)
 *   2. qualification.serviceArea           OUT_OF_SERVICE_AREA
 *   3. qualification.minCallSeconds        CALL_NOT_CONNECTED, CALL_TOO_SHORT (call leads only)
 *   4. qualification.businessHours         OUTSIDE_BUSINESS_HOURS
 *   5. qualification.duplicate             DUPLICATE
 *   6. qualification.blocked.*             BLOCKED_PHONE, BLOCKED_EMAIL, BLOCKED_EMAIL_DOMAIN
 *   7. qualification.custom[i]             CUSTOM_RULE_FAILED (document order)
 *   8. qualification.spam.*                HONEYPOT_FILLED, INVALID_PHONE
 *   9. qualification.signals[i]            SIGNAL_RULE_FAILED, or SIGNAL_UNAVAILABLE (informational) when
 *                                          the check gave no answer (document order)
 *
 * Calls are judged on what a call carries (docs/architecture.md flow 2: minimum seconds, repeat caller
 * window, hours, area, plus blocked numbers and an unparseable caller ID). A call has no form
 * fields, so for call leads only `phone` is a required field, a custom predicate whose field is
 * missing does not apply, and an unknown location is not out of area (Twilio often lacks the ZIP).
 *
 * A document is compiled once (Sets, RegExps, minute ranges, messages) and cached in a WeakMap
 * keyed by the document object, so evaluating many leads against one version costs only lookups.
 */

export type { JudgementFacts, LeadForJudgement } from "./lead-input";

type VersionRef = Pick<ContractVersion, "id" | "document">;

interface Ctx {
  lead: LeadForJudgement;
  facts: JudgementFacts;
  zip: string | null;
  /** The ZIP's state when the dataset knows the ZIP (lead.zipPlace), else the state as given. */
  state: string | null;
  /** The ZIP's city, when the dataset knows the ZIP. */
  city: string | null;
  email: string | null;
  /** lead.receivedAt in epoch ms; NaN when missing or invalid. */
  ms: number;
  /** The quality from lead.signals (null when the lead was not checked at intake). */
  quality: Quality | null;
}

type Check = (ctx: Ctx, out: VerdictReason[]) => void;

interface CompiledRules {
  readonly checks: readonly Check[];
  /** True when a service area is in force: the verdict then says where the lead was placed. */
  readonly placesLead: boolean;
}

export interface CompiledContract {
  readonly contractVersionId: string;
  evaluate(lead: LeadForJudgement, facts: JudgementFacts): Verdict;
}

const DAY_MS = 86_400_000;
const CONNECTED_DIAL_STATUSES: readonly string[] = Object.freeze(["completed", "answered"]);

// ---------------------------------------------------------------------------------------------
// Normalization of the few lead values the rules compare
// ---------------------------------------------------------------------------------------------

function text(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const t = v.trim();
  return t === "" ? null : t;
}

const ZIP_RE = /^(\d{5})(?:-?\d{4})?$/;
function normZip(v: unknown): string | null {
  const s = text(v);
  if (s === null) return null;
  if (s.length === 5) return s;
  const m = ZIP_RE.exec(s);
  return m ? m[1]! : s;
}

function normState(v: unknown): string | null {
  const s = text(v);
  return s === null ? null : s.toUpperCase();
}

function normEmail(v: unknown): string | null {
  const s = text(v);
  return s === null ? null : s.toLowerCase();
}

function isBlank(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === "string") return v.trim() === "";
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

const NUMERIC_RE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
/** Numbers, and numeric strings as forms send them ("5000", " 5,000 ", "$5000.50"). */
function toNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v !== "string") return null;
  const s = v.indexOf(",") >= 0 || v.indexOf("$") >= 0 || v.indexOf(" ") >= 0 ? v.replace(/[\s,$]/g, "") : v;
  if (!NUMERIC_RE.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

const TRUE_WORDS = new Set(["true", "yes", "on", "1", "y"]);
const FALSE_WORDS = new Set(["false", "no", "off", "0", "n"]);
function toBoolean(v: unknown): boolean | null {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v === 1 ? true : v === 0 ? false : null;
  if (typeof v !== "string") return null;
  const s = v.trim().toLowerCase();
  return TRUE_WORDS.has(s) ? true : FALSE_WORDS.has(s) ? false : null;
}

/** A value safe to store as JSON evidence (no bigint, functions, cycles or huge blobs). */
function toObserved(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint" || typeof v === "symbol" || typeof v === "function") return String(v);
  try {
    const json = JSON.stringify(v);
    if (json === undefined) return null;
    return json.length <= 500 ? (JSON.parse(json) as unknown) : `${json.slice(0, 499)}…`;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function reason(code: ReasonCode, rule: string, message: string, observed: unknown, expected: unknown): VerdictReason {
  return { code, rule, message, observed, expected, effect: "reject" };
}

type Getter = (lead: LeadForJudgement) => unknown;

/** Where a field named in the contract lives on the lead: a contact field, else a custom field. */
function fieldGetter(field: string): Getter {
  switch (field) {
    case "name":
      return (l) => l.name;
    case "phone":
      return (l) => (isBlank(l.phone) ? l.rawPhone : l.phone);
    case "email":
      return (l) => l.email;
    case "zip":
      return (l) => l.zip;
    case "state":
      return (l) => l.zipPlace?.state ?? l.state;
    default:
      return (l) => {
        const f = l.fields;
        return f !== null && typeof f === "object" && Object.hasOwn(f, field) ? f[field] : undefined;
      };
  }
}

const REQUIRED_LABELS: Readonly<Record<string, string>> = {
  name: "name",
  phone: "phone number",
  email: "email address",
  zip: "ZIP",
  state: "state",
};

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

const toMinutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

// ---------------------------------------------------------------------------------------------
// Compilation: one Check per rule in force
// ---------------------------------------------------------------------------------------------

function compileRequiredFields(fields: readonly string[]): Check[] {
  return [...new Set(fields)].map((field): Check => {
    const get = fieldGetter(field);
    const message = `The lead has no ${REQUIRED_LABELS[field] ?? `value for ${field}`}`;
    const expected = Object.freeze({ field });
    const appliesToCalls = field === "phone";
    return (ctx, out) => {
      if (!appliesToCalls && ctx.lead.source === "call") return;
      if (isBlank(get(ctx.lead))) out.push(reason("REQUIRED_FIELD_MISSING", "qualification.requiredFields", message, null, expected));
    };
  });
}

function truncatedParts(parts: string[], max: number, noun: string): string[] {
  return parts.length <= max ? parts : [...parts.slice(0, max), `and ${parts.length - max} more ${noun}`];
}

/** "ZIP 14201 (Buffalo, NY)", "ZIP 99999 (NY)", "ZIP 99999", "State NY". */
function placeText(ctx: Ctx): string {
  if (ctx.zip === null) return `State ${ctx.state}`;
  if (ctx.city !== null) return `ZIP ${ctx.zip} (${ctx.city}, ${ctx.state})`;
  return ctx.state !== null ? `ZIP ${ctx.zip} (${ctx.state})` : `ZIP ${ctx.zip}`;
}

function compileServiceArea(area: StoredServiceArea): Check | null {
  const match: ServiceAreaMatch = serviceAreaMatchOf(area);
  const zips = Object.freeze([...new Set(area.zips ?? [])].sort());
  // zip_only ignores states (publish refuses them there; a stored document is read the same way).
  const states = match === "zip_only" ? Object.freeze([] as string[]) : Object.freeze([...new Set((area.states ?? []).map((s) => s.toUpperCase()))].sort());
  if (zips.length === 0 && states.length === 0) return null; // an empty area restricts nothing
  const zipSet = new Set(zips);
  const stateSet = new Set(states);
  const zipPart = truncatedParts(collapseZipRanges(zips), 6, "ZIPs");
  const statePart = truncatedParts([...states], 10, "states");
  const summary =
    match === "zip_and_state" && zipPart.length > 0 && statePart.length > 0
      ? `${zipPart.join(", ")} in ${statePart.join(" or ")}`
      : [...zipPart, ...statePart].join(", ");
  const expected = Object.freeze(area.match === undefined ? { zips, states } : { match, zips, states });
  const rule = "qualification.serviceArea";
  const unknown = (what: string) => `The lead has no ${what}, so it cannot be placed in the service area (${summary})`;
  const unknownMessage = zips.length > 0 && states.length > 0 ? unknown(match === "zip_and_state" ? "ZIP and state" : "ZIP or state") : unknown(zips.length > 0 ? "ZIP" : "state");

  const outside = (ctx: Ctx, out: VerdictReason[]) =>
    out.push(reason("OUT_OF_SERVICE_AREA", rule, `${placeText(ctx)} is outside the service area (${summary})`, { zip: ctx.zip, state: ctx.state }, expected));
  const cannotPlace = (ctx: Ctx, out: VerdictReason[], message: string) => {
    const observed = ctx.zip === null && ctx.state === null ? null : { zip: ctx.zip, state: ctx.state };
    out.push(reason("OUT_OF_SERVICE_AREA", rule, message, observed, expected));
  };

  if (match === "zip_and_state") {
    // Both parts must be in the area. A part the lead does not carry fails a form or API lead; a
    // call passes it (Twilio often lacks the caller's ZIP).
    return (ctx, out) => {
      const { zip, state } = ctx;
      const isCall = ctx.lead.source === "call";
      if ((zip !== null && !zipSet.has(zip)) || (state !== null && !stateSet.has(state))) return outside(ctx, out);
      if (isCall || (zip !== null && state !== null)) return;
      const missing = zip === null && state === null ? unknownMessage : unknown(zip === null ? "ZIP" : "state");
      cannotPlace(ctx, out, missing);
    };
  }

  return (ctx, out) => {
    const { zip, state } = ctx;
    if ((zip !== null && zipSet.has(zip)) || (state !== null && stateSet.has(state))) return;
    const zipCheckable = zip !== null && zipSet.size > 0;
    const stateCheckable = state !== null && stateSet.size > 0;
    if (!zipCheckable && !stateCheckable) {
      // The location the contract speaks about is unknown. Twilio often lacks the caller's ZIP,
      // so a call with an unknown location passes; a form or API lead without one does not.
      if (ctx.lead.source === "call") return;
      cannotPlace(ctx, out, unknownMessage);
      return;
    }
    outside(ctx, out);
  };
}

/** Where the lead was placed, in words, for the verdict; null when it carries neither ZIP nor state. */
function locationOf(ctx: Ctx): VerdictLocation | null {
  const { zip, state, city } = ctx;
  const place = ctx.lead.zipPlace ?? null;
  if (place && zip !== null) {
    const given = normState(ctx.lead.state);
    const differs = given !== null && given !== place.state ? `; the lead gave ${given}` : "";
    return { zip, state, city, from: "zip", text: `ZIP ${zip} is in ${place.state} (${place.city})${differs}` };
  }
  if (zip === null && state === null) return null;
  const unknownZip = zip === null ? null : ctx.lead.zipPlace === null ? `ZIP ${zip} is not a known US ZIP` : `ZIP ${zip}`;
  const text = [unknownZip, state === null ? null : `state ${state} as given`].filter((p) => p !== null).join("; ");
  return { zip, state, city, from: "lead", text: text.charAt(0).toUpperCase() + text.slice(1) };
}

function compileCall(minCallSeconds: number): Check {
  const rule = "qualification.minCallSeconds";
  return (ctx, out) => {
    if (ctx.lead.source !== "call") return;
    const call = ctx.lead.call;
    const status = call && typeof call.dialStatus === "string" ? call.dialStatus.trim().toLowerCase() : null;
    if (status !== null && !CONNECTED_DIAL_STATUSES.includes(status)) {
      out.push(
        reason("CALL_NOT_CONNECTED", rule, `The call was not connected (${status})`, call!.dialStatus, CONNECTED_DIAL_STATUSES),
      );
    }
    if (minCallSeconds <= 0) return;
    const secs = call && typeof call.conversationSeconds === "number" && Number.isFinite(call.conversationSeconds) ? call.conversationSeconds : null;
    if (secs === null) {
      out.push(reason("CALL_TOO_SHORT", rule, `conversation length unknown, minimum ${minCallSeconds} s`, null, minCallSeconds));
    } else if (secs < minCallSeconds) {
      out.push(reason("CALL_TOO_SHORT", rule, `conversation ${secs} s, minimum ${minCallSeconds} s`, secs, minCallSeconds));
    }
  };
}

function compileBusinessHours(hours: Partial<Record<Weekday, [string, string][]>>): Check {
  const rule = "qualification.businessHours";
  const byDay = new Map<Weekday, { starts: number[]; ends: number[]; expected: readonly (readonly [string, string])[]; text: string }>();
  for (const day of WEEKDAYS) {
    const ranges = hours[day] ?? [];
    byDay.set(day, {
      starts: ranges.map(([s]) => toMinutes(s)),
      ends: ranges.map(([, e]) => toMinutes(e)),
      expected: Object.freeze(ranges.map(([s, e]) => Object.freeze([s, e] as const))),
      text: ranges.length === 0 ? `closed on ${WEEKDAY_NAMES[day]}s` : `${WEEKDAY_NAMES[day]} ${formatRanges(ranges)}`,
    });
  }
  return (ctx, out) => {
    if (!Number.isFinite(ctx.ms)) {
      out.push(reason("OUTSIDE_BUSINESS_HOURS", rule, "The time the lead was received is unknown, so it cannot be placed in business hours", null, hours));
      return;
    }
    const tz = ctx.facts.timezone;
    const { weekday, minute } = localWeekdayAndMinute(ctx.ms, tz);
    const day = byDay.get(weekday)!;
    for (let i = 0; i < day.starts.length; i++) {
      if (minute >= day.starts[i]! && minute < day.ends[i]!) return;
    }
    const time = hhmm(minute);
    out.push(
      reason(
        "OUTSIDE_BUSINESS_HOURS",
        rule,
        `Received ${WEEKDAY_NAMES[weekday]} ${time} (${tz}), outside business hours (${day.text})`,
        { weekday, time, timezone: tz },
        day.expected,
      ),
    );
  };
}

function compileDuplicate(dup: { windowDays: number; fields: ("phone" | "email")[] }): Check {
  const rule = "qualification.duplicate";
  const fields = new Set<string>(dup.fields);
  const windowMs = dup.windowDays * DAY_MS;
  const expected = Object.freeze({ windowDays: dup.windowDays, fields: Object.freeze([...dup.fields]) });
  return (ctx, out) => {
    const earlier = ctx.facts.earlierDuplicate;
    if (!earlier || !fields.has(earlier.matchedOn)) return;
    const earlierMs = earlier.receivedAt instanceof Date ? earlier.receivedAt.getTime() : NaN;
    const diff = ctx.ms - earlierMs;
    // Inside the window unless provably not: an unknown time counts as inside.
    if (diff >= windowMs) return;
    const ago = !Number.isFinite(diff) ? null : diff < DAY_MS ? "less than a day" : `${Math.floor(diff / DAY_MS)} day${Math.floor(diff / DAY_MS) === 1 ? "" : "s"}`;
    const message =
      ago === null || diff < 0
        ? `Same ${earlier.matchedOn} as lead ${earlier.leadId}, within the ${dup.windowDays}-day duplicate window`
        : `Same ${earlier.matchedOn} as lead ${earlier.leadId}, received ${ago} earlier (duplicate window ${dup.windowDays} days)`;
    out.push(
      reason(
        "DUPLICATE",
        rule,
        message,
        {
          leadId: earlier.leadId,
          matchedOn: earlier.matchedOn,
          receivedAt: Number.isFinite(earlierMs) ? new Date(earlierMs).toISOString() : null,
        },
        expected,
      ),
    );
  };
}

function normDomain(d: string): string {
  return d.trim().toLowerCase().replace(/^[@.]+/, "").replace(/\.+$/, "");
}

function compileBlocked(blocked: { phones?: string[]; emails?: string[]; emailDomains?: string[] }): Check[] {
  const checks: Check[] = [];
  const phones = new Set((blocked.phones ?? []).map((p) => p.trim()));
  const emails = new Set((blocked.emails ?? []).map((e) => e.trim().toLowerCase()));
  const domains = new Set((blocked.emailDomains ?? []).map(normDomain).filter((d) => d !== ""));
  if (phones.size > 0) {
    checks.push((ctx, out) => {
      const phone = text(ctx.lead.phone);
      if (phone !== null && phones.has(phone)) {
        out.push(reason("BLOCKED_PHONE", "qualification.blocked.phones", `Phone ${phone} is blocked`, phone, phone));
      }
    });
  }
  if (emails.size > 0) {
    checks.push((ctx, out) => {
      const email = ctx.email;
      if (email !== null && emails.has(email)) {
        out.push(reason("BLOCKED_EMAIL", "qualification.blocked.emails", `Email ${email} is blocked`, email, email));
      }
    });
  }
  if (domains.size > 0) {
    checks.push((ctx, out) => {
      const email = ctx.email;
      if (email === null) return;
      const at = email.lastIndexOf("@");
      if (at < 0) return;
      const domain = email.slice(at + 1).replace(/\.+$/, "");
      // The domain itself, then each parent domain: a blocked domain also blocks its subdomains.
      let d = domain;
      for (;;) {
        if (domains.has(d)) {
          const message = d === domain ? `Email domain ${domain} is blocked` : `Email domain ${domain} is blocked (a subdomain of ${d})`;
          out.push(reason("BLOCKED_EMAIL_DOMAIN", "qualification.blocked.emailDomains", message, domain, d));
          return;
        }
        const dot = d.indexOf(".");
        if (dot < 0) return;
        d = d.slice(dot + 1);
      }
    });
  }
  return checks;
}

// eslint-disable-next-line max-lines-per-function -- one case per operator of the contract language
function compilePredicate(p: CustomPredicate, index: number): Check {
  const rule = `qualification.custom[${index}]`;
  const get = fieldGetter(p.field);
  const requirement = predicateRequirement(p);
  const expected = Object.freeze({ op: p.op, value: p.value });
  // A call carries no form fields: for call leads a predicate on a missing field does not apply.
  const fail = (out: VerdictReason[], v: unknown, lead: LeadForJudgement): void => {
    if (lead.source === "call" && isBlank(v)) return;
    const message = isBlank(v) ? `${p.field} is missing; it ${requirement}` : `${p.field} is ${formatValue(v)}; it ${requirement}`;
    out.push(reason("CUSTOM_RULE_FAILED", rule, message, toObserved(v), expected));
  };

  // Equality used by equals / in / not_in: numbers numerically, booleans by meaning, strings trimmed and case-insensitive.
  const matchesOne = (v: unknown, strings: Set<string>, numbers: Set<number>): boolean => {
    if (typeof v === "number") return numbers.has(v) || strings.has(String(v));
    if (typeof v === "boolean") return strings.has(String(v));
    if (typeof v !== "string") return false;
    if (strings.has(v.trim().toLowerCase())) return true;
    if (numbers.size === 0) return false;
    const n = toNumber(v);
    return n !== null && numbers.has(n);
  };
  const splitValues = (values: readonly (string | number)[]): { strings: Set<string>; numbers: Set<number> } => ({
    strings: new Set(values.filter((x): x is string => typeof x === "string").map((s) => s.trim().toLowerCase())),
    numbers: new Set(values.filter((x): x is number => typeof x === "number")),
  });

  switch (p.op) {
    case "equals": {
      const want = p.value;
      if (typeof want === "boolean") {
        return (ctx, out) => {
          const v = get(ctx.lead);
          if (toBoolean(v) !== want) fail(out, v, ctx.lead);
        };
      }
      const { strings, numbers } = splitValues([want]);
      return (ctx, out) => {
        const v = get(ctx.lead);
        if (!matchesOne(v, strings, numbers)) fail(out, v, ctx.lead);
      };
    }
    case "in": {
      const { strings, numbers } = splitValues(p.value);
      return (ctx, out) => {
        const v = get(ctx.lead);
        const ok = Array.isArray(v) ? v.some((x) => matchesOne(x, strings, numbers)) : matchesOne(v, strings, numbers);
        if (!ok) fail(out, v, ctx.lead);
      };
    }
    case "not_in": {
      const { strings, numbers } = splitValues(p.value);
      return (ctx, out) => {
        const v = get(ctx.lead);
        const hit = Array.isArray(v) ? v.some((x) => matchesOne(x, strings, numbers)) : matchesOne(v, strings, numbers);
        if (hit) fail(out, v, ctx.lead);
      };
    }
    case "min": {
      const min = p.value;
      return (ctx, out) => {
        const v = get(ctx.lead);
        const n = toNumber(v);
        if (n === null || n < min) fail(out, v, ctx.lead);
      };
    }
    case "max": {
      const max = p.value;
      return (ctx, out) => {
        const v = get(ctx.lead);
        const n = toNumber(v);
        if (n === null || n > max) fail(out, v, ctx.lead);
      };
    }
    case "matches": {
      // Linear-time RE2 matching (docs/decisions/008-contract-patterns-on-re2.md). A version stored
      // before patterns were checked at publish may hold one RE2 refuses: it fails with the reason.
      const compiled = compilePattern(p.value);
      if (!compiled.ok) {
        return (ctx, out) => {
          const v = get(ctx.lead);
          if (ctx.lead.source === "call" && isBlank(v)) return;
          out.push(reason("CUSTOM_RULE_FAILED", rule, `${p.field} cannot be checked against the pattern ${p.value}: ${compiled.reason}`, toObserved(v), expected));
        };
      }
      return (ctx, out) => {
        const v = get(ctx.lead);
        const value = typeof v === "string" || typeof v === "number" ? String(v) : null;
        if (value !== null && value.length > MAX_MATCHED_VALUE_LENGTH) {
          const message = `${p.field} is longer than ${MAX_MATCHED_VALUE_LENGTH} characters; it ${requirement}`;
          out.push(reason("CUSTOM_RULE_FAILED", rule, message, toObserved(v), expected));
          return;
        }
        const ok = value !== null && !isBlank(v) && compiled.test(value);
        if (!ok) fail(out, v, ctx.lead);
      };
    }
  }
}

function compileSpam(spam: { honeypot?: boolean; rejectInvalidPhone?: boolean } | undefined): Check[] {
  const checks: Check[] = [];
  if (spam?.honeypot !== false) {
    checks.push((ctx, out) => {
      if (ctx.lead.honeypotFilled === true) {
        out.push(
          reason("HONEYPOT_FILLED", "qualification.spam.honeypot", "The hidden spam-trap field was filled in, as bots do", true, false),
        );
      }
    });
  }
  if (spam?.rejectInvalidPhone !== false) {
    checks.push((ctx, out) => {
      const lead = ctx.lead;
      if (lead.phoneValid !== false) return;
      const given = text(lead.rawPhone) ?? text(lead.phone);
      if (given === null) return;
      out.push(
        reason(
          "INVALID_PHONE",
          "qualification.spam.rejectInvalidPhone",
          `Phone ${formatValue(given)} is not a valid phone number`,
          given,
          "a valid phone number",
        ),
      );
    });
  }
  return checks;
}

/** Why a signal could not be read, in words: "Phone check unavailable". */
function unavailableWhy(signals: LeadSignals, rule: SignalRule): string {
  const area = rule.signal.slice(0, rule.signal.indexOf("."));
  if (area === "phone") {
    const why: Record<string, string> = {
      unavailable: "Phone check unavailable",
      off: "Phone not checked (lookups are off for this client)",
      budget_spent: "Phone not checked (the daily lookup budget is spent)",
      no_phone: "No phone given",
      not_dialable: "The phone is not a dialable number",
    };
    if (signals.phone.valid === false) return "The phone is not a valid number, so it has no line or carrier";
    return why[signals.phone.status] ?? "The phone check gave no answer";
  }
  if (area === "email") return signals.email.status === "no_email" ? "No e-mail given" : "The e-mail check gave no answer";
  if (area === "ip") return signals.ip.status === "no_ip" ? "The visitor's IP is not known" : "The IP's location is not known";
  if (area === "velocity") {
    return rule.signal.startsWith("velocity.ip") ? "The visitor's IP is not known" : rule.signal === "velocity.phonePerDay" ? "No phone given" : "No device or session id given";
  }
  if (rule.signal === "consent.verified") {
    const c = signals.consent.claim?.status;
    return c === "unavailable" ? "Consent certificate check unavailable" : c === "not_configured" ? "Consent certificates are not checked (no TrustedForm key)" : "No TrustedForm certificate to check";
  }
  return "The check gave no answer";
}

function compileSignalRules(rules: readonly SignalRule[]): Check[] {
  return rules.map((r, i) => {
    const rule = `qualification.signals[${i}]`;
    const expected = Object.freeze({ signal: r.signal, op: r.op, value: r.value });
    const statement = signalStatement(r);
    return (ctx, out) => {
      const signals = ctx.lead.signals;
      // Calls and leads stored before the checks existed carry no signals: the rules do not apply to them.
      if (!signals || !ctx.quality) return;
      const o = evaluateSignalRule(r, signals, ctx.quality.score);
      if (o.result === "fail") out.push(reason("SIGNAL_RULE_FAILED", rule, signalFailureMessage(r, o.observed), o.observed, expected));
      else if (o.result === "unknown") {
        out.push({ ...reason("SIGNAL_UNAVAILABLE", rule, `${unavailableWhy(signals, r)}: the rule "${statement}" was not applied`, null, expected), effect: "info" });
      }
    };
  });
}

function compileRules(document: ContractDocument): CompiledRules {
  const q = document.qualification ?? ({} as ContractDocument["qualification"]);
  const checks: Check[] = [];
  checks.push(...compileRequiredFields(q.requiredFields ?? []));
  let placesLead = false;
  if (q.serviceArea) {
    const area = compileServiceArea(q.serviceArea);
    if (area) checks.push(area);
    placesLead = area !== null;
  }
  checks.push(compileCall(q.minCallSeconds ?? 90));
  if (q.businessHours) checks.push(compileBusinessHours(q.businessHours));
  if (q.duplicate) checks.push(compileDuplicate(q.duplicate));
  if (q.blocked) checks.push(...compileBlocked(q.blocked));
  (q.custom ?? []).forEach((p, i) => checks.push(compilePredicate(p, i)));
  checks.push(...compileSpam(q.spam));
  checks.push(...compileSignalRules(q.signals ?? []));
  return { checks: Object.freeze(checks), placesLead };
}

const compiledByDocument = new WeakMap<object, CompiledRules>();

function rulesFor(document: ContractDocument): CompiledRules {
  let rules = compiledByDocument.get(document);
  if (rules === undefined) {
    rules = compileRules(document);
    compiledByDocument.set(document, rules);
  }
  return rules;
}

function run(rules: CompiledRules, contractVersionId: string, lead: LeadForJudgement, facts: JudgementFacts): Verdict {
  const received = lead.receivedAt;
  const place = lead.zipPlace ?? null;
  const ctx: Ctx = {
    lead,
    facts,
    zip: normZip(lead.zip),
    state: place?.state ?? normState(lead.state),
    city: place?.city ?? null,
    email: normEmail(lead.email),
    ms: received instanceof Date ? received.getTime() : NaN,
    quality: lead.signals ? qualityOf(lead.signals) : null,
  };
  const reasons: VerdictReason[] = [];
  const checks = rules.checks;
  for (let i = 0; i < checks.length; i++) checks[i]!(ctx, reasons);
  // Informational reasons (a signal rule whose check gave no answer) do not disqualify.
  let qualified = true;
  for (let i = 0; i < reasons.length; i++) if (reasons[i]!.effect !== "info") qualified = false;
  const location = rules.placesLead ? locationOf(ctx) : null;
  const verdict: Verdict = location ? { qualified, billable: qualified, contractVersionId, reasons, location } : { qualified, billable: qualified, contractVersionId, reasons };
  if (ctx.quality) verdict.quality = ctx.quality;
  return verdict;
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Precompile a contract version for repeated evaluation. The heavy part is cached per document
 * object (WeakMap), so calling this again for the same version is cheap.
 */
export function compileContract(version: VersionRef): CompiledContract {
  const rules = rulesFor(version.document);
  const contractVersionId = version.id;
  return {
    contractVersionId,
    evaluate: (lead, facts) => run(rules, contractVersionId, lead, facts),
  };
}

/**
 * Judge one lead against one contract version. Deterministic: the same inputs give a deep-equal
 * verdict. Returns every failing reason; `qualified` iff there is none, and `billable = qualified`
 * (billing may later mark it not billable with `withCapReached`).
 * Throws VALIDATION_FAILED only for an unknown `facts.timezone` when the contract has business hours.
 */
export function evaluate(version: VersionRef, lead: LeadForJudgement, facts: JudgementFacts): Verdict {
  return run(rulesFor(version.document), version.id, lead, facts);
}

function describeCapValue(v: unknown): string | null {
  if (typeof v === "number") return String(v);
  if (v !== null && typeof v === "object") {
    const cap = v as { leads?: unknown; spendCents?: unknown };
    if (typeof cap.leads === "number") return `${cap.leads} billable leads`;
    if (typeof cap.spendCents === "number" && Number.isSafeInteger(cap.spendCents)) return `${formatCents(cap.spendCents)} billed`;
  }
  return null;
}

/**
 * The lead stays as judged but is beyond the monthly cap: add an informational MONTHLY_CAP_REACHED
 * reason (rule "pricing.monthlyCap") and set `billable` to false. Returns a new verdict.
 * `observed` is what has been billed this month, `expected` the cap, e.g. (200, { leads: 200 }).
 */
export function withCapReached(verdict: Verdict, observed: unknown, expected: unknown): Verdict {
  const cap = describeCapValue(expected);
  const message =
    cap === null ? "The monthly cap is reached, so this lead is not billed" : `The monthly cap of ${cap} is reached, so this lead is not billed`;
  return {
    ...verdict,
    billable: false,
    reasons: [
      ...verdict.reasons,
      { code: "MONTHLY_CAP_REACHED", rule: "pricing.monthlyCap", message, observed, expected, effect: "info" },
    ],
  };
}
