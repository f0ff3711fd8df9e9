import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { DateTime } from "luxon";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { launchBrowser, login, shotsWideAndPhone, startServer, type RunningServer } from "./support";

/**
 * The whole product as one story, in Chromium against the real server on a fresh embedded database
 * (what a newcomer gets from `npm start`):
 *
 *   1. the agency admin sets up a NEW client in the console — client, user, contract, web form,
 *      tracking number, SMS alert recipient;
 *   2. a landing page posts a lead to the form endpoint, a repeat of it is refused as a duplicate, and
 *      a recorded phone call comes in through signed Twilio webhooks sent by `npm run simulate -- call`;
 *   3. the client's owner sees the leads with their verdicts in the portal, plays the call recording,
 *      marks the call won with a deal value and disputes the form lead;
 *   4. the agency admin approves the dispute from the queue;
 *   5. the server restarts on the same data with CLOCK_OFFSET_DAYS putting "now" a few days into next
 *      month (in the client's time zone), the admin closes this month from the Billing page, and the
 *      client reads the dispute credit as a negative line on the invoice and downloads the CSV.
 *
 * Jobs after the restart run on the shifted clock too: the dispute is decided before the restart (so
 * the SLA job has nothing to approve), and the period-close sweep may close the month before the admin
 * does — then the Billing page says it is already closed and the same invoice is checked.
 * Screenshots (prefix `story-`) at 1280 px and 390 px wide; no page may scroll sideways on a phone.
 */

const ROOT = path.resolve(__dirname, "../..");
const run = promisify(execFile);

const ADMIN = { email: "admin@leadledger.local", password: "e2e-admin-password" };
const OWNER = { email: "owner@lakeshoreplumbing.test", password: "lakeshore-owner-2024", name: "Dana Whitfield" };
const CLIENT = { name: "Lakeshore Plumbing", timezone: "America/Chicago" };
const SITE = "https://lakeshoreplumbing.example";
const NUMBER = { tracking: "+13125550199", trackingText: "(312) 555-0199", forwardTo: "+13125550100" };
const REP = { name: "Marcus Bell", phone: "(312) 555-0147", e164: "+13125550147" };
const FORM_LEAD = { name: "Ann Fairbanks", phone: "(312) 555-0142", e164: "+13125550142", email: "ann.fairbanks@example.com", zip: "60601" };
const CALLER = { name: "Luis Ortega", e164: "+13125550188", zip: "60603", seconds: 150 };
const DEAL = { typed: "4,800.00", shown: "$4,800.00" };
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) LeadLedgerStory/1.0";
const DISPUTE_NOTE = "The number belongs to a dentist's office; nobody there asked for a plumber.";

const CONTRACT = {
  qualification: {
    requiredFields: ["phone", "zip"],
    serviceArea: { zips: ["60601", "60602", "60603", "60604", "60605"] },
    minCallSeconds: 90,
    duplicate: { windowDays: 30, fields: ["phone"] },
  },
  pricing: { leadPriceCents: 7500, acquisitionPriceCents: 20000 },
  disputes: { windowDays: 7, reasons: ["wrong_number", "out_of_area", "duplicate", "spam", "not_looking", "other"], autoApprove: ["duplicate"], agencyResponseDays: 3 },
};

async function shots(page: Page, name: string): Promise<void> {
  await shotsWideAndPhone(page, `story-${name}`);
}

/** Resolves once React has hydrated the page (controlled inputs and fetcher forms work from then on). */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber") || k.startsWith("__reactContainer")));
}

/** Reloads the page until `locator` shows (each try waits up to 3 s for it): for work done by background jobs. */
async function reloadUntilVisible(page: Page, locator: Locator, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await locator.first().waitFor({ timeout: 3_000 }).then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await page.reload();
  }
}

/** RFC 4180 rows (quoted fields with commas, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Whole days to add to the real clock so that "now" lands `marginDays` (to marginDays + 1) days into
 * next month in `timezone`; and this month, the one to close then.
 */
function offsetIntoNextMonth(timezone: string, marginDays = 3): { days: number; period: string } {
  const now = DateTime.now().setZone(timezone);
  const target = now.startOf("month").plus({ months: 1, days: marginDays });
  return { days: Math.ceil((target.toMillis() - now.toMillis()) / 86_400_000), period: now.toFormat("yyyy-MM") };
}

interface Story {
  clientId: string;
  publicKey: string;
  formLeadId: string;
  callLeadId: string;
  disputeId: string;
}

describe("the whole product as one story: set-up, leads, a call, an outcome, a dispute, the invoice", () => {
  let browser: Browser;
  let server: RunningServer | null = null;
  let dataDir: string | null = null;
  let agency: BrowserContext;
  let owner: BrowserContext;
  const story: Partial<Story> = {};
  const need = <K extends keyof Story>(k: K): Story[K] => {
    if (story[k] === undefined) throw new Error(`an earlier step did not get as far as ${k}`);
    return story[k]!;
  };
  const problems: string[] = [];
  const watch = (p: Page) => {
    p.on("pageerror", (e) => problems.push(`page error on ${p.url()}: ${e.message}`));
    p.on("console", (m) => {
      if (/hydrat|did not match|react error #4(18|19|22|23|25)/i.test(m.text())) problems.push(`console on ${p.url()}: ${m.text()}`);
    });
  };

  beforeAll(async () => {
    let first: RunningServer;
    [browser, first] = await Promise.all([launchBrowser(), startServer({}, { keepData: true })]);
    server = first;
    dataDir = first.dataDir;
    agency = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    owner = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("1. the agency admin sets up a new client in the console: user, contract, web form, tracking number, alert recipient", async () => {
    const page = await agency.newPage();
    watch(page);
    await login(page, server!.url, ADMIN.email, ADMIN.password);

    await page.goto(`${server!.url}/agency/clients`);
    await page.getByLabel("Business name").fill(CLIENT.name);
    await page.getByLabel(/^Time zone/).selectOption(CLIENT.timezone);
    await page.getByRole("button", { name: "Create client" }).click();
    await page.getByText(`Client “${CLIENT.name}” created.`).waitFor();
    await page.getByRole("row", { name: new RegExp(CLIENT.name) }).getByText(CLIENT.timezone).waitFor();
    await page.getByRole("link", { name: CLIENT.name }).click();
    await page.getByRole("heading", { level: 1, name: CLIENT.name }).waitFor();
    story.clientId = /\/agency\/clients\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const hub = page.getByRole("navigation", { name: `${CLIENT.name} sections` });

    // The client's owner, who will use the portal.
    const addUser = page.getByRole("form", { name: "Add a user" });
    await addUser.getByLabel("Name").fill(OWNER.name);
    await addUser.getByLabel("E-mail").fill(OWNER.email);
    await addUser.getByLabel(/^Temporary password/).fill(OWNER.password);
    await addUser.getByLabel("Role").selectOption("client_admin");
    await addUser.getByRole("button", { name: "Add user" }).click();
    await page.getByText(`${OWNER.email} can now sign in.`).waitFor();
    await page.getByRole("cell", { name: OWNER.email }).waitFor();
    await shots(page, "01-client-overview");

    // The contract: checked (plain English), then published as version 1.
    await hub.getByRole("link", { name: "Contract" }).click();
    await page.getByText("No contract yet").waitFor();
    await page.getByLabel("Contract document (JSON)").fill(JSON.stringify(CONTRACT, null, 2));
    await page.getByRole("button", { name: "Check" }).click();
    await page.getByText("The document is valid.").waitFor();
    for (const line of [
      "Leads must have a phone and a ZIP.",
      "Service area: ZIPs 60601–60605.",
      "A lead with the same phone as an earlier lead within 30 days is a duplicate.",
      "Calls count after 90 seconds of conversation.",
      "$75.00 per lead.",
      "$200.00 per acquisition.",
      "Disputes within 7 days for: wrong number, out of area, duplicate, spam, not looking, other; duplicates are approved automatically; the agency answers within 3 days or the dispute is approved.",
    ]) {
      await page.getByText(line, { exact: true }).first().waitFor();
    }
    await page.getByRole("button", { name: "Publish version 1" }).click();
    await page.getByText("Version 1 published.").waitFor();
    await page.getByRole("listitem", { name: "Version 1" }).waitFor();
    await shots(page, "02-contract-published");

    // A web form for the landing page.
    await hub.getByRole("link", { name: "Campaigns & forms" }).click();
    const addForm = page.getByRole("form", { name: "Add a form" });
    await addForm.getByLabel(/^Form name/).fill("Spring leak landing page");
    await addForm.getByLabel("Allowed origins").fill(SITE);
    await addForm.getByLabel(/^Thank-you page/).fill(`${SITE}/thanks`);
    await addForm.getByRole("button", { name: "Add form" }).click();
    await page.getByText("Form created.").waitFor();
    story.publicKey = (await page.locator("dd.mono").first().textContent())!.trim();
    expect(story.publicKey).toMatch(/^pk_/);
    expect(await page.getByLabel("HTML for the landing page").inputValue()).toContain(`/api/forms/${story.publicKey}`);
    await shots(page, "03-web-form");

    // A tracking number that forwards (and records) calls to the office.
    await hub.getByRole("link", { name: "Tracking numbers" }).click();
    await page.getByText("No tracking numbers yet").waitFor();
    await page.getByRole("textbox", { name: /^Tracking number/ }).fill(NUMBER.tracking);
    await page.getByLabel("Forward calls to").fill(NUMBER.forwardTo);
    await expect(page.getByLabel(/^Record calls/).isChecked()).resolves.toBe(true);
    await page.getByRole("button", { name: "Add number" }).click();
    await page.getByText(`${NUMBER.trackingText} now forwards to (312) 555-0100`).waitFor();
    await shots(page, "04-tracking-number");

    // The sales rep who gets an SMS for every qualified lead.
    await hub.getByRole("link", { name: "Alerts" }).click();
    await page.getByRole("heading", { name: "Sales reps who get lead alerts" }).waitFor();
    await page.getByText("Nobody gets alerts yet").waitFor();
    const addRep = page.locator("form").filter({ has: page.getByRole("button", { name: "Add rep" }) });
    await addRep.getByLabel("Name").fill(REP.name);
    await addRep.getByLabel("Mobile phone").fill(REP.phone);
    await addRep.getByRole("button", { name: "Add rep" }).click();
    await page.getByText(`${REP.name} (${REP.e164}) now gets lead alerts.`).waitFor();
    await page.getByRole("list", { name: "Alert recipients" }).getByRole("listitem", { name: REP.name }).getByText("Active hours: Always", { exact: true }).waitFor();

    // The overview's checklist: everything needed is done.
    await hub.getByRole("link", { name: "Overview" }).click();
    const checklist = page.locator("ul.checklist");
    for (const [step, text] of [
      ["Contract", "Version 1 is in force."],
      ["Web forms", "1 active form."],
      ["Tracking numbers", "1 active."],
    ] as const) {
      await expect(checklist.getByRole("listitem").filter({ hasText: step }).textContent()).resolves.toMatch(new RegExp(`^Done${step}.*${text.replace(/\./g, "\\.")}`));
    }
    await expect(checklist.locator(".badge.warn").count()).resolves.toBe(0);
    await shots(page, "05-client-set-up");
    await page.close();
  }, 240_000);

  it("2. a form lead arrives over HTTP, its repeat is refused as a duplicate, and a recorded call comes in through signed Twilio webhooks", async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${server!.url}/api/forms/${need("publicKey")}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", Origin: SITE, Referer: `${SITE}/spring-leaks`, "User-Agent": BROWSER_UA },
        body: JSON.stringify(body),
      });
    const lead = { name: FORM_LEAD.name, phone: FORM_LEAD.phone, email: FORM_LEAD.email, zip: FORM_LEAD.zip, message: "Water under the kitchen sink" };
    const res = await post(lead);
    const first = (await res.json()) as { leadId: string; status: string; billable: boolean; reasons: unknown[] };
    expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
    // The intake checks (decision 021) answer with the lead: a mobile from the local fake Twilio, a good address.
    expect(first).toEqual({
      leadId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: "qualified",
      billable: true,
      reasons: [],
      quality: { band: "good", score: 100, summary: expect.stringMatching(/^Phone: mobile.* · E-mail: ok · IP: /) },
    });
    story.formLeadId = first.leadId;

    // The same person sends the form again: the contract's 30-day duplicate rule on phone refuses it.
    const again = (await (await post({ ...lead, message: "Sent it twice, sorry" })).json()) as { status: string; reasons: { code: string; message: string }[] };
    expect(again.status).toBe("rejected");
    expect(again.reasons.map((r) => r.code)).toEqual(["DUPLICATE"]);
    expect(again.reasons[0]!.message).toBe(`Same phone as lead ${first.leadId}, received less than a day earlier (duplicate window 30 days)`);

    // A phone call: the simulator signs each webhook like Twilio (voice → whisper → recording → dial-complete).
    const sim = await run(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["server/cli/simulate.ts", "call", "--to", NUMBER.tracking, "--from", CALLER.e164, "--seconds", String(CALLER.seconds), "--zip", CALLER.zip, "--name", CALLER.name, "--url", server!.url],
      { cwd: ROOT, env: server!.env as NodeJS.ProcessEnv, timeout: 120_000 },
    );
    expect(sim.stdout).toContain(`call CA`);
    expect(sim.stdout).toMatch(/POST \/twilio\/voice → 200 {2}forward to \+13125550100, recording on/);
    expect(sim.stdout).toMatch(/POST \/twilio\/voice\/recording → 200/);
    const done = /^lead ([0-9a-f-]{36}): qualified$/m.exec(sim.stdout);
    expect(done).not.toBeNull();
    story.callLeadId = done![1]!;
  }, 180_000);

  it("3. the client's owner reads the verdicts, plays the call recording, marks the call won and disputes the form lead", async () => {
    const page = await owner.newPage();
    watch(page);
    await login(page, server!.url, OWNER.email, OWNER.password);
    expect(new URL(page.url()).pathname).toBe("/portal");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" }).click();
    await page.getByRole("heading", { level: 1, name: "Leads" }).waitFor();

    // The inbox: two billable leads and the refused repeat, each with its reason and charge.
    const rows = page.getByRole("row").filter({ has: page.getByRole("link") });
    await expect(rows.count()).resolves.toBe(3);
    const callRow = page.getByRole("row", { name: new RegExp(CALLER.name) });
    await expect(callRow.textContent()).resolves.toMatch(/Phone call.*qualified.*Met every rule.*\$75\.00/);
    const formRows = page.getByRole("row", { name: new RegExp(FORM_LEAD.name) });
    await expect(formRows.count()).resolves.toBe(2);
    expect(await formRows.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/Web form.*qualified.*Met every rule.*\$75\.00$/), expect.stringMatching(/Web form.*rejected.*Duplicate.*\$0\.00$/)]),
    );
    await shots(page, "06-portal-inbox");

    // The call: its facts, the SMS to the rep, and the recording played through LeadLedger.
    await callRow.getByRole("link", { name: CALLER.name }).click();
    await page.getByRole("heading", { level: 1, name: CALLER.name }).waitFor();
    expect(page.url()).toContain(`/portal/leads/${need("callLeadId")}`);
    await page.getByText("It met every rule").waitFor();
    const call = page.getByRole("region", { name: "Call" });
    await call.getByText(`${CALLER.seconds} s`, { exact: true }).waitFor();
    await call.getByText("completed", { exact: true }).waitFor();
    const alerts = page.getByRole("table", { name: "SMS alerts for this lead" });
    await reloadUntilVisible(page, alerts.getByRole("row", { name: new RegExp(`Delivered.*${REP.name}`) }), "the SMS alert to the rep to be delivered");
    await hydrated(page);

    const audio = page.getByLabel("Call recording");
    const [recording] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/recordings/${need("callLeadId")}`),
      audio.evaluate((a: HTMLAudioElement) => a.play()),
    ]);
    expect([200, 206]).toContain(recording.status());
    expect(recording.headers()["content-type"]).toBe("audio/mpeg"); // the recording is fetched as mp3 (smaller), like from Twilio
    await page.waitForFunction((el) => el !== null && (el as HTMLAudioElement).currentTime > 0, await audio.elementHandle());
    const played = await audio.evaluate((a: HTMLAudioElement) => ({ error: a.error?.code ?? null, readyState: a.readyState, duration: a.duration }));
    expect(played.error).toBeNull();
    expect(played.readyState).toBeGreaterThanOrEqual(2);
    expect(played.duration).toBeCloseTo(1, 1); // the local fake Twilio's one second of MPEG audio
    await shots(page, "07-portal-call-lead");

    // The call became a job: mark it won with the deal value; the contract's acquisition fee is billed.
    await page.getByLabel("Deal value ($)").fill(DEAL.typed);
    await page.getByRole("button", { name: "Mark won" }).click();
    await page.getByText(`Marked won — deal value ${DEAL.shown}. Billed: acquisition fee $200.00.`).waitFor();
    await page.getByRole("table", { name: "Billed for the outcome" }).getByText("$200.00").first().waitFor();
    await shots(page, "08-portal-call-won");

    // The form lead gave a wrong number: dispute it.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" }).click();
    await page.getByRole("row", { name: /Met every rule/ }).getByRole("link", { name: FORM_LEAD.name }).click();
    await page.getByRole("heading", { level: 1, name: FORM_LEAD.name }).waitFor();
    expect(page.url()).toContain(`/portal/leads/${need("formLeadId")}`);
    const consent = page.getByRole("region", { name: "Consent record" });
    await consent.getByText(`${SITE}/spring-leaks`, { exact: true }).waitFor();
    await consent.getByText(BROWSER_UA, { exact: true }).waitFor();
    await page.getByRole("heading", { name: "Dispute this lead" }).waitFor();
    await hydrated(page);
    await page.getByRole("combobox", { name: "Reason" }).selectOption("wrong_number");
    await page.getByLabel(/^Note/).fill(DISPUTE_NOTE);
    await shots(page, "09-portal-dispute-form");
    await page.getByRole("button", { name: "Dispute this lead" }).click();
    await page.getByRole("heading", { name: "Your dispute" }).waitFor();
    await page.getByText("Dispute opened. The agency has been asked to review it.").waitFor();
    await page.getByText(/agency answers by \w{3} \d{1,2} — 2 days 23 hours left/).waitFor();
    await page.getByText(`“${DISPUTE_NOTE}”`).waitFor();
    const disputeLink = page.getByRole("link", { name: "The dispute and its timeline →" });
    story.disputeId = /\/portal\/disputes\/([0-9a-f-]{36})/.exec((await disputeLink.getAttribute("href")) ?? "")![1]!;
    await shots(page, "10-portal-lead-disputed");
    await page.close();
  }, 240_000);

  it("4. the agency admin approves the dispute from the review queue", async () => {
    const page = await agency.newPage();
    watch(page);
    await page.goto(`${server!.url}/agency/disputes`);
    await page.getByRole("heading", { level: 1, name: "Disputes" }).waitFor();
    const row = page.getByRole("row", { name: new RegExp(FORM_LEAD.name) });
    await expect(row.textContent()).resolves.toMatch(new RegExp(`${CLIENT.name}.*Wrong number.*${DISPUTE_NOTE.slice(0, 20)}.*Open`));
    await shots(page, "11-agency-dispute-queue");

    await hydrated(page);
    await row.getByRole("checkbox", { name: `Select the dispute of ${FORM_LEAD.name}` }).check();
    await page.getByLabel(/^Note to the clients/).fill("Confirmed: the number is a dentist's office. Full credit.");
    await page.getByRole("button", { name: "Approve selected (1)" }).click();
    await page.getByText("Approved 1 dispute with full credit.").waitFor();
    await page.getByText("No open disputes").waitFor();

    await page.getByLabel("Status").selectOption("any");
    await page.getByRole("button", { name: "Apply" }).click();
    const decided = page.getByRole("row", { name: new RegExp(FORM_LEAD.name) });
    await decided.getByText("Approved", { exact: true }).waitFor();
    await expect(decided.getByRole("cell").last().textContent()).resolves.toBe("$75.00");
    await shots(page, "12-agency-dispute-approved");

    // The credit is in the client's ledger, not yet invoiced: 2 × $75 + $200 − $75.
    await page.goto(`${server!.url}/agency/clients/${need("clientId")}/billing`);
    await page.getByRole("heading", { name: "Close a billing period" }).waitFor();
    const uninvoiced = page.locator(".stats .card").filter({ hasText: "Not yet invoiced" });
    await expect(uninvoiced.locator(".stat").textContent()).resolves.toBe("$275.00");
    await uninvoiced.getByText("4 ledger entries").waitFor();
    await page.close();
  }, 120_000);

  it("5. after a restart in next month, the admin closes this month and the client reads the credit on the invoice and its CSV", async () => {
    const { days, period } = offsetIntoNextMonth(CLIENT.timezone);
    const monthName = DateTime.fromFormat(period, "yyyy-MM").toFormat("LLLL yyyy");
    await agency.clearCookies();
    await owner.clearCookies();
    const first = server!;
    server = null;
    expect(await first.stop()).toBe(0);
    server = await startServer({ CLOCK_OFFSET_DAYS: String(days) }, { dataDir: first.dataDir, keepData: true });
    const warning = /LeadLedger: WARNING: CLOCK_OFFSET_DAYS=(\d+) shifts this server's clock \d+ days: it reads (\S+) /.exec(server.output());
    expect(warning?.[1]).toBe(String(days));
    const shiftedNow = DateTime.fromISO(warning![2]!).setZone(CLIENT.timezone);
    expect(shiftedNow.toFormat("yyyy-MM")).toBe(DateTime.fromFormat(period, "yyyy-MM").plus({ months: 1 }).toFormat("yyyy-MM"));

    // The agency admin closes the month from the client's Billing page.
    const page = await agency.newPage();
    watch(page);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/agency/clients/${need("clientId")}/billing`);
    await page.getByRole("heading", { name: "Close a billing period" }).waitFor();
    // The page follows the server's (shifted) clock: the month to close is offered by default.
    await expect(page.getByLabel("Month", { exact: true }).inputValue()).resolves.toBe(period);
    await page.getByRole("button", { name: "Close period" }).click();
    // The admin's close leaves a draft to review, issued with the Issue button. The period-close sweep
    // (every 15 minutes, on the same shifted clock) may have closed it first, and issued it.
    const closed = page.getByText(new RegExp(`^Closed ${monthName}: invoice (INV-\\d{4}) for ${monthName} \\(draft\\), total \\$275\\.00\\. Review it and press Issue`));
    const already = page.getByText(new RegExp(`^${monthName} is already closed: invoice (INV-\\d{4}) for ${monthName} \\(issued\\)\\. Nothing changed\\.$`));
    await closed.or(already).waitFor();
    const message = (await closed.or(already).textContent()) ?? "";
    const invoiceNumber = /INV-\d{4}/.exec(message)![0];
    expect(invoiceNumber).toBe("INV-0001");
    const closedByAdmin = await closed.isVisible();
    if (closedByAdmin) {
      await page.getByRole("button", { name: `Issue ${invoiceNumber}` }).click();
      await page.getByText(`Invoice ${invoiceNumber} is issued; the client can see it as due.`).waitFor();
    }
    const invoiceRow = page.getByRole("region", { name: "Invoices", exact: true }).getByRole("row", { name: new RegExp(invoiceNumber) });
    // The list re-renders after the Issue action; wait for the row to say so before reading it.
    await invoiceRow.filter({ hasText: "Issued" }).waitFor();
    await expect(invoiceRow.textContent()).resolves.toMatch(new RegExp(`${monthName}.*Issued.*\\$275\\.00.*\\$0\\.00`));
    await expect(page.locator(".stats .card").filter({ hasText: "Not yet invoiced" }).locator(".stat").textContent()).resolves.toBe("$0.00");
    await shots(page, "13-agency-period-closed");
    // Closing the month again changes nothing and names the same invoice.
    if (closedByAdmin) {
      await page.getByLabel("Month", { exact: true }).fill(period);
      await page.getByRole("button", { name: "Close period" }).click();
      await already.waitFor();
    }
    await expect(already.textContent()).resolves.toContain(`invoice ${invoiceNumber} for ${monthName}`);
    await expect(page.getByRole("region", { name: "Invoices", exact: true }).getByRole("row").filter({ has: page.getByRole("link") }).count()).resolves.toBe(1);
    await page.close();

    // The client opens the invoice: charges, the acquisition fee and the dispute credit as a negative line.
    const portal = await owner.newPage();
    watch(portal);
    await login(portal, server.url, OWNER.email, OWNER.password);
    await portal.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invoices" }).click();
    await portal.getByRole("heading", { name: "Your invoices" }).waitFor();
    await shots(portal, "14-portal-invoices");
    await portal.getByRole("link", { name: invoiceNumber }).first().click();
    await portal.getByRole("heading", { level: 1, name: invoiceNumber }).waitFor();
    await portal.getByText(`${CLIENT.name} · ${monthName}`).waitFor();
    const lines = portal.getByRole("table", { name: "Invoice lines" });
    const line = (description: RegExp) => lines.getByRole("row").filter({ has: portal.locator(".line-desc", { hasText: description }) });
    await expect(line(/^Qualified leads/).locator("td").allTextContents()).resolves.toEqual([expect.stringMatching(/^Qualified leads — Default.*2 × \$75\.00/), "2", "$75.00", "$150.00"]);
    await expect(line(/^Acquisitions/).locator("td").allTextContents()).resolves.toEqual([expect.stringMatching(/^Acquisitions — Default.*1 × \$200\.00/), "1", "$200.00", "$200.00"]);
    const credit = line(/^Dispute credit/);
    await expect(credit.getAttribute("class")).resolves.toBe("credit-line");
    await expect(credit.locator("td").allTextContents()).resolves.toEqual([expect.stringMatching(/^Dispute credit.*1 × −\$75\.00/), "1", "−$75.00", "−$75.00"]);
    await expect(credit.getByRole("link", { name: "View the dispute" }).getAttribute("href")).resolves.toBe(`/portal/disputes/${need("disputeId")}`);
    await expect(credit.getByRole("link", { name: "View the lead" }).getAttribute("href")).resolves.toBe(`/portal/leads/${need("formLeadId")}`);
    const totals = portal.locator("dl.invoice-totals");
    await expect(totals.locator("dt").allTextContents()).resolves.toEqual(["Subtotal", "Credit applied", "Total due", "Credit carried forward"]);
    await expect(totals.locator("dd").allTextContents()).resolves.toEqual(["$275.00", "$0.00", "$275.00", "$0.00"]);
    await shots(portal, "15-portal-invoice");

    // The CSV: one row per ledger entry under its line, then the totals; the entries re-add to the total.
    const [download] = await Promise.all([portal.waitForEvent("download"), portal.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe(`invoice-${invoiceNumber}.csv`);
    const [header, ...rows] = parseCsv(fs.readFileSync((await download.path())!, "utf8").trim());
    expect(header).toEqual([
      "invoice",
      "period",
      "line",
      "description",
      "kind",
      "quantity",
      "unit_amount",
      "line_amount",
      "entry_id",
      "lead_id",
      "dispute_id",
      "entry_created_at",
      "entry_amount",
      "entry_amount_cents",
    ]);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.every((r) => r.length === header!.length && r[col("invoice")] === invoiceNumber && r[col("period")] === period)).toBe(true);
    const entries = rows.filter((r) => r[col("entry_id")] !== "");
    const pick = (r: string[]) => ({
      kind: r[col("kind")],
      lead: r[col("lead_id")],
      dispute: r[col("dispute_id")],
      lineAmount: r[col("line_amount")],
      amount: r[col("entry_amount")],
      cents: r[col("entry_amount_cents")],
    });
    const lead = need("formLeadId");
    const callLead = need("callLeadId");
    expect(entries.map(pick).sort((a, b) => `${a.kind}${a.lead}`.localeCompare(`${b.kind}${b.lead}`))).toEqual(
      [
        { kind: "acquisition_charge", lead: callLead, dispute: "", lineAmount: "200.00", amount: "200.00", cents: "20000" },
        { kind: "dispute_credit", lead, dispute: need("disputeId"), lineAmount: "-75.00", amount: "-75.00", cents: "-7500" },
        { kind: "lead_charge", lead: callLead, dispute: "", lineAmount: "150.00", amount: "75.00", cents: "7500" },
        { kind: "lead_charge", lead, dispute: "", lineAmount: "150.00", amount: "75.00", cents: "7500" },
      ].sort((a, b) => `${a.kind}${a.lead}`.localeCompare(`${b.kind}${b.lead}`)),
    );
    const sumCents = entries.reduce((s, r) => s + Number(r[col("entry_amount_cents")]), 0);
    const summary = Object.fromEntries(rows.filter((r) => r[col("entry_id")] === "").map((r) => [r[col("description")], r[col("line_amount")]]));
    expect(summary).toEqual({ Subtotal: "275.00", "Credit applied": "0.00", "Total due (USD, issued)": "275.00", "Credit carried forward": "0.00" });
    expect(sumCents).toBe(27_500);
    expect(`${Math.trunc(sumCents / 100)}.${String(Math.abs(sumCents % 100)).padStart(2, "0")}`).toBe(summary.Subtotal);

    // The dispute page reads the same credit.
    await portal.goto(`${server.url}/portal/disputes`);
    await portal.getByRole("heading", { level: 1, name: "Disputes" }).waitFor();
    const disputeRow = portal.getByRole("row").filter({ hasText: FORM_LEAD.name });
    await disputeRow.getByText("Approved", { exact: true }).waitFor();
    await disputeRow.getByText("$75.00", { exact: true }).waitFor();
    await shots(portal, "16-portal-disputes");
    await portal.close();
    expect(problems).toEqual([]);
  }, 300_000);
});
