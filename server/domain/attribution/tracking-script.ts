import { nextTouches, readTouchParams, SNIPPET_FIELD } from "./attribution";

/**
 * The tracking snippet served as GET /t.js (docs/decisions/022-attribution.md): small, no
 * dependencies, the same bytes for every site (cacheable). On a landing page it
 * - keeps the first and last touch (nextTouches) and a random visitor session id in a first-party
 *   cookie `ll_attr` that lives `data-cookie-days` days (default 90);
 * - puts them in a hidden `ll_attribution` field of every LeadLedger form on the page (forms
 *   posting to /api/forms/…), and adds them to a `fetch` post to such a URL;
 * - with `data-pool="<pool key>"`, asks POST /api/dni/<key> for this session's number (text/plain,
 *   no cookies, so no CORS preflight) and shows it in every element marked `data-ll-phone`
 *   (a link's tel: too), asking again before the reservation ends while the page is open.
 * The touch rules are the server's own functions, embedded as their source.
 */
// eslint-disable-next-line max-lines-per-function -- the browser script as one template, read top to bottom
export function trackingScript(): string {
  return `/* LeadLedger attribution snippet */
(function () {
  "use strict";
  var w = window, d = document;
  if (!w.URLSearchParams || (w.LeadLedger && w.LeadLedger.loaded)) return;
  var me = d.currentScript || (function () { var s = d.querySelectorAll('script[src*="/t.js"]'); return s[s.length - 1]; })();
  var base = "";
  try { base = new URL(me.src, w.location.href).origin; } catch (e) { base = ""; }
  var days = Math.max(1, Math.min(395, Number(me && me.getAttribute("data-cookie-days")) || 90));
  var pool = me && me.getAttribute("data-pool");
  var FIELD = ${JSON.stringify(SNIPPET_FIELD)};
  var readTouchParams = (${readTouchParams.toString()});
  var nextTouches = (${nextTouches.toString()});
  function readCookie() {
    var m = /(?:^|;\\s*)ll_attr=([^;]*)/.exec(d.cookie || "");
    if (!m) return null;
    try {
      var v = JSON.parse(decodeURIComponent(m[1]));
      return v && typeof v.s === "string" && v.f && v.l ? v : null;
    } catch (e) { return null; }
  }
  function newSession() {
    var a = new Uint8Array(16), out = "";
    (w.crypto || {}).getRandomValues ? w.crypto.getRandomValues(a) : a.forEach(function (_, i) { a[i] = Math.floor(Math.random() * 256); });
    for (var i = 0; i < a.length; i++) out += (a[i] < 16 ? "0" : "") + a[i].toString(16);
    return out;
  }
  var stored = readCookie();
  var t = nextTouches(stored ? { first: stored.f, last: stored.l } : null, {
    at: new Date().toISOString(), params: readTouchParams(w.location.search), url: w.location.href, referrer: d.referrer || null, ownHost: w.location.hostname
  });
  var state = { s: stored ? stored.s : newSession(), f: t.first, l: t.last };
  d.cookie = "ll_attr=" + encodeURIComponent(JSON.stringify(state)) + "; Max-Age=" + days * 86400 + "; Path=/; SameSite=Lax" + (w.location.protocol === "https:" ? "; Secure" : "");
  function data() { return { session: state.s, first: state.f, last: state.l }; }
  function text() {
    var s = JSON.stringify(data());
    return s.length <= 15000 ? s : JSON.stringify({ session: state.s, last: { at: state.l.at, params: state.l.params } });
  }
  function ours(url) { return typeof url === "string" && url.indexOf("/api/forms/") !== -1; }
  function fill(form) {
    if (!form || !ours(form.getAttribute("action") || "")) return;
    var i = form.querySelector('input[name="' + FIELD + '"]');
    if (!i) { i = d.createElement("input"); i.type = "hidden"; i.name = FIELD; form.appendChild(i); }
    i.value = text();
  }
  function fillAll() { var f = d.forms; for (var i = 0; i < f.length; i++) fill(f[i]); }
  d.addEventListener("submit", function (e) { fill(e.target); }, true);
  var fetch0 = w.fetch;
  if (fetch0) {
    w.fetch = function (input, init) {
      try {
        var url = typeof input === "string" ? input : input && input.url;
        if (ours(url) && init && init.body) {
          var b = init.body;
          if (typeof b === "string") {
            var o = JSON.parse(b);
            if (o && typeof o === "object" && !Array.isArray(o) && !(FIELD in o) && !("attribution" in o)) { o[FIELD] = text(); init = Object.assign({}, init, { body: JSON.stringify(o) }); }
          } else if (typeof b.append === "function" && typeof b.has === "function" && !b.has(FIELD)) b.append(FIELD, text());
        }
      } catch (e) { /* a body we cannot read is sent as it is */ }
      return fetch0.call(this, input, init);
    };
  }
  var answer = null, timer = null;
  function show() {
    if (!answer) return;
    var els = d.querySelectorAll("[data-ll-phone]");
    for (var i = 0; i < els.length; i++) {
      els[i].textContent = answer.display;
      if (els[i].tagName === "A") els[i].setAttribute("href", "tel:" + answer.number);
    }
  }
  function ask() {
    if (!fetch0 || !pool || !base) return;
    if (d.hidden) { d.addEventListener("visibilitychange", function again() { d.removeEventListener("visibilitychange", again); ask(); }); return; }
    fetch0.call(w, base + "/api/dni/" + encodeURIComponent(pool), { method: "POST", headers: { "Content-Type": "text/plain" }, body: text(), credentials: "omit", mode: "cors" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (a) {
        if (!a || !a.number) return;
        answer = a; show();
        if (a.expiresIn) { clearTimeout(timer); timer = setTimeout(ask, Math.max(30, a.expiresIn / 2) * 1000); }
      })
      .catch(function () { /* the page keeps the number it shows */ });
  }
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", function () { fillAll(); show(); });
  else fillAll();
  ask();
  w.LeadLedger = { loaded: true, session: state.s, attribution: data };
})();
`;
}
