import fs from "node:fs";
import { sql } from "drizzle-orm";
import { DateTime } from "luxon";
import pino from "pino";
import type { APIRequestContext, Browser, BrowserContext, Page } from "playwright-core";
import { loadConfig } from "../../server/config";
import { openDatabase } from "../../server/db/open";
import { createDeps } from "../../server/deps";
import { fixedClock } from "../../server/domain/shared/clock";
import { launchBrowser, shotsWideAndPhone, login, shot, startServer, type RunningServer } from "./support";

/**
 * Billing in a real browser against a real server on a fresh embedded database: the agency gives
 * the demo client a contract and an API key (tRPC over HTTP with its session), leads come in, the
 * agency closes last month from the billing page, and the client opens the invoice, prints it and
 * downloads the CSV; then the client admin edits the alert message with its live preview and the
 * agency reads the alert log. Screenshots at 1280 px and 390 px wide.
 *
 * Last month's leads: a running server's clock is the real one, and a period can only be closed
 * once it has ended, so the leads that land on the invoice are submitted through the same intake
 * use case against the server's database with a clock set to the 10th of last month (what a vendor
 * posting last month would have produced). Two more leads are posted over HTTP now; they stay
 * uninvoiced, in the current month.
 */

const ADMIN = { email: "admin@leadledger.local", password: "e2e-admin-password" };
const OWNER = { email: "owner@brooklynroofing.demo", password: "e2e-admin-password" };

async function shots(page: Page, name: string): Promise<void> {
  await shotsWideAndPhone(page, `invoices-${name}`);
}

async function rpc<T>(request: APIRequestContext, base: string, kind: "query" | "mutation", path: string, input?: unknown): Promise<T> {
  const res =
    kind === "query"
      ? await request.get(`${base}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`)
      : await request.post(`${base}/trpc/${path}`, { data: input ?? {}, headers: { "content-type": "application/json" } });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok() || !body.result) throw new Error(`${path} → ${res.status()} ${JSON.stringify(body.error)}`);
  return body.result.data;
}

/** Last month in the client's time zone: its YYYY-MM and its first midnight. */
function lastMonth(timezone: string): { period: string; start: DateTime } {
  const start = DateTime.now().setZone(timezone).startOf("month").minus({ months: 1 });
  return { period: start.toFormat("yyyy-MM"), start };
}

describe("billing and alerts in the browser", () => {
  let browser: Browser;
  let server: RunningServer;
  let agency: BrowserContext;
  let client: BrowserContext;
  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer()]);
    agency = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    client = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("closes last month from the agency billing page; the client reads, prints and downloads the invoice", async () => {
    const page = await agency.newPage();
    await login(page, server.url, ADMIN.email, ADMIN.password);

    // Arrange: a contract ($75 a lead, $250 retainer) in force since before last month, and an API key.
    const clients = await rpc<{ id: string; name: string; timezone: string; phoneCountry: string }[]>(page.request, server.url, "query", "clients.list");
    const demo = clients.find((c) => c.name === "Brooklyn Roofing Co")!;
    expect(demo).toBeDefined();
    const last = lastMonth(demo.timezone);
    const effectiveFrom = last.start.minus({ days: 7 }).toUTC().toISO()!;
    await rpc(page.request, server.url, "mutation", "contracts.publish", {
      clientId: demo.id,
      document: {
        effectiveFrom,
        qualification: { requiredFields: ["phone", "zip"], serviceArea: { zips: ["11201", "11215", "11217"] } },
        pricing: { leadPriceCents: 7500, retainerCents: 25000 },
        disputes: { windowDays: 7 },
      },
    });
    const key = await rpc<{ id: string; key: string }>(page.request, server.url, "mutation", "apiKeys.create", { clientId: demo.id, name: "E2E vendor" });

    // Last month's leads, through the intake use case on the server's database with last month's clock (the 10th, 11:00 local).
    const config = loadConfig({
      ...server.env,
      DATABASE_URL: `postgres://leadledger:leadledger@127.0.0.1:${server.env.EMBEDDED_PG_PORT}/leadledger`,
      JOBS: "false",
      SEED: "false",
      LOG_LEVEL: "silent",
    });
    const database = await openDatabase(config, { poolMax: 2 });
    try {
      const deps = createDeps({ config, database, logger: pino({ level: "silent" }), clock: fixedClock(last.start.plus({ days: 9, hours: 11 }).toJSDate()) });
      // The demo client was seeded when this server started; it has been with the agency since before
      // last month (a month that ended before a client existed has nothing to bill and cannot be closed).
      await database.db.execute(sql`update clients set created_at = ${effectiveFrom} where id = ${demo.id}`);
      for (const [i, name] of ["Ann Archer", "Ben Baker", "Cara Cole"].entries()) {
        const r = await deps.intake.submit({
          client: { id: demo.id, timezone: demo.timezone, phoneCountry: demo.phoneCountry },
          source: "api",
          campaignId: null,
          apiKeyId: key.id,
          payload: { name, phone: `+1718555020${i}`, zip: "11215" },
          actor: "e2e",
        });
        expect(r.answer.status).toBe("qualified");
      }
    } finally {
      await database.shutdown();
    }
    // This month's leads, over HTTP like any vendor.
    for (const [i, name] of ["Dan Doyle", "Eve Evans"].entries()) {
      const res = await page.request.post(`${server.url}/api/v1/leads`, {
        headers: { authorization: `Bearer ${key.key}`, "content-type": "application/json" },
        data: { name, phone: `+1718555030${i}`, zip: "11201" },
      });
      expect(res.status()).toBe(201);
    }

    // The agency closes last month from the billing page (the month picker defaults to it).
    await page.goto(`${server.url}/agency/clients/${demo.id}`);
    await page.getByRole("navigation", { name: "Brooklyn Roofing Co sections" }).getByRole("link", { name: "Billing" }).click();
    await page.getByRole("heading", { name: "Close a billing period" }).waitFor();
    await expect(page.getByLabel("Month", { exact: true }).inputValue()).resolves.toBe(last.period);
    await page.getByText("$150.00").first().waitFor(); // this month's two leads, not yet invoiced
    await shots(page, "01-billing-before-close");

    await page.getByRole("button", { name: "Close period" }).click();
    // A person's close leaves a draft to review; the client sees the invoice once it is issued.
    const closed = page.getByText(/^Closed .+: invoice INV-\d+ for .+ \(draft\), total \$475\.00\. Review it and press Issue/);
    await closed.waitFor();
    const invoiceNumber = /INV-\d+/.exec((await closed.textContent()) ?? "")![0];
    await page.getByRole("button", { name: `Issue ${invoiceNumber}` }).click();
    await page.getByText(`Invoice ${invoiceNumber} is issued; the client can see it as due.`).waitFor();
    await page.getByRole("row", { name: new RegExp(invoiceNumber) }).getByText("Issued — due").waitFor();
    await shots(page, "02-billing-after-close");

    await page.getByRole("link", { name: invoiceNumber }).first().click();
    await page.getByRole("heading", { level: 1, name: invoiceNumber }).waitFor();
    await shots(page, "03-agency-invoice-view");

    // The client opens the invoice.
    const portal = await client.newPage();
    await login(portal, server.url, OWNER.email, OWNER.password);
    await portal.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invoices" }).click();
    await portal.getByRole("heading", { name: "Your invoices" }).waitFor();
    await shots(portal, "04-portal-invoices");

    await portal.getByRole("link", { name: invoiceNumber }).click();
    await portal.getByRole("heading", { level: 1, name: invoiceNumber }).waitFor();
    const lines = portal.getByRole("table");
    await lines.getByText("Monthly retainer").waitFor();
    await lines.getByText(/^Qualified leads/).waitFor();
    await expect(lines.getByRole("row", { name: /Qualified leads/ }).textContent()).resolves.toContain("$225.00");
    await expect(portal.locator("dd.grand").textContent()).resolves.toBe("$475.00");
    await portal.getByText("Show the 3 leads").click();
    await portal.getByRole("link", { name: `Ann Archer · ${last.start.plus({ days: 9 }).toFormat("LLL d, yyyy")}, 11:00 AM` }).waitFor();
    await shots(portal, "05-portal-invoice");

    // Printing hides the top bar and the buttons.
    await portal.emulateMedia({ media: "print" });
    await expect(portal.locator("header.topbar").isVisible()).resolves.toBe(false);
    await expect(portal.getByRole("button", { name: "Print" }).isVisible()).resolves.toBe(false);
    await shot(portal, "invoices-06-portal-invoice-print");
    await portal.emulateMedia({ media: "screen" });

    // The CSV download.
    const [download] = await Promise.all([portal.waitForEvent("download"), portal.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe(`invoice-${invoiceNumber}.csv`);
    const csv = fs.readFileSync((await download.path())!, "utf8").trim().split("\n");
    expect(csv[0]).toMatch(/^invoice,period,line,description,/);
    expect(csv.filter((l) => l.includes(",75.00,")).length).toBe(3);
    expect(csv.some((l) => l.includes("Total due") && l.includes(",475.00,"))).toBe(true);
  }, 180_000);

  it("lets the client admin edit the alert message with a live preview; the agency reads the alert log", async () => {
    const portal = client.pages()[0]!;
    await portal.goto(`${server.url}/portal/alerts`);
    await portal.getByRole("heading", { name: "Sales reps who get lead alerts" }).waitFor();
    const template = portal.getByLabel(/Message template/);
    await template.fill("Hot lead {name} {phone} — call now: {link}");
    const preview = portal.getByLabel("Message preview");
    await expect(preview.textContent()).resolves.toMatch(/^Hot lead Jane Doe \+12125550142 — call now: http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]{22}$/);
    await portal.getByText("“—” is not in the GSM-7 alphabet", { exact: false }).waitFor();
    await portal.getByText(/characters in this example · up to \d+ of 320/).waitFor();
    await shots(portal, "07-portal-alerts");

    await template.fill(`${"Please call this lead back within five minutes. ".repeat(6)}{name} {link}`);
    await portal.getByText(/too many$/).waitFor();
    await portal.getByRole("button", { name: "Save routing and message" }).click();
    await portal.locator("#template-error").getByText(/can render to \d+ characters/).waitFor();
    await shots(portal, "08-portal-alerts-template-too-long");

    const page = agency.pages()[0]!;
    await page.goto(`${server.url}/agency/alerts`);
    await page.getByRole("heading", { name: /Speed to lead/ }).waitFor();
    await page.getByRole("link", { name: "Brooklyn Roofing Co" }).first().waitFor();
    await shots(page, "09-agency-alerts");
  }, 120_000);
});
