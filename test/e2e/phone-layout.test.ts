import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { browserAndServer, login, shot } from "./support";

const PASSWORD = "e2e-admin-password";

/**
 * What sticks out of a page at the current width: the document's own sideways scroll, and every
 * visible element whose box reaches past the viewport's right edge (inside a scroll box too: a
 * table that scrolls inside its card still hides its last columns on a phone).
 */
async function overflowAt(page: Page): Promise<{ scrollWidth: number; innerWidth: number; wide: string[] }> {
  return page.evaluate(() => {
    const w = window.innerWidth;
    const wide: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.position === "fixed") continue;
      // Skip links and visually hidden text are parked off screen on purpose.
      if (el.closest(".skip, .visually-hidden")) continue;
      if (r.right > w + 1) {
        const cls = typeof el.className === "string" && el.className.trim() ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
        wide.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(r.right)} "${(el.textContent ?? "").trim().slice(0, 30)}"`);
      }
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: w, wide: wide.slice(0, 6) };
  });
}

/** Visits each page and lists what does not fit (or does not load), so one run names every culprit. */
async function misfits(page: Page, base: string, paths: string[], expectStatus = 200): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const res = await page.goto(`${base}${p}`);
    if (res?.status() !== expectStatus) out.push(`${p}: status ${res?.status()}`);
    const o = await overflowAt(page);
    if (o.scrollWidth > o.innerWidth) out.push(`${p}: the page scrolls sideways (${o.scrollWidth} px)`);
    for (const w of o.wide) out.push(`${p}: ${w}`);
  }
  return out;
}

/** Every link of a kind on a page, e.g. the first lead of a list. */
async function firstHref(page: Page, url: string, pattern: RegExp): Promise<string | null> {
  await page.goto(url);
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.find((h) => pattern.test(h)) ?? null;
}

describe("every portal and console page on a phone (390 px) and the console's top bar on a laptop (1366 px)", () => {
  const ctx = browserAndServer({ LOG_LEVEL: "warn" });

  beforeAll(async () => {
    // Real leads for both demo clients through the vendor API, with the keys from the first start.
    const creds = fs.readFileSync(path.join(ctx.server.dataDir, "credentials.txt"), "utf8");
    const keys = [...creds.matchAll(/API key (ll_live_\S+)/g)].map((m) => m[1]!);
    expect(keys).toHaveLength(2);
    const zips = ["11201", "94103"];
    for (const [i, key] of keys.entries()) {
      for (let n = 0; n < 4; n++) {
        const res = await fetch(`${ctx.server.url}/api/v1/leads`, {
          method: "POST",
          headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
          body: JSON.stringify({ name: `MARIA DE LA CRUZ-HERNANDEZ ${n}`, phone: `+1212555${String(1000 + i * 10 + n)}`, email: `very.long.address.${n}@an-unusually-long-domain-name.example.com`, zip: n === 3 ? "99999" : zips[i], budget: 9000, message: "Roof leaks over the kitchen after every storm; also gutters" }),
        });
        expect(res.status).toBeLessThan(300);
      }
    }
  });

  it("shows the client's portal pages without anything wider than a 390 px phone", async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 390, height: 844 } });
    await login(page, ctx.server.url, "owner@brooklynroofing.demo", PASSWORD);
    const base = ctx.server.url;
    const lead = await firstHref(page, `${base}/portal/leads`, /^\/portal\/leads\/[0-9a-f-]{36}$/);
    expect(lead).not.toBeNull();
    const pages = ["/portal", "/portal/team", "/portal/leads", "/portal/leads?test=1", lead!, "/portal/disputes", "/portal/contract", "/portal/invoices", "/portal/alerts", "/portal/webhooks"];
    expect([...(await misfits(page, base, pages)), ...(await misfits(page, base, ["/portal/no-such-page"], 404))]).toEqual([]);
    await page.goto(`${base}/portal`);
    await shot(page, "portal-home-phone");
    await page.goto(`${base}/portal/leads`);
    await shot(page, "portal-leads-phone");
    await page.close();
  }, 180_000);

  it("shows the agency console's pages without anything wider than a 390 px phone", async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 390, height: 844 } });
    await login(page, ctx.server.url, "admin@leadledger.local", PASSWORD);
    const base = ctx.server.url;
    const client = await firstHref(page, `${base}/agency/clients`, /^\/agency\/clients\/[0-9a-f-]{36}$/);
    const lead = await firstHref(page, `${base}/agency/leads`, /^\/agency\/leads\/[0-9a-f-]{36}$/);
    expect([client, lead].every(Boolean)).toBe(true);
    const spec = await firstHref(page, `${base}${client}/keys`, /\/spec\?(key|form)=/);
    expect(spec).not.toBeNull();
    const hub = [...["", "/campaigns", "/contract", "/keys", "/numbers", "/alerts", "/webhooks", "/billing"].map((s) => `${client}${s}`), spec!];
    const pages = ["/agency", "/agency/leads", "/agency/leads?test=1", lead!, "/agency/clients", ...hub, "/agency/disputes", "/agency/reports", "/agency/alerts", "/agency/audit"];
    expect(await misfits(page, base, pages)).toEqual([]);
    await page.goto(`${base}/agency`);
    await shot(page, "agency-dashboard-phone");
    await page.goto(`${base}/agency/leads`);
    await shot(page, "agency-leads-phone");
    await page.close();
  }, 240_000);

  it("keeps the console's top bar on one row at 1366 px, the signed-in e-mail whole", async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1366, height: 800 } });
    await login(page, ctx.server.url, "admin@leadledger.local", PASSWORD);
    for (const width of [1366, 1440, 1536]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${ctx.server.url}/agency`);
      const bar = await page.evaluate(() => {
        const inner = document.querySelector(".topbar-inner")!.getBoundingClientRect();
        const who = document.querySelector(".userbox .who") as HTMLElement;
        const brand = document.querySelector(".brand")!.getBoundingClientRect();
        const userbox = document.querySelector(".userbox")!.getBoundingClientRect();
        return { oneRow: Math.abs(userbox.top - brand.top) < 20, height: Math.round(inner.height), emailWhole: who.scrollWidth <= who.clientWidth };
      });
      expect({ width, ...bar }).toEqual({ width, oneRow: true, height: bar.height, emailWhole: true });
      expect(bar.height).toBeLessThan(70);
    }
    await shot(page, "agency-topbar-1536");
    await page.close();
  }, 120_000);
});
