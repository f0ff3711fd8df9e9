import type { Browser, Page } from "playwright-core";
import { expectCleanStop, launchBrowser, login, shotsWideAndPhone, startServer, trpcCall, type RunningServer } from "./support";

/**
 * An account manager builds a new client's contract with the form — no JSON typed — seeing each
 * section read back as it is typed and a mistake named beside its section, and publishes it. A
 * power user publishes the equivalent JSON for a second client: both stored versions are the same.
 */

const ADMIN = { email: "admin@leadledger.local", password: "e2e-admin-password" };

/** What the account manager builds below, as a power user would write it. */
const SAME_AS_JSON = {
  effectiveFrom: "2027-01-01T05:00:00Z",
  qualification: {
    requiredFields: ["name", "phone", "zip"],
    serviceArea: { match: "zip_and_state", zips: ["11201", "11215", "11217"], states: ["NY"] },
    minCallSeconds: 90,
    businessHours: {
      mon: [["08:00", "18:00"]],
      tue: [["08:00", "18:00"]],
      wed: [["08:00", "18:00"]],
      thu: [["08:00", "18:00"]],
      fri: [["08:00", "18:00"]],
      sat: [["09:00", "13:00"]],
    },
    duplicate: { windowDays: 45, fields: ["phone"] },
    blocked: { phones: ["+12125550100"], emails: [], emailDomains: ["mailinator.com"] },
    custom: [{ field: "budget", op: "min", value: 2000 }],
  },
  pricing: {
    retainerCents: 50000,
    leadPriceCents: 8000,
    tiers: [
      { upTo: 100, priceCents: 7500 },
      { upTo: null, priceCents: 6500 },
    ],
    acquisitionPriceCents: 20000,
    revshareBps: 1000,
    monthlyCap: { leads: 150 },
  },
  disputes: {
    windowDays: 10,
    reasons: ["wrong_number", "out_of_area", "duplicate", "spam", "not_looking", "other"],
    autoApprove: ["duplicate", "spam"],
    agencyResponseDays: 3,
    maxReturnRateBps: 1500,
  },
};

const trpc = trpcCall;

describe("the contract builder", () => {
  let browser: Browser;
  let server: RunningServer;
  // A longer start-up allowance than browserAndServer's: the builder's page is the heaviest to build and load.
  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (server) await expectCleanStop(server);
  });

  it("builds a new client's contract without JSON and stores the same version as the equivalent JSON", async () => {
    const page: Page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    await login(page, server.url, ADMIN.email, ADMIN.password);
    const built = await trpc<{ id: string }>(page.request, server.url, "mutation", "clients.create", { name: "Brooklyn Roofing", timezone: "America/New_York" });
    const typed = await trpc<{ id: string }>(page.request, server.url, "mutation", "clients.create", { name: "Queens Roofing", timezone: "America/New_York" });

    await page.goto(`${server.url}/agency/clients/${built.id}/contract`);
    const builder = page.getByRole("form", { name: "Contract builder" });
    const section = (name: string) => builder.getByRole("group", { name, exact: true });
    const reads = (name: string) => builder.getByRole("complementary", { name: `${name} reads as` });

    // Required fields: the name too.
    await section("Required fields").getByLabel("Name", { exact: true }).check();
    await reads("Required fields").getByText("Leads must have a name, a phone and a ZIP.").waitFor();

    // Service area: a pasted ZIP list with a typo, named beside the section; publishing waits.
    const area = section("Service area");
    await area.getByLabel("ZIP codes").fill("11201, 1215\n11217");
    await builder.getByRole("list", { name: "Problems in service area" }).getByText("must be a 5-digit ZIP").waitFor();
    await expect(builder.getByRole("button", { name: "Publish from the form as version 1" }).isDisabled()).resolves.toBe(true);
    await area.getByLabel("ZIP codes").fill("11201, 11215\n11217");
    await area.getByLabel("States").fill("ny");
    await area.getByLabel("A lead is in the area when it has").selectOption("zip_and_state");
    await reads("Service area").getByText("Service area: ZIPs 11201, 11215 and 11217, and only in the state NY (a lead's state is the one its ZIP is in).").waitFor();

    // Saturday mornings too.
    const hours = section("Business hours");
    await hours.getByLabel("Saturday opens", { exact: true }).fill("09:00");
    await hours.getByLabel("Saturday closes", { exact: true }).fill("13:00");
    await reads("Business hours").getByText("Business hours (client's time zone): Monday to Friday 08:00–18:00; Saturday 09:00–13:00; closed Sunday.").waitFor();

    // Duplicates by phone within 45 days; a blocked phone; a budget rule.
    const dup = section("Duplicates");
    await dup.getByLabel("Within (days)").fill("45");
    await dup.getByLabel("E-mail", { exact: true }).uncheck();
    await reads("Duplicates").getByText("A lead with the same phone as an earlier lead within 45 days is a duplicate.").waitFor();
    await section("Blocked lists").getByLabel("Blocked phones").fill("+12125550100");
    const custom = section("Custom rules");
    await custom.getByLabel("Rule 1 field").fill("budget");
    await custom.getByLabel("Rule 1 operator").selectOption("min");
    await custom.getByLabel("Rule 1 value").fill("2000");
    await reads("Custom rules").getByText("budget must be at least 2000.").waitFor();

    // Pricing in dollars, a tier changed, retainer, won deals, cap.
    await section("Price per lead").getByLabel("Price per lead", { exact: true }).fill("80");
    await section("Price per lead").getByLabel("Tier 2 price").fill("65.00");
    await reads("Price per lead").getByText("$75.00 per lead for the first 100 leads each month, then $65.00.").waitFor();
    await section("Retainer").getByLabel("Monthly retainer").fill("500");
    await reads("Retainer").getByText("$500.00 monthly retainer; a first or last partial month is billed by the day.").waitFor();
    await section("Won deals").getByLabel("Acquisition fee").fill("200");
    await section("Won deals").getByLabel("Revenue share (%)").fill("10");
    await reads("Won deals").getByText("10% revenue share.").waitFor();
    await section("Monthly cap").getByLabel("Billable leads per month").fill("150");
    await reads("Monthly cap").getByText("Monthly cap: 150 billable leads.").waitFor();

    // Dispute terms.
    const disputes = section("Dispute terms");
    await disputes.getByLabel("Days to dispute a lead").fill("10");
    await disputes.getByRole("group", { name: "Approved automatically" }).getByRole("checkbox", { name: "Spam" }).check();
    await disputes.getByLabel("Maximum return rate (%)").fill("15");
    await reads("Dispute terms").getByText(/^Disputes within 10 days for: .*; duplicates and spam are approved automatically; .*returns are capped at 15% of a month's leads\.$/).waitFor();

    // From New Year's Day in the client's time zone.
    await section("Takes effect").getByLabel("Effective from", { exact: true }).fill("2027-01-01T00:00");
    await reads("Takes effect").getByText("Judges leads received from Jan 1, 2027, 12:00 AM (America/New_York).").waitFor();
    await builder.getByRole("region", { name: "Before you publish" }).getByText("First version of the contract.").waitFor();
    await shotsWideAndPhone(page, "contract-builder-01-filled");

    await builder.getByRole("button", { name: "Publish from the form as version 1" }).click();
    await page.getByText("Version 1 published.").waitFor();

    // A power user publishes the same terms as JSON for the other client.
    await page.goto(`${server.url}/agency/clients/${typed.id}/contract`);
    await page.getByLabel("Contract document (JSON)").fill(JSON.stringify(SAME_AS_JSON, null, 2));
    await page.getByRole("button", { name: "Publish version 1" }).click();
    await page.getByText("Version 1 published.").waitFor();

    const fromForm = (await trpc<{ document: Record<string, unknown> }[]>(page.request, server.url, "query", "contracts.history", { clientId: built.id }))[0]!;
    const fromJson = (await trpc<{ document: Record<string, unknown> }[]>(page.request, server.url, "query", "contracts.history", { clientId: typed.id }))[0]!;
    expect(fromForm.document).toEqual(fromJson.document);
    expect(fromForm.document).toMatchObject(SAME_AS_JSON);

    // The next version starts from the published one (scheduled for New Year's Day) and is compared with it.
    await page.goto(`${server.url}/agency/clients/${built.id}/contract`);
    const next = page.getByRole("form", { name: "Contract builder" });
    await expect(next.getByLabel("ZIP codes").inputValue()).resolves.toBe("11201\n11215\n11217");
    await next.getByText("What would change from version 1 (scheduled)").waitFor();
    await next.getByRole("region", { name: "Before you publish" }).getByText(/^Effective from: 1 January 2027, 05:00 UTC → /).waitFor();
    await shotsWideAndPhone(page, "contract-builder-02-next-version");
  }, 120_000);
});
