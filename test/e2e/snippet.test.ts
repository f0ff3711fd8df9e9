import type { Page } from "playwright-core";
import { browserAndServer, login, shot, trpcQuery as trpcQueryOf } from "./support";

/**
 * The form snippet as an agency uses it: copied from the console into a landing page on the
 * client's own site, where a visitor fills it in. Against the demo contract (ZIP area, budget of at
 * least 2,000) the lead must qualify.
 */
describe("a lead typed into the generated snippet on a landing page", () => {
  const ctx = browserAndServer();

  const trpcQuery = <T,>(page: Page, path: string, input?: unknown) => trpcQueryOf<T>(page, ctx.server.url, path, input);

  it("qualifies against the demo contract", async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 860 } });
    await login(page, ctx.server.url, "admin@leadledger.local", "e2e-admin-password");
    const clients = await trpcQuery<{ id: string; name: string }[]>(page, "clients.list");
    const brooklyn = clients.find((c) => c.name === "Brooklyn Roofing Co")!;
    const forms = await trpcQuery<{ id: string }[]>(page, "forms.list", { clientId: brooklyn.id });

    // The agency copies the snippet from the form's page in the console.
    await page.goto(`${ctx.server.url}/agency/clients/${brooklyn.id}/campaigns?form=${forms[0]!.id}`);
    await page.getByText(/Generated from contract version 1: contact details, plus Budget \(at least 2,000\)/).waitFor();
    const html = await page.locator("#embed-snippet").inputValue();
    expect(html).toContain('name="budget"');

    // …and pastes it into the client's landing page (served here as http://landing.test/).
    const landing = await ctx.browser.newPage({ viewport: { width: 1000, height: 900 } });
    await landing.route("http://landing.test/**", (route) =>
      route.fulfill({ contentType: "text/html", body: `<!doctype html><html><head><meta charset="utf-8"><title>Free roof estimate</title></head><body><h1>Free roof estimate</h1>${html}</body></html>` }),
    );
    await landing.goto("http://landing.test/estimate");
    await landing.getByLabel("Name").fill("Rita Snippet");
    await landing.getByLabel("Phone").fill("(718) 555-0177");
    await landing.getByLabel("Email").fill("rita.snippet@example.com");
    await landing.getByLabel("ZIP code").fill("11201");
    await landing.getByLabel("Budget (at least 2,000)").fill("8500");
    await landing.getByRole("checkbox").check();
    await shot(landing, "snippet-landing-page");
    await Promise.all([landing.waitForURL((u) => u.href.startsWith(ctx.server.url)), landing.getByRole("button", { name: "Send" }).click()]);
    await landing.getByRole("heading", { name: "Thank you!" }).waitFor();

    const leads = await trpcQuery<{ items: { name: string | null; status: string; reasonCodes: string[] }[] }>(page, "leads.list", { clientId: brooklyn.id, q: "Rita Snippet" });
    expect(leads.items.map((l) => ({ name: l.name, status: l.status, reasons: l.reasonCodes }))).toEqual([{ name: "Rita Snippet", status: "qualified", reasons: [] }]);
  });
});
