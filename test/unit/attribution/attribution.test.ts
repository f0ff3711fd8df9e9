import vm from "node:vm";
import { attributionFromSubmission, callAttribution, nextTouches, readTouchParams, withoutAttributionFields, type Touches } from "../../../server/domain/attribution/attribution";
import { describeAttribution, sourceLabel } from "../../../server/domain/attribution/describe";
import { trackingScript } from "../../../server/domain/attribution/tracking-script";

const at = new Date("2026-12-02T15:00:00Z");

describe("reading campaign parameters from a URL", () => {
  it("keeps utm values and click ids, and unknown utm_* and …clid names, trimmed", () => {
    expect(readTouchParams("?utm_source=google&utm_term=roof+repair&gclid=TEST123&utm_matchtype=e&dclid=D1&page=2&q=x")).toEqual({
      utm_source: "google",
      utm_term: "roof repair",
      gclid: "TEST123",
      utm_matchtype: "e",
      dclid: "D1",
    });
  });

  it("caps every value at 500 characters and ignores empty ones and repeats", () => {
    const p = readTouchParams(`utm_campaign=${"x".repeat(900)}&utm_source=&gclid=A&gclid=B&UTM_Medium=CPC`);
    expect(p.utm_campaign).toHaveLength(500);
    expect(p).not.toHaveProperty("utm_source");
    expect(p.gclid).toBe("A");
    expect(p.utm_medium).toBe("CPC");
  });

  it("keeps at most 40 names", () => {
    const q = Array.from({ length: 60 }, (_, i) => `utm_x${i}=v`).join("&");
    expect(Object.keys(readTouchParams(q))).toHaveLength(40);
  });
});

describe("first and last touch", () => {
  const visit = (url: string, referrer: string | null, when: string) => ({ at: when, params: readTouchParams(new URL(url).search), url, referrer, ownHost: "roofs.example" });

  it("makes the first arrival both first and last touch", () => {
    const t = nextTouches(null, visit("https://roofs.example/roof-repair?utm_source=google&gclid=G1", "https://www.google.com/", "2026-11-28T10:00:00Z"));
    expect(t.first).toBe(t.last);
    expect(t.first).toMatchObject({ params: { utm_source: "google", gclid: "G1" }, landingPage: "https://roofs.example/roof-repair?utm_source=google&gclid=G1", referrer: "https://www.google.com/" });
  });

  it("does not count moving between the site's own pages as a touch", () => {
    const first = nextTouches(null, visit("https://roofs.example/?utm_source=google", null, "2026-11-28T10:00:00Z"));
    const after = nextTouches(first, visit("https://roofs.example/contact", "https://roofs.example/", "2026-11-28T10:05:00Z"));
    expect(after).toBe(first);
  });

  it("keeps the first touch and replaces the last on a new campaign arrival or a link from another site", () => {
    const first = nextTouches(null, visit("https://roofs.example/?utm_source=facebook", null, "2026-11-28T10:00:00Z"));
    const second = nextTouches(first, visit("https://roofs.example/roof-repair?utm_source=google&utm_term=roof+repair", null, "2026-12-02T09:00:00Z"));
    expect(second.first.params).toEqual({ utm_source: "facebook" });
    expect(second.last.params).toEqual({ utm_source: "google", utm_term: "roof repair" });
    const third = nextTouches(second, visit("https://roofs.example/", "https://news.example/article", "2026-12-03T09:00:00Z"));
    expect(third.first.params).toEqual({ utm_source: "facebook" });
    expect(third.last).toMatchObject({ params: {}, referrer: "https://news.example/article" });
  });
});

describe("a submission's attribution", () => {
  const touches: Touches = {
    first: { at: "2026-11-28T10:00:00.000Z", params: { utm_source: "facebook" }, landingPage: "https://roofs.example/", referrer: null },
    last: { at: "2026-12-02T09:00:00.000Z", params: { utm_source: "google", utm_term: "roof repair", gclid: "TEST123", utm_matchtype: "e" }, landingPage: "https://roofs.example/roof-repair", referrer: "https://www.google.com/" },
  };

  it("takes first and last touch and the session from the snippet's hidden field", () => {
    const a = attributionFromSubmission({ explicit: JSON.stringify({ session: "abcdef123456", first: touches.first, last: touches.last }), payload: {}, pageUrl: null, at });
    expect(a).toMatchObject({
      utmSource: "google",
      utmTerm: "roof repair",
      gclid: "TEST123",
      landingPage: "https://roofs.example/roof-repair",
      referrer: "https://www.google.com/",
      sessionId: "abcdef123456",
      extra: { utm_matchtype: "e" },
      firstTouch: { at: "2026-11-28T10:00:00.000Z", params: { utm_source: "facebook" } },
    });
  });

  it("reads the vendor's attribution object with flat names", () => {
    const a = attributionFromSubmission({ explicit: { utm_source: "bing", msclkid: "M1", landing_page: "https://x.example/a", first_touch_at: "2026-11-20T00:00:00Z" }, payload: {}, pageUrl: null, at });
    expect(a).toMatchObject({ utmSource: "bing", msclkid: "M1", landingPage: "https://x.example/a", firstTouch: { at: "2026-11-20T00:00:00.000Z" }, lastTouch: { at: at.toISOString() } });
  });

  it("falls back to utm values posted as fields, then to the page URL's parameters", () => {
    expect(attributionFromSubmission({ explicit: null, payload: { utm_source: "yelp", name: "A" }, pageUrl: "https://roofs.example/?utm_source=google", at })).toMatchObject({ utmSource: "yelp", landingPage: "https://roofs.example/?utm_source=google" });
    expect(attributionFromSubmission({ explicit: null, payload: {}, pageUrl: "https://roofs.example/p?utm_campaign=spring&wbraid=W1", at })).toMatchObject({ utmCampaign: "spring", wbraid: "W1" });
  });

  it("is null when nothing is known, and survives a broken hidden field", () => {
    expect(attributionFromSubmission({ explicit: null, payload: { name: "A" }, pageUrl: null, at })).toBeNull();
    expect(attributionFromSubmission({ explicit: "{not json", payload: {}, pageUrl: "https://roofs.example/", at })).toMatchObject({ landingPage: "https://roofs.example/" });
  });

  it("caps stored URLs and values and keeps the extra bag small", () => {
    const params: Record<string, string> = { utm_source: "s".repeat(800) };
    for (let i = 0; i < 30; i++) params[`utm_x${i}`] = "v";
    const a = attributionFromSubmission({ explicit: { last: { params, landingPage: `https://a.example/${"p".repeat(3000)}` } }, payload: {}, pageUrl: null, at })!;
    expect(a.utmSource).toHaveLength(500);
    expect(a.landingPage).toHaveLength(2000);
    expect(Object.keys(a.extra)).toHaveLength(20);
  });

  it("separates the attribution fields from the lead's own fields", () => {
    expect(withoutAttributionFields({ name: "A", ll_attribution: "{}", attribution: { utm_source: "g" } })).toEqual({ rest: { name: "A" }, explicit: { utm_source: "g" } });
    const plain = { name: "A" };
    expect(withoutAttributionFields(plain).rest).toBe(plain);
  });
});

describe("calls and words", () => {
  it("attributes a call to the session holding the number, or to the campaign only", () => {
    const held = callAttribution({ kind: "session", session: { sessionId: "s1234567", first: null, last: { at: "2026-12-02T09:00:00.000Z", params: { utm_term: "emergency roof repair", gclid: "G" }, landingPage: "https://r.example/roof-repair", referrer: null } } });
    expect(held).toMatchObject({ utmTerm: "emergency roof repair", gclid: "G", sessionId: "s1234567", callMatch: "session" });
    expect(callAttribution({ kind: "expired" })).toMatchObject({ callMatch: "expired", utmTerm: null, firstTouch: null });
    expect(callAttribution(null)).toBeNull();
  });

  it("says where a lead came from in plain words, dates in the client's zone", () => {
    const a = attributionFromSubmission({
      explicit: {
        first: { at: "2026-11-28T15:00:00Z", params: { utm_source: "google" }, landingPage: "https://r.example/roof-repair?gclid=G" },
        last: { at: "2026-12-02T14:00:00Z", params: { utm_source: "google", utm_medium: "cpc", utm_campaign: "roof-repair-nyc", utm_term: "emergency roof repair", gclid: "G" }, landingPage: "https://r.example/roof-repair?gclid=G" },
      },
      payload: {},
      pageUrl: null,
      at,
    })!;
    expect(describeAttribution(a, { timezone: "America/New_York", receivedAt: at })).toBe(
      "Google Ads · campaign roof-repair-nyc · keyword 'emergency roof repair' · landed on /roof-repair · first visit Nov 28, converted Dec 2",
    );
    expect(sourceLabel({ gclid: null, gbraid: null, wbraid: null, msclkid: null, fbclid: null, ttclid: null, utmSource: null, utmMedium: null, referrer: "https://www.yelp.com/biz/x" })).toBe("from yelp.com");
  });
});

describe("the tracking snippet", () => {
  it("runs on its own in a page: keeps touches in a cookie and fills the LeadLedger form's hidden field", () => {
    const appended: { name: string; value: string }[] = [];
    const form = {
      getAttribute: (n: string) => (n === "action" ? "https://leads.example/api/forms/pk_1" : null),
      querySelector: () => null,
      appendChild: (i: { name: string; value: string }) => appended.push(i),
    };
    let cookie = "";
    const document = {
      currentScript: { src: "https://leads.example/t.js", getAttribute: (n: string) => (n === "data-cookie-days" ? "30" : null) },
      referrer: "https://www.google.com/",
      readyState: "complete",
      hidden: false,
      forms: [form],
      get cookie() { return cookie; },
      set cookie(v: string) { cookie = v; },
      addEventListener: () => undefined,
      querySelectorAll: () => [],
      createElement: () => ({ type: "", name: "", value: "" }),
    };
    const window: Record<string, unknown> = { location: { href: "https://roofs.example/?utm_source=google&gclid=TEST123", search: "?utm_source=google&gclid=TEST123", hostname: "roofs.example", protocol: "https:" }, URLSearchParams, crypto: globalThis.crypto };
    vm.runInNewContext(trackingScript(), { window, document, URL, URLSearchParams, JSON, Math, Number, Date, Object, Array, Uint8Array, encodeURIComponent, decodeURIComponent, setTimeout, clearTimeout });
    expect(cookie).toMatch(/^ll_attr=.+; Max-Age=2592000; Path=\/; SameSite=Lax; Secure$/);
    const hidden = JSON.parse(appended[0]!.value) as { session: string; first: { params: Record<string, string> }; last: { referrer: string } };
    expect(appended[0]!.name).toBe("ll_attribution");
    expect(hidden.session).toMatch(/^[0-9a-f]{32}$/);
    expect(hidden.first.params).toEqual({ utm_source: "google", gclid: "TEST123" });
    expect(hidden.last.referrer).toBe("https://www.google.com/");
  });

  it("is small and names no outside code", () => {
    const js = trackingScript();
    expect(js.length).toBeLessThan(12_000);
    expect(js).not.toMatch(/require\(|import |__name|_object_spread/);
  });
});
