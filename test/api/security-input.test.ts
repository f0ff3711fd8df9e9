import { sql } from "drizzle-orm";
import pino from "pino";
import supertest from "supertest";
import { createTestContext, loginAgent, seedTenants, trpc, type TestContext } from "../support/app";
import { count, GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

/** Lines the app logged during a test, as written (JSON). */
function capturedLogger() {
  const lines: string[] = [];
  const logger = pino({ level: "info" }, { write: (l: string) => void lines.push(l) });
  return { logger, lines };
}

describe("bad input at the public edge", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  const logs = capturedLogger();

  beforeAll(async () => {
    t = await createTestContext({ remix: false, logger: logs.logger });
    s = await setupIntakeClient(t.deps);
  });
  afterAll(() => t.close());

  // A lone UTF-16 surrogate is valid JSON (`"\ud800"`) but not text PostgreSQL can store.
  const SURROGATE_BODY = `{"name":"Ann \\ud800 Smith","phone":"(212) 555-0191","email":"ann.surrogate@example.com","zip":"10001","budget":"7500","note":"\\udc00"}`;

  it.each([
    ["a vendor post", () => supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${s.key}`)],
    ["a form post", () => supertest(t.app).post(`/api/forms/${s.publicKey}`).set("Origin", "https://roofs.example.com")],
  ])("keeps %s carrying a lone surrogate (stored as U+FFFD) instead of answering 500, and logs no lead field", async (_label, post) => {
    logs.lines.length = 0;
    const res = await post().set("content-type", "application/json").send(SURROGATE_BODY);
    expect(res.status).toBeLessThan(500);
    expect([200, 201, 202, 303]).toContain(res.status);
    const stored = await t.deps.db.execute(sql`select raw_payload from leads where email = 'ann.surrogate@example.com' order by received_at desc limit 1`);
    expect((stored.rows[0] as { raw_payload: { name: string } }).raw_payload.name).toBe("Ann \uFFFD Smith");
    expect(logs.lines.join("\n")).not.toMatch(/ann\.surrogate|555-0191|2125550191/);
  });

  it("refuses a form post with Origin: null when the form has an origin allow-list", async () => {
    const before = await count(t.deps, "leads", sql`client_id = ${s.client.id}`);
    const res = await supertest(t.app).post(`/api/forms/${s.publicKey}`).set("Origin", "null").set("content-type", "application/json").send({ ...GOOD_LEAD, phone: "212-555-0192" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("ORIGIN_NOT_ALLOWED");
    expect(await count(t.deps, "leads", sql`client_id = ${s.client.id}`)).toBe(before);
  });

  it("never echoes a lead's data in an error response", async () => {
    const res = await supertest(t.app)
      .post("/api/v1/leads")
      .set("Authorization", `Bearer ${s.key}`)
      .set("content-type", "application/json")
      .send({ ...GOOD_LEAD, email: { nested: "secret.person@example.com" }, phone: ["212-555-0193"] });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).not.toMatch(/secret\.person|555-0193/);
  });
});

describe("tRPC, users and metrics", () => {
  let t: TestContext;
  let tenants: Awaited<ReturnType<typeof seedTenants>>;
  beforeAll(async () => {
    t = await createTestContext({ remix: true });
    tenants = await seedTenants(t.deps);
  });
  afterAll(() => t.close());

  it("refuses a tRPC batch of more than 10 calls with a 400, and answers a batch of 10", async () => {
    const agent = await loginAgent(t.app, "admin@agency.test");
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => "me").join(",");
      const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), {}]));
      return agent.get(`/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
    };
    const ten = await batch(10);
    expect(ten.status).toBe(200);
    expect(ten.body).toHaveLength(10);
    const many = await batch(300);
    expect(many.status).toBe(400);
    expect(JSON.stringify(many.body)).not.toContain("admin@agency.test");
  });

  it("answers a client admin the same way whether a taken e-mail is in their own team or another tenant", async () => {
    const agent = await loginAgent(t.app, "boss@acme.test");
    const create = (email: string) => trpc(agent, "mutation", "users.create", { email, name: "New Person", password: "long enough password", role: "client_member" });
    const otherTenant = await create("boss@other.test");
    const ownTeam = await create("rep@acme.test");
    const agency = await create("admin@agency.test");
    expect(otherTenant.status).toBe(ownTeam.status);
    expect(otherTenant.body.error.message).toBe(ownTeam.body.error.message);
    expect(agency.body.error.message).toBe(ownTeam.body.error.message);
    expect(otherTenant.body.error.message).not.toMatch(/exists|taken|already/i);
    expect(JSON.stringify(otherTenant.body)).not.toContain(tenants.other.id);
    expect(await count(t.deps, "users", sql`lower(email) = 'boss@other.test'`)).toBe(1);
  });

  it("serves /metrics only with the bearer token when METRICS_TOKEN is set", async () => {
    const m = await createTestContext({ remix: false, env: { METRICS_TOKEN: "metrics-token-for-tests-0123" } });
    try {
      expect((await supertest(m.app).get("/metrics")).status).toBe(401);
      expect((await supertest(m.app).get("/metrics").set("Authorization", "Bearer wrong-token-wrong-token")).status).toBe(401);
      const ok = await supertest(m.app).get("/metrics").set("Authorization", "Bearer metrics-token-for-tests-0123");
      expect(ok.status).toBe(200);
      expect(ok.text).toContain("http_request");
    } finally {
      await m.close();
    }
  });

  it("keeps /metrics off in production without METRICS_TOKEN", async () => {
    const p = await createTestContext({ remix: false, env: { NODE_ENV: "production", SESSION_SECRET: "x".repeat(40) } });
    try {
      const res = await supertest(p.app).get("/metrics");
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("METRICS_DISABLED");
    } finally {
      await p.close();
    }
  });
});
