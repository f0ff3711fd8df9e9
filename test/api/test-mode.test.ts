import { sql } from "drizzle-orm";
import supertest from "supertest";
import { purgeTestLeadsJob } from "../../jobs/purge-test-leads";
import { commands } from "../../server/cli/commands";
import { apiKeys } from "../../server/db/schema";
import { randomSecret, sha256Hex } from "../../server/security/crypto";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { count, DEMO_CONTRACT, GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

/**
 * Issue #22.3: test API keys (ll_test_…) and form test keys run the whole judgement and answer for
 * real, but the lead is a test lead: never billed, never alerted, hidden from reports and the
 * inbox, listed under "Test leads", purged after 7 days; test and real leads never make each other
 * duplicates.
 */
describe("test mode", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  let other: Awaited<ReturnType<typeof setupIntakeClient>>;
  let testKey: string;
  let testKeyId: string;

  beforeAll(async () => {
    t = await createTestContext();
    // Tiers and a cap: a test lead must not take a tier slot or count towards the cap.
    s = await setupIntakeClient(t.deps, { name: "Test Mode Roofing", contract: { ...DEMO_CONTRACT, pricing: { leadPriceCents: 7500, monthlyCap: { leads: 1 } } } });
    other = await setupIntakeClient(t.deps, { name: "Other Co" });
    const created = await t.deps.apiKeys.create(SYSTEM, { clientId: s.client.id, name: "Vendor test", mode: "test" });
    testKey = created.key;
    testKeyId = created.id;
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "boss@testmode.test", password: PASSWORD, role: "client_admin", clientId: s.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@other.test", password: PASSWORD, role: "client_admin", clientId: other.client.id });
  });
  afterAll(() => t.close());

  const post = (key: string, body: object) => supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${key}`).send(body);
  const ledgerOf = (leadId: string) => count(t.deps, "ledger_entries", sql`lead_id = ${leadId}`);
  const eventsOf = (leadId: string) => count(t.deps, "outbox_events", sql`aggregate_id = ${leadId}`);

  it("creates test keys with the ll_test_ prefix and a mode", async () => {
    expect(testKey).toMatch(/^ll_test_[A-Za-z0-9_-]{32}$/);
    const list = await t.deps.apiKeys.list(SYSTEM, { clientId: s.client.id });
    expect(list.find((k) => k.id === testKeyId)).toMatchObject({ mode: "test", prefix: testKey.slice(0, 12) });
    expect(list.find((k) => k.id === s.apiKey.id)).toMatchObject({ mode: "live" });
  });

  it("the operator CLI makes a test key with --test, and a live key without it", async () => {
    const test = await commands["apikey:create"]!.run(t.deps, { client: s.client.id, name: "CLI vendor test", test: true });
    expect(test.human).toContain("created test API key");
    expect((test.json as { key: string; mode: string }).key).toMatch(/^ll_test_/);
    const live = await commands["apikey:create"]!.run(t.deps, { client: s.client.id, name: "CLI vendor" });
    expect(live.json).toMatchObject({ mode: "live", key: expect.stringMatching(/^ll_live_/) });
  });

  it("judges a test lead for real and answers qualified (test) without a charge or an alert event", async () => {
    const res = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0501" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ leadId: expect.any(String), status: "qualified", billable: false, reasons: [], test: true });
    expect(await ledgerOf(res.body.leadId)).toBe(0);
    expect(await eventsOf(res.body.leadId)).toBe(0);
    const row = await t.deps.db.execute(sql`select is_test, billable, qualified, status from leads where id = ${res.body.leadId}`);
    expect(row.rows[0]).toEqual({ is_test: true, billable: false, qualified: true, status: "qualified" });
  });

  it("answers a rejected test lead with the same reasons a real one gets", async () => {
    const body = { ...GOOD_LEAD, phone: "212-555-0502", zip: "94105", budget: "10" };
    const test = await post(testKey, body);
    const real = await post(s.key, { ...body, phone: "212-555-0503" });
    expect(test.body).toMatchObject({ status: "rejected", test: true });
    expect(real.body.test).toBeUndefined();
    expect(test.body.reasons.map((r: { code: string }) => r.code)).toEqual(real.body.reasons.map((r: { code: string }) => r.code));
    expect(test.body.reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(["OUT_OF_SERVICE_AREA", "CUSTOM_RULE_FAILED"]));
  });

  it("leaves the monthly cap to real leads: the real lead after test leads is charged, a test lead after it shows the cap", async () => {
    const real = await post(s.key, { ...GOOD_LEAD, phone: "212-555-0510" });
    expect(real.body).toMatchObject({ status: "qualified", billable: true });
    expect(await ledgerOf(real.body.leadId)).toBe(1);
    const test = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0511" });
    expect(test.body).toMatchObject({ status: "qualified", billable: false, test: true });
    expect(test.body.reasons.map((r: { code: string }) => r.code)).toEqual(["MONTHLY_CAP_REACHED"]);
  });

  it("is never delivered: a client's webhook for rejected leads gets the real one, not the test one", async () => {
    await t.deps.db.execute(sql`insert into webhook_endpoints (client_id, url, events, secret)
      values (${other.client.id}, 'https://crm.example.com/hook', ${"{lead.rejected,lead.qualified}"}::text[], 'whsec_dGVzdC1zZWNyZXQtZm9yLXRlc3QtbW9kZQ==')`);
    const key = (await t.deps.apiKeys.create(SYSTEM, { clientId: other.client.id, name: "Other test", mode: "test" })).key;
    const body = { ...GOOD_LEAD, phone: "212-555-0570", zip: "94105" };
    const test = await post(key, body);
    const real = await post(other.key, body);
    expect([test.body.status, real.body.status]).toEqual(["rejected", "rejected"]);
    expect(await eventsOf(real.body.leadId)).toBe(1);
    expect(await eventsOf(test.body.leadId)).toBe(0);
    const qualified = await post(key, { ...GOOD_LEAD, phone: "212-555-0571" });
    expect(qualified.body).toMatchObject({ status: "qualified", test: true });
    expect(await eventsOf(qualified.body.leadId)).toBe(0);
  });

  describe("duplicates", () => {
    it("a test lead never makes a later real lead a duplicate", async () => {
      const test = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0520" });
      expect(test.body.status).toBe("qualified");
      const real = await post(s.key, { ...GOOD_LEAD, phone: "212-555-0520" });
      expect(real.body.reasons.map((r: { code: string }) => r.code)).not.toContain("DUPLICATE");
    });

    it("a real lead never makes a later test lead a duplicate", async () => {
      await post(s.key, { ...GOOD_LEAD, phone: "212-555-0521" });
      const test = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0521" });
      expect(test.body.reasons.map((r: { code: string }) => r.code)).not.toContain("DUPLICATE");
    });

    it("a qualified test lead makes the next test lead with its phone a duplicate; a rejected one lets the vendor fix and resend", async () => {
      const wrong = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0522", zip: "94105" });
      expect(wrong.body.status).toBe("rejected");
      const fixed = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0522" });
      expect(fixed.body).toMatchObject({ status: "qualified", test: true });
      const again = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0522" });
      expect(again.body.status).toBe("rejected");
      expect(again.body.reasons.map((r: { code: string }) => r.code)).toEqual(["DUPLICATE"]);
    });
  });

  describe("forms", () => {
    it("posts to a form's test key make test leads; the embedded key ignores a test field and makes a real lead", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const enabled = await trpc(admin, "mutation", "forms.setTestKey", { id: s.form.id, enabled: true });
      expect(enabled.status).toBe(200);
      const testPublicKey = enabled.body.result.data.testPublicKey as string;
      expect(testPublicKey).toMatch(/^pk_test_/);

      const viaTest = await supertest(t.app).post(`/api/forms/${testPublicKey}`).set("Origin", "https://roofs.example.com").send({ ...GOOD_LEAD, phone: "212-555-0530" });
      expect(viaTest.status).toBe(201);
      expect(viaTest.body).toMatchObject({ status: "qualified", billable: false, test: true });
      expect(await ledgerOf(viaTest.body.leadId)).toBe(0);

      const sneaky = await supertest(t.app).post(`/api/forms/${s.publicKey}`).set("Origin", "https://roofs.example.com").send({ ...GOOD_LEAD, phone: "212-555-0531", test: "1" });
      expect(sneaky.body.test).toBeUndefined();
      const row = await t.deps.db.execute(sql`select is_test from leads where id = ${sneaky.body.leadId}`);
      expect(row.rows[0]).toEqual({ is_test: false });

      // Removing the test key makes it unknown at once.
      await trpc(admin, "mutation", "forms.setTestKey", { id: s.form.id, enabled: false });
      const gone = await supertest(t.app).post(`/api/forms/${testPublicKey}`).send({ ...GOOD_LEAD, phone: "212-555-0532" });
      expect(gone.status).toBe(404);
    });

    it("only agency staff can give a form a test key", async () => {
      const client = await loginAgent(t.app, "boss@testmode.test");
      const res = await trpc(client, "mutation", "forms.setTestKey", { id: s.form.id, enabled: true });
      expect(res.status).toBe(403);
      const bad = await trpc(await loginAgent(t.app, "admin@agency.test"), "mutation", "forms.setTestKey", { id: "not-a-uuid", enabled: true });
      expect(bad.status).toBe(400);
    });
  });

  describe("outcomes", () => {
    it("a test key cannot report conversions, and a test lead cannot be won", async () => {
      const test = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0540" });
      const withTestKey = await supertest(t.app).post(`/api/v1/leads/${test.body.leadId}/conversion`).set("Authorization", `Bearer ${testKey}`).send({ outcome: "won", valueCents: 1000 });
      expect(withTestKey.status).toBe(403);
      expect(withTestKey.body.error.code).toBe("TEST_KEY_NOT_ALLOWED");
      const withLiveKey = await supertest(t.app).post(`/api/v1/leads/${test.body.leadId}/conversion`).set("Authorization", `Bearer ${s.key}`).send({ outcome: "won", valueCents: 1000 });
      expect(withLiveKey.status).toBe(422);
      expect(withLiveKey.body.error.code).toBe("TEST_LEAD");
      expect(await ledgerOf(test.body.leadId)).toBe(0);
    });

    it("the ledger itself refuses an entry for a test lead", async () => {
      const test = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0541" });
      const failure = (await t.deps.db
        .execute(sql`insert into ledger_entries (client_id, kind, amount_cents, lead_id, period, idempotency_key, actor)
          values (${s.client.id}, 'lead_charge', 7500, ${test.body.leadId}, '2026-12', ${`lead_charge:${test.body.leadId}`}, 'test')`)
        .then(() => null, (e: Error & { cause?: Error }) => e)) as (Error & { cause?: Error }) | null;
      expect(failure?.cause?.message ?? failure?.message).toMatch(/test leads are never billed/);
    });
  });

  describe("reading", () => {
    it("hides test leads from the inbox, the dashboard and the reports, and lists them under test leads", async () => {
      const agency = { kind: "agency", userId: "00000000-0000-4000-8000-000000000001", email: "a@agency.test", role: "agency_admin" } as const;
      const real = await t.deps.leads.list(agency, { clientId: s.client.id, limit: 100 });
      const tests = await t.deps.leads.list(agency, { clientId: s.client.id, test: true, limit: 100 });
      const all = await t.deps.db.execute(sql`select count(*) filter (where is_test)::int as test, count(*) filter (where not is_test)::int as real from leads where client_id = ${s.client.id}`);
      const totals = all.rows[0] as { test: number; real: number };
      expect(totals.test).toBeGreaterThan(3);
      expect(real.items).toHaveLength(totals.real);
      expect(real.items.every((l) => !l.isTest)).toBe(true);
      expect(tests.items).toHaveLength(totals.test);
      expect(tests.items.every((l) => l.isTest)).toBe(true);

      const delivery = await t.deps.reports.delivery(agency, {});
      const row = delivery.rows.find((r) => r.clientId === s.client.id)!;
      expect(row.month.leads).toBe(totals.real);

      const today = t.deps.clock.now().toISOString().slice(0, 10);
      const summary = await t.deps.reports.summary(agency, { from: "2026-01-01", to: today, clientId: s.client.id });
      expect(summary.clientTotals[0]!.leads).toBe(totals.real);
    });

    it("shows a client user their own test leads and never another client's", async () => {
      const mine = await loginAgent(t.app, "boss@testmode.test");
      const list = await trpc(mine, "query", "leads.list", { test: true });
      expect(list.status).toBe(200);
      const items = list.body.result.data.items as { clientId: string; isTest: boolean }[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((l) => l.clientId === s.client.id && l.isTest)).toBe(true);

      const theirs = await loginAgent(t.app, "boss@other.test");
      const foreign = await trpc(theirs, "query", "leads.list", { test: true, clientId: s.client.id });
      // A client user only ever reaches its own client: naming another is a 404.
      expect(foreign.status).toBe(404);
      const own = await trpc(theirs, "query", "leads.list", { test: true });
      expect((own.body.result.data.items as { clientId: string }[]).filter((l) => l.clientId === s.client.id)).toEqual([]);
      const one = await trpc(theirs, "query", "leads.get", { id: list.body.result.data.items[0].id as string });
      expect(one.status).toBe(404);
    });
  });

  it("shows the client a test lead on its page and in the Test leads tab only, without the outcome buttons", async () => {
    const test = await post(testKey, { ...GOOD_LEAD, name: "Tess Testlead", phone: "212-555-0580" });
    const client = await loginAgent(t.app, "boss@testmode.test");
    const page = await client.get(`/portal/leads/${test.body.leadId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("A test lead: never billed or alerted");
    expect(page.text).not.toContain("Mark won");
    expect((await client.get("/portal/leads?test=1")).text).toContain("Tess Testlead");
    expect((await client.get("/portal/leads")).text).not.toContain("Tess Testlead");
    const other = await loginAgent(t.app, "boss@other.test");
    expect((await other.get(`/portal/leads/${test.body.leadId}`)).status).toBe(404);
  });

  describe("purge", () => {
    it("deletes test leads older than 7 days, keeps newer ones and every real lead, and deletes nothing more when run again", async () => {
      const old = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0550" });
      const fresh = await post(testKey, { ...GOOD_LEAD, phone: "212-555-0551" });
      const oldReal = await post(s.key, { ...GOOD_LEAD, phone: "212-555-0552" });
      const now = t.deps.clock.now().getTime();
      const eightDaysAgo = new Date(now - 8 * 86_400_000).toISOString();
      const sixDaysAgo = new Date(now - 6 * 86_400_000).toISOString();
      await t.deps.db.execute(sql`update leads set received_at = ${eightDaysAgo} where id in (${old.body.leadId}, ${oldReal.body.leadId})`);
      await t.deps.db.execute(sql`update leads set received_at = ${sixDaysAgo} where id = ${fresh.body.leadId}`);

      await purgeTestLeadsJob.handler(t.deps, {}, { now: async () => {}, schedule: async () => {}, attempt: 1 });
      const remaining = async (id: string) => count(t.deps, "leads", sql`id = ${id}`);
      expect(await remaining(old.body.leadId)).toBe(0);
      expect(await remaining(fresh.body.leadId)).toBe(1);
      expect(await remaining(oldReal.body.leadId)).toBe(1);
      expect(await t.deps.leads.purgeTestLeads()).toEqual({ deleted: 0 });
    });
  });

  it("a test key of one client never reaches another client's leads", async () => {
    const key = randomSecret("ll_test_", 24);
    await t.deps.db.insert(apiKeys).values({ clientId: other.client.id, name: "Other test", prefix: key.slice(0, 12), keyHash: sha256Hex(key), mode: "test" });
    const lead = await post(s.key, { ...GOOD_LEAD, phone: "212-555-0560" });
    const res = await supertest(t.app).post(`/api/v1/leads/${lead.body.leadId}/conversion`).set("Authorization", `Bearer ${key}`).send({ outcome: "won" });
    expect(res.status).toBe(403);
    const posted = await post(key, { ...GOOD_LEAD, phone: "212-555-0561" });
    const row = await t.deps.db.execute(sql`select client_id, is_test from leads where id = ${posted.body.leadId}`);
    expect(row.rows[0]).toEqual({ client_id: other.client.id, is_test: true });
  });
});
