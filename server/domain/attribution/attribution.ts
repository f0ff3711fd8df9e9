/**
 * Where a lead came from (docs/decisions/022-attribution.md). Pure: which URL parameters count,
 * how long a stored value may be, and the first-touch / last-touch rules.
 *
 * A *touch* is one arrival on the client's site that says where the visitor came from: a URL with
 * campaign parameters (utm_* or a click id), or a link from another site. The first touch is kept
 * for the cookie's lifetime; each later touch replaces the last touch; moving between the site's
 * own pages is no touch. The lead's flat columns are its last touch (what converted).
 *
 * `readTouchParams` and `nextTouches` also run in the visitor's browser: /t.js embeds their source
 * (server/domain/attribution/tracking-script.ts), so they reference nothing outside themselves.
 */

export const UTM_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
export const CLICK_ID_KEYS = ["gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid"] as const;
export type UtmKey = (typeof UTM_KEYS)[number];
export type ClickIdKey = (typeof CLICK_ID_KEYS)[number];

/** Longest stored parameter value, URL (landing page, referrer), and how many unknown parameters are kept. */
export const VALUE_MAX = 500;
export const URL_MAX = 2000;
export const EXTRA_MAX_KEYS = 20;

/** The campaign parameters of one touch: utm_*, click ids and unknown utm_* / *clid keys, each capped. */
export type TouchParams = Record<string, string>;

export interface Touch {
  /** ISO instant of the arrival. */
  at: string;
  params: TouchParams;
  landingPage: string | null;
  referrer: string | null;
}

export interface Touches {
  first: Touch;
  last: Touch;
}

/**
 * The campaign parameters in a query string ("?utm_source=google&gclid=…"): the known names, plus any
 * other `utm_*` or `…clid` name (kept in the extra bag), values trimmed and capped; at most 40 names.
 */
export function readTouchParams(search: string): TouchParams {
  const out: TouchParams = {};
  let n = 0;
  const q = new URLSearchParams(search.charAt(0) === "?" ? search.slice(1) : search);
  q.forEach(function (value, rawKey) {
    const key = rawKey.trim().toLowerCase();
    if (n >= 40 || key.length > 64 || Object.prototype.hasOwnProperty.call(out, key)) return;
    if (!/^(utm_[a-z0-9_]+|[a-z0-9_]*clid|msclkid|gbraid|wbraid)$/.test(key)) return;
    const v = value.trim().slice(0, 500);
    if (!v) return;
    out[key] = v;
    n++;
  });
  return out;
}

/**
 * The touches after a page view. `visit` is the page's campaign parameters, its URL and the
 * referrer; `ownHost` the site's host name. A new touch is an arrival with campaign parameters or
 * from another site; with no touches stored yet any arrival (even a direct one) is the first.
 */
export function nextTouches(stored: Touches | null, visit: { at: string; params: TouchParams; url: string; referrer: string | null; ownHost: string }): Touches {
  let external = false;
  if (visit.referrer) {
    try {
      external = new URL(visit.referrer).hostname !== visit.ownHost;
    } catch {
      external = false;
    }
  }
  const hasParams = Object.keys(visit.params).length > 0;
  const touch: Touch = {
    at: visit.at,
    params: visit.params,
    landingPage: visit.url.slice(0, 2000),
    referrer: external && visit.referrer ? visit.referrer.slice(0, 2000) : null,
  };
  if (!stored) return { first: touch, last: touch };
  if (!hasParams && !external) return stored;
  return { first: stored.first, last: touch };
}

/** What is stored with a lead (lead_attributions): the last touch flat, the first touch whole. */
export interface LeadAttribution {
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  gclid: string | null;
  gbraid: string | null;
  wbraid: string | null;
  fbclid: string | null;
  msclkid: string | null;
  ttclid: string | null;
  landingPage: string | null;
  referrer: string | null;
  firstTouch: Touch | null;
  lastTouch: Touch | null;
  sessionId: string | null;
  /** Unknown utm_* and click parameters of the last touch. */
  extra: Record<string, string>;
  /** Calls only: 'session' (a pool number held by a visitor), 'expired' (the reservation had ended: campaign only). */
  callMatch: "session" | "expired" | null;
}

const COLUMN_OF: Record<UtmKey | ClickIdKey, keyof LeadAttribution> = {
  utm_source: "utmSource",
  utm_medium: "utmMedium",
  utm_campaign: "utmCampaign",
  utm_term: "utmTerm",
  utm_content: "utmContent",
  gclid: "gclid",
  gbraid: "gbraid",
  wbraid: "wbraid",
  fbclid: "fbclid",
  msclkid: "msclkid",
  ttclid: "ttclid",
};

function capped(v: unknown, max: number): string | null {
  if (typeof v !== "string" && typeof v !== "number") return null;
  const s = String(v).trim().slice(0, max);
  return s ? s : null;
}

/** A touch from untrusted JSON (the snippet's hidden field, the vendor API, a DNI request), or null. */
export function cleanTouch(raw: unknown, fallbackAt: string): Touch | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const paramsIn = o.params && typeof o.params === "object" && !Array.isArray(o.params) ? (o.params as Record<string, unknown>) : o;
  const params: TouchParams = {};
  let n = 0;
  for (const [k, v] of Object.entries(paramsIn)) {
    const key = k.trim().toLowerCase();
    if (n >= 40 || key.length > 64 || !/^(utm_[a-z0-9_]+|[a-z0-9_]*clid|msclkid|gbraid|wbraid)$/.test(key)) continue;
    const value = capped(v, VALUE_MAX);
    if (value) {
      params[key] = value;
      n++;
    }
  }
  const at = typeof o.at === "string" && !Number.isNaN(Date.parse(o.at)) ? new Date(o.at).toISOString() : fallbackAt;
  return {
    at,
    params,
    landingPage: capped(o.landingPage ?? o.landing_page, URL_MAX),
    referrer: capped(o.referrer, URL_MAX),
  };
}

/** The stored attribution of a lead whose last touch is `last` (and first `first`, default the same). */
export function attributionOf(touches: { first: Touch | null; last: Touch }, extras: { sessionId?: string | null; callMatch?: LeadAttribution["callMatch"] } = {}): LeadAttribution {
  const a: LeadAttribution = {
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    gclid: null,
    gbraid: null,
    wbraid: null,
    fbclid: null,
    msclkid: null,
    ttclid: null,
    landingPage: touches.last.landingPage,
    referrer: touches.last.referrer,
    firstTouch: touches.first ?? touches.last,
    lastTouch: touches.last,
    sessionId: capped(extras.sessionId, 100),
    extra: {},
    callMatch: extras.callMatch ?? null,
  };
  for (const [k, v] of Object.entries(touches.last.params)) {
    const column = COLUMN_OF[k as UtmKey | ClickIdKey];
    if (column) (a as unknown as Record<string, string>)[column] = v;
    else if (Object.keys(a.extra).length < EXTRA_MAX_KEYS) a.extra[k] = v;
  }
  return a;
}

/** Names a form post or vendor body may carry besides the lead's own fields (kept out of `fields`). */
export const SNIPPET_FIELD = "ll_attribution";

export interface SubmissionContext {
  /** The `attribution` object of a vendor post, or the snippet's hidden field (JSON text). */
  explicit: unknown;
  /** The posted fields (utm_* and click ids posted as plain fields count too). */
  payload: Record<string, unknown>;
  /** The page the form was on: a `page_url` field, else the Referer header. */
  pageUrl: string | null;
  at: Date;
}

function snippetValue(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
}

/**
 * The attribution of a form post or vendor lead, from the best source present:
 * 1. the snippet's hidden field or the vendor's `attribution` object (first and last touch, session);
 * 2. utm_* / click ids posted as plain fields;
 * 3. the campaign parameters in the page's URL (a form posted without the snippet: its Referer).
 * Null when none of them says anything (no row is written).
 */
export function attributionFromSubmission(ctx: SubmissionContext): LeadAttribution | null {
  const at = ctx.at.toISOString();
  const explicit = snippetValue(ctx.explicit);
  if (explicit && typeof explicit === "object" && !Array.isArray(explicit)) {
    const o = explicit as Record<string, unknown>;
    // The snippet's shape { session, first, last }; the vendor's flat names with optional first_touch.
    const lastRaw = o.last ?? o.last_touch ?? o;
    const last = cleanTouch(lastRaw, typeof o.last_touch_at === "string" ? o.last_touch_at : at);
    let first = cleanTouch(o.first ?? o.first_touch, typeof o.first_touch_at === "string" ? o.first_touch_at : (last?.at ?? at));
    // A vendor that knows only when the visitor first came: the last touch's values at that time.
    if (!first && last && typeof o.first_touch_at === "string" && !Number.isNaN(Date.parse(o.first_touch_at))) first = { ...last, at: new Date(o.first_touch_at).toISOString() };
    if (last && (Object.keys(last.params).length > 0 || last.landingPage || last.referrer || first)) {
      return attributionOf({ first, last }, { sessionId: capped(o.session ?? o.session_id, 100) });
    }
  }
  const posted = cleanTouch(ctx.payload, at);
  const pageUrl = capped(ctx.pageUrl, URL_MAX);
  let fromUrl: TouchParams = {};
  if (pageUrl) {
    try {
      fromUrl = readTouchParams(new URL(pageUrl).search);
    } catch {
      fromUrl = {};
    }
  }
  const params = posted && Object.keys(posted.params).length > 0 ? posted.params : fromUrl;
  if (Object.keys(params).length === 0 && !pageUrl) return null;
  return attributionOf({ first: null, last: { at, params, landingPage: pageUrl, referrer: null } });
}

/** The payload without the snippet's hidden field and the vendor's `attribution` object (they are not lead fields). */
export function withoutAttributionFields(payload: Record<string, unknown>): { rest: Record<string, unknown>; explicit: unknown } {
  if (!(SNIPPET_FIELD in payload) && !("attribution" in payload)) return { rest: payload, explicit: null };
  const { [SNIPPET_FIELD]: snippet, attribution, ...rest } = payload;
  return { rest, explicit: attribution ?? snippet ?? null };
}

/**
 * A call's attribution from the pool number it reached (CallTx.callSessionMatch): the holding
 * session's touches; the campaign only (`expired`) when no visitor held the number; none for a
 * number in no pool.
 */
export function callAttribution(match: { kind: "session"; session: { sessionId: string; first: Touch | null; last: Touch | null } } | { kind: "expired" } | null): LeadAttribution | null {
  if (!match) return null;
  const none = (extras: { sessionId?: string; callMatch: "session" | "expired" }): LeadAttribution => ({
    ...attributionOf({ first: null, last: { at: "", params: {}, landingPage: null, referrer: null } }, extras),
    firstTouch: null,
    lastTouch: null,
  });
  if (match.kind === "expired") return none({ callMatch: "expired" });
  const last = match.session.last ?? match.session.first;
  if (!last) return none({ sessionId: match.session.sessionId, callMatch: "session" });
  return attributionOf({ first: match.session.first, last }, { sessionId: match.session.sessionId, callMatch: "session" });
}
