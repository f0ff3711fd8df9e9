import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import supertest from "supertest";
import { commands } from "../../server/cli/commands";
import { outcomeCaller } from "../../server/domain/billing/mark-outcome";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { setupIntakeClient, submitTestLead } from "../support/fixtures";

/** Intake writes the attribution with the lead; won deals become conversion files once per platform; reports group by keyword; tenants stay apart. */
describe("attribution from intake to the ad platforms", () => {
  const clock = fixedClock("2026-12-02T19:05:09Z");
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  const out = path.join(os.tmpdir(), `ll-conv-${process.pid}.csv`);
  const snippetField = (gclid: string, term: string) =>
    JSON.stringify({
      session: "sess-1234567890",
      first: { at: "2026-11-28T15:00:00Z", params: { utm_source: "google" }, landingPage: "https://roofs.example.com/roof-repair" },
      last: { at: "2026-12-02T18:00:00Z", params: { utm_source: "google", utm_medium: "cpc", utm_campaign: "roof-repair-nyc", utm_term: term, gclid }, landingPage: "https://roofs.example.com/roof-repair" },
    });
  const lead = (n: number) => ({ name: `Ann ${n}`, phone: `+1212555${String(1000 + n)}`, zip: "10001", budget: "7500" });

  beforeAll(async () => {
    t = await createTestContext({ clock });
    s = await setupIntakeClient(t.deps, { name: "Conv Roofing" });
  });
  afterAll(async () => {
    await rm(out, { force: true });
    await t.close();
  });

  async function attributionOf(leadId: string) {
    const r = await t.deps.db.execute(sql`select * from lead_attributions where lead_id = ${leadId}`);
    return r.rows[0] as Record<string, unknown> | undefined;
  }

  it("stores first and last touch from the snippet's hidden field in the lead's own transaction, and keeps it out of the lead's fields", async () => {
    const a = await submitTestLead(t.deps, s, { ...lead(1), ll_attribution: snippetField("GCLID-1", "emergency roof repair") }, { via: "form" });
    expect(a.status).toBe("qualified");
    expect(await attributionOf(a.leadId)).toMatchObject({ gclid: "GCLID-1", utm_term: "emergency roof repair", session_id: "sess-1234567890", landing_page: "https://roofs.example.com/roof-repair" });
    const row = await attributionOf(a.leadId);
    expect(new Date(row!.first_touch_at as string).toISOString()).toBe("2026-11-28T15:00:00.000Z");
    const l = await t.deps.db.execute(sql`select fields from leads where id = ${a.leadId}`);
    expect(l.rows[0]).toEqual({ fields: { budget: "7500" } });
  });

  it("takes the vendor's attribution object, the page URL's parameters, or writes nothing", async () => {
    const api = await submitTestLead(t.deps, s, { ...lead(2), attribution: { utm_source: "bing", utm_term: "roof leak", msclkid: "MS-2" } });
    expect(await attributionOf(api.leadId)).toMatchObject({ msclkid: "MS-2", utm_term: "roof leak" });
    const form = await submitTestLead(t.deps, s, { ...lead(3), page_url: "https://roofs.example.com/?utm_source=facebook&fbclid=FB3" }, { via: "form" });
    expect(await attributionOf(form.leadId)).toMatchObject({ utm_source: "facebook", fbclid: "FB3" });
    const bare = await submitTestLead(t.deps, s, lead(4));
    expect(await attributionOf(bare.leadId)).toBeUndefined();
  });

  it("refuses a bad attribution object with a 4xx, never a 500", async () => {
    const res = await supertest(t.app).post("/api/v1/leads").set("authorization", `Bearer ${s.key}`).send({ ...lead(5), attribution: { first_touch: { deep: { deeper: 1 } } } });
    expect(res.status).toBe(422);
  });

  it("exports a won lead with a gclid to Google once, flags a re-export, and leaves out leads without its click id", async () => {
    const leads = await t.deps.db.execute(sql`select l.id, a.gclid, a.msclkid from leads l join lead_attributions a on a.lead_id = l.id where l.client_id = ${s.client.id}`);
    const byGclid = (leads.rows as { id: string; gclid: string | null; msclkid: string | null }[]).find((r) => r.gclid)!;
    const byMs = (leads.rows as { id: string; gclid: string | null; msclkid: string | null }[]).find((r) => r.msclkid)!;
    await t.deps.billing.markOutcome(outcomeCaller(SYSTEM), { leadId: byGclid.id, outcome: "won", valueCents: 1_250_050 });
    await t.deps.billing.markOutcome(outcomeCaller(SYSTEM), { leadId: byMs.id, outcome: "won", valueCents: 99_00 });
    const run = (again = false) => commands["conversions:export"]!.run(t.deps, { client: s.client.id, from: "2026-12-01", to: "2026-12-31", platform: "google", again, out });

    const first = await run();
    expect(first.human).toBe(`wrote 1 conversion to ${out}`);
    expect(await readFile(out, "utf8")).toBe(
      "Parameters:TimeZone=America/New_York\r\nGoogle Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency,GBRAID,WBRAID\r\nGCLID-1,Closed deal,2026-12-02 14:05:09,12500.50,USD,,\r\n",
    );
    expect((await run()).human).toBe(`wrote 0 conversions to ${out}`);
    const again = await run(true);
    expect(again.human).toContain("1 of them were exported before");
    const rec = await t.deps.db.execute(sql`select export_count from conversion_exports where lead_id = ${byGclid.id} and platform = 'google'`);
    expect(rec.rows[0]).toEqual({ export_count: 2 });

    const ms = await commands["conversions:export"]!.run(t.deps, { client: s.client.id, from: "2026-12-01", to: "2026-12-31", platform: "microsoft", out });
    expect(ms.human).toBe(`wrote 1 conversion to ${out}`);
    expect(await readFile(out, "utf8")).toContain("\r\nMS-2,Closed deal,2026-12-02 14:05:09,99.00,USD\r\n");
    await expect(commands["conversions:export"]!.run(t.deps, { client: s.client.id, from: "2026-12-01", to: "2026-12-31", platform: "meta", out })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("the console's Attribution tab shows the snippet line and downloads a conversion file; a client user cannot", async () => {
    await t.deps.users.create(SYSTEM, { email: "admin@conv.test", password: PASSWORD, role: "agency_admin" });
    const admin = await loginAgent(t.app, "admin@conv.test");
    const tab = await admin.get(`/agency/clients/${s.client.id}/attribution`);
    expect(tab.status).toBe(200);
    expect(tab.text).toContain("/t.js&quot; data-cookie-days=&quot;90&quot;");
    const save = await admin.post(`/agency/clients/${s.client.id}/attribution`).type("form").send({ intent: "save-settings", googleConversionName: "Signed roof job", microsoftConversionName: "Closed deal", cookieDays: "30" });
    expect({ status: save.status, text: save.status === 200 ? "" : save.text.slice(0, 3000) }).toEqual({ status: 200, text: "" });
    const file = await admin.post(`/agency/clients/${s.client.id}/conversions.csv`).type("form").send({ platform: "google", from: "2026-12-01", to: "2026-12-31", again: "on" });
    expect(file.status).toBe(200);
    expect(file.headers["content-disposition"]).toBe('attachment; filename="google-ads-conversions-2026-12-01-2026-12-31.csv"');
    expect(file.text).toContain("\r\nGCLID-1,Signed roof job,2026-12-02 14:05:09,12500.50,USD,,\r\n");
    expect(file.headers["x-conversions-exported-before"]).toBe("1");
    const bad = await admin.post(`/agency/clients/${s.client.id}/conversions.csv`).type("form").send({ platform: "google", from: "2026-12-31", to: "2026-12-01" });
    expect(bad.status).toBe(400);
    await t.deps.users.create(SYSTEM, { email: "member@conv.test", password: PASSWORD, role: "client_member", clientId: s.client.id });
    const member = await loginAgent(t.app, "member@conv.test");
    const denied = await member.post(`/agency/clients/${s.client.id}/conversions.csv`).type("form").send({ platform: "google", from: "2026-12-01", to: "2026-12-31" });
    expect(denied.status).toBe(403);
    expect(denied.text).not.toContain("GCLID-1");
  });

  it("reports by keyword with leads, qualified, billed, won, revenue and costs; filters the inbox by keyword; a client sees only its own", async () => {
    const r = await t.deps.attribution.report(SYSTEM, { from: "2026-12-01", to: "2026-12-31", clientId: s.client.id, dimension: "keyword" });
    const kw = r.rows.find((x) => x.value === "emergency roof repair")!;
    expect(kw).toMatchObject({ leads: 1, qualified: 1, won: 1, revenueCents: 1_250_050, costPerLeadCents: 7500 });
    expect(kw.billedCents).toBeGreaterThanOrEqual(7500);
    const csv = await t.deps.attribution.reportCsv(SYSTEM, { from: "2026-12-01", to: "2026-12-31", clientId: s.client.id, dimension: "keyword" });
    expect(csv.csv.split("\r\n")[0]).toBe("client,client_id,currency,keyword,from,to,leads,qualified,billable_leads,billed_cents,won,revenue_cents,cost_per_lead_cents,cost_per_acquisition_cents");

    const list = await t.deps.leads.list(SYSTEM, { clientId: s.client.id, utmTerm: "Emergency Roof Repair" });
    expect(list.items).toHaveLength(1);

    const other = await setupIntakeClient(t.deps, { name: "Other Co" });
    await t.deps.users.create(SYSTEM, { email: "boss@conv.test", password: PASSWORD, role: "client_admin", clientId: s.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@other-conv.test", password: PASSWORD, role: "client_admin", clientId: other.client.id });
    const mine = await loginAgent(t.app, "boss@conv.test");
    const gclidLead = await t.deps.db.execute(sql`select lead_id from lead_attributions where gclid = 'GCLID-1'`);
    const page = await mine.get(`/portal/leads/${(gclidLead.rows[0] as { lead_id: string }).lead_id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Google Ads · campaign roof-repair-nyc · keyword &#x27;emergency roof repair&#x27; · landed on /roof-repair · first visit Nov 28, converted Dec 2");
    const own = await trpc(mine, "query", "attribution.report", { from: "2026-12-01", to: "2026-12-31", dimension: "keyword" });
    expect(own.status).toBe(200);
    expect(own.body.result.data.rows.every((x: { clientId: string }) => x.clientId === s.client.id)).toBe(true);
    const theirs = await loginAgent(t.app, "boss@other-conv.test");
    const denied = await trpc(theirs, "query", "attribution.report", { from: "2026-12-01", to: "2026-12-31", clientId: s.client.id });
    expect(denied.status).toBe(404);
    const exportTry = await trpc(theirs, "mutation", "attribution.exportConversions", { clientId: s.client.id, platform: "google", from: "2026-12-01", to: "2026-12-31" });
    expect(exportTry.status).toBe(403);
  });
});
