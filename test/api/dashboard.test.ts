import { createTestContext, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { DEMO_CONTRACT, GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

describe("agency dashboard page", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
    const alpha = await setupIntakeClient(t.deps, { name: "Alpha Roofing", contract: { ...DEMO_CONTRACT, pricing: { leadPriceCents: 7500, monthlyCap: { leads: 2 } } } });
    const beta = await setupIntakeClient(t.deps, { name: "Beta Plumbing" });
    const submit = (s: typeof alpha, phone: string) =>
      t.deps.intake.submit({ client: { id: s.client.id, timezone: "America/New_York", phoneCountry: "US" }, source: "api", campaignId: null, payload: { ...GOOD_LEAD, phone }, actor: "test" });
    for (const phone of ["212-555-0301", "212-555-0302", "212-555-0303"]) await submit(alpha, phone);
    await submit(beta, "212-555-0401");
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "staff@agency.test", password: PASSWORD, role: "agency_staff" });
    await t.deps.users.create(SYSTEM, { email: "boss@alpha.test", password: PASSWORD, role: "client_admin", clientId: alpha.client.id });
  });
  afterAll(() => t.close());

  it("shows agency staff a row per client with figures, the pacing warning and the leads chart", async () => {
    const staff = await loginAgent(t.app, "staff@agency.test");
    const page = await staff.get("/agency");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Alpha Roofing");
    expect(page.text).toContain("Beta Plumbing");
    expect(page.text).toContain("The 2-lead cap is used up");
    expect(page.text).toContain("Cap reached");
    expect(page.text).toContain("No monthly cap");
    expect(page.text).toContain("Leads per day by status, last 30 days"); // the chart's title and hidden table caption
    expect(page.text).toMatch(/<svg[^>]*role="img"/);
  });

  it("sorts by a column and searches by name through the query string", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const byLeadsAsc = await admin.get("/agency?sort=leads&dir=asc");
    expect(byLeadsAsc.text.indexOf("Beta Plumbing")).toBeLessThan(byLeadsAsc.text.indexOf("Alpha Roofing"));
    const byName = await admin.get("/agency?sort=name&dir=asc");
    expect(byName.text.indexOf("Alpha Roofing")).toBeLessThan(byName.text.indexOf("Beta Plumbing"));
    const search = await admin.get("/agency?q=beta");
    expect(search.text).toContain("Beta Plumbing");
    expect(search.text).not.toContain("Alpha Roofing");
    const none = await admin.get("/agency?q=zzz");
    expect(none.text).toContain("No clients match");
  });

  it("answers a client user with 403 and shows none of the agency's figures", async () => {
    const client = await loginAgent(t.app, "boss@alpha.test");
    const page = await client.get("/agency");
    expect(page.status).toBe(403);
    expect(page.text).not.toContain("Beta Plumbing");
    expect(page.text).not.toContain("lead cap");
    expect(page.text).not.toContain("Alpha Roofing");
  });

  it("lists the clients and the create-client form on the clients page, and links the audit log for admins only", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const clients = await admin.get("/agency/clients");
    expect(clients.status).toBe(200);
    expect(clients.text).toContain("Create a client");
    expect(clients.text).toContain("Alpha Roofing");
    expect(clients.text).toContain('href="/agency/audit"');
    const staff = await loginAgent(t.app, "staff@agency.test");
    expect((await staff.get("/agency/clients")).text).not.toContain('href="/agency/audit"');
  });
});

describe("agency dashboard without clients", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
  });
  afterAll(() => t.close());

  it("says what to do next", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const page = await admin.get("/agency");
    expect(page.status).toBe(200);
    expect(page.text).toContain("No clients yet");
    expect(page.text).toContain('href="/agency/clients"');
  });
});

describe("audit log", () => {
  let t: TestContext;
  let acmeId = "";
  beforeAll(async () => {
    t = await createTestContext();
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "staff@agency.test", password: PASSWORD, role: "agency_staff" });
    const admin = await loginAgent(t.app, "admin@agency.test");
    const staff = await loginAgent(t.app, "staff@agency.test");
    acmeId = (await trpc(admin, "mutation", "clients.create", { name: "Acme Roofing" })).body.result.data.id;
    await trpc(staff, "mutation", "clients.create", { name: "Staff Made Gutters" });
    await trpc(admin, "mutation", "clients.update", { id: acmeId, name: "Acme Roofing & Sons" });
    await t.deps.users.create(SYSTEM, { email: "boss@acme.test", password: PASSWORD, role: "client_admin", clientId: acmeId });
  });
  afterAll(() => t.close());

  it("shows agency admins the events newest first with who, what and the changed fields", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const page = await admin.get("/agency/audit");
    expect(page.status).toBe(200);
    const updated = page.text.indexOf("client.updated");
    const created = page.text.indexOf("client.created");
    expect(updated).toBeGreaterThan(-1);
    expect(updated).toBeLessThan(created);
    expect(page.text).toContain("staff@agency.test");
    expect(page.text).toContain("Acme Roofing &amp; Sons");
  });

  it("answers agency staff and client users with 403, on the page and in tRPC", async () => {
    const staff = await loginAgent(t.app, "staff@agency.test");
    expect((await staff.get("/agency/audit")).status).toBe(403);
    expect((await trpc(staff, "query", "audit.list", {})).status).toBe(403);
    const client = await loginAgent(t.app, "boss@acme.test");
    expect((await client.get("/agency/audit")).status).toBe(403);
    expect((await trpc(client, "query", "audit.list", {})).status).toBe(403);
  });

  it("filters by actor e-mail, client and record", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const byStaff = await trpc(admin, "query", "audit.list", { actor: "STAFF@agency" });
    expect(byStaff.body.result.data.items.map((e: { action: string; after: { name: string } }) => `${e.action} ${e.after.name}`)).toEqual(["client.created Staff Made Gutters"]);
    const byClient = await trpc(admin, "query", "audit.list", { clientId: acmeId });
    expect(byClient.body.result.data.items.map((e: { action: string }) => e.action)).toEqual(["user.created", "client.updated", "client.created"]);
    const byRecord = await trpc(admin, "query", "audit.list", { entityType: "client", entityId: acmeId });
    expect(byRecord.body.result.data.items.map((e: { action: string }) => e.action)).toEqual(["client.updated", "client.created"]);
    const page = await admin.get(`/agency/audit?actor=staff%40agency.test`);
    expect(page.text).toContain("client.created");
    expect(page.text).not.toContain("client.updated");
  });

  it("pages with a keyset cursor without repeating or skipping events", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const all = (await trpc(admin, "query", "audit.list", {})).body.result.data.items.map((e: { id: string }) => e.id);
    expect(all.length).toBeGreaterThanOrEqual(6);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await trpc(admin, "query", "audit.list", { limit: 2, cursor });
      seen.push(...res.body.result.data.items.map((e: { id: string }) => e.id));
      cursor = res.body.result.data.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
    const bad = await trpc(admin, "query", "audit.list", { cursor: "not-a-cursor" });
    expect(bad.status).toBe(400);
  });
});
