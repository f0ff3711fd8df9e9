import type { CustomPredicate } from "../contracts/contract-document";

/**
 * The copy-paste HTML form for a landing page. Pure: same form, rules and public URL in, same HTML
 * out. It posts (form-encoded, no JavaScript) to POST {publicUrl}/api/forms/{publicKey}; the intake
 * redirects the browser to the form's thank-you URL. Generated from the contract version in force,
 * so every field the contract requires or tests (custom predicates) has an input and a lead typed
 * into it can qualify.
 */

/** The part of a contract's qualification rules a form must ask for. */
export interface SnippetRules {
  requiredFields: readonly string[];
  custom: readonly CustomPredicate[];
  /** With a service area the ZIP decides, so the form requires it. */
  serviceArea?: object | null;
}

export interface SnippetForm {
  publicKey: string;
  name?: string;
  honeypotField: string;
  consentText: string | null;
  fieldMapping?: Record<string, string>;
}

/** Shown next to the consent checkbox when the form has no consent text of its own. */
export const DEFAULT_CONSENT_TEXT = "I agree to be contacted by phone, text message or email about my request.";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const FIELDS = [
  { field: "name", label: "Name", type: "text", autocomplete: "name", extra: "" },
  { field: "phone", label: "Phone", type: "tel", autocomplete: "tel", extra: "" },
  { field: "email", label: "Email", type: "email", autocomplete: "email", extra: "" },
  { field: "zip", label: "ZIP code", type: "text", autocomplete: "postal-code", extra: ' inputmode="numeric" maxlength="10"' },
] as const;
const STATE_FIELD = { field: "state", label: "State", type: "text", autocomplete: "address-level1", extra: ' maxlength="2"' } as const;
/** Phone is always asked for: calls back, alerts and duplicate checks all need it. */
const ALWAYS_REQUIRED = new Set(["phone"]);

/** "budget" → "Budget", "roof_type" → "Roof type", "moveInDate" → "Move in date". */
export function fieldLabel(field: string): string {
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_\-.]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : field;
}

function grouped(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : String(n);
}

/** One input the form needs beyond the contact fields, derived from a field's predicates. */
export interface SnippetField {
  field: string;
  label: string;
  kind: "number" | "select" | "text";
  min?: number;
  max?: number;
  options?: (string | number | boolean)[];
}

/** The custom and required fields a contract asks for, in the contract's order, one entry per field. */
export function contractFields(rules: SnippetRules | null | undefined): SnippetField[] {
  if (!rules) return [];
  const standard = new Set<string>([...FIELDS.map((f) => f.field), "state"]);
  const order: string[] = [];
  for (const f of [...rules.requiredFields, ...rules.custom.map((p) => p.field)]) if (!standard.has(f) && !order.includes(f)) order.push(f);
  return order.map((field) => {
    const preds = rules.custom.filter((p) => p.field === field);
    const label = fieldLabel(field);
    const inList = preds.find((p): p is Extract<CustomPredicate, { op: "in" }> => p.op === "in");
    const equals = preds.find((p): p is Extract<CustomPredicate, { op: "equals" }> => p.op === "equals");
    const excluded = new Set(preds.flatMap((p) => (p.op === "not_in" ? p.value.map(String) : [])));
    if (inList || equals) {
      const options = (inList ? inList.value : [equals!.value]).filter((v) => !excluded.has(String(v)));
      return { field, label, kind: "select", options };
    }
    const mins = preds.flatMap((p) => (p.op === "min" ? [p.value] : []));
    const maxs = preds.flatMap((p) => (p.op === "max" ? [p.value] : []));
    if (mins.length || maxs.length) {
      const min = mins.length ? Math.max(...mins) : undefined;
      const max = maxs.length ? Math.min(...maxs) : undefined;
      const hint = min !== undefined && max !== undefined ? `${grouped(min)} to ${grouped(max)}` : min !== undefined ? `at least ${grouped(min)}` : `at most ${grouped(max!)}`;
      return { field, label: `${label} (${hint})`, kind: "number", min, max };
    }
    return { field, label, kind: "text" };
  });
}

/** The lead fields a snippet for these rules posts (what a pasted copy of it can send). */
export function snippetFieldNames(rules: SnippetRules | null | undefined): string[] {
  const needsState = rules?.requiredFields.includes("state") ?? false;
  return [...FIELDS.map((f) => f.field), ...(needsState ? ["state"] : []), ...contractFields(rules).map((f) => f.field)];
}

function optionLabel(v: string | number | boolean): string {
  return typeof v === "boolean" ? (v ? "Yes" : "No") : typeof v === "number" ? grouped(v) : v;
}

/** The posted name for a lead field: the first mapped name that targets it, else the field's own name. */
function postedNameFor(field: string, mapping: Record<string, string>): string {
  return Object.entries(mapping).find(([, target]) => target === field)?.[0] ?? field;
}

export function embedSnippet(form: SnippetForm, publicUrl: string, rules?: SnippetRules | null): string {
  const action = `${publicUrl.replace(/\/+$/, "")}/api/forms/${encodeURIComponent(form.publicKey)}`;
  const consent = form.consentText?.trim() || DEFAULT_CONSENT_TEXT;
  const mapping = form.fieldMapping ?? {};
  const id = (s: string) => `ll-${form.publicKey}-${s}`.replace(/[^A-Za-z0-9_-]/g, "-");
  const lines: string[] = [];
  lines.push(`<!-- LeadLedger form${form.name ? `: ${escapeHtml(form.name).replace(/--/g, "- -")}` : ""} -->`);
  lines.push(`<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8">`);
  const required = new Set([...ALWAYS_REQUIRED, ...(rules?.requiredFields ?? []), ...(rules?.serviceArea ? ["zip"] : [])]);
  const contact = rules?.requiredFields.includes("state") ? [...FIELDS, STATE_FIELD] : FIELDS;
  for (const f of contact) {
    const name = postedNameFor(f.field, mapping);
    lines.push(`  <p>`);
    lines.push(`    <label for="${id(f.field)}">${f.label}</label>`);
    lines.push(`    <input id="${id(f.field)}" type="${f.type}" name="${escapeHtml(name)}" autocomplete="${f.autocomplete}"${f.extra}${required.has(f.field) ? " required" : ""}>`);
    lines.push(`  </p>`);
  }
  // Every field the contract tests: a lead without it cannot qualify, so each one is required.
  for (const f of contractFields(rules)) {
    const name = escapeHtml(postedNameFor(f.field, mapping));
    const fid = id(f.field);
    lines.push(`  <p>`);
    lines.push(`    <label for="${fid}">${escapeHtml(f.label)}</label>`);
    if (f.kind === "select") {
      lines.push(`    <select id="${fid}" name="${name}" required>`);
      lines.push(`      <option value="">Choose…</option>`);
      for (const v of f.options ?? []) lines.push(`      <option value="${escapeHtml(String(v))}">${escapeHtml(optionLabel(v))}</option>`);
      lines.push(`    </select>`);
    } else if (f.kind === "number") {
      const bounds = `${f.min !== undefined ? ` min="${f.min}"` : ""}${f.max !== undefined ? ` max="${f.max}"` : ""}`;
      lines.push(`    <input id="${fid}" type="number" name="${name}" inputmode="decimal" step="any"${bounds} required>`);
    } else {
      lines.push(`    <input id="${fid}" type="text" name="${name}" required>`);
    }
    lines.push(`  </p>`);
  }
  // The honeypot: invisible to people and screen readers, skipped by keyboard and autofill;
  // bots that fill every field give themselves away.
  lines.push(`  <div aria-hidden="true" style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden;">`);
  lines.push(`    <label for="${id("hp")}">Leave this field empty</label>`);
  lines.push(`    <input id="${id("hp")}" type="text" name="${escapeHtml(form.honeypotField)}" value="" tabindex="-1" autocomplete="off">`);
  lines.push(`  </div>`);
  lines.push(`  <p>`);
  lines.push(`    <label><input type="checkbox" name="consent" value="yes" required> ${escapeHtml(consent)}</label>`);
  lines.push(`    <input type="hidden" name="consent_text" value="${escapeHtml(consent)}">`);
  lines.push(`  </p>`);
  lines.push(`  <button type="submit">Send</button>`);
  lines.push(`</form>`);
  // The tracking snippet (GET /t.js): first and last touch, click ids and landing page go with the form (decision 022).
  lines.push(`<script src="${escapeHtml(`${publicUrl.replace(/\/+$/, "")}/t.js`)}" async></script>`);
  return `${lines.join("\n")}\n`;
}
