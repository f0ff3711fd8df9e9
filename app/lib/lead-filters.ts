/** The inbox's attribution filters: query parameter → leads.list input field (exact value, any case). */
export const ATTRIBUTION_FILTERS = [
  { param: "utm_source", field: "utmSource", label: "Ad source", placeholder: "google" },
  { param: "utm_medium", field: "utmMedium", label: "Medium", placeholder: "cpc" },
  { param: "utm_campaign", field: "utmCampaign", label: "Ad campaign", placeholder: "roof-repair-nyc" },
  { param: "keyword", field: "utmTerm", label: "Keyword", placeholder: "roof repair" },
] as const;

/** Turns the leads page's query string into the leads.list input (unknown values are dropped). */
export function leadFilterInput(url: URL) {
  const p = url.searchParams;
  const pick = <T extends string>(name: string, allowed: readonly T[]) => {
    const v = p.get(name);
    return v && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
  };
  const uuid = (name: string) => {
    const v = p.get(name);
    return v && /^[0-9a-f-]{36}$/i.test(v) ? v : undefined;
  };
  return {
    q: p.get("q")?.slice(0, 100) || undefined,
    status: pick("status", ["received", "qualified", "rejected"] as const),
    source: pick("source", ["form", "api", "call"] as const),
    quality: pick("quality", ["good", "fair", "poor"] as const),
    campaignId: uuid("campaignId"),
    clientId: uuid("clientId"),
    cursor: p.get("cursor")?.slice(0, 200) || undefined,
    /** ?test=1: the test leads list (test API keys and form test keys); otherwise real leads only. */
    test: p.get("test") === "1",
    limit: 25,
    ...Object.fromEntries(ATTRIBUTION_FILTERS.map((f) => [f.field, p.get(f.param)?.trim().slice(0, 200) || undefined])),
  };
}
