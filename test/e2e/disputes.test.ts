import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, shotsWideAndPhone, login, startServer, trpcCall, type RunningServer } from "./support";

/**
 * Outcomes and disputes in a real browser against the real server: the agency publishes a contract
 * and issues an API key for the demo client, a vendor posts two leads, the client's owner marks one
 * won and disputes the other (with a screenshot as evidence, after a refused file), the agency
 * reviews the evidence side by side and approves, and the client reads the answer and the credit.
 * Screenshots of each page at 1280 px and 390 px wide.
 */

const PASSWORD = "e2e-admin-password";
const ADMIN = "admin@leadledger.local";
const OWNER = "owner@brooklynroofing.demo";
const CLIENT_NAME = "Brooklyn Roofing Co";

const CONTRACT = {
  qualification: { requiredFields: ["phone", "zip"], serviceArea: { zips: ["11201", "11215", "11217"] } },
  pricing: { leadPriceCents: 7500, acquisitionPriceCents: 20000 },
  disputes: { windowDays: 7, agencyResponseDays: 3, autoApprove: ["spam"] },
};

async function shots(page: Page, name: string): Promise<void> {
  await shotsWideAndPhone(page, `disputes-${name}`);
}

const trpc = trpcCall;

describe("a client disputes a lead and the agency decides, in the browser", () => {
  let browser: Browser;
  let server: RunningServer;
  let agency: BrowserContext;
  let owner: BrowserContext;
  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer()]);
    agency = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    owner = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("marks one lead won, disputes another with evidence, and the agency approves it", async () => {
    // Set-up through the API with the agency admin's session: a contract and a vendor key.
    const admin = await agency.newPage();
    await login(admin, server.url, ADMIN, PASSWORD);
    const clients = await trpc<{ id: string; name: string }[]>(agency.request, server.url, "query", "clients.list");
    const clientId = clients.find((c) => c.name === CLIENT_NAME)!.id;
    await trpc(agency.request, server.url, "mutation", "contracts.publish", { clientId, document: CONTRACT });
    const { key } = await trpc<{ key: string }>(agency.request, server.url, "mutation", "apiKeys.create", { clientId, name: "E2E lead vendor" });
    const post = async (lead: Record<string, string>) => {
      const res = await fetch(`${server.url}/api/v1/leads`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(lead) });
      const body = (await res.json()) as { leadId: string; status: string };
      expect(body.status).toBe("qualified");
      return body.leadId;
    };
    await post({ name: "Wendy Winner", phone: "(718) 555-0142", email: "wendy@example.com", zip: "11201", job: "Full roof replacement" });
    await post({ name: "Bob Badnumber", phone: "(718) 555-0199", zip: "11215" });

    // The client's owner marks the first lead won with a deal value.
    const page = await owner.newPage();
    const problems: string[] = [];
    for (const p of [page, admin]) {
      p.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      p.on("console", (m) => {
        if (/hydrat|did not match|react error #4(18|19|22|23|25)/i.test(m.text())) problems.push(`console: ${m.text()}`);
      });
    }
    await login(page, server.url, OWNER, PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" }).click();
    await page.getByRole("link", { name: "Wendy Winner" }).click();
    await page.getByRole("heading", { level: 1, name: "Wendy Winner" }).waitFor();
    await page.getByLabel("Deal value ($)").fill("1,250.5x");
    await page.getByRole("button", { name: "Mark won" }).click();
    await page.getByText("Enter an amount like 1250.55").waitFor();
    await page.getByLabel("Deal value ($)").fill("1,250.55");
    await page.getByRole("button", { name: "Mark won" }).click();
    await page.getByText("Marked won — deal value $1,250.55. Billed: acquisition fee $200.00.").waitFor();
    await page.getByRole("table", { name: "Billed for the outcome" }).getByText("$200.00").first().waitFor();
    await shots(page, "01-lead-marked-won");

    // …and disputes the second one, first with a file that is not what it claims to be.
    await page.getByRole("link", { name: "← Leads" }).click();
    await page.getByRole("link", { name: "Bob Badnumber" }).click();
    await page.getByRole("heading", { name: "Dispute this lead" }).waitFor();
    await page.getByRole("combobox", { name: "Reason" }).selectOption("wrong_number");
    await page.getByLabel(/^Note/).fill("The number rings a laundromat; nobody there asked for a roofer.");
    await page.getByLabel(/^Evidence/).setInputFiles({ name: "call-log.png", mimeType: "image/png", buffer: Buffer.from("this is not really a PNG") });
    await shots(page, "02-dispute-form");
    await page.getByRole("button", { name: "Dispute this lead" }).click();
    await page.getByRole("heading", { name: "Your dispute" }).waitFor();
    await page.getByText(/agency answers by \w{3} \d{1,2} — 2 days 23 hours left/).waitFor();
    await page.getByText("The file was refused (415): The file does not look like a PNG image, as its Content-Type says.").waitFor();

    // A real screenshot of the client's call log as evidence.
    const evidencePage = await owner.newPage();
    await evidencePage.setViewportSize({ width: 480, height: 160 });
    await evidencePage.setContent(
      `<body style="margin:0;font:16px system-ui;background:#fff"><div style="padding:16px;border:2px solid #1d4ed8;height:160px;box-sizing:border-box">` +
        `<b>Call log — Nov 22</b><br>10:04 AM · (718) 555-0199 · 0:12<br>“Sunshine Laundromat, how can I help?”<br><i>Number does not belong to the lead.</i></div></body>`,
    );
    const png = await evidencePage.screenshot();
    await evidencePage.close();
    await page.getByLabel(/^Add evidence/).setInputFiles({ name: "call-log.png", mimeType: "image/png", buffer: png });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("img", { name: "Evidence: call-log.png" }).waitFor();
    await shots(page, "03-lead-disputed");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Disputes" }).click();
    await page.getByRole("heading", { level: 1, name: "Disputes" }).waitFor();
    await page.getByRole("link", { name: "Bob Badnumber" }).waitFor();
    await shots(page, "04-portal-disputes");

    // The agency reviews the queue and the evidence side by side.
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Disputes" }).click();
    await admin.getByRole("heading", { level: 1, name: "Disputes" }).waitFor();
    await admin.getByRole("link", { name: "Bob Badnumber" }).waitFor();
    await shots(admin, "05-agency-queue");
    await admin.getByRole("link", { name: "Bob Badnumber" }).click();
    await admin.getByRole("heading", { level: 1, name: /Dispute: Wrong number — Bob Badnumber/ }).waitFor();
    await admin.getByRole("img", { name: "Evidence: call-log.png" }).waitFor();
    expect(await admin.getByRole("img", { name: "Evidence: call-log.png" }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await admin.getByText("Raw payload as received").waitFor();
    await admin.getByLabel("Reject — no credit").check();
    await admin.getByRole("button", { name: "Record decision" }).click();
    await admin.getByText("A note is required to reject a dispute: the client reads it.").waitFor();
    await shots(admin, "06-agency-review-note-required");
    await admin.getByLabel(/^Approve — credit \$75\.00/).check();
    await admin.getByLabel(/^Note to the client/).fill("Confirmed: the number belongs to a laundromat. Full credit.");
    await admin.getByRole("button", { name: "Record decision" }).click();
    await admin.getByText(`Approved. $75.00 is credited to ${CLIENT_NAME}'s next invoice.`).waitFor();
    await shots(admin, "07-agency-review-approved");

    // The client reads the answer and the credit.
    await page.reload();
    await page.getByRole("link", { name: "Bob Badnumber" }).click();
    await page.getByRole("heading", { name: "The agency's answer" }).waitFor();
    await page.getByText("Confirmed: the number belongs to a laundromat. Full credit.").first().waitFor();
    await page.getByText("$75.00", { exact: true }).first().waitFor();
    await page.getByRole("list", { name: "Timeline" }).getByText("Attached evidence").waitFor();
    await shots(page, "08-portal-dispute-approved");
    expect(problems).toEqual([]);
    await page.close();
    await admin.close();
  }, 240_000);
});
