/**
 * The copy-paste HTML form for a landing page. Pure: same form and public URL in, same HTML out.
 * It posts (form-encoded, no JavaScript) to POST {publicUrl}/api/forms/{publicKey}; the intake
 * redirects the browser to the form's thank-you URL.
 */

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
  { field: "phone", label: "Phone", type: "tel", autocomplete: "tel", extra: " required" },
  { field: "email", label: "Email", type: "email", autocomplete: "email", extra: "" },
  { field: "zip", label: "ZIP code", type: "text", autocomplete: "postal-code", extra: ' inputmode="numeric" maxlength="10"' },
] as const;

/** The posted name for a lead field: the first mapped name that targets it, else the field's own name. */
function postedNameFor(field: string, mapping: Record<string, string>): string {
  return Object.entries(mapping).find(([, target]) => target === field)?.[0] ?? field;
}

export function embedSnippet(form: SnippetForm, publicUrl: string): string {
  const action = `${publicUrl.replace(/\/+$/, "")}/api/forms/${encodeURIComponent(form.publicKey)}`;
  const consent = form.consentText?.trim() || DEFAULT_CONSENT_TEXT;
  const mapping = form.fieldMapping ?? {};
  const id = (s: string) => `ll-${form.publicKey}-${s}`.replace(/[^A-Za-z0-9_-]/g, "-");
  const lines: string[] = [];
  lines.push(`<!-- LeadLedger form${form.name ? `: ${escapeHtml(form.name).replace(/--/g, "- -")}` : ""} -->`);
  lines.push(`<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8">`);
  for (const f of FIELDS) {
    const name = postedNameFor(f.field, mapping);
    lines.push(`  <p>`);
    lines.push(`    <label for="${id(f.field)}">${f.label}</label>`);
    lines.push(`    <input id="${id(f.field)}" type="${f.type}" name="${escapeHtml(name)}" autocomplete="${f.autocomplete}"${f.extra}>`);
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
  return `${lines.join("\n")}\n`;
}
