import type { ContractDocument, CustomPredicate } from "../contracts/contract-document";
import { contractFields, fieldLabel } from "../forms/embed-snippet";
import { collapseZipRanges, describeQualification, joinList, predicateRequirement } from "../qualification/describe";
import type { ReasonCode } from "../qualification/verdict";

/**
 * A posting spec: what a vendor needs to send leads to one form or with one API key — the fields
 * the contract version in force requires or tests (types, allowed values), the rules in words, a
 * sample JSON body and curl, the answers they will get, and how many of this source's real leads
 * qualified lately. Pure: built from the version in force by the same readings the embed snippet
 * (contractFields) and the contract page (describeQualification) use.
 */

export type SpecSourceKind = "form" | "api";

export interface SpecField {
  name: string;
  label: string;
  required: boolean;
  type: "string" | "number" | "phone" | "email" | "zip" | "state";
  /** Allowed values in words ("10001–10005", "one of \"tile\" or \"metal\"", "at least 5,000"), or null for anything. */
  allowed: string | null;
  /** Values to pick from when the contract names them (select fields). */
  options?: (string | number | boolean)[];
}

export interface SpecAnswer {
  status: "qualified" | "rejected" | "received" | "error";
  when: string;
  example: Record<string, unknown>;
}

export interface PostingSpec {
  kind: SpecSourceKind;
  /** The form's or the key's name. */
  name: string;
  clientName: string;
  endpoint: { method: "POST"; url: string; contentTypes: string[]; auth: string };
  /** How to send a test lead through this source (null: no test key for this form yet). */
  testing: string | null;
  contractVersion: { version: number; effectiveFrom: Date } | null;
  fields: SpecField[];
  rules: string[];
  /** Reason codes this contract can give a lead from this source, with what each means. */
  reasons: { code: ReasonCode; when: string }[];
  sampleBody: Record<string, unknown>;
  sampleCurl: string;
  answers: SpecAnswer[];
  acceptance: { days: number; qualified: number; judged: number; rateBps: number | null };
}

export interface SpecSource {
  kind: SpecSourceKind;
  id: string;
  clientId: string;
  clientName: string;
  name: string;
  /** Forms: the public key (and the test key when enabled). */
  publicKey?: string;
  testPublicKey?: string | null;
  fieldMapping?: Record<string, string>;
  /** API keys: "live" or "test", and the first characters of the key (never the key). */
  mode?: "live" | "test";
  prefix?: string;
}

export const ACCEPTANCE_DAYS = 30;

const SAMPLE_CONTACT = { name: "Ann Smith", phone: "(212) 555-0142", email: "ann@example.com" } as const;

/** The posted name of a lead field for a form with a field mapping (first mapped name, else the field itself). */
function postedName(field: string, mapping: Record<string, string> | undefined): string {
  return Object.entries(mapping ?? {}).find(([, target]) => target === field)?.[0] ?? field;
}

function predicatesOf(q: ContractDocument["qualification"], field: string): CustomPredicate[] {
  return q.custom.filter((p) => p.field === field);
}

/** A value the predicates accept, where one can be derived (a pattern cannot): used in the sample body. */
function sampleValue(f: ReturnType<typeof contractFields>[number], preds: CustomPredicate[]): unknown {
  if (f.kind === "select") return f.options?.[0] ?? "";
  if (f.kind === "number") return f.min ?? (f.max !== undefined ? Math.min(f.max, 1) : 1);
  const excluded = new Set(preds.flatMap((p) => (p.op === "not_in" ? p.value.map(String) : [])));
  return excluded.has("example") ? "example value" : "example";
}

export function specFields(q: ContractDocument["qualification"] | null, kind: SpecSourceKind, mapping?: Record<string, string>): SpecField[] {
  const required = new Set<string>(["phone", ...(q?.requiredFields ?? [])]);
  const area = q?.serviceArea;
  if (area && area.zips.length > 0) required.add("zip");
  if (area && area.zips.length === 0 && area.states.length > 0) required.add("state");
  const zips = area?.zips.length ? `${collapseZipRanges(area.zips).join(", ")}` : null;
  const states = area?.states.length ? area.states.join(", ") : null;
  const name = (f: string) => (kind === "form" ? postedName(f, mapping) : f);
  const fields: SpecField[] = [
    { name: name("name"), label: "Name", required: required.has("name"), type: "string", allowed: null },
    { name: name("phone"), label: "Phone", required: true, type: "phone", allowed: "a phone number that can be dialled, any common format (stored as E.164)" },
    { name: name("email"), label: "Email", required: required.has("email"), type: "email", allowed: null },
    { name: name("zip"), label: "ZIP code", required: required.has("zip"), type: "zip", allowed: zips ? `one of ${zips}` : null },
  ];
  if (required.has("state") || states) fields.push({ name: name("state"), label: "State", required: required.has("state"), type: "state", allowed: states ? `one of ${states}` : "2-letter US state" });
  for (const f of contractFields(q ? { requiredFields: q.requiredFields, custom: q.custom, serviceArea: q.serviceArea ?? null } : null)) {
    const preds = predicatesOf(q!, f.field);
    fields.push({
      name: name(f.field),
      label: fieldLabel(f.field),
      required: true,
      type: f.kind === "number" ? "number" : "string",
      allowed: preds.length ? joinList(preds.map(predicateRequirement)).replace(/^must /, "") : null,
      ...(f.kind === "select" ? { options: f.options } : {}),
    });
  }
  return fields;
}

/** A body that meets the contract where values can be derived (ZIP from the area, custom fields from their predicates). */
export function sampleBody(q: ContractDocument["qualification"] | null, kind: SpecSourceKind, mapping?: Record<string, string>): Record<string, unknown> {
  const name = (f: string) => (kind === "form" ? postedName(f, mapping) : f);
  const body: Record<string, unknown> = { [name("name")]: SAMPLE_CONTACT.name, [name("phone")]: SAMPLE_CONTACT.phone, [name("email")]: SAMPLE_CONTACT.email };
  const area = q?.serviceArea;
  body[name("zip")] = area?.zips[0] ?? "10001";
  if (q?.requiredFields.includes("state") || (area && area.zips.length === 0 && area.states.length > 0)) body[name("state")] = area?.states[0] ?? "NY";
  for (const f of contractFields(q ? { requiredFields: q.requiredFields, custom: q.custom, serviceArea: q.serviceArea ?? null } : null)) {
    body[name(f.field)] = sampleValue(f, q ? predicatesOf(q, f.field) : []);
  }
  if (kind === "form") body.consent_text = "I agree to be contacted about my request.";
  return body;
}

const REASON_WHEN: Partial<Record<ReasonCode, string>> = {
  REQUIRED_FIELD_MISSING: "a required field is missing or empty",
  INVALID_PHONE: "the phone number cannot be dialled",
  HONEYPOT_FILLED: "the hidden spam-trap field was filled in",
  OUT_OF_SERVICE_AREA: "the ZIP (or state) is outside the service area",
  OUTSIDE_BUSINESS_HOURS: "the lead arrived outside the client's business hours",
  DUPLICATE: "an earlier lead had the same phone or e-mail within the duplicate window",
  BLOCKED_PHONE: "the phone is on the client's block list",
  BLOCKED_EMAIL: "the e-mail address or its domain is blocked",
  BLOCKED_EMAIL_DOMAIN: "the e-mail address's domain is blocked",
  CUSTOM_RULE_FAILED: "a field does not have an allowed value",
  MONTHLY_CAP_REACHED: "the client's monthly cap is reached: the lead still qualifies but is not billed",
};

function possibleReasons(doc: ContractDocument | null, kind: SpecSourceKind): { code: ReasonCode; when: string }[] {
  if (!doc) return [];
  const q = doc.qualification;
  const codes: ReasonCode[] = ["REQUIRED_FIELD_MISSING"];
  if (q.spam?.rejectInvalidPhone !== false) codes.push("INVALID_PHONE");
  if (kind === "form" && q.spam?.honeypot !== false) codes.push("HONEYPOT_FILLED");
  if (q.serviceArea) codes.push("OUT_OF_SERVICE_AREA");
  if (q.businessHours) codes.push("OUTSIDE_BUSINESS_HOURS");
  if (q.duplicate) codes.push("DUPLICATE");
  if (q.blocked?.phones.length) codes.push("BLOCKED_PHONE");
  if (q.blocked?.emails.length) codes.push("BLOCKED_EMAIL");
  if (q.blocked?.emailDomains.length) codes.push("BLOCKED_EMAIL_DOMAIN");
  if (q.custom.length) codes.push("CUSTOM_RULE_FAILED");
  if (doc.pricing.monthlyCap) codes.push("MONTHLY_CAP_REACHED");
  return codes.map((code) => ({ code, when: REASON_WHEN[code] ?? code }));
}

/** Single-quoted for a POSIX shell. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function buildPostingSpec(input: {
  source: SpecSource;
  version: { version: number; effectiveFrom: Date; document: ContractDocument } | null;
  publicUrl: string;
  acceptance: { qualified: number; judged: number };
}): PostingSpec {
  const { source } = input;
  const base = input.publicUrl.replace(/\/+$/, "");
  const q = input.version?.document.qualification ?? null;
  const body = sampleBody(q, source.kind, source.fieldMapping);
  const json = JSON.stringify(body);
  let endpoint: PostingSpec["endpoint"];
  let curl: string;
  let testing: string | null;
  if (source.kind === "form") {
    const url = `${base}/api/forms/${source.publicKey ?? ""}`;
    endpoint = { method: "POST", url, contentTypes: ["application/json", "application/x-www-form-urlencoded"], auth: "None: the form's public key is in the URL. Browsers may post only from the form's allowed origins." };
    const testUrl = source.testPublicKey ? `${base}/api/forms/${source.testPublicKey}` : null;
    testing = testUrl
      ? `Send test leads to ${testUrl} (the form's test key): they are judged like real leads and answered with "test": true, but never billed, alerted or counted, and deleted after 7 days.`
      : null;
    curl = `curl -s ${testUrl ?? url} -H 'Content-Type: application/json' -H 'Accept: application/json' \\\n  -d ${shellQuote(json)}`;
  } else {
    const url = `${base}/api/v1/leads`;
    endpoint = { method: "POST", url, contentTypes: ["application/json"], auth: "Authorization: Bearer <API key>. Optional Idempotency-Key header: a retry with the same key returns the first answer." };
    testing =
      source.mode === "test"
        ? `This is a test key (${source.prefix ?? "ll_test_"}…): every lead it sends is a test lead, judged like a real one and answered with "test": true, never billed, alerted or counted, and deleted after 7 days.`
        : `Ask the agency for a test key (ll_test_…) to try your integration: its leads are judged like real ones and answered with "test": true, never billed, alerted or counted.`;
    curl = `curl -s ${url} -H "Authorization: Bearer $LEADLEDGER_API_KEY" -H 'Content-Type: application/json' \\\n  -H 'Idempotency-Key: order-123' -d ${shellQuote(json)}`;
  }
  const lead = "3f0c1a52-7d7e-4c49-9a51-2b8e6f0d1c11";
  const test = source.kind === "api" ? source.mode === "test" : false;
  const mark = test ? { test: true } : {};
  const answers: SpecAnswer[] = [
    { status: "qualified", when: "the lead meets every rule (201)", example: { leadId: lead, status: "qualified", billable: !test, reasons: [], ...mark } },
    {
      status: "rejected",
      when: "a rule failed; each reason says which and why (201: the lead is stored and judged, not refused)",
      example: {
        leadId: lead,
        status: "rejected",
        billable: false,
        reasons: [{ code: "OUT_OF_SERVICE_AREA", rule: "qualification.serviceArea", message: "ZIP 94105 is outside the service area", observed: "94105", expected: "…", effect: "reject" }],
        ...mark,
      },
    },
    { status: "received", when: "the client has no contract in force yet: the lead is kept and judged later (201)", example: { leadId: lead, status: "received", billable: false, reasons: [], ...mark } },
    {
      status: "error",
      when: "the request itself is wrong (4xx, nothing stored): 401 bad key, 404 unknown form, 415 wrong Content-Type, 422 a body that is not a flat object of fields, 429 too many requests",
      example: { error: { code: "VALIDATION_FAILED", message: "The input is not valid.", issues: [{ path: ["name"], message: "must be a string, number or boolean" }] } },
    },
  ];
  const { qualified, judged } = input.acceptance;
  return {
    kind: source.kind,
    name: source.name,
    clientName: source.clientName,
    endpoint,
    testing,
    contractVersion: input.version ? { version: input.version.version, effectiveFrom: input.version.effectiveFrom } : null,
    fields: specFields(q, source.kind, source.fieldMapping),
    rules: q ? describeQualification(q, { sources: [source.kind] }) : [],
    reasons: possibleReasons(input.version?.document ?? null, source.kind),
    sampleBody: body,
    sampleCurl: curl,
    answers,
    acceptance: { days: ACCEPTANCE_DAYS, qualified, judged, rateBps: judged > 0 ? Math.round((qualified * 10_000) / judged) : null },
  };
}
