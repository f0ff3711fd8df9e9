/**
 * The contract builder's pure half: the form's fields ⇄ a contract document, and the live check
 * (the same zod schema the API publishes with, the plain-English reading part by part, and what
 * would change against the version in force). The page runs it on every keystroke; the route's
 * action runs the same conversion on a plain form post, so a browser without JavaScript publishes
 * the same document.
 *
 * The form writes the document a person would write by hand: optional parts that are off or empty
 * are left out, so publishing from the form and from the equivalent JSON stores the same version.
 */

import { DateTime } from "luxon";
import {
  contractDocumentSchema,
  DISPUTE_REASONS,
  WEEKDAYS,
  type ContractDocument,
  type CustomPredicate,
} from "../../server/domain/contracts/contract-document";
import { describeContractParts, diffContracts, type ContractPart } from "../../server/domain/qualification/describe";
import type { ContractIssue } from "./contract-json";

/** The form's values: a name sent once is its text, a name sent more than once (checkbox groups) a list. */
export type ContractFields = Record<string, string | string[]>;

export function fieldsFromFormData(form: FormData): ContractFields {
  const out: ContractFields = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== "string") continue;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export function one(fields: ContractFields, name: string): string {
  const v = fields[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

export function all(fields: ContractFields, name: string): string[] {
  const v = fields[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Pasted lists: ZIPs, states, phones, e-mails — split on spaces, commas, semicolons and new lines. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

/** Row numbers present in the fields for a table (`tiers.0.upTo`, `tiers.3.price` → [0, 3]). */
export function rowIndexes(fields: ContractFields, table: string): number[] {
  const re = new RegExp(`^${table}\\.(\\d+)\\.`);
  const found = new Set<number>();
  for (const k of Object.keys(fields)) {
    const m = re.exec(k);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Numbers as people type them
// ---------------------------------------------------------------------------------------------

/** "75", "75.5", "$1,250.00" → cents (integer arithmetic, no floats); null when it is not an amount. */
export function parseAmount(text: string): number | null {
  const m = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]!.replace(/,/g, "")) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** "10", "12.5", "12.5%" → basis points; null when it is not a percentage. */
export function parsePercent(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?\s*%?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** Cents as the form shows them: 7500 → "75.00". */
export function amountText(cents: number | undefined | null): string {
  if (cents === undefined || cents === null) return "";
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** Basis points as the form shows them: 1000 → "10", 1250 → "12.5". */
export function percentText(bps: number | undefined | null): string {
  if (bps === undefined || bps === null) return "";
  const frac = bps % 100;
  return frac === 0 ? String(Math.floor(bps / 100)) : `${Math.floor(bps / 100)}.${String(frac).padStart(2, "0").replace(/0$/, "")}`;
}

function customValue(op: CustomPredicate["op"], text: string): unknown {
  const scalar = (s: string): string | number => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);
  switch (op) {
    case "in":
    case "not_in":
      return text.split(",").map((s) => s.trim()).filter(Boolean).map(scalar);
    case "min":
    case "max":
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text.trim();
    case "equals": {
      const t = text.trim();
      return t === "true" ? true : t === "false" ? false : scalar(t);
    }
    case "matches":
      return text;
  }
}

function customText(p: { op: string; value: unknown }): string {
  return Array.isArray(p.value) ? p.value.map(String).join(", ") : String(p.value);
}

export const CUSTOM_OPS = ["equals", "in", "not_in", "min", "max", "matches"] as const;

// ---------------------------------------------------------------------------------------------
// Fields → document
// ---------------------------------------------------------------------------------------------

/**
 * The document the form describes, and the problems of reading it (a price that is not an amount,
 * a date that is not a date) with their document paths. Everything else is left to the schema.
 */
// eslint-disable-next-line max-lines-per-function -- one statement per form field, in contract-document order
export function fieldsToDocument(fields: ContractFields, timeZone: string): { document: Record<string, unknown>; problems: ContractIssue[] } {
  const problems: ContractIssue[] = [];
  const text = (name: string) => one(fields, name).trim();
  const int = (name: string, path: (string | number)[]): number | undefined => {
    const t = text(name);
    if (t === "") return undefined;
    if (/^\d+$/.test(t)) return Number(t);
    problems.push({ path, message: "must be a whole number" });
    return undefined;
  };
  const amount = (name: string, path: (string | number)[]): number | undefined => {
    const t = text(name);
    if (t === "") return undefined;
    const c = parseAmount(t);
    if (c === null) problems.push({ path, message: "must be an amount like 75.00" });
    return c ?? undefined;
  };
  const percent = (name: string, path: (string | number)[]): number | undefined => {
    const t = text(name);
    if (t === "") return undefined;
    const b = parsePercent(t);
    if (b === null) problems.push({ path, message: "must be a percentage like 10 or 12.5" });
    return b ?? undefined;
  };
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

  // qualification
  const q: Record<string, unknown> = {};
  q.requiredFields = [...new Set([...all(fields, "requiredFields"), ...splitList(text("requiredOther"))])];
  const zips = splitList(text("area.zips"));
  const states = splitList(text("area.states").toUpperCase());
  if (zips.length > 0 || states.length > 0) {
    q.serviceArea = defined({ match: text("area.match") || undefined, zips, states: states.length > 0 ? states : undefined });
  }
  const minCall = int("minCallSeconds", ["qualification", "minCallSeconds"]);
  if (minCall !== undefined) q.minCallSeconds = minCall;
  if (text("hours.mode") === "limited") {
    const hours: Record<string, [string, string][]> = {};
    for (const day of WEEKDAYS) {
      const ranges: [string, string][] = [];
      for (const i of rowIndexes(fields, `hours.${day}`)) {
        const from = text(`hours.${day}.${i}.from`);
        const to = text(`hours.${day}.${i}.to`);
        if (from || to) ranges.push([from, to]);
      }
      if (ranges.length > 0) hours[day] = ranges;
    }
    q.businessHours = hours;
  }
  if (one(fields, "dup.on") === "on") {
    q.duplicate = { windowDays: int("dup.windowDays", ["qualification", "duplicate", "windowDays"]) ?? 0, fields: all(fields, "dup.fields") };
  }
  const blocked = { phones: splitList(text("blocked.phones")), emails: splitList(text("blocked.emails")), emailDomains: splitList(text("blocked.domains").toLowerCase()) };
  if (blocked.phones.length + blocked.emails.length + blocked.emailDomains.length > 0) q.blocked = blocked;
  const custom: unknown[] = [];
  for (const i of rowIndexes(fields, "custom")) {
    const field = text(`custom.${i}.field`);
    const op = text(`custom.${i}.op`) as CustomPredicate["op"];
    const value = one(fields, `custom.${i}.value`);
    if (!field && !value.trim()) continue;
    custom.push({ field, op, value: customValue(op, value) });
  }
  q.custom = custom;
  const honeypot = one(fields, "spam.honeypot") === "on";
  const rejectInvalidPhone = one(fields, "spam.rejectInvalidPhone") === "on";
  if (!honeypot || !rejectInvalidPhone) q.spam = { honeypot, rejectInvalidPhone };

  // pricing
  const tiers: unknown[] = [];
  for (const i of rowIndexes(fields, "tiers")) {
    const upTo = text(`tiers.${i}.upTo`);
    const price = text(`tiers.${i}.price`);
    if (!upTo && !price) continue;
    const n = tiers.length;
    tiers.push({ upTo: upTo === "" ? null : int(`tiers.${i}.upTo`, ["pricing", "tiers", n, "upTo"]) ?? null, priceCents: amount(`tiers.${i}.price`, ["pricing", "tiers", n, "priceCents"]) ?? 0 });
  }
  const capLeads = int("cap.leads", ["pricing", "monthlyCap", "leads"]);
  const capSpend = amount("cap.spend", ["pricing", "monthlyCap", "spendCents"]);
  const pricing = defined({
    retainerCents: amount("price.retainer", ["pricing", "retainerCents"]),
    retainerProration: text("price.proration") || undefined,
    leadPriceCents: amount("price.lead", ["pricing", "leadPriceCents"]),
    tiers: tiers.length > 0 ? tiers : undefined,
    acquisitionPriceCents: amount("price.acquisition", ["pricing", "acquisitionPriceCents"]),
    revshareBps: percent("price.revshare", ["pricing", "revshareBps"]),
    monthlyCap: capLeads !== undefined || capSpend !== undefined ? defined({ leads: capLeads, spendCents: capSpend }) : undefined,
  });

  // disputes
  const disputes = defined({
    windowDays: int("disputes.windowDays", ["disputes", "windowDays"]),
    reasons: all(fields, "disputes.reasons"),
    autoApprove: all(fields, "disputes.autoApprove"),
    agencyResponseDays: int("disputes.responseDays", ["disputes", "agencyResponseDays"]),
    maxReturnRateBps: percent("disputes.maxReturnRate", ["disputes", "maxReturnRateBps"]),
  });

  const document: Record<string, unknown> = { qualification: q, pricing, disputes };
  const from = text("takesEffect");
  if (from) {
    const dt = DateTime.fromISO(from, { zone: timeZone });
    if (dt.isValid) document.effectiveFrom = dt.toUTC().toISO({ suppressMilliseconds: true });
    else problems.push({ path: ["effectiveFrom"], message: "must be a date and time" });
  }
  return { document, problems };
}

// ---------------------------------------------------------------------------------------------
// Document → fields (the form starts from the latest version, or the starter contract)
// ---------------------------------------------------------------------------------------------

/** Blank rows a table offers to type into (a browser without JavaScript cannot add rows). */
export const BLANK_ROWS = 2;

/** The form's fields for a document (a stored version, or the starter contract), read leniently: a missing part is empty. */
export function documentToFields(doc: Record<string, unknown>, timeZone: string): ContractFields {
  const f: ContractFields = {};
  const q = (doc.qualification ?? {}) as Partial<ContractDocument["qualification"]>;
  const p = (doc.pricing ?? {}) as Partial<ContractDocument["pricing"]>;
  const d = (doc.disputes ?? {}) as Partial<ContractDocument["disputes"]>;
  const known = new Set<string>(["name", "phone", "email", "zip", "state"]);
  f.requiredFields = (q.requiredFields ?? []).filter((x) => known.has(x));
  f.requiredOther = (q.requiredFields ?? []).filter((x) => !known.has(x)).join(", ");
  f["area.match"] = q.serviceArea?.match ?? "zip_or_state";
  f["area.zips"] = (q.serviceArea?.zips ?? []).join("\n");
  f["area.states"] = (q.serviceArea?.states ?? []).join(", ");
  f.minCallSeconds = String(q.minCallSeconds ?? 90);
  f["hours.mode"] = q.businessHours ? "limited" : "always";
  for (const day of WEEKDAYS) {
    const ranges = q.businessHours?.[day] ?? [];
    const slots = Math.max(2, ranges.length);
    for (let i = 0; i < slots; i++) {
      f[`hours.${day}.${i}.from`] = ranges[i]?.[0] ?? "";
      f[`hours.${day}.${i}.to`] = ranges[i]?.[1] ?? "";
    }
  }
  if (q.duplicate) f["dup.on"] = "on";
  f["dup.windowDays"] = String(q.duplicate?.windowDays ?? 30);
  f["dup.fields"] = q.duplicate?.fields ?? ["phone", "email"];
  f["blocked.phones"] = (q.blocked?.phones ?? []).join("\n");
  f["blocked.emails"] = (q.blocked?.emails ?? []).join("\n");
  f["blocked.domains"] = (q.blocked?.emailDomains ?? []).join("\n");
  const custom = q.custom ?? [];
  for (let i = 0; i < custom.length + BLANK_ROWS; i++) {
    const c = custom[i];
    f[`custom.${i}.field`] = c?.field ?? "";
    f[`custom.${i}.op`] = c?.op ?? "equals";
    f[`custom.${i}.value`] = c ? customText(c) : "";
  }
  if (q.spam?.honeypot !== false) f["spam.honeypot"] = "on";
  if (q.spam?.rejectInvalidPhone !== false) f["spam.rejectInvalidPhone"] = "on";

  f["price.lead"] = p.leadPriceCents ? amountText(p.leadPriceCents) : "";
  const tiers = p.tiers ?? [];
  for (let i = 0; i < tiers.length + BLANK_ROWS; i++) {
    const t = tiers[i];
    f[`tiers.${i}.upTo`] = t && t.upTo !== null ? String(t.upTo) : "";
    f[`tiers.${i}.price`] = t ? amountText(t.priceCents) : "";
  }
  f["price.retainer"] = p.retainerCents ? amountText(p.retainerCents) : "";
  f["price.proration"] = p.retainerProration ?? "daily";
  f["price.acquisition"] = p.acquisitionPriceCents ? amountText(p.acquisitionPriceCents) : "";
  f["price.revshare"] = p.revshareBps ? percentText(p.revshareBps) : "";
  f["cap.leads"] = p.monthlyCap?.leads !== undefined ? String(p.monthlyCap.leads) : "";
  f["cap.spend"] = p.monthlyCap?.spendCents !== undefined ? amountText(p.monthlyCap.spendCents) : "";

  f["disputes.windowDays"] = String(d.windowDays ?? 7);
  f["disputes.reasons"] = d.reasons ?? [...DISPUTE_REASONS];
  f["disputes.autoApprove"] = d.autoApprove ?? [];
  f["disputes.responseDays"] = String(d.agencyResponseDays ?? 3);
  f["disputes.maxReturnRate"] = d.maxReturnRateBps === undefined || d.maxReturnRateBps === 10_000 ? "" : percentText(d.maxReturnRateBps);
  const from = typeof doc.effectiveFrom === "string" ? DateTime.fromISO(doc.effectiveFrom, { zone: timeZone }) : null;
  f.takesEffect = from?.isValid ? from.toFormat("yyyy-LL-dd'T'HH:mm") : "";
  return f;
}

// ---------------------------------------------------------------------------------------------
// The live check
// ---------------------------------------------------------------------------------------------

/** The builder's sections, each with the document paths it edits and the parts of the reading it shows. */
export const BUILDER_SECTIONS = [
  { id: "required", title: "Required fields", paths: ["qualification.requiredFields"], parts: ["requiredFields"] },
  { id: "area", title: "Service area", paths: ["qualification.serviceArea"], parts: ["serviceArea"] },
  { id: "calls", title: "Phone calls", paths: ["qualification.minCallSeconds"], parts: ["minCallSeconds"] },
  { id: "hours", title: "Business hours", paths: ["qualification.businessHours"], parts: ["businessHours"] },
  { id: "duplicate", title: "Duplicates", paths: ["qualification.duplicate"], parts: ["duplicate"] },
  { id: "blocked", title: "Blocked lists", paths: ["qualification.blocked"], parts: ["blocked"] },
  { id: "custom", title: "Custom rules", paths: ["qualification.custom"], parts: ["custom"] },
  { id: "spam", title: "Spam checks", paths: ["qualification.spam"], parts: ["spam"] },
  { id: "price", title: "Price per lead", paths: ["pricing.leadPriceCents", "pricing.tiers"], parts: ["leadPrice"] },
  { id: "retainer", title: "Retainer", paths: ["pricing.retainerCents", "pricing.retainerProration"], parts: ["retainer"] },
  { id: "won", title: "Won deals", paths: ["pricing.acquisitionPriceCents", "pricing.revshareBps"], parts: ["acquisition", "revshare"] },
  { id: "cap", title: "Monthly cap", paths: ["pricing.monthlyCap"], parts: ["monthlyCap"] },
  { id: "disputes", title: "Dispute terms", paths: ["disputes"], parts: ["disputes"] },
  { id: "effective", title: "Takes effect", paths: ["effectiveFrom"], parts: [] },
] as const satisfies readonly { id: string; title: string; paths: readonly string[]; parts: readonly ContractPart[] }[];
export type BuilderSectionId = (typeof BUILDER_SECTIONS)[number]["id"];

export function sectionOfPath(path: readonly (string | number)[]): BuilderSectionId {
  const dotted = path.join(".");
  const found = BUILDER_SECTIONS.find((s) => s.paths.some((p) => dotted === p || dotted.startsWith(`${p}.`)));
  return found?.id ?? "effective";
}

export interface BuilderCheck {
  /** What publishing sends (the same input as the JSON editor's). */
  document: Record<string, unknown>;
  /** Every problem, from reading the form and from the contract schema, with document paths. */
  issues: ContractIssue[];
  /** How each section reads; a section with problems reads from what is valid around it. */
  reading: Record<BuilderSectionId, string[]>;
  /** What would change against the version in force; null while there are problems. */
  changes: string[] | null;
}

function issuesOf(e: { issues: { path: PropertyKey[]; message: string }[] }): ContractIssue[] {
  return e.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message }));
}

/** A copy of `doc` without the values at these paths' first two segments (to read the rest of a document that has problems). */
function without(doc: Record<string, unknown>, paths: (string | number)[][]): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, Record<string, unknown> | unknown>;
  for (const p of paths) {
    const [a, b] = p;
    if (typeof a !== "string") continue;
    const parent = copy[a];
    if (b !== undefined && parent && typeof parent === "object" && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[String(b)];
    else delete copy[a];
  }
  return copy as Record<string, unknown>;
}

/**
 * Checks the form as publishing would: reads it, parses the document with the contract schema,
 * reads it in words per section and compares it with the version in force. `now` stands in for the
 * effective date of a version without one, as publishing does.
 */
export function checkContractFields(
  fields: ContractFields,
  opts: { timeZone: string; currency: string; now: Date; inForce: ContractDocument | null },
): BuilderCheck {
  const { document, problems } = fieldsToDocument(fields, opts.timeZone);
  const parsed = contractDocumentSchema.safeParse(document);
  const issues = [...problems, ...(parsed.success ? [] : issuesOf(parsed.error))];
  let readable: ContractDocument | null = parsed.success ? parsed.data : null;
  let rest = without(document, problems.map((p) => p.path));
  for (let tries = 0; !readable && tries < 6; tries++) {
    const r = contractDocumentSchema.safeParse(rest);
    if (r.success) readable = r.data;
    else rest = without(rest, issuesOf(r.error).map((i) => i.path));
  }
  const parts = readable ? describeContractParts(readable, { currency: opts.currency }) : null;
  const reading = Object.fromEntries(
    BUILDER_SECTIONS.map((s) => [s.id, parts ? s.parts.flatMap((p: ContractPart) => parts[p]) : []]),
  ) as Record<BuilderSectionId, string[]>;
  const full = issues.length === 0 && parsed.success ? { ...parsed.data, effectiveFrom: parsed.data.effectiveFrom ?? opts.now.toISOString() } : null;
  if (full?.effectiveFrom) {
    reading.effective = [`Judges leads received from ${DateTime.fromISO(full.effectiveFrom).setZone(opts.timeZone).setLocale("en-US").toFormat("LLL d, yyyy, h:mm a")} (${opts.timeZone})${parsed.success && parsed.data.effectiveFrom ? "" : " — when you publish"}.`];
  }
  const changes = full ? (opts.inForce ? diffContracts(opts.inForce, full, { currency: opts.currency }) : ["First version of the contract."]) : null;
  return { document, issues, reading, changes };
}

