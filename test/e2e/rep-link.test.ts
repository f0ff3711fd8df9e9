import { sql } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { startFakeTwilio, type FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { expectCleanStop, expectNoSidewaysScroll, launchBrowser, login, shot, startServer, until, type RunningServer } from "./support";

/**
 * Issue #18 item 4: a sales rep without an account taps the link in the alert SMS and sees the
 * lead's card on a phone, without signing in, and nothing else; an expired or revoked link shows a
 * clear page without the lead; the agency revokes from the console.
 */
const ACCOUNT_SID = `AC${"d5".repeat(16)}`;
const AUTH_TOKEN = "rep-link-test-auth-token-0123456";
const ADMIN = { email: "admin@leadledger.local", password: "e2e-admin-password" };

describe("a sales rep's signed link to one lead", () => {
  let tdb: TestDatabase;
  let twilio: FakeTwilio;
  let server: RunningServer;
  let browser: Browser;
  let formKey = "";

  beforeAll(async () => {
    tdb = await createTestDatabase();
    twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    server = await startServer({ DATABASE_URL: tdb.url, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_API_BASE: twilio.url, TWILIO_FROM_NUMBER: "+15005550006" });
    browser = await launchBrowser();
    const r = await tdb.db.execute(sql`select f.public_key from forms f join clients c on c.id = f.client_id where c.name = 'Brooklyn Roofing Co'`);
    formKey = (r.rows[0] as { public_key: string }).public_key;
    await tdb.db.execute(sql`update alert_recipients set active_hours = null`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (server) await expectCleanStop(server);
    await twilio?.stop();
    await tdb?.drop();
  }, 60_000);

  async function postLead(name: string, phone: string, service: string): Promise<string> {
    const res = await fetch(`${server.url}/api/forms/${formKey}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, phone, email: `${name.split(" ")[0]!.toLowerCase()}@example.com`, zip: "11201", budget: "5000", service, consent: "yes" }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { leadId: string }).leadId;
  }
  /** The rep links texted about a lead, by rep phone. */
  const linksFor = async (name: string) => {
    const msgs = await until(`two alerts about ${name}`, async () => {
      const m = twilio.messages.filter((x) => x.body.includes(name));
      return m.length === 2 ? m : null;
    });
    return Object.fromEntries(msgs.map((m) => [m.to, /(http\S+\/r\/[A-Za-z0-9_-]{22})$/.exec(m.body)![1]!]));
  };

  it("opens the lead's card on a phone without signing in, shows only that lead, and stops at expiry or revocation", async () => {
    const leadId = await postLead("Rita Rooftop", "(718) 555-3101", "Roof leak over the kitchen");
    await postLead("Otto Other", "(718) 555-3102", "Gutter cleaning");
    const links = await linksFor("Rita Rooftop");
    const maria = links["+17185550111"]!;
    const dev = links["+17185550112"]!;
    expect(maria).not.toBe(dev);

    // The rep: a fresh phone-sized browser with no session.
    const rep = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await rep.newPage();
    const res = await page.goto(maria);
    expect(res!.status()).toBe(200);
    expect(res!.headers()["cache-control"]).toBe("no-store");
    expect(res!.headers()["set-cookie"]).toBeUndefined();
    await expect(page.getByRole("heading", { name: "Rita Rooftop" }).isVisible()).resolves.toBe(true);
    const call = page.getByRole("link", { name: /Call \(718\) 555-3101/ });
    expect(await call.getAttribute("href")).toBe("tel:+17185553101");
    const text = await page.locator("main").innerText();
    expect(text).toContain("11201");
    expect(text).toContain("Roof leak over the kitchen");
    expect(text).toContain("Web form");
    expect(text).toContain("Google Search - Free estimate");
    expect(text).not.toContain("Otto Other");
    // Nothing else is reachable: the call button is the only link on the page.
    expect(await page.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(["tel:+17185553101"]);
    await expectNoSidewaysScroll(page);
    await shot(page, "rep-link-card-phone");

    // The link is no session: the portal still asks for a sign-in.
    await page.goto(`${server.url}/portal/leads/${leadId}`);
    expect(new URL(page.url()).pathname).toBe("/login");

    // A token that was never issued (or was mistyped) is a plain "not valid" page.
    const bogus = await page.goto(`${maria.slice(0, -4)}AAAA`);
    expect(bogus!.status()).toBe(404);
    expect(await page.locator("main").innerText()).toContain("This link is not valid");
    expect(await page.locator("a").count()).toBe(0);

    // Expiry: Dev's link reaches its end (72 h after the alert).
    await tdb.db.execute(sql`update rep_links set expires_at = now() - interval '1 minute' where lead_id = ${leadId} and alert_id in (select id from alerts where to_phone = '+17185550112')`);
    const expired = await page.goto(dev);
    expect(expired!.status()).toBe(410);
    const expiredText = await page.locator("main").innerText();
    expect(expiredText).toContain("This link has expired");
    expect(expiredText).not.toContain("Rita Rooftop");
    expect(expiredText).not.toContain("555-3101");
    await shot(page, "rep-link-expired-phone");

    // Revocation from the console: the agency revokes Maria's link on the lead page.
    const agency = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const console = await agency.newPage();
    await login(console, server.url, ADMIN.email, ADMIN.password);
    await console.goto(`${server.url}/agency/leads/${leadId}`);
    const linksCard = console.locator("section", { has: console.getByRole("heading", { name: "Sales reps' links" }) });
    expect(await linksCard.innerText()).toContain("Active");
    // The lead page shows the text that was sent, its link shortened, and what it cost in segments.
    const sent = await console.locator("details.sms-text").first().innerText();
    expect(sent).toMatch(/Text sent: 1 segment \(GSM-7/);
    await console.getByRole("button", { name: "Revoke Maria (sales)'s link" }).click();
    await console.getByText("Maria (sales)'s link is revoked.").waitFor();
    await linksCard.getByText("Revoked", { exact: true }).waitFor({ timeout: 10_000 });
    expect(await linksCard.locator("li", { hasText: "Maria (sales)" }).innerText()).toContain("Revoked");
    await shot(console, "rep-link-console-revoked");

    const revoked = await page.goto(maria);
    expect(revoked!.status()).toBe(410);
    const revokedText = await page.locator("main").innerText();
    expect(revokedText).toContain("This link was withdrawn");
    expect(revokedText).not.toContain("Rita Rooftop");

    // The template editor counts segments as the agency types: one en dash makes every alert UCS-2.
    const clientId = ((await tdb.db.execute(sql`select id from clients where name = 'Brooklyn Roofing Co'`)).rows[0] as { id: string }).id;
    await console.goto(`${server.url}/agency/clients/${clientId}/alerts`);
    const counter = console.getByTestId("segment-count");
    expect(await counter.innerText()).toMatch(/This example: 1 segment \(GSM-7/);
    const editor = console.getByLabel(/Message template/);
    await editor.fill("New lead – {name} {phone} {link}");
    await counter.getByText("“–” is not in the GSM-7 alphabet").waitFor();
    expect(await counter.innerText()).toMatch(/This example: 2 segments \(UCS-2, \d+ of 134 UCS-2 units\)/);
    await editor.fill("New lead - {name} {phone} {link}");
    await counter.getByText(/This example: 1 segment \(GSM-7/).waitFor();
    expect(await counter.innerText()).not.toContain("GSM-7 alphabet");

    // The audit log has who revoked it.
    const audit = await tdb.db.execute(sql`select actor_label from audit_events where action = 'rep_link.revoked' and entity_id = ${leadId}`);
    expect(audit.rows).toEqual([{ actor_label: expect.stringContaining("admin@leadledger.local") }]);
    await rep.close();
    await agency.close();
  }, 180_000);
});
