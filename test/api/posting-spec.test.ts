import supertest from "supertest";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { DEMO_CONTRACT, GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

/**
 * Issue #22.2: a posting spec per form and per API key, generated from the contract version in
 * force, in the console and behind a public link with an unguessable token.
 */
describe("posting specs", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  let other: Awaited<ReturnType<typeof setupIntakeClient>>;
  let testKey: string;

  beforeAll(async () => {
    t = await createTestContext();
    s = await setupIntakeClient(t.deps, {
      name: "Spec Roofing",
      contract: {
        ...DEMO_CONTRACT,
        qualification: { ...DEMO_CONTRACT.qualification, custom: [{ field: "budget", op: "min", value: 5000 }, { field: "roof_type", op: "in", value: ["tile", "metal"] }] },
      },
    });
    other = await setupIntakeClient(t.deps, { name: "Other Spec Co" });
    testKey = (await t.deps.apiKeys.create(SYSTEM, { clientId: s.client.id, name: "Vendor A test", mode: "test" })).key;
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "boss@spec.test", password: PASSWORD, role: "client_admin", clientId: s.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@other.test", password: PASSWORD, role: "client_admin", clientId: other.client.id });
  });
  afterAll(() => t.close());

  const post = (key: string, body: object) => supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${key}`).send(body);

  it("lists the fields the contract requires or tests, with types and allowed values, and a sample that qualifies", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const res = await trpc(admin, "query", "postingSpecs.get", { kind: "api", id: s.apiKey.id });
    expect(res.status).toBe(200);
    const spec = res.body.result.data;
    expect(spec.endpoint).toMatchObject({ method: "POST", url: "http://leadledger.test/api/v1/leads" });
    expect(spec.contractVersion).toMatchObject({ version: 1 });
    const byName = Object.fromEntries(spec.fields.map((f: { name: string }) => [f.name, f]));
    expect(byName.phone).toMatchObject({ required: true, type: "phone" });
    expect(byName.zip).toMatchObject({ required: true, type: "zip", allowed: "one of 10001–10005" });
    expect(byName.budget).toMatchObject({ required: true, type: "number", allowed: "be at least 5000" });
    expect(byName.roof_type).toMatchObject({ required: true, type: "string", options: ["tile", "metal"] });
    expect(spec.reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(["OUT_OF_SERVICE_AREA", "DUPLICATE", "CUSTOM_RULE_FAILED"]));
    expect(spec.reasons.map((r: { code: string }) => r.code)).not.toContain("HONEYPOT_FILLED");
    expect(spec.sampleCurl).toContain("http://leadledger.test/api/v1/leads");
    expect(spec.sampleCurl).toContain("$LEADLEDGER_API_KEY");
    expect(spec.sampleCurl).not.toContain(s.key);

    const sent = await post(testKey, spec.sampleBody);
    expect(sent.body).toMatchObject({ status: "qualified", reasons: [], test: true });
  });

  it("gives the acceptance rate of the source's real leads over the last 30 days, test leads not counted", async () => {
    await post(s.key, { ...GOOD_LEAD, phone: "212-555-0701", roof_type: "tile" });
    await post(s.key, { ...GOOD_LEAD, phone: "212-555-0702", roof_type: "metal" });
    await post(s.key, { ...GOOD_LEAD, phone: "212-555-0703", roof_type: "tile", zip: "94105" });
    await post(testKey, { ...GOOD_LEAD, phone: "212-555-0704", roof_type: "tile", zip: "94105" });
    const spec = await t.deps.postingSpecs.get(SYSTEM, { kind: "api", id: s.apiKey.id });
    expect(spec.acceptance).toEqual({ days: 30, qualified: 2, judged: 3, rateBps: 6667 });
    const formSpec = await t.deps.postingSpecs.get(SYSTEM, { kind: "form", id: s.form.id });
    expect(formSpec.acceptance).toEqual({ days: 30, qualified: 0, judged: 0, rateBps: null });
  });

  it("follows the contract version in force", async () => {
    await t.deps.contracts.publish(SYSTEM, {
      clientId: s.client.id,
      document: { ...DEMO_CONTRACT, effectiveFrom: undefined, qualification: { ...DEMO_CONTRACT.qualification, requiredFields: ["phone", "zip", "email"] } },
    });
    const spec = await t.deps.postingSpecs.get(SYSTEM, { kind: "form", id: s.form.id });
    expect(spec.contractVersion?.version).toBe(2);
    expect(spec.fields.find((f) => f.name === "email")).toMatchObject({ required: true });
    expect(spec.fields.find((f) => f.name === "roof_type")).toBeUndefined();
    expect(spec.sampleCurl).toContain(`/api/forms/${s.publicKey}`);
  });

  describe("the public link", () => {
    it("shows the spec without signing in, and nothing else: no prices, no key, no console", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const shared = await trpc(admin, "mutation", "postingSpecs.share", { kind: "api", id: s.apiKey.id });
      expect(shared.status).toBe(200);
      const link = shared.body.result.data.publicLink as string;
      expect(link).toMatch(/^http:\/\/leadledger\.test\/spec\/sp_[A-Za-z0-9_-]{32}$/);

      const page = await supertest(t.app).get(new URL(link).pathname);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/Posting spec: (<!-- -->)?Vendor/);
      expect(page.text).toContain("/api/v1/leads");
      expect(page.text).toContain("budget");
      expect(page.text).toContain("OUT_OF_SERVICE_AREA");
      expect(page.text).not.toContain("$75");
      expect(page.text).not.toContain(s.key);
      expect(page.text).not.toContain("Sign out");
      expect(page.text).not.toContain("Other Spec Co");
    });

    it("stops working when replaced or withdrawn, and for a revoked key; unknown tokens are not found", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const first = (await trpc(admin, "mutation", "postingSpecs.share", { kind: "form", id: s.form.id })).body.result.data.publicLink as string;
      const second = (await trpc(admin, "mutation", "postingSpecs.share", { kind: "form", id: s.form.id })).body.result.data.publicLink as string;
      expect(second).not.toBe(first);
      expect((await supertest(t.app).get(new URL(first).pathname)).status).toBe(404);
      expect((await supertest(t.app).get(new URL(second).pathname)).status).toBe(200);
      await trpc(admin, "mutation", "postingSpecs.share", { kind: "form", id: s.form.id, share: false });
      expect((await supertest(t.app).get(new URL(second).pathname)).status).toBe(404);

      const key = (await trpc(admin, "mutation", "postingSpecs.share", { kind: "api", id: other.apiKey.id })).body.result.data.publicLink as string;
      expect((await supertest(t.app).get(new URL(key).pathname)).status).toBe(200);
      await t.deps.apiKeys.revoke(SYSTEM, other.apiKey.id);
      expect((await supertest(t.app).get(new URL(key).pathname)).status).toBe(404);

      expect((await supertest(t.app).get("/spec/sp_not-a-real-token-at-all-000000")).status).toBe(404);
      expect((await supertest(t.app).get("/spec/anything")).status).toBe(404);
      const viaTrpc = await trpc(supertest(t.app), "query", "postingSpecs.public", { token: "sp_not-a-real-token-at-all-000000" });
      expect(viaTrpc.status).toBe(404);
    });
  });

  describe("who sees what", () => {
    it("lets a client user read their own sources' specs but not share them, and never another client's", async () => {
      const mine = await loginAgent(t.app, "boss@spec.test");
      const own = await trpc(mine, "query", "postingSpecs.get", { kind: "form", id: s.form.id });
      expect(own.status).toBe(200);
      const share = await trpc(mine, "mutation", "postingSpecs.share", { kind: "form", id: s.form.id });
      expect(share.status).toBe(403);
      const foreign = await trpc(mine, "query", "postingSpecs.get", { kind: "api", id: other.apiKey.id });
      expect(foreign.status).toBe(404);
      const bad = await trpc(mine, "query", "postingSpecs.get", { kind: "form", id: "nope" });
      expect(bad.status).toBe(400);
    });

    it("renders the console page for agency staff only, under the source's own client", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const page = await admin.get(`/agency/clients/${s.client.id}/spec?key=${s.apiKey.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/Posting spec: (<!-- -->)?Vendor/);
      expect(page.text).toMatch(/(Make|Replace) public link/);
      const made = await admin.post(`/agency/clients/${s.client.id}/spec?key=${s.apiKey.id}`).type("form").send({ intent: "share" });
      expect(made.status).toBe(200);
      expect(made.text).toMatch(/\/spec\/sp_[A-Za-z0-9_-]{32}/);

      const wrongClient = await admin.get(`/agency/clients/${other.client.id}/spec?key=${s.apiKey.id}`);
      expect(wrongClient.status).toBe(404);
      const client = await loginAgent(t.app, "boss@spec.test");
      expect((await client.get(`/agency/clients/${s.client.id}/spec?key=${s.apiKey.id}`)).status).toBe(403);
    });
  });
});
