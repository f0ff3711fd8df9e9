/**
 * The contract editor's pure half, shared by the route's action (server) and the page (browser):
 * the starter document, printing a document readably, reading the JSON with a line and column for
 * syntax errors in plain words, and naming issue paths in words. No React; of the server only the
 * weekday names (a module with no imports at run time).
 */

import { WEEKDAY_NAMES } from "../../server/domain/shared/weekday-names";

// ---------------------------------------------------------------------------------------------
// A starting point when a client has no contract yet (the example in docs/architecture.md, made conservative)
// ---------------------------------------------------------------------------------------------

const WEEKDAY_HOURS = [["08:00", "18:00"]];

export const STARTER_CONTRACT = {
  qualification: {
    requiredFields: ["phone", "zip"],
    serviceArea: { match: "zip_only", zips: ["10001", "10002"] },
    minCallSeconds: 90,
    businessHours: { mon: WEEKDAY_HOURS, tue: WEEKDAY_HOURS, wed: WEEKDAY_HOURS, thu: WEEKDAY_HOURS, fri: WEEKDAY_HOURS },
    duplicate: { windowDays: 30, fields: ["phone", "email"] },
    blocked: { phones: [], emails: [], emailDomains: ["mailinator.com"] },
    custom: [],
  },
  pricing: {
    retainerCents: 0,
    leadPriceCents: 7500,
    tiers: [
      { upTo: 100, priceCents: 7500 },
      { upTo: null, priceCents: 6000 },
    ],
    acquisitionPriceCents: 0,
    revshareBps: 0,
    monthlyCap: { leads: 200 },
  },
  disputes: {
    windowDays: 7,
    reasons: ["wrong_number", "out_of_area", "duplicate", "spam", "not_looking", "other"],
    autoApprove: ["duplicate"],
    agencyResponseDays: 3,
    maxReturnRateBps: 2000,
  },
};

/** The editor starts from a stored document without its effectiveFrom, so publishing it takes effect now. */
export function editableDocument(document: Record<string, unknown>): Record<string, unknown> {
  const { effectiveFrom: _ignored, ...rest } = document;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Printing: objects one key per line, short lists and small objects on one line
// ---------------------------------------------------------------------------------------------

const WIDTH = 76;

/** Keys in the order docs/architecture.md writes them (PostgreSQL's jsonb hands them back sorted by length). */
const KEY_ORDER = [
  "effectiveFrom", "qualification", "pricing", "disputes",
  "requiredFields", "serviceArea", "match", "zips", "states", "minCallSeconds", "businessHours", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
  "duplicate", "windowDays", "fields", "blocked", "phones", "emails", "emailDomains", "custom", "field", "op", "value", "spam", "honeypot", "rejectInvalidPhone",
  "retainerCents", "leadPriceCents", "tiers", "upTo", "priceCents", "acquisitionPriceCents", "revshareBps", "monthlyCap", "leads", "spendCents",
  "reasons", "autoApprove", "agencyResponseDays", "maxReturnRateBps",
];

function orderedEntries(o: Record<string, unknown>): [string, unknown][] {
  const rank = (k: string) => {
    const i = KEY_ORDER.indexOf(k);
    return i === -1 ? KEY_ORDER.length : i;
  };
  return Object.entries(o).sort(([a], [b]) => rank(a) - rank(b));
}

function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    const entries = orderedEntries(v as Record<string, unknown>);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(", ")} }`;
  }
  return JSON.stringify(v) ?? "null";
}

function isFlat(v: unknown): boolean {
  if (v === null || typeof v !== "object") return true;
  const values = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
  return values.every((x) => x === null || typeof x !== "object" || (Array.isArray(x) && x.every((y) => y === null || typeof y !== "object" || (Array.isArray(y) && y.every((z) => typeof z !== "object")))));
}

export function formatContractJson(v: unknown, indent = "", keyLength = 0): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  const one = inline(v);
  if (indent !== "" && (Array.isArray(v) || isFlat(v)) && indent.length + keyLength + one.length <= WIDTH) return one;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => inner + formatContractJson(x, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = orderedEntries(v as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${formatContractJson(x, inner, k.length + 4)}`).join(",\n")}\n${indent}}`;
}

// ---------------------------------------------------------------------------------------------
// Reading the JSON: JSON.parse, and when it fails a scan that says where and why in plain words
// ---------------------------------------------------------------------------------------------

export interface JsonSyntaxProblem {
  /** 1-based, as editors count. */
  line: number;
  column: number;
  offset: number;
  message: string;
  /** The text of that line, to show with a caret under the column. */
  lineText: string;
}

function show(c: string | undefined): string {
  if (c === undefined) return "the end of the document";
  if (c === "\n" || c === "\r") return "the end of the line";
  return `“${c}”`;
}

/** Where the first syntax error is (or null when the text is valid JSON). */
// eslint-disable-next-line max-lines-per-function -- one pass over the text with one small stack; split, the scanner state would travel between functions
function findSyntaxError(text: string): { offset: number; message: string } | null {
  let i = 0;
  class Stop extends Error {
    constructor(
      readonly offset: number,
      readonly why: string,
    ) {
      super(why);
    }
  }
  const fail = (message: string, at = i): never => {
    throw new Stop(at, message);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const string = () => {
    const start = i;
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) fail("this text (string) is never closed — a closing \" is missing", start);
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\n" || c === "\r") fail("this text (string) runs to the end of the line — a closing \" is missing", start);
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("\\u must be followed by four hex digits");
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`${show(`\\${e ?? ""}`)} is not a valid escape; write \\\\ for a backslash`);
        i += 2;
        continue;
      }
      i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) fail("the document ends where a value was expected");
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "-" || (c! >= "0" && c! <= "9")) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) fail("this is not a valid number");
      i += m![0].length;
      if (/[0-9.eE]/.test(text[i] ?? "")) fail("this is not a valid number (no leading zeros, digits after a decimal point)");
      return;
    }
    for (const lit of ["true", "false", "null"]) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    if (c === "'") fail("text must be in double quotes (\"…\"), not single quotes");
    if (c === "}" || c === "]") fail(`${show(c)} where a value was expected — is there a comma too many before it?`);
    fail(`${show(c)} is not a value; text needs double quotes, numbers are plain digits, and true, false and null are lower-case`);
  };
  /**
   * The members of an object or the items of a list, after its opening bracket: `member` reads one,
   * and what goes wrong between them (a trailing comma, a missing comma, the end of the text) is
   * said with the bracket that `close` names.
   */
  const sequence = (close: "}" | "]", inside: string, member: () => void, missingCommaHint: (next: string) => string) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === close) fail(`a comma before ${close} is not allowed in JSON — remove the last comma`);
      member();
      ws();
      const n = text[i];
      if (n === ",") {
        i++;
        continue;
      }
      if (n === close) {
        i++;
        return;
      }
      if (n === undefined) fail(`the document ends inside ${inside} — a closing ${close} is missing`);
      fail(`expected a comma or a closing ${close} after the value, found ${show(n)}${missingCommaHint(n!)}`);
    }
  };
  const property = () => {
    const c = text[i];
    if (c === undefined) fail("the document ends inside an object — a closing } is missing");
    if (c !== '"') fail(c === "'" ? "property names must be in double quotes, not single quotes" : `expected a property name in double quotes, found ${show(c)}`);
    string();
    ws();
    if (text[i] !== ":") fail(`expected a colon (:) after the property name, found ${show(text[i])}`);
    i++;
    value();
  };
  const object = () => sequence("}", "an object", property, (n) => (n === '"' ? " — is a comma missing at the end of the line before?" : ""));
  const array = () => sequence("]", "a list", value, () => "");
  try {
    ws();
    if (i >= text.length) return { offset: 0, message: "the document is empty — start from the example, or paste a contract" };
    value();
    ws();
    if (i < text.length) fail(`${show(text[i])} after the end of the document — is there an extra closing bracket, or text outside the outer { }?`);
    return null;
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, message: e.why };
    throw e;
  }
}

export function locate(text: string, offset: number): { line: number; column: number; lineText: string } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const lineEnd = text.indexOf("\n", offset);
  return { line, column: offset - lineStart + 1, lineText: text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, "") };
}

export function parseContractText(text: string): { ok: true; value: unknown } | { ok: false; problem: JsonSyntaxProblem } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const found = findSyntaxError(text) ?? { offset: 0, message: e instanceof Error ? e.message : String(e) };
    return { ok: false, problem: { ...locate(text, found.offset), offset: found.offset, message: found.message } };
  }
}

// ---------------------------------------------------------------------------------------------
// Issue paths in words: ["qualification","serviceArea","zips",3] → "Qualification › service area › ZIPs › item 4"
// ---------------------------------------------------------------------------------------------

export interface ContractIssue {
  path: (string | number)[];
  message: string;
}

const LABELS: Record<string, string> = {
  effectiveFrom: "effective from",
  qualification: "qualification",
  requiredFields: "required fields",
  serviceArea: "service area",
  match: "match",
  zips: "ZIPs",
  states: "states",
  minCallSeconds: "minimum call length (seconds)",
  businessHours: "business hours",
  ...WEEKDAY_NAMES,
  duplicate: "duplicate rule",
  windowDays: "window (days)",
  fields: "fields",
  blocked: "blocked",
  phones: "phones",
  emails: "e-mails",
  emailDomains: "e-mail domains",
  custom: "custom rules",
  field: "field",
  op: "operator",
  value: "value",
  spam: "spam checks",
  honeypot: "spam-trap field",
  rejectInvalidPhone: "reject invalid phones",
  pricing: "pricing",
  retainerCents: "monthly retainer (cents)",
  leadPriceCents: "price per lead (cents)",
  tiers: "volume tiers",
  upTo: "up to (leads)",
  priceCents: "price (cents)",
  acquisitionPriceCents: "price per acquisition (cents)",
  revshareBps: "revenue share (basis points)",
  monthlyCap: "monthly cap",
  leads: "leads",
  spendCents: "spend (cents)",
  disputes: "disputes",
  reasons: "reasons",
  autoApprove: "automatically approved reasons",
  agencyResponseDays: "agency response time (days)",
  maxReturnRateBps: "maximum return rate (basis points)",
};

const DAYS = new Set(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);

export function describeIssuePath(path: (string | number)[]): string {
  if (path.length === 0) return "The document";
  const words: string[] = [];
  path.forEach((seg, i) => {
    const parent = path[i - 1];
    const grandparent = path[i - 2];
    const n = typeof seg === "number" ? seg : /^\d+$/.test(seg) ? Number(seg) : null;
    if (n !== null) {
      if (typeof parent === "string" && DAYS.has(parent)) words.push(`hours ${n + 1}`);
      else if (typeof grandparent === "string" && DAYS.has(grandparent)) words.push(n === 0 ? "opening time" : "closing time");
      else if (parent === "tiers") words.push(`tier ${n + 1}`);
      else if (parent === "custom") words.push(`rule ${n + 1}`);
      else words.push(`item ${n + 1}`);
    } else {
      words.push(LABELS[seg] ?? `“${seg}”`);
    }
  });
  const text = words.join(" › ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Issues a failed tRPC call carries (from a DomainError or a zod input error), read without importing server code. */
export function issuesFrom(e: unknown): ContractIssue[] {
  const cause = (e as { cause?: { issues?: unknown } } | null)?.cause;
  const issues = Array.isArray(cause?.issues) ? (cause!.issues as { path?: unknown; message?: unknown }[]) : [];
  return issues.map((i) => ({
    path: Array.isArray(i.path) ? i.path.map((p) => (typeof p === "number" ? p : String(p))) : [],
    message: typeof i.message === "string" ? i.message : "is not valid",
  }));
}
