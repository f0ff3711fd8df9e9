import type { RouterInputs } from "./api";

/** The inbox's attribution filter controls (their parsing is in LEAD_FILTERS below): exact value, any case. */
export const ATTRIBUTION_FILTERS = [
  { param: "utm_source", field: "utmSource", label: "Ad source", placeholder: "google" },
  { param: "utm_medium", field: "utmMedium", label: "Medium", placeholder: "cpc" },
  { param: "utm_campaign", field: "utmCampaign", label: "Ad campaign", placeholder: "roof-repair-nyc" },
  { param: "keyword", field: "utmTerm", label: "Keyword", placeholder: "roof repair" },
] as const;

/**
 * The leads inbox's filters: one table of URL parameters, each with the leads.list input field it
 * fills and how its value is read (unknown or malformed values are dropped, never an error page).
 * To add a filter, add a row here, a field to listLeadsInput (server/domain/leads/read-leads.ts) and
 * a control to LeadFilters (app/components/leads.tsx); the page, the CSV export and "Clear" follow.
 */

type Read = (v: string) => string | boolean | undefined;

const oneOf =
  (...allowed: string[]): Read =>
  (v) =>
    allowed.includes(v) ? v : undefined;
const uuid: Read = (v) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? v : undefined);
const text =
  (max: number): Read =>
  (v) =>
    v.trim().slice(0, max) || undefined;
/** A calendar day "2026-12-01" that exists. */
const day: Read = (v) => {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(v) ? v : undefined;
};
const yesNo: Read = (v) => (v === "yes" ? true : v === "no" ? false : undefined);

/** URL parameter → leads.list field. */
export const LEAD_FILTERS = [
  { param: "q", field: "q", read: text(100) },
  { param: "status", field: "status", read: oneOf("received", "qualified", "rejected") },
  { param: "outcome", field: "outcome", read: oneOf("won", "lost", "none") },
  { param: "disputed", field: "disputed", read: yesNo },
  { param: "source", field: "source", read: oneOf("form", "api", "call") },
  { param: "campaignId", field: "campaignId", read: uuid },
  { param: "clientId", field: "clientId", read: uuid },
  { param: "from", field: "fromDate", read: day },
  { param: "to", field: "toDate", read: day },
  { param: "quality", field: "quality", read: oneOf("good", "fair", "poor") },
  { param: "utm_source", field: "utmSource", read: text(200) },
  { param: "utm_medium", field: "utmMedium", read: text(200) },
  { param: "utm_campaign", field: "utmCampaign", read: text(200) },
  { param: "keyword", field: "utmTerm", read: text(200) },
] as const;

export type LeadFilterField = (typeof LEAD_FILTERS)[number]["field"];

/** The filters found in the query string, as leads.list fields (no paging). */
export function leadFilters(url: URL): LeadListFilters {
  const out: Partial<Record<LeadFilterField, string | boolean>> & { test: boolean } = { test: url.searchParams.get("test") === "1" };
  for (const f of LEAD_FILTERS) {
    const raw = url.searchParams.get(f.param);
    const v = raw === null ? undefined : f.read(raw);
    if (v !== undefined) out[f.field] = v;
  }
  // Each reader only lets through a value its field accepts.
  return out as LeadListFilters;
}

/** Turns the leads page's query string into the leads.list input (unknown values are dropped). */
export function leadFilterInput(url: URL) {
  return {
    ...leadFilters(url),
    cursor: url.searchParams.get("cursor")?.slice(0, 200) || undefined,
    limit: 25,
  };
}

/** Whether any filter is set (for "No leads match these filters" and "Clear"). */
export function isFiltered(params: URLSearchParams): boolean {
  return LEAD_FILTERS.some((f) => params.has(f.param) && params.get(f.param) !== "");
}

/** The same filters without the page position, e.g. for the CSV export link. */
export function filterQuery(params: URLSearchParams): string {
  const q = new URLSearchParams();
  for (const f of LEAD_FILTERS) {
    const v = params.get(f.param);
    if (v) q.set(f.param, v);
  }
  if (params.get("test") === "1") q.set("test", "1");
  const s = q.toString();
  return s ? `?${s}` : "";
}

type LeadListFilters = Omit<RouterInputs["leads"]["list"], "cursor" | "limit"> & { test: boolean };
