import { createTestContext, loginAgent, PASSWORD, SYSTEM, type TestContext } from "../support/app";
import { GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

describe("lead pages in the portal and the console", () => {
  let t: TestContext;
  let a: Awaited<ReturnType<typeof setupIntakeClient>>;
  let b: Awaited<ReturnType<typeof setupIntakeClient>>;
  let farId = "";
  let otherId = "";
  const submit = async (s: typeof a, payload: Record<string, unknown>) =>
    (await t.deps.intake.submit({ client: { id: s.client.id, timezone: "America/New_York", phoneCountry: "US" }, source: "api", campaignId: null, payload, actor: "test" })).answer.leadId;

  beforeAll(async () => {
    t = await createTestContext();
    a = await setupIntakeClient(t.deps, { name: "Alpha Roofing" });
    b = await setupIntakeClient(t.deps, { name: "Beta Roofing" });
    await submit(a, { ...GOOD_LEAD, name: "Grace Good", phone: "212-555-0300" });
    farId = await submit(a, { ...GOOD_LEAD, name: "Frank Far", phone: "212-555-0301", zip: "94105" });
    otherId = await submit(b, { ...GOOD_LEAD, name: "Otto Other", phone: "212-555-0399" });
    const { budget: _b, ...noBudget } = GOOD_LEAD;
    await submit(a, { ...noBudget, name: "Bea Nobudget", phone: "212-555-0302" });
    await t.deps.users.create(SYSTEM, { email: "rep@alpha.test", password: PASSWORD, role: "client_member", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "staff@agency.test", password: PASSWORD, role: "agency_staff" });
  });
  afterAll(() => t.close());

  it("shows a client its own leads with statuses and reasons, and nobody else's", async () => {
    const agent = await loginAgent(t.app, "rep@alpha.test");
    const page = await agent.get("/portal/leads");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Grace Good");
    expect(page.text).toContain("Frank Far");
    expect(page.text).toContain("Outside service area");
    expect(page.text).not.toContain("Otto Other");
  });

  it("shows a lead's net billed amount after a partial credit, and a disputed badge while a dispute is open", async () => {
    const creditedId = await submit(a, { ...GOOD_LEAD, name: "Carl Credited", phone: "212-555-0303" });
    const openId = await submit(a, { ...GOOD_LEAD, name: "Olga Open", phone: "212-555-0304" });
    const rep = (await t.deps.users.list({ kind: "system", label: "test" }, a.client.id)).find((u) => u.email === "rep@alpha.test")!;
    const client = { kind: "client", userId: rep.id, email: rep.email, role: "client_member", clientId: a.client.id } as const;
    const agency = { kind: "system", label: "test" } as const;
    const { dispute } = await t.deps.disputes.open(client, { leadId: creditedId, reason: "wrong_number" });
    await t.deps.disputes.resolve(agency, { disputeId: dispute.id, decision: "partial", percentBps: 5000, note: "Half: the caller did ask about roofs." });
    await t.deps.disputes.open(client, { leadId: openId, reason: "spam" });

    const page = await (await loginAgent(t.app, "rep@alpha.test")).get("/portal/leads");
    const row = (name: string) => (new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*${name}[\\s\\S]*?</tr>`).exec(page.text)?.[0] ?? "").replace(/<!-- -->/g, "");
    expect(row("Carl Credited")).toContain("$37.50");
    expect(row("Carl Credited")).toContain("$75.00 − $37.50 credit");
    expect(row("Carl Credited")).not.toContain("disputed</span>");
    expect(row("Olga Open")).toContain("$75.00");
    expect(row("Olga Open")).toContain('badge warn">disputed</span>');
  });

  it("says in the inbox which contract requirement a lead missed, not just that it missed one", async () => {
    const agent = await loginAgent(t.app, "rep@alpha.test");
    const page = await agent.get("/portal/leads");
    const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Bea Nobudget[\s\S]*?<\/tr>/.exec(page.text)?.[0] ?? "";
    expect(row).toContain("Budget is missing; it must be at least 5000");
    expect(row).not.toContain("Did not meet a requirement");
  });

  it("filters the inbox through the query string", async () => {
    const agent = await loginAgent(t.app, "rep@alpha.test");
    const page = await agent.get("/portal/leads?status=rejected");
    expect(page.text).toContain("Frank Far");
    expect(page.text).not.toContain("Grace Good");
  });

  it("explains a rejected lead in plain words with its contract version and raw payload", async () => {
    const agent = await loginAgent(t.app, "rep@alpha.test");
    const page = await agent.get(`/portal/leads/${farId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("ZIP 94105");
    expect(page.text).toMatch(/contract version (<!-- -->)?1/);
    expect(page.text).toContain("Raw payload as received");
  });

  it("answers 404 for another client's lead page", async () => {
    const agent = await loginAgent(t.app, "rep@alpha.test");
    expect((await agent.get(`/portal/leads/${otherId}`)).status).toBe(404);
    expect((await agent.get("/portal/leads/not-a-uuid")).status).toBe(404);
  });

  it("shows agency staff every client's leads and the replay check on a lead", async () => {
    const agent = await loginAgent(t.app, "staff@agency.test");
    const list = await agent.get("/agency/leads");
    expect(list.text).toContain("Otto Other");
    expect(list.text).toContain("Alpha Roofing");
    const lead = await agent.get(`/agency/leads/${farId}`);
    expect(lead.text).toContain("gives the same result");
  });
});
