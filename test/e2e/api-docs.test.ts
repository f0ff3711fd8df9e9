import { browserAndServer, shot } from "./support";

/** Issue #22.1: a vendor opens /docs/api in a browser and reads the API, rendered by Redoc from /api/openapi.json. */
describe("the API reference in a browser", () => {
  const ctx = browserAndServer();

  it("renders the operations from the description, with every script from this server", async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Scripts must all come from this server; Redoc's branding image on its CDN is refused by the
    // page's CSP, so nothing is fetched from anywhere else either.
    const blockedScripts: string[] = [];
    const elsewhere: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/.test(m.text()) && /script-src|worker-src/.test(m.text())) blockedScripts.push(m.text());
    });
    page.on("requestfinished", (r) => {
      if (!r.url().startsWith(ctx.server.url) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) elsewhere.push(r.url());
    });
    await page.goto(`${ctx.server.url}/docs/api`);
    await page.getByRole("heading", { name: /LeadLedger API/ }).first().waitFor({ timeout: 20_000 });
    await page.getByText("Send a lead (vendors, server to server)").first().waitFor();
    await page.getByText("Report a won or lost deal (the client's CRM)").first().waitFor();
    expect(await page.getByText("Idempotency-Key").count()).toBeGreaterThan(0);
    await shot(page, "api-docs");
    expect(blockedScripts).toEqual([]);
    expect(elsewhere).toEqual([]);
  }, 60_000);
});
