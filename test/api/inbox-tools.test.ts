import { sql } from "drizzle-orm";
import type supertest from "supertest";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { count, DISPUTE_CONTRACT, setupIntakeClient, submitTestLead } from "../support/fixtures";

// Mar 9, 2026, 11:30 PM in New York is already Mar 10 in UTC: the date filter must read the client's day.
const LATE_MAR_9 = "2026-03-10T03:30:00Z";
const MAR_10 = "2026-03-10T15:00:00Z";
const MAR_12 = "2026-03-12T15:00:00Z";

type Setup = Awaited<ReturnType<typeof setupIntakeClient>>;
const data = (res: supertest.Response) => res.body.result.data;
const names = (res: supertest.Response) => (data(res).items as { name: string }[]).map((l) => l.name).sort();

describe("the leads inbox's tools: filters, CSV export, bulk won/lost and the client's home figures", () => {
  let t: TestContext;
  const clock = fixedClock(LATE_MAR_9);
  let acme: Setup;
  let other: Setup;
  const ids: Record<string, string> = {};
  let phone = 100;
  const lead = async (s: Setup, name: string, extra: Record<string, unknown> = {}) => {
    ids[name] = (await submitTestLead(t.deps, s, { name, phone: `212-555-0${phone++}`, zip: "10001", ...extra })).leadId;
  };

  beforeAll(async () => {
    t = await createTestContext({ clock });
    acme = await setupIntakeClient(t.deps, { name: "Acme Roofing", contract: DISPUTE_CONTRACT });
    other = await setupIntakeClient(t.deps, { name: "Other Plumbing", contract: DISPUTE_CONTRACT });
    await lead(acme, "Nina Night");
    clock.set(MAR_10);
    await lead(acme, "Wes Won");
    await lead(acme, "Lou Lost");
    await lead(acme, "Rita Rejected", { zip: "94105" });
    await lead(acme, "=HYPERLINK(evil)");
    await lead(other, "Otto Other");
    clock.set(MAR_12);
    await lead(acme, "Dee Disputed");
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "boss@acme.test", password: PASSWORD, role: "client_admin", clientId: acme.client.id });
    const boss = await loginAgent(t.app, "boss@acme.test");
    expect((await trpc(boss, "mutation", "leads.markOutcome", { leadId: ids["Wes Won"], outcome: "won", valueCents: 1_200_000 })).status).toBe(200);
    expect((await trpc(boss, "mutation", "leads.markOutcome", { leadId: ids["Lou Lost"], outcome: "lost" })).status).toBe(200);
    expect((await trpc(boss, "mutation", "disputes.open", { leadId: ids["Dee Disputed"], reason: "not_looking", note: "Wanted a plumber" })).status).toBe(200);
  });
  afterAll(() => t.close());

  it("filters by outcome (won, lost, not marked yet) and by whether a lead is disputed", async () => {
    const boss = await loginAgent(t.app, "boss@acme.test");
    expect(names(await trpc(boss, "query", "leads.list", { outcome: "won" }))).toEqual(["Wes Won"]);
    expect(names(await trpc(boss, "query", "leads.list", { outcome: "lost" }))).toEqual(["Lou Lost"]);
    expect(names(await trpc(boss, "query", "leads.list", { outcome: "none", status: "qualified" }))).toEqual(["=HYPERLINK(evil)", "Dee Disputed", "Nina Night"]);
    expect(names(await trpc(boss, "query", "leads.list", { disputed: true }))).toEqual(["Dee Disputed"]);
    expect(names(await trpc(boss, "query", "leads.list", { disputed: false }))).not.toContain("Dee Disputed");
  });

  it("reads a date range as calendar days in the client's time zone (11:30 PM on Mar 9 in New York is Mar 9)", async () => {
    const boss = await loginAgent(t.app, "boss@acme.test");
    expect(names(await trpc(boss, "query", "leads.list", { fromDate: "2026-03-09", toDate: "2026-03-09" }))).toEqual(["Nina Night"]);
    expect(names(await trpc(boss, "query", "leads.list", { fromDate: "2026-03-10", toDate: "2026-03-11" }))).toEqual(["=HYPERLINK(evil)", "Lou Lost", "Rita Rejected", "Wes Won"]);
    expect(names(await trpc(boss, "query", "leads.list", { fromDate: "2026-03-12" }))).toEqual(["Dee Disputed"]);
    expect((await trpc(boss, "query", "leads.list", { fromDate: "2026-02-30" })).status).toBe(400);
  });

  it("reads the same filters from the page's query string and drops values it does not know", async () => {
    const boss = await loginAgent(t.app, "boss@acme.test");
    const page = await boss.get("/portal/leads?outcome=won&disputed=maybe&from=2026-13-01");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Wes Won");
    expect(page.text).not.toContain("Lou Lost");
  });

  it("exports exactly the filtered leads as CSV, the client's own only, with formula-like text defused", async () => {
    const boss = await loginAgent(t.app, "boss@acme.test");
    const res = await boss.get("/portal/leads.csv?from=2026-03-10&to=2026-03-10");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toMatch(/attachment; filename="leads-2026-03-12\.csv"/);
    const lines = res.text.trim().split("\r\n");
    expect(lines[0]).toBe("received_local,time_zone,received_utc,client,campaign,source,name,phone,email,zip,status,reasons,outcome,charged_cents,credited_cents,net_cents,dispute,lead_id");
    expect(lines).toHaveLength(5);
    expect(res.text).toContain("2026-03-10 11:00,America/New_York,2026-03-10T15:00:00.000Z,Acme Roofing");
    expect(res.text).toContain("'=HYPERLINK(evil)");
    expect(res.text).not.toContain("Otto Other");
    expect(res.text).not.toContain("Nina Night");
    const won = lines.find((l) => l.includes("Wes Won"))!;
    expect(won).toContain(",won,7500,0,7500,,");
    // Another client's id in the query string changes nothing for a client user.
    const foreign = await boss.get(`/portal/leads.csv?clientId=${other.client.id}`);
    expect(foreign.status).toBe(404);
    const admin = await loginAgent(t.app, "admin@agency.test");
    const all = await admin.get("/agency/leads.csv");
    expect(all.text).toContain("Otto Other");
    expect(all.text).toContain("Nina Night");
  });

  it("marks ticked leads lost in bulk through the outcome use case: a repeat changes nothing, a foreign or test-only case is reported, not applied", async () => {
    const boss = await loginAgent(t.app, "boss@acme.test");
    const input = { leadIds: [ids["Nina Night"], ids["Dee Disputed"], ids["Otto Other"]], outcome: "lost" };
    const first = data(await trpc(boss, "mutation", "leads.markOutcomes", input));
    expect(first.changed.sort()).toEqual([ids["Nina Night"], ids["Dee Disputed"]].sort());
    expect(first.skipped).toEqual([{ leadId: ids["Otto Other"], code: "LEAD_NOT_FOUND", message: "Lead not found." }]);
    const again = data(await trpc(boss, "mutation", "leads.markOutcomes", input));
    expect(again.changed).toEqual([]);
    expect(again.unchanged.sort()).toEqual([ids["Nina Night"], ids["Dee Disputed"]].sort());
    expect(await count(t.deps, "leads", sql`id = ${ids["Otto Other"]} and outcome is null`)).toBe(1);
    expect(await count(t.deps, "audit_events", sql`action = 'lead.outcome_marked' and entity_id in (${ids["Nina Night"]}, ${ids["Dee Disputed"]})`)).toBe(2);
    // Won needs a qualified lead: the rejected one is reported with the reason.
    const won = data(await trpc(boss, "mutation", "leads.markOutcomes", { leadIds: [ids["Rita Rejected"]], outcome: "won" }));
    expect(won.skipped).toEqual([expect.objectContaining({ code: "LEAD_NOT_QUALIFIED" })]);
    expect((await trpc(boss, "mutation", "leads.markOutcomes", { leadIds: [], outcome: "lost" })).status).toBe(400);
  });

  it("marks leads from the inbox's form and says what happened in words", async () => {
    const boss = await loginAgent(t.app, "boss@acme.test");
    const res = await boss
      .post("/portal/leads?index")
      .type("form")
      .send(`intent=bulk-outcome&outcome=lost&leadId=${ids["=HYPERLINK(evil)"]}&leadId=${ids["Rita Rejected"]}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("2 leads marked lost.");
    expect(await count(t.deps, "leads", sql`id in (${ids["=HYPERLINK(evil)"]}, ${ids["Rita Rejected"]}) and outcome = 'lost'`)).toBe(2);
  });

  it("gives the owner's home figures: month and today, spend less credits, cost per qualified lead and won deal, return, outcomes waiting, disputes, next invoice", async () => {
    const boss = await loginAgent(t.app, "boss@acme.test");
    const o = data(await trpc(boss, "query", "reports.overview", {}));
    // Acme: 6 leads this month (Rita rejected), all charged $75 but the rejected one.
    expect(o.month).toMatchObject({ leads: 6, qualified: 5, rejected: 1, won: 1, wonValueCents: 1_200_000, spendCents: 5 * 7500, creditsCents: 0 });
    expect(o.today).toMatchObject({ leads: 1, qualified: 1, rejected: 0 });
    expect(o.costPerQualifiedCents).toBe(7500);
    expect(o.costPerWonCents).toBe(37_500);
    expect(o.returnBps).toBe(320_000); // $12,000 on $375 spent: 32×
    expect(o.awaitingOutcome).toBe(0);
    expect(o.openDisputes.count).toBe(1);
    expect(o.openDisputes.soonest[0]).toMatchObject({ leadId: ids["Dee Disputed"], leadName: "Dee Disputed", reason: "not_looking" });
    expect(o.nextInvoice.netCents).toBe(5 * 7500);
    expect(o.days).toHaveLength(30);
    expect(o.days[o.days.length - 1]).toMatchObject({ day: "2026-03-12", qualified: 1 });
    // A client user cannot read another client's figures; the agency names the client.
    expect((await trpc(boss, "query", "reports.overview", { clientId: other.client.id })).status).toBe(404);
    const admin = await loginAgent(t.app, "admin@agency.test");
    expect(data(await trpc(admin, "query", "reports.overview", { clientId: other.client.id })).month.leads).toBe(1);
    const home = await boss.get("/portal");
    expect(home.status).toBe(200);
    expect(home.text).toContain("$375.00");
    expect(home.text).toContain("32×");
    expect(home.text).toContain("lead from Mar 12, Dee D.");
  });

  it("writes words, not internals: a duplicate names the earlier lead, the contract says when it really took over, a 404 stays inside the portal, logs show the viewer's zone", async () => {
    const boss = await loginAgent(t.app, "boss@acme.test");
    const wes = data(await trpc(boss, "query", "leads.get", { id: ids["Wes Won"] }));
    await lead(acme, "Wes Again", { phone: wes.phone });
    const dupPage = await boss.get(`/portal/leads/${ids["Wes Again"]}`);
    expect(dupPage.status).toBe(200);
    expect(dupPage.text).toContain("the lead from Mar 10, Wes W.");
    // What the page shows (its data for the browser carries the verdict as stored).
    expect(dupPage.text.slice(0, dupPage.text.indexOf("</main>"))).not.toContain(`lead ${ids["Wes Won"]}`);
    // The contract was written to apply from Jan 1 but published when the test set it up.
    const contract = await boss.get("/portal/contract");
    expect(contract.text).toContain("in force since it was published");
    const missing = await boss.get("/portal/no-such-page");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('href="/portal/leads"');
    expect(missing.text).toContain("Back to the overview");
    const admin = await loginAgent(t.app, "admin@agency.test");
    const audit = await admin.get("/agency/audit").set("Cookie", "tz=America/Chicago");
    expect(audit.status).toBe(200);
    const shown = audit.text.replace(/<!-- -->/g, "");
    expect(shown).toContain("Times in your time zone (America/Chicago)");
    expect(shown).toMatch(/[A-Z][a-z]{2} \d+, 20\d\d, \d+:\d\d [AP]M C[SD]T/);
    expect(audit.text).toContain("lead outcome marked");
  });
});
