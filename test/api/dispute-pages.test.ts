import { sql } from "drizzle-orm";
import { formatDay } from "../../server/domain/disputes/policy";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { count, DISPUTE_CONTRACT, setupIntakeClient, submitTestLead } from "../support/fixtures";

/**
 * The outcome and dispute pages, driven through their real forms (document POSTs to the Remix
 * actions) against a real database: a client marks a lead won and disputes another, the agency
 * decides from its queue, the client reads the answer; tenancy and roles hold.
 */

const DAY = 86_400_000;
// The pages compute the dispute window from the browser's clock; the server from its clock. A fixed
// clock at "now" (to the minute) keeps both in agreement while the test moves the server's time.
const T0 = new Date(Math.floor(Date.now() / 60_000) * 60_000);

/** Page text as a person reads it: tags and React's comment separators removed, entities decoded. */
function text(html: string): string {
  return html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]*>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("dispute and outcome pages", () => {
  const clock = fixedClock(T0);
  let t: TestContext;
  let alpha: Awaited<ReturnType<typeof setupIntakeClient>>;
  let beta: Awaited<ReturnType<typeof setupIntakeClient>>;
  let phone = 400;

  const lead = async (s: typeof alpha, name: string) => (await submitTestLead(t.deps, s, { name, phone: `212-555-0${phone++}`, zip: "10001" })).leadId;
  const client = () => loginAgent(t.app, "boss@alpha.test");
  const agencyAdmin = () => loginAgent(t.app, "admin@agency.test");
  const openThroughPage = async (leadId: string, form: Record<string, string>) => {
    const agent = await client();
    const page = await agent.get(`/portal/leads/${leadId}`);
    const requestKey = /name="requestKey" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
    const res = await agent.post(`/portal/leads/${leadId}`).type("form").send({ intent: "open-dispute", requestKey, ...form });
    const [row] = (await t.deps.db.execute(sql`select id from disputes where lead_id = ${leadId} order by opened_at desc limit 1`)).rows as { id: string }[];
    return { agent, page, requestKey, res, disputeId: row?.id ?? "" };
  };

  beforeAll(async () => {
    t = await createTestContext({ clock });
    alpha = await setupIntakeClient(t.deps, { name: "Alpha Roofing", contract: { ...DISPUTE_CONTRACT, pricing: { leadPriceCents: 7500, revshareBps: 1000 } } });
    beta = await setupIntakeClient(t.deps, { name: "Beta Roofing", contract: DISPUTE_CONTRACT });
    await t.deps.users.create(SYSTEM, { email: "boss@alpha.test", password: PASSWORD, role: "client_admin", clientId: alpha.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@beta.test", password: PASSWORD, role: "client_admin", clientId: beta.client.id });
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "staff@agency.test", password: PASSWORD, role: "agency_staff" });
  });
  beforeEach(() => clock.set(T0));
  afterAll(() => t.close());

  it("marks a lead won with a deal value typed as 1,250.55, stores 125055 cents and shows the outcome and what it billed", async () => {
    const leadId = await lead(alpha, "Wendy Won");
    const agent = await client();

    const res = await agent.post(`/portal/leads/${leadId}`).type("form").send({ intent: "mark-won", value: "1,250.55" });

    expect(res.status).toBe(200);
    expect(text(res.text)).toContain("Marked won — deal value $1,250.55. Billed: revenue share $125.06.");
    const stored = await t.deps.db.execute(sql`select outcome, outcome_value_cents::int as value from leads where id = ${leadId}`);
    expect(stored.rows).toEqual([{ outcome: "won", value: 125055 }]);
    const page = text((await agent.get(`/portal/leads/${leadId}`)).text);
    expect(page).toContain("Deal value $1,250.55");
    expect(page).toContain("Billed for the outcome");
    expect(page).toContain("$125.06");
  });

  it("refuses a deal value it cannot read, with the hint, and changes nothing", async () => {
    const leadId = await lead(alpha, "Ivan Invalid");
    const agent = await client();

    const res = await agent.post(`/portal/leads/${leadId}`).type("form").send({ intent: "mark-won", value: "12,50" });

    expect(res.status).toBe(400);
    expect(text(res.text)).toContain("Enter an amount like 1250.55");
    expect(await count(t.deps, "leads", sql`id = ${leadId} and outcome is not null`)).toBe(0);
  });

  it("opens a dispute through the lead page form once for a double submit, and it lands in the agency queue", async () => {
    const leadId = await lead(alpha, "Dana Dispute");

    const { agent, page, requestKey, res } = await openThroughPage(leadId, { reason: "wrong_number", note: "Nobody by that name." });
    const again = await agent.post(`/portal/leads/${leadId}`).type("form").send({ intent: "open-dispute", requestKey, reason: "wrong_number", note: "Nobody by that name." });

    expect(text(page.text)).toContain("Dispute this lead");
    expect(requestKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await count(t.deps, "disputes", sql`lead_id = ${leadId}`)).toBe(1);
    const leadPage = text((await agent.get(`/portal/leads/${leadId}`)).text);
    expect(leadPage).toContain("Your dispute");
    // Server-rendered from the server's clock (T0): the dispute was opened at T0 with 3 days to answer.
    expect(leadPage).toMatch(/agency answers by \w{3} \d{1,2} — 3 days left/);
    const queue = text((await (await agencyAdmin()).get("/agency/disputes")).text);
    expect(queue).toContain("Dana Dispute");
    expect(queue).toContain("Wrong number");
    expect(queue).toContain("Alpha Roofing");
  });

  it("puts overdue disputes first in the agency queue and highlights them", async () => {
    clock.set(new Date(T0.getTime() - 5 * DAY));
    const lateLead = await lead(alpha, "Olga Overdue");
    await openThroughPage(lateLead, { reason: "wrong_number" });
    clock.set(T0);
    await openThroughPage(await lead(alpha, "Tom Timely"), { reason: "wrong_number" });

    const queue = await (await agencyAdmin()).get("/agency/disputes");

    const html = queue.text;
    expect(html.indexOf("Olga Overdue")).toBeGreaterThan(-1);
    expect(html.indexOf("Olga Overdue")).toBeLessThan(html.indexOf("Tom Timely"));
    const overdueRow = html.slice(html.lastIndexOf("<tr", html.indexOf("Olga Overdue")), html.indexOf("Olga Overdue"));
    expect(overdueRow).toContain('class="overdue-row"');
    expect(text(html)).toMatch(/due \w{3} \d{1,2} — overdue by 2 days/);
    expect(text(html)).toContain("1 dispute is overdue.");
  });

  it("shows the domain's message inline when the note required for “other” is missing", async () => {
    const leadId = await lead(alpha, "Otto Other");

    const { res } = await openThroughPage(leadId, { reason: "other", note: "" });

    expect(res.status).toBe(400);
    expect(text(res.text)).toContain('A note is required when the reason is "other": say what is wrong with the lead.');
    expect(await count(t.deps, "disputes", sql`lead_id = ${leadId}`)).toBe(0);
  });

  it("says on the page that the dispute window has closed, and shows the server's refusal when the form is sent anyway", async () => {
    clock.set(new Date(T0.getTime() - 10 * DAY));
    const leadId = await lead(alpha, "Larry Late");
    clock.set(T0);
    const closed = `Disputes for this lead closed on ${formatDay(new Date(T0.getTime() - 3 * DAY), "America/New_York", T0)} (7-day window).`;

    const { page, res } = await openThroughPage(leadId, { reason: "wrong_number" });

    expect(text(page.text)).toContain(closed);
    expect(page.text).not.toContain('name="requestKey"');
    expect(res.status).toBe(422);
    expect(text(res.text)).toContain(closed);
    expect(await count(t.deps, "disputes", sql`lead_id = ${leadId}`)).toBe(0);
  });

  it("lets the agency partially approve 50% on the review page; the client's dispute page then shows the outcome, the note and the credit", async () => {
    const leadId = await lead(alpha, "Pat Partial");
    const { disputeId } = await openThroughPage(leadId, { reason: "not_looking", note: "Said they were only comparing prices." });
    const admin = await agencyAdmin();
    const review = text((await admin.get(`/agency/disputes/${disputeId}`)).text);
    expect(review).toContain("The client's claim");
    expect(review).toContain("Said they were only comparing prices.");
    expect(review).toContain("Raw payload as received");

    const noNote = await admin.post(`/agency/disputes/${disputeId}`).type("form").send({ intent: "resolve", decision: "partial", percent: "50", note: "" });
    const decided = await admin.post(`/agency/disputes/${disputeId}`).type("form").send({ intent: "resolve", decision: "partial", percent: "50", note: "Half: they did ask for a quote." });

    expect(noNote.status).toBe(400);
    expect(text(noNote.text)).toContain("A note is required to partially approve a dispute: the client reads it.");
    expect(decided.status).toBe(200);
    expect(text(decided.text)).toContain("Partially approved. $37.50 is credited to Alpha Roofing's next invoice.");
    const clientPage = text((await (await client()).get(`/portal/disputes/${disputeId}`)).text);
    expect(clientPage).toContain("Partially approved");
    expect(clientPage).toContain("Half: they did ask for a quote.");
    expect(clientPage).toContain("$37.50");
    expect(clientPage).toContain("50% of the lead's charges");
    const list = text((await (await client()).get("/portal/disputes")).text);
    expect(list).toContain("Pat Partial");
    expect(list).toContain("$37.50");
  });

  it("refuses a partial approval without an amount or with an unreadable one, inline", async () => {
    const leadId = await lead(alpha, "Rita Range");
    const { disputeId } = await openThroughPage(leadId, { reason: "wrong_number" });
    const admin = await agencyAdmin();

    const neither = await admin.post(`/agency/disputes/${disputeId}`).type("form").send({ intent: "resolve", decision: "partial", note: "x" });
    const badAmount = await admin.post(`/agency/disputes/${disputeId}`).type("form").send({ intent: "resolve", decision: "partial", amount: "ten", note: "x" });

    expect(neither.status).toBe(400);
    expect(text(neither.text)).toContain("Give a percentage (e.g. 50) or an amount (e.g. 37.50) to credit.");
    expect(badAmount.status).toBe(400);
    expect(text(badAmount.text)).toContain("Enter an amount like 1250.55");
    expect(await count(t.deps, "disputes", sql`id = ${disputeId} and status = 'open'`)).toBe(1);
  });

  it("lets the client withdraw an open dispute from its page", async () => {
    const leadId = await lead(alpha, "Walt Withdraw");
    const { agent, disputeId } = await openThroughPage(leadId, { reason: "wrong_number" });

    const res = await agent.post(`/portal/disputes/${disputeId}`).type("form").send({ intent: "withdraw" });

    expect(res.status).toBe(200);
    expect(text(res.text)).toContain("You withdrew the dispute.");
    expect(await count(t.deps, "disputes", sql`id = ${disputeId} and status = 'withdrawn'`)).toBe(1);
    expect(text((await agent.get(`/portal/leads/${leadId}`)).text)).toContain("You withdrew your earlier dispute");
  });

  it("approves the checked disputes in bulk for agency admins, and refuses agency staff", async () => {
    const first = (await openThroughPage(await lead(alpha, "Bulk One"), { reason: "wrong_number" })).disputeId;
    const second = (await openThroughPage(await lead(alpha, "Bulk Two"), { reason: "wrong_number" })).disputeId;
    const staff = await loginAgent(t.app, "staff@agency.test");

    const refused = await staff.post("/agency/disputes?index").type("form").send({ intent: "bulk-approve", disputeId: [first] });
    const res = await (await agencyAdmin()).post("/agency/disputes?index").type("form").send({ intent: "bulk-approve", disputeId: [first, second] });

    expect(refused.status).toBe(403);
    expect(res.status).toBe(200);
    expect(text(res.text)).toContain("Approved 2 disputes with full credit.");
    expect(await count(t.deps, "disputes", sql`id in (${first}, ${second}) and status = 'approved' and credit_cents = 7500`)).toBe(2);
  });

  it("links a lead's disputes from the agency lead page", async () => {
    const leadId = await lead(alpha, "Lena Linked");
    const { disputeId } = await openThroughPage(leadId, { reason: "out_of_area" });

    const page = await (await agencyAdmin()).get(`/agency/leads/${leadId}`);

    expect(page.status).toBe(200);
    expect(text(page.text)).toContain("Disputes of this lead");
    expect(page.text).toContain(`href="/agency/disputes/${disputeId}"`);
    expect(text(page.text)).toContain("gives the same result");
  });

  it("answers 404 for another client's dispute page and for a malformed id", async () => {
    const { disputeId } = await openThroughPage(await lead(alpha, "Nora Nosy"), { reason: "wrong_number" });
    const other = await loginAgent(t.app, "boss@beta.test");

    expect((await other.get(`/portal/disputes/${disputeId}`)).status).toBe(404);
    expect((await other.post(`/portal/disputes/${disputeId}`).type("form").send({ intent: "withdraw" })).status).toBe(404);
    expect((await other.get("/portal/disputes/not-a-dispute")).status).toBe(404);
    expect(text((await other.get("/portal/disputes")).text)).not.toContain("Nora Nosy");
    expect(await count(t.deps, "disputes", sql`id = ${disputeId} and status = 'open'`)).toBe(1);
  });

  it("answers 403 to a client user on the agency dispute pages", async () => {
    const { disputeId } = await openThroughPage(await lead(alpha, "Cora Console"), { reason: "wrong_number" });
    const agent = await client();

    expect((await agent.get("/agency/disputes")).status).toBe(403);
    expect((await agent.get(`/agency/disputes/${disputeId}`)).status).toBe(403);
    const decide = await agent.post(`/agency/disputes/${disputeId}`).type("form").send({ intent: "resolve", decision: "approve" });
    expect(decide.status).toBe(403);
    const viaApi = await trpc(agent, "mutation", "disputes.resolve", { disputeId, decision: "approve" });
    expect(viaApi.status).toBe(403);
    expect(await count(t.deps, "disputes", sql`id = ${disputeId} and status = 'open'`)).toBe(1);
  });
});
