import { browserAndServer } from "./support";

/**
 * Forms are plain HTML posts first: with JavaScript off the browser posts them itself, sending
 * Origin and Referer under the page's referrer policy. Signing in and out must work that way, and
 * with JavaScript on no script may be blocked by the page's CSP.
 */
describe("the console in a browser with JavaScript off and on", () => {
  const ctx = browserAndServer();

  it("signs in, opens a page and signs out with plain form posts when JavaScript is disabled", async () => {
    const context = await ctx.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${ctx.server.url}/login?redirectTo=%2Fagency%2Fclients`);
    await page.getByLabel("E-mail").fill("admin@leadledger.local");
    await page.getByLabel("Password").fill("e2e-admin-password");
    await Promise.all([page.waitForURL(`${ctx.server.url}/agency/clients`), page.getByRole("button", { name: "Sign in" }).click()]);
    await page.getByRole("link", { name: "Brooklyn Roofing Co" }).waitFor();

    await Promise.all([page.waitForURL(`${ctx.server.url}/login`), page.getByRole("button", { name: /sign out/i }).click()]);
    await page.goto(`${ctx.server.url}/agency`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("shows a wrong password as a message, not an error page, with JavaScript disabled", async () => {
    const context = await ctx.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${ctx.server.url}/login`);
    await page.getByLabel("E-mail").fill("admin@leadledger.local");
    await page.getByLabel("Password").fill("not the password");
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: "Sign in" }).click()]);
    expect(response.status()).toBe(401);
    await page.getByRole("alert").filter({ hasText: "Email or password is incorrect." }).waitFor();
    await context.close();
  });

  it("runs every script of the page under the CSP nonce when JavaScript is on", async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${ctx.server.url}/login`);
    await page.getByLabel("E-mail").fill("admin@leadledger.local");
    await page.getByLabel("Password").fill("e2e-admin-password");
    await Promise.all([page.waitForURL((u) => u.pathname === "/agency"), page.getByRole("button", { name: "Sign in" }).click()]);
    // Client-side navigation works only when the hydrated app runs.
    await page.getByRole("link", { name: "Clients" }).first().click();
    await page.waitForURL((u) => u.pathname === "/agency/clients");
    await page.getByRole("link", { name: "Brooklyn Roofing Co" }).waitFor();
    expect(await page.evaluate(() => typeof (window as unknown as { __remixContext?: unknown }).__remixContext)).toBe("object");
    expect(violations).toEqual([]);
    await context.close();
  });
});
