import { Secret, TOTP } from "otpauth";
import type { APIRequestContext, Browser, BrowserContext, Page } from "playwright-core";
import { startSmtpCapture } from "../support/smtp";
import { launchBrowser, login, shotsWideAndPhone, startServer, trpcCall, until, type RunningServer } from "./support";

/**
 * Accounts in a real browser: a client owner who forgot their password resets it from the e-mail
 * (caught by a local SMTP server, the same SMTP_URL lead notifications use), an agency admin turns
 * on two-factor sign-in and signs in with a code computed from the secret, and a deactivated user is
 * signed out at once.
 */

const ADMIN = { email: "admin@leadledger.local", password: "e2e-admin-password" };
const OWNER = { email: "owner@e2e-roofing.test", password: "first-password-1" };
const REP = { email: "rep@e2e-roofing.test", password: "rep-password-12" };

const trpc = <T>(request: APIRequestContext, base: string, path: string, input: unknown) => trpcCall<T>(request, base, "mutation", path, input);

describe("accounts in the browser", () => {
  let browser: Browser;
  let server: RunningServer;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let agency: BrowserContext;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    [browser, server] = await Promise.all([launchBrowser(), startServer({ SMTP_URL: smtp.url })]);
    agency = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await agency.newPage();
    await login(page, server.url, ADMIN.email, ADMIN.password);
    const client = await trpc<{ id: string }>(page.request, server.url, "clients.create", { name: "E2E Roofing" });
    await trpc(page.request, server.url, "users.create", { ...OWNER, role: "client_admin", clientId: client.id });
    await trpc(page.request, server.url, "users.create", { ...REP, role: "client_member", clientId: client.id });
    await page.close();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  it("resets a forgotten password from the e-mail, once", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByRole("heading", { name: "Reset your password" }).waitFor();
    await page.getByLabel("E-mail").fill(OWNER.email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByText(`If an account uses ${OWNER.email}, we have sent it a link to choose a new password.`).waitFor();
    await shotsWideAndPhone(page, "accounts-01-reset-asked");

    const mail = await until("the reset e-mail", async () => smtp.mails.find((m) => m.to.includes(OWNER.email)));
    const body = mail.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    const link = /https?:\/\/[^\s"<]+\/reset-password\?token=[\w-]+/.exec(body)?.[0];
    expect(link).toBeDefined();
    expect(link!.startsWith(server.url)).toBe(true);

    await page.goto(link!);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password").fill("second-password-2");
    await page.getByLabel("The same again").fill("second-password-2");
    await shotsWideAndPhone(page, "accounts-02-new-password");
    await Promise.all([page.waitForURL(/\/login\?reset=1$/), page.getByRole("button", { name: "Save the new password" }).click()]);
    await page.getByText("Your password was changed and every session signed out.").waitFor();

    await page.getByLabel("E-mail").fill(OWNER.email);
    await page.getByLabel("Password").fill("second-password-2");
    await Promise.all([page.waitForURL((u) => u.pathname === "/portal"), page.getByRole("button", { name: "Sign in" }).click()]);

    // The link was for one use.
    const again = await context.newPage();
    await again.goto(link!);
    await again.getByText("This reset link has expired or was already used.").waitFor();
    await context.close();
  }, 120_000);

  it("signs an agency admin in with a TOTP code computed from the secret shown at set-up", async () => {
    // Signed in since the set-up above.
    const page = await agency.newPage();
    await page.goto(`${server.url}/agency`);
    await page.getByRole("link", { name: /admin@leadledger\.local/ }).click();
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    const secret = await page.getByLabel("Key for the authenticator app").inputValue();
    expect(await page.getByLabel("Link for the authenticator app").inputValue()).toMatch(/^otpauth:\/\/totp\//);
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    await page.getByLabel("Code from the app").fill(totp.generate());
    await page.getByRole("button", { name: "Turn on" }).click();
    await page.getByRole("list", { name: "Recovery codes" }).waitFor();
    await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").count()).resolves.toBe(10);
    await shotsWideAndPhone(page, "accounts-03-two-factor-on");

    // Sign out, then in again: the password, then the code.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login$/);
    await page.getByLabel("E-mail").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Two-factor sign-in" }).waitFor();
    await page.getByLabel("Code").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByText("That code is not right.").waitFor();
    await shotsWideAndPhone(page, "accounts-04-code-step");
    // The code that turned it on may still be current, and a code works once: use the next step's
    // (accepted for clock drift, RFC 6238 §5.2).
    await page.getByLabel("Code").fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await Promise.all([page.waitForURL((u) => u.pathname === "/agency"), page.getByRole("button", { name: "Verify" }).click()]);
    await page.close();
  }, 120_000);

  it("signs a deactivated user out at once", async () => {
    const repContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const rep: Page = await repContext.newPage();
    await login(rep, server.url, REP.email, REP.password);
    await rep.goto(`${server.url}/portal/leads`);
    await rep.getByRole("heading", { level: 1 }).waitFor();

    const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const owner = await ownerContext.newPage();
    await login(owner, server.url, OWNER.email, "second-password-2");
    await owner.goto(`${server.url}/portal/team`);
    const repRow = owner.getByRole("row").filter({ has: owner.getByRole("cell", { name: REP.email, exact: true }) });
    await repRow.getByRole("button", { name: "Deactivate" }).click();
    await owner.getByText(`${REP.email} was deactivated and signed out everywhere.`).waitFor();
    await repRow.getByRole("button", { name: "Reactivate" }).waitFor();
    await shotsWideAndPhone(owner, "accounts-05-deactivated");

    // The rep's very next page load is the sign-in page.
    await rep.goto(`${server.url}/portal/leads`);
    await rep.waitForURL(/\/login\?redirectTo=/);
    await rep.getByLabel("E-mail").fill(REP.email);
    await rep.getByLabel("Password").fill(REP.password);
    await rep.getByRole("button", { name: "Sign in" }).click();
    await rep.getByText("Email or password is incorrect.").waitFor();
    await repContext.close();
    await ownerContext.close();
  }, 120_000);
});
