import type { Browser, BrowserContext, Page } from "playwright-core";
import { expectNoSidewaysScroll, launchBrowser, shotsWideAndPhone, login, shot, startServer, type RunningServer } from "./support";

/**
 * The agency admin sets up a new client in a real browser: creates it, publishes its contract,
 * adds a web form and copies the snippet, creates an API key and adds a tracking number; a user of
 * that client then reads the contract in the portal. Screenshots at 1280 px and 390 px wide.
 */

const ADMIN = { email: "admin@leadledger.local", password: "e2e-admin-password" };
const CLIENT_USER = { email: "owner@harborgutters.test", password: "harbor-owner-password" };

async function shots(page: Page, name: string): Promise<void> {
  await shotsWideAndPhone(page, `setup-${name}`);
}

describe("an agency admin sets up a client in the browser", () => {
  let browser: Browser;
  let server: RunningServer;
  let context: BrowserContext;
  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("creates a client, publishes a contract, adds a form, an API key and a tracking number", async () => {
    const page = await context.newPage();
    await login(page, server.url, ADMIN.email, ADMIN.password);

    // A new client, then its hub.
    await page.goto(`${server.url}/agency/clients`);
    await page.getByLabel("Business name").fill("Harbor Gutters");
    await page.getByRole("button", { name: "Create client" }).click();
    await page.getByRole("link", { name: "Harbor Gutters" }).click();
    await page.getByRole("heading", { level: 1, name: "Harbor Gutters" }).waitFor();
    const hub = page.getByRole("navigation", { name: "Harbor Gutters sections" });
    await page.getByLabel("E-mail").fill(CLIENT_USER.email);
    await page.getByLabel("Temporary password").fill(CLIENT_USER.password);
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText(`${CLIENT_USER.email} can now sign in.`).waitFor();
    await shots(page, "01-client-overview");

    // The contract: a starter document, a mistake shown field by field, a preview, then version 1.
    await hub.getByRole("link", { name: "Contract" }).click();
    await page.getByText("No contract yet").waitFor();
    const editor = page.getByLabel("Contract document (JSON)");
    const starter = await editor.inputValue();
    expect(JSON.parse(starter)).toHaveProperty("pricing.leadPriceCents", 7500);
    await editor.fill(starter.replace('"10002"', '"1002"'));
    await page.getByRole("button", { name: "Check" }).click();
    const problems = page.getByRole("list", { name: "Problems in the document" });
    await problems.getByText("Qualification › service area › ZIPs › item 2").waitFor();
    await expect(problems.getByText("qualification.serviceArea.zips.1").isVisible()).resolves.toBe(true);
    await shots(page, "02-contract-invalid");

    await editor.fill(starter);
    await page.getByRole("button", { name: "Check" }).click();
    await page.getByText("The document is valid.").waitFor();
    await page.getByText("$75.00 per lead for the first 100 leads each month, then $60.00.").first().waitFor();
    await shots(page, "03-contract-check");

    await page.getByRole("button", { name: "Publish version 1" }).click();
    await page.getByText("Version 1 published.").waitFor();
    await page.getByRole("listitem", { name: "Version 1" }).getByText("First version of the contract.").waitFor();
    await shots(page, "04-contract-published");

    // A web form on the default campaign, its snippet copied to the clipboard.
    await hub.getByRole("link", { name: "Campaigns & forms" }).click();
    const addForm = page.getByRole("form", { name: "Add a form" });
    await addForm.getByLabel("Form name").fill("Spring landing page");
    await addForm.getByLabel("Allowed origins").fill("https://harborgutters.example");
    await addForm.getByLabel("Thank-you page").fill("https://harborgutters.example/thanks");
    await addForm.getByRole("button", { name: "Add form" }).click();
    await page.getByText("Form created.").waitFor();
    const snippet = await page.getByLabel("HTML for the landing page").inputValue();
    const publicKey = (await page.locator("dd.mono").first().textContent())!.trim();
    expect(publicKey).toMatch(/^pk_/);
    expect(snippet).toContain(`/api/forms/${publicKey}`);
    await page.getByRole("button", { name: "Copy snippet" }).click();
    await page.getByText("Copied to the clipboard.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await shots(page, "05-form-snippet");
    await page.getByRole("link", { name: "← All campaigns and forms" }).click();
    await page.getByRole("link", { name: "Spring landing page" }).waitFor();
    await shots(page, "06-campaigns");

    // An API key, shown once.
    await hub.getByRole("link", { name: "API keys" }).click();
    await page.getByLabel("Who uses it").fill("Lead vendor A");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByText("Copy it now — it won't be shown again.").waitFor();
    const key = await page.getByLabel("API key", { exact: true }).inputValue();
    expect(key).toMatch(/^ll_live_/);
    await page.getByRole("cell", { name: "Lead vendor A", exact: true }).waitFor();
    await shots(page, "07-api-key-created");
    await page.reload();
    await page.getByRole("cell", { name: "Lead vendor A", exact: true }).waitFor();
    expect(await page.content()).not.toContain(key);
    await page.getByRole("link", { name: /Revoke Lead vendor A/ }).click();
    await shots(page, "08-api-key-revoke-confirm");
    await page.getByRole("button", { name: "Revoke key" }).click();
    await page.getByText(/is revoked/).waitFor();

    // A tracking number, then an edit.
    await hub.getByRole("link", { name: "Tracking numbers" }).click();
    await page.getByText("No tracking numbers yet").waitFor();
    await page.getByRole("textbox", { name: /^Tracking number/ }).fill("+1 212 555 0199");
    await page.getByLabel("Forward calls to").fill("+1 212 555 0100");
    await page.getByLabel("Whisper").fill("Harbor Gutters lead");
    await page.getByRole("button", { name: "Add number" }).click();
    await page.getByText("(212) 555-0199 now forwards to (212) 555-0100").waitFor();
    await page.getByRole("link", { name: "Edit (212) 555-0199" }).waitFor();
    await shots(page, "09-tracking-number-added");
    await page.getByRole("link", { name: "Edit (212) 555-0199" }).click();
    const edit = page.getByRole("region", { name: "Edit (212) 555-0199" });
    await edit.getByLabel("Whisper").fill("Gutter lead from the spring campaign");
    await edit.getByRole("button", { name: "Save number" }).click();
    await page.getByText("Changes to (212) 555-0199 saved.").waitFor();
    await page.getByRole("cell", { name: "Gutter lead from the spring campaign" }).waitFor();
    await shots(page, "10-tracking-numbers");
    await page.close();

    // The client's owner reads the contract in the portal, on a phone.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await login(phone, server.url, CLIENT_USER.email, CLIENT_USER.password);
    await phone.getByRole("link", { name: "Contract" }).click();
    await phone.getByRole("heading", { name: "Your contract" }).waitFor();
    // The editor's starter reads the service area by ZIP only.
    await phone.getByText("Service area: ZIPs 10001 and 10002 only; the state is not considered.").waitFor();
    await phone.getByRole("listitem", { name: "Version 1" }).waitFor();
    await expectNoSidewaysScroll(phone);
    await shot(phone, "setup-11-portal-contract-phone");
    await phone.close();
  }, 180_000);
});
