import { PAYLOAD_VERSION } from "./events";
import type { FieldMapping } from "./inputs";

/**
 * The documented, versioned body of every webhook (README "Delivering leads to your CRM"):
 * `{ type, id, createdAt, version, data }`. `data` holds `lead` (lead.* events, and with a dispute),
 * `dispute` (dispute.*) or `invoice` (invoice.issued). Amounts are integer cents.
 */
export interface WebhookEnvelope {
  type: string;
  id: string;
  createdAt: string;
  version: string;
  data: Record<string, unknown>;
}

export interface LeadFacts {
  id: string;
  clientId: string;
  source: string;
  status: string;
  receivedAt: Date;
  name: string | null;
  phone: string | null;
  email: string | null;
  zip: string | null;
  city: string | null;
  state: string | null;
  fields: Record<string, unknown>;
  campaign: { id: string; name: string; channel: string | null; utmSource: string | null; utmMedium: string | null; utmCampaign: string | null } | null;
  verdict: { qualified?: boolean; reasons?: { code: string; rule?: string; message: string }[] } | null;
  contractVersionId: string | null;
  chargeCents: number | null;
  currency: string;
  outcome: { outcome: string; valueCents: number | null; at: Date | null } | null;
}

export interface DisputeFacts {
  id: string;
  leadId: string;
  reason: string;
  note: string | null;
  status: string;
  openedAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
  creditCents: number | null;
}

export interface InvoiceFacts {
  id: string;
  number: number;
  period: string;
  status: string;
  currency: string;
  subtotalCents: number;
  creditAppliedCents: number;
  totalCents: number;
  issuedAt: Date | null;
  lines: { description: string; quantity: number; unitAmountCents: number | null; amountCents: number }[];
}

export function splitName(name: string | null): { firstName: string | null; lastName: string | null } {
  const parts = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { firstName: null, lastName: null };
  return { firstName: parts[0]!, lastName: parts.length > 1 ? parts.slice(1).join(" ") : null };
}

export function leadData(l: LeadFacts, leadUrl: string): Record<string, unknown> {
  const c = l.campaign;
  const attribution = c && (c.channel || c.utmSource || c.utmMedium || c.utmCampaign) ? { channel: c.channel, utmSource: c.utmSource, utmMedium: c.utmMedium, utmCampaign: c.utmCampaign } : null;
  return {
    id: l.id,
    url: leadUrl,
    source: l.source,
    status: l.status,
    receivedAt: l.receivedAt.toISOString(),
    contact: { name: l.name, ...splitName(l.name), phone: l.phone, email: l.email, zip: l.zip, city: l.city, state: l.state },
    fields: l.fields,
    campaign: c ? { id: c.id, name: c.name } : null,
    attribution,
    verdict: {
      qualified: l.verdict?.qualified ?? l.status === "qualified",
      contractVersionId: l.contractVersionId,
      reasons: (l.verdict?.reasons ?? []).map((r) => ({ code: r.code, rule: r.rule ?? null, message: r.message })),
    },
    charge: l.chargeCents !== null ? { amountCents: l.chargeCents, currency: l.currency } : null,
    outcome: l.outcome ? { outcome: l.outcome.outcome, valueCents: l.outcome.valueCents, at: l.outcome.at?.toISOString() ?? null } : null,
  };
}

export function disputeData(d: DisputeFacts): Record<string, unknown> {
  return {
    id: d.id,
    leadId: d.leadId,
    reason: d.reason,
    note: d.note,
    status: d.status,
    openedAt: d.openedAt.toISOString(),
    resolvedAt: d.resolvedAt?.toISOString() ?? null,
    resolutionNote: d.resolutionNote,
    creditCents: d.creditCents,
  };
}

export function invoiceData(i: InvoiceFacts): Record<string, unknown> {
  return { ...i, issuedAt: i.issuedAt?.toISOString() ?? null };
}

export function envelope(type: string, eventId: string, createdAt: Date, data: Record<string, unknown>): WebhookEnvelope {
  return { type, id: eventId, createdAt: createdAt.toISOString(), version: PAYLOAD_VERSION, data };
}

const UNSAFE_KEYS = new Set(["__proto__", "prototype", "constructor"]);

function getPath(obj: unknown, path: string): { found: boolean; value: unknown } {
  let cur: unknown = obj;
  for (const k of path.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, k)) return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[k];
  }
  return { found: true, value: cur };
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  if (keys.some((k) => UNSAFE_KEYS.has(k))) return;
  let cur: Record<string, unknown> = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== "object" || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

function deletePath(obj: Record<string, unknown>, path: string): void {
  const keys = path.split(".");
  const parent = getPath(obj, keys.slice(0, -1).join("."));
  const holder = keys.length === 1 ? obj : parent.found ? parent.value : null;
  if (holder && typeof holder === "object") delete (holder as Record<string, unknown>)[keys[keys.length - 1]!];
}

/**
 * The body after an endpoint's field mapping: each `rename` moves a value (missing sources are
 * skipped), then `constants` are set. Without a mapping the envelope goes out unchanged.
 */
export function applyFieldMapping(body: WebhookEnvelope | Record<string, unknown>, mapping: FieldMapping | null): Record<string, unknown> {
  const out = structuredClone(body) as Record<string, unknown>;
  if (!mapping) return out;
  for (const { from, to } of mapping.rename) {
    const { found, value } = getPath(out, from);
    if (!found) continue;
    deletePath(out, from);
    setPath(out, to, value);
  }
  for (const [path, value] of Object.entries(mapping.constants)) setPath(out, path, value);
  return out;
}

/**
 * JSON with object keys in sorted order at every level: the body kept in the database (jsonb, which
 * reorders keys) serializes to the same bytes as the one first built, so every attempt is identical.
 */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object" && !(v instanceof Date)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sort(o[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(value));
}
