import supertest from "supertest";
import { createTestContext, loginAgent, seedTenants, trpc, type TestContext } from "../support/app";

describe("roles and tenant isolation", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof seedTenants>>;
  beforeAll(async () => {
    t = await createTestContext();
    s = await seedTenants(t.deps);
  });
  afterAll(() => t.close());

  it("lets a client user read its own client", async () => {
    const agent = await loginAgent(t.app, "rep@acme.test");
    const res = await trpc(agent, "query", "clients.get", { id: s.acme.id });
    expect(res.status).toBe(200);
    expect(res.body.result.data.name).toBe("Acme Roofing");
  });

  it("answers 404 when a client user asks for another client", async () => {
    const agent = await loginAgent(t.app, "rep@acme.test");
    const res = await trpc(agent, "query", "clients.get", { id: s.other.id });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain("Other Plumbing");
  });

  it("lists only the client user's own client and own colleagues", async () => {
    const agent = await loginAgent(t.app, "boss@acme.test");
    const clients = await trpc(agent, "query", "clients.list");
    expect(clients.body.result.data.map((c: { name: string }) => c.name)).toEqual(["Acme Roofing"]);
    const users = await trpc(agent, "query", "users.list");
    expect(users.body.result.data.map((u: { email: string }) => u.email).sort()).toEqual(["boss@acme.test", "rep@acme.test"]);
    const foreign = await trpc(agent, "query", "users.list", { clientId: s.other.id });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain("other.test");
  });

  it("lets a client admin invite a member into its own client even when it names another client", async () => {
    const agent = await loginAgent(t.app, "boss@acme.test");
    const res = await trpc(agent, "mutation", "users.create", { email: "new@acme.test", password: "long-enough-pw", role: "client_member", clientId: s.other.id });
    expect(res.status).toBe(404);
    const ok = await trpc(agent, "mutation", "users.create", { email: "new@acme.test", password: "long-enough-pw", role: "client_member" });
    expect(ok.status).toBe(200);
    expect(ok.body.result.data.clientId).toBe(s.acme.id);
    expect(ok.body.result.data.passwordHash).toBeUndefined();
  });

  it("refuses a client admin creating an agency user, and a client member inviting anyone", async () => {
    const admin = await loginAgent(t.app, "boss@acme.test");
    expect((await trpc(admin, "mutation", "users.create", { email: "x@acme.test", password: "long-enough-pw", role: "agency_admin" })).status).toBe(403);
    const member = await loginAgent(t.app, "rep@acme.test");
    expect((await trpc(member, "mutation", "users.create", { email: "y@acme.test", password: "long-enough-pw", role: "client_member" })).status).toBe(403);
  });

  it("keeps client users out of agency procedures and pages", async () => {
    const agent = await loginAgent(t.app, "boss@acme.test");
    expect((await trpc(agent, "mutation", "clients.create", { name: "Sneaky Co" })).status).toBe(403);
    expect((await agent.get("/agency")).status).toBe(403);
  });

  it("lets agency staff create clients but only agency admins create users", async () => {
    const staff = await loginAgent(t.app, "staff@agency.test");
    const created = await trpc(staff, "mutation", "clients.create", { name: "Fresh Gutters", timezone: "America/Chicago" });
    expect(created.status).toBe(200);
    expect(created.body.result.data).toMatchObject({ name: "Fresh Gutters", timezone: "America/Chicago", currency: "USD" });
    expect((await trpc(staff, "mutation", "users.create", { email: "z@agency.test", password: "long-enough-pw", role: "agency_staff" })).status).toBe(403);
    const admin = await loginAgent(t.app, "admin@agency.test");
    const u = await trpc(admin, "mutation", "users.create", { email: "z@agency.test", password: "long-enough-pw", role: "agency_staff" });
    expect(u.status).toBe(200);
  });

  it("rejects bad tRPC input with field issues, and a duplicate client name with 409", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const bad = await trpc(admin, "mutation", "clients.create", { name: "A", timezone: "Mars/Olympus" });
    expect(bad.status).toBe(400);
    const dup = await trpc(admin, "mutation", "clients.create", { name: "acme roofing" });
    expect(dup.status).toBe(409);
    expect(dup.body.error.data.domainCode).toBe("CONFLICT");
  });

  it("refuses an SMS template through clients.update: only the alert settings, which check it, may change it", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const res = await trpc(admin, "mutation", "clients.update", { id: s.acme.id, alertTemplate: "New lead {name}" });
    const renamed = await trpc(admin, "mutation", "clients.update", { id: s.acme.id, name: "Acme Roofing" });

    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("alertTemplate");
    expect(renamed.status).toBe(200);
    expect(renamed.body.result.data.alertTemplate).toBeNull();
  });

  it("answers text PostgreSQL cannot store (a NUL character) with a 400, never a 500", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const res = await trpc(admin, "mutation", "clients.create", { name: "Bad\u0000Name Co" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("NUL");
  });

  it("requires a session for tRPC procedures", async () => {
    const res = await trpc(supertest(t.app), "query", "clients.list");
    expect(res.status).toBe(401);
  });

  it("shows the client portal with the client's name, its team page with its own users only, and a 404 page for a foreign client in the console", async () => {
    const client = await loginAgent(t.app, "boss@acme.test");
    const home = await client.get("/portal");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Acme Roofing");
    const page = await client.get("/portal/team");
    expect(page.status).toBe(200);
    expect(page.text).toContain("rep@acme.test");
    expect(page.text).not.toContain("boss@other.test");
    const admin = await loginAgent(t.app, "admin@agency.test");
    const missing = await admin.get("/agency/clients/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
  });

  it("creates a client from the console form", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const res = await admin.post("/agency/clients?index").type("form").send({ intent: "create-client", name: "Form Made LLC", timezone: "America/Denver", currency: "USD" });
    expect(res.status).toBe(200);
    const list = await admin.get("/agency/clients");
    expect(list.text).toContain("Form Made LLC");
  });
});
