import type { Page } from "playwright-core";
import { browserAndServer, login, shot, trpcQuery as trpcQueryOf, until } from "./support";

/**
 * Issue #22.2–3, as a vendor tries it: the agency gives a vendor a test key and the posting spec's
 * public link; the vendor opens the link (no account), sends the sample body with their own ZIP,
 * reads why it is rejected, fixes the body and gets "qualified" with "test": true — and nothing is
 * billed or texted for it.
 */
// Starting the server (embedded PostgreSQL, migrations, demo data) can take longer than the default on a busy machine.
jest.setTimeout(120_000);

describe("a vendor integrating with a test key and the posting spec link", () => {
  const ctx = browserAndServer();

  const trpcQuery = <T,>(page: Page, path: string, input?: unknown) => trpcQueryOf<T>(page, ctx.server.url, path, input);

  async function createKey(page: Page, clientId: string, name: string, test: boolean): Promise<string> {
    await page.goto(`${ctx.server.url}/agency/clients/${clientId}/keys`);
    await page.getByLabel(/Who uses it/).fill(name);
    if (test) await page.getByLabel(/Test key/).check();
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: "Create key" }).click()]);
    await page.getByRole("heading", { name: new RegExp(`New ${test ? "test " : ""}API key: ${name}`) }).waitFor();
    return page.locator("#new-api-key").inputValue();
  }

  async function postLead(key: string, body: unknown): Promise<{ status: number; body: { leadId: string; status: string; billable: boolean; test?: boolean; reasons: { code: string; message: string }[] } }> {
    const res = await fetch(`${ctx.server.url}/api/v1/leads`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as never };
  }

  it("opens the spec, gets a rejection with its reason, fixes the body and gets qualified (test), with nothing billed or alerted", async () => {
    // The agency: a test key for the vendor, and the key's posting spec shared as a public link.
    const agency = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(agency, ctx.server.url, "admin@leadledger.local", "e2e-admin-password");
    const clients = await trpcQuery<{ id: string; name: string }[]>(agency, "clients.list");
    const brooklyn = clients.find((c) => c.name === "Brooklyn Roofing Co")!;
    const testKey = await createKey(agency, brooklyn.id, "Acme test key", true);
    expect(testKey).toMatch(/^ll_test_/);
    await agency.goto(`${ctx.server.url}/agency/clients/${brooklyn.id}/keys`);
    await agency.getByRole("link", { name: "Posting spec for Acme test key" }).click();
    await agency.getByRole("heading", { name: /Posting spec: Acme test key/ }).waitFor();
    await agency.getByRole("button", { name: "Make public link" }).click();
    const link = await agency.locator("#public-link").inputValue();
    expect(link).toMatch(/\/spec\/sp_/);

    // The vendor: no account, a fresh browser context.
    const vendorContext = await ctx.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const vendor = await vendorContext.newPage();
    await vendor.goto(link);
    await vendor.getByRole("heading", { name: /Posting spec: Acme test key — Brooklyn Roofing Co/ }).waitFor();
    await vendor.getByText(/This is a test key/).waitFor();
    expect(await vendor.getByText("Sign out").count()).toBe(0);
    const curl = await vendor.getByTestId("sample-curl").inputValue();
    expect(curl).toContain(`${ctx.server.url}/api/v1/leads`);
    const sample = JSON.parse(await vendor.getByTestId("sample-body").inputValue()) as Record<string, unknown>;
    const zipRow = vendor.locator("tr", { has: vendor.locator("td", { hasText: /^zip$/ }) });
    expect(await zipRow.textContent()).toContain(String(sample.zip));
    await shot(vendor, "vendor-posting-spec");

    // The vendor's first try: the sample with one of their own leads, from a ZIP outside the area.
    const first = await postLead(testKey, { ...sample, zip: "94105" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: "rejected", test: true, billable: false });
    const reason = first.body.reasons.find((r) => r.code === "OUT_OF_SERVICE_AREA");
    expect(reason?.message).toMatch(/94105.*outside the service area/);

    // Fixed with a ZIP the spec allows: qualified, as a test.
    const fixed = await postLead(testKey, sample);
    expect(fixed.status).toBe(201);
    expect(fixed.body).toMatchObject({ status: "qualified", test: true, billable: false });
    // A vendor's post carries no visitor IP: the demo contract's IP rule is noted as not applied, never a rejection.
    expect((fixed.body as unknown as { reasons: { code: string; effect: string }[] }).reasons).toEqual([expect.objectContaining({ code: "SIGNAL_UNAVAILABLE", effect: "info" })]);

    // A real lead sent after it is texted to the reps: once its alerts exist, the outbox has been
    // worked past the test lead, which has none.
    const liveKey = await createKey(agency, brooklyn.id, "Acme live key", false);
    const real = await postLead(liveKey, { ...sample, name: "Real Person", phone: "(718) 555-0199", email: "real.person@example.com" });
    expect(real.body).toMatchObject({ status: "qualified", billable: true });
    expect(real.body.test).toBeUndefined();
    await until("the real lead's alerts", async () => (await trpcQuery<unknown[]>(agency, "alerts.list", { leadId: real.body.leadId })).length > 0);
    expect(await trpcQuery<unknown[]>(agency, "alerts.list", { leadId: fixed.body.leadId })).toEqual([]);
    const testLead = await trpcQuery<{ charges: unknown[]; billable: boolean; isTest: boolean }>(agency, "leads.get", { id: fixed.body.leadId });
    expect(testLead).toMatchObject({ charges: [], billable: false, isTest: true });

    // The console lists it under Test leads, not in the inbox.
    await agency.goto(`${ctx.server.url}/agency/leads?test=1&clientId=${brooklyn.id}`);
    await agency.getByRole("link", { name: "Test leads" }).waitFor();
    expect(await agency.locator("tbody tr").count()).toBe(2);
    await shot(agency, "agency-test-leads");
    const inbox = await trpcQuery<{ items: { id: string }[] }>(agency, "leads.list", { clientId: brooklyn.id, limit: 100 });
    expect(inbox.items.map((l) => l.id)).toContain(real.body.leadId);
    expect(inbox.items.map((l) => l.id)).not.toContain(fixed.body.leadId);
    await vendorContext.close();
  }, 120_000);
});
