import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { browserAndServer, login, shot, trpcQuery as trpcQueryOf, until } from "./support";

/**
 * A visitor clicks an ad, lands on the client's page (with the tracking snippet and a number pool),
 * moves to a second page and sends the form. The lead keeps its first and last touch, the click id
 * and the landing page; the page showed a pool number instead of the default one; the agency and
 * the client read where it came from on the lead page.
 */
describe("attribution from the ad click to the lead page", () => {
  const ctx = browserAndServer();
  const trpcQuery = <T,>(page: Page, path: string, input?: unknown) => trpcQueryOf<T>(page, ctx.server.url, path, input);
  // The client's site: another origin (and cookie host) than LeadLedger, served by the test on this machine.
  let site: http.Server;
  let SITE = "";
  let pages: (path: string) => string = () => "";
  beforeAll(async () => {
    site = http.createServer((req, res) => {
      const body = pages(new URL(req.url ?? "/", "http://x").pathname);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html><html><head><meta charset="utf-8"><title>Roofing</title></head><body>${body}</body></html>`);
    });
    await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
    SITE = `http://localhost:${(site.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => site.close(() => r())));

  it("keeps first and last touch, gclid and landing page, and swaps in a pool number", async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(page, ctx.server.url, "admin@leadledger.local", "e2e-admin-password");
    const clients = await trpcQuery<{ id: string; name: string }[]>(page, "clients.list");
    const brooklyn = clients.find((c) => c.name === "Brooklyn Roofing Co")!;
    const [pool] = await trpcQuery<{ poolKey: string; defaultNumber: string; numbers: { phoneNumber: string }[] }[]>(page, "attribution.pools", { clientId: brooklyn.id });
    const forms = await trpcQuery<{ id: string }[]>(page, "forms.list", { clientId: brooklyn.id });
    const { html } = await trpcQuery<{ html: string }>(page, "forms.embedSnippet", { id: forms[0]!.id });
    expect(html).toContain(`${ctx.server.url}/t.js`);

    const visitor = await ctx.browser.newPage({ viewport: { width: 1000, height: 900 } });
    const log: string[] = [];
    visitor.on("console", (m) => log.push(`console ${m.type()}: ${m.text()}`));
    visitor.on("pageerror", (e) => log.push(`error: ${e.message}`));
    visitor.on("requestfailed", (r) => log.push(`failed ${r.url()}: ${r.failure()?.errorText}`));
    visitor.on("response", (r) => log.push(`${r.status()} ${r.url()}`));
    const poolScript = `<script src="${ctx.server.url}/t.js" data-pool="${pool!.poolKey}" async></script>`;
    const phoneLine = `<p>Call us: <a data-ll-phone href="tel:${pool!.defaultNumber}">(718) 555-0101</a></p>`;
    pages = (path) =>
      path === "/roof-repair" ? `<h1>Emergency roof repair</h1>${phoneLine}<p><a href="/contact">Get a free estimate</a></p>${poolScript}` : `<h1>Free estimate</h1>${phoneLine}${html}`;

    await visitor.goto(`${SITE}/roof-repair?utm_source=google&utm_term=roof+repair&gclid=TEST123`, { referer: "https://www.google.com/" });
    const shown = await until("a pool number on the page", async () => {
      const t = await visitor.locator("[data-ll-phone]").textContent();
      return t && t !== "(718) 555-0101" ? t : null;
    }, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${log.join("\n")}`);
    });
    const href = await visitor.locator("[data-ll-phone]").getAttribute("href");
    expect(pool!.numbers.map((n) => `tel:${n.phoneNumber}`)).toContain(href);
    expect(shown).toMatch(/^\(718\) 555-\d{4}$/);
    await shot(visitor, "attribution-landing-pool-number");

    await Promise.all([visitor.waitForURL(`${SITE}/contact`), visitor.getByRole("link", { name: "Get a free estimate" }).click()]);
    await visitor.getByLabel("Name").fill("Gail Clickwell");
    await visitor.getByLabel("Phone").fill("(718) 555-0188");
    await visitor.getByLabel("Email").fill("gail.clickwell@example.com");
    await visitor.getByLabel("ZIP code").fill("11201");
    await visitor.getByLabel("Budget (at least 2,000)").fill("9000");
    await visitor.getByRole("checkbox").check();
    await Promise.all([visitor.waitForURL((u) => u.href.startsWith(ctx.server.url)), visitor.getByRole("button", { name: "Send" }).click()]);
    await visitor.getByRole("heading", { name: "Thank you!" }).waitFor();

    const list = await trpcQuery<{ items: { id: string }[] }>(page, "leads.list", { clientId: brooklyn.id, q: "Gail Clickwell" });
    const lead = await trpcQuery<{ attribution: Record<string, unknown> & { firstTouch: { at: string; params: Record<string, string>; landingPage: string }; lastTouch: { landingPage: string } } }>(page, "leads.get", {
      id: list.items[0]!.id,
    });
    expect(lead.attribution).toMatchObject({
      utmSource: "google",
      utmTerm: "roof repair",
      gclid: "TEST123",
      landingPage: `${SITE}/roof-repair?utm_source=google&utm_term=roof+repair&gclid=TEST123`,
      referrer: "https://www.google.com/",
    });
    expect(lead.attribution.firstTouch.params).toEqual({ utm_source: "google", utm_term: "roof repair", gclid: "TEST123" });
    expect(typeof lead.attribution.sessionId).toBe("string");
    expect(Date.parse(lead.attribution.firstTouch.at)).not.toBeNaN();

    // The agency reads it on the lead page, in words.
    await page.goto(`${ctx.server.url}/agency/leads/${list.items[0]!.id}`);
    const summary = await page.getByTestId("attribution-summary").textContent();
    expect(summary).toBe("Google Ads · keyword 'roof repair' · landed on /roof-repair");
    await shot(page, "attribution-lead-page");

    // The keyword report counts it.
    await page.goto(`${ctx.server.url}/agency/reports/sources?dimension=keyword&clientId=${brooklyn.id}`);
    await page.getByRole("cell", { name: "roof repair", exact: true }).waitFor();
    await shot(page, "attribution-keyword-report");
  });
});
