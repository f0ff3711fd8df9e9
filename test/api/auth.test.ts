import supertest from "supertest";
import { BAD_CREDENTIALS } from "../../server/domain/auth/login";
import { createTestContext, fixedClock, loginAgent, PASSWORD, seedTenants, trpc, type TestContext } from "../support/app";

describe("signing in and out", () => {
  const clock = fixedClock("2026-11-02T15:00:00Z");
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ clock, env: { SESSION_TTL_HOURS: "8" } });
    await seedTenants(t.deps);
  });
  afterAll(() => t.close());

  it("shows the login form with email and password fields", async () => {
    const res = await supertest(t.app).get("/login");
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/name="email"/);
    expect(res.text).toMatch(/name="password"/);
  });

  it("sets an httpOnly, SameSite=Lax session cookie and redirects an agency admin to the console", async () => {
    const res = await supertest(t.app).post("/login").type("form").send({ email: "ADMIN@agency.test", password: PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/agency");
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/ll_session=[\w-]{40,}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // PUBLIC_URL is http in this test
  });

  it("redirects a client user to the portal", async () => {
    const res = await supertest(t.app).post("/login").type("form").send({ email: "boss@acme.test", password: PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/portal");
  });

  it("gives the same message for a wrong password and an unknown e-mail", async () => {
    const wrong = await supertest(t.app).post("/login").set("X-Forwarded-For", "10.0.0.1").type("form").send({ email: "rep@acme.test", password: "nope-nope-nope" });
    const unknown = await supertest(t.app).post("/login").type("form").send({ email: "nobody@acme.test", password: "nope-nope-nope" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain(BAD_CREDENTIALS);
    expect(unknown.text).toContain(BAD_CREDENTIALS);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
  });

  it("sends an anonymous visitor of the console to the login page", async () => {
    const res = await supertest(t.app).get("/agency");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/login?redirectTo=%2Fagency");
  });

  it("logs out by revoking the server-side session, so the old cookie stops working", async () => {
    const login = await supertest(t.app).post("/login").type("form").send({ email: "staff@agency.test", password: PASSWORD });
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    expect((await supertest(t.app).get("/agency").set("Cookie", cookie)).status).toBe(200);
    const out = await supertest(t.app).post("/logout").set("Cookie", cookie);
    expect(out.status).toBe(302);
    expect(String(out.headers["set-cookie"])).toMatch(/ll_session=;.*Max-Age=0/);
    // Replaying the old token must not work: the session is revoked on the server.
    expect((await supertest(t.app).get("/agency").set("Cookie", cookie)).status).toBe(302);
    const me = await supertest(t.app).get("/trpc/me").set("Cookie", cookie);
    expect(me.body.result.data).toBeNull();
  });

  it("expires a session after SESSION_TTL_HOURS", async () => {
    const agent = await loginAgent(t.app, "admin@agency.test");
    expect((await trpc(agent, "query", "me")).body.result.data.email).toBe("admin@agency.test");
    clock.advance(8 * 3_600_000 + 1_000);
    const me = await trpc(agent, "query", "me");
    expect(me.body.result.data).toBeNull();
    expect((await agent.get("/agency")).status).toBe(302);
  });
});
