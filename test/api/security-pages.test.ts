import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import supertest from "supertest";
import { createTestContext, loginAgent, PASSWORD, seedTenants, trpc, type TestContext } from "../support/app";
import { count } from "../support/fixtures";

const OURS = "http://leadledger.test"; // PUBLIC_URL of the test app

/** A real app on a fresh database with the usual tenants, for one describe block. */
function appWithTenants(): { t: TestContext } {
  const ctx = {} as { t: TestContext };
  beforeAll(async () => {
    ctx.t = await createTestContext();
    await seedTenants(ctx.t.deps);
  });
  afterAll(() => ctx.t.close());
  return ctx;
}
const EVIL = "http://evil.example";

describe("pages and tRPC refuse requests from other sites", () => {
  const ctx = appWithTenants();

  const newUser = (email: string) => ({ intent: "create-user", email, name: "Mallory", password: "a long password 123", role: "client_admin" });

  it("refuses a cross-origin data request to a page action (a client admin's cookie cannot be borrowed to add a user)", async () => {
    const agent = await loginAgent(ctx.t.app, "boss@acme.test");
    const res = await agent.post("/portal/team.data").set("Origin", EVIL).type("form").send(newUser("mallory@evil.example"));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("CROSS_SITE_REQUEST");
    expect(await count(ctx.t.deps, "users", sql`email = 'mallory@evil.example'`)).toBe(0);
  });

  it("runs the same action when the data request comes from our own origin", async () => {
    const agent = await loginAgent(ctx.t.app, "boss@acme.test");
    const res = await agent.post("/portal/team.data").set("Host", "leadledger.test").set("Origin", OURS).set("Sec-Fetch-Site", "same-origin").type("form").send(newUser("new.admin@acme.test"));
    expect(res.status).toBeLessThan(400);
    expect(await count(ctx.t.deps, "users", sql`email = 'new.admin@acme.test'`)).toBe(1);
  });

  it("refuses a post that names no origin but that the browser marks as cross-site, and one from an opaque origin (Origin: null)", async () => {
    const agent = await loginAgent(ctx.t.app, "boss@acme.test");
    const crossSite = await agent.post("/portal/team").set("Sec-Fetch-Site", "cross-site").type("form").send(newUser("m1@evil.example"));
    const opaque = await agent.post("/portal/team").set("Origin", "null").type("form").send(newUser("m2@evil.example"));
    expect([crossSite.status, opaque.status]).toEqual([403, 403]);
    expect(await count(ctx.t.deps, "users", sql`email like 'm_@evil.example'`)).toBe(0);
  });

  it("refuses a cross-origin tRPC mutation (an agency admin's cookie cannot revoke an API key from elsewhere)", async () => {
    const admin = await loginAgent(ctx.t.app, "admin@agency.test");
    const created = await trpc(admin, "mutation", "clients.create", { name: "Keyed Co" });
    const clientId = created.body.result.data.id as string;
    const key = await trpc(admin, "mutation", "apiKeys.create", { clientId, name: "Vendor" });
    const keyId = (key.body.result.data.apiKey ?? key.body.result.data).id as string;
    const res = await admin.post("/trpc/apiKeys.revoke").set("Origin", EVIL).set("content-type", "application/json").send(JSON.stringify({ id: keyId }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("CROSS_SITE_REQUEST");
    expect(await count(ctx.t.deps, "api_keys", sql`id = ${keyId} and revoked_at is null`)).toBe(1);
  });

  it("signs out only on a POST from a form, never on a GET", async () => {
    const agent = await loginAgent(ctx.t.app, "staff@agency.test");
    const get = await agent.get("/logout");
    expect(get.status).toBe(200);
    expect(get.text).toContain("Sign out");
    expect((await agent.get("/agency")).status).toBe(200);
    const post = await agent.post("/logout").set("Host", "leadledger.test").set("Origin", OURS).type("form").send({});
    expect(post.status).toBe(302);
    expect((await agent.get("/agency")).status).toBe(302);
  });
});

describe("where a person lands after signing in", () => {
  const ctx = appWithTenants();

  const landing = async (redirectTo: string) =>
    (await supertest(ctx.t.app).post("/login").type("form").send({ email: "admin@agency.test", password: PASSWORD, redirectTo })).headers.location;

  it.each([
    ["/\t/evil.example", "/agency"],
    ["//evil.example/agency", "/agency"],
    ["/\\evil.example", "/agency"],
    ["https://evil.example/agency", "/agency"],
    ["javascript:alert(1)", "/agency"],
    ["/build/../../etc", "/agency"],
    ["/agency/leads?status=qualified#top", "/agency/leads?status=qualified#top"],
    ["/portal/invoices", "/portal/invoices"],
  ])("sends redirectTo %j to %j", async (to, expected) => {
    expect(await landing(to)).toBe(expected);
  });
});

describe("page bodies and the page CSP", () => {
  let t: TestContext;
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    t = await createTestContext();
    server = http.createServer(t.app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await t.close();
  });

  it("answers a 5 MB page POST with 413 before reading its body", async () => {
    const total = 5 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/login", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(total) } });
      req.on("response", (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      });
      req.on("error", (e) => (sent > 0 ? undefined : reject(e)));
      const pump = () => {
        // Send one chunk, then more only while no answer came; the whole 5 MB is never needed.
        if (sent >= total || req.destroyed) return;
        sent += chunk.length;
        req.write(chunk, () => setTimeout(pump, 5));
      };
      pump();
    });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(total);
  });

  it("refuses a page POST without a Content-Length (chunked) with 411", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/login", headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" } });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write("email=a%40b.c&password=x");
      req.end();
    });
    expect(status).toBe(411);
  });

  it("allows no inline script without the response's nonce, and every script of the page carries it", async () => {
    const res = await supertest(t.app).get("/login");
    const csp = String(res.headers["content-security-policy"]);
    const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
    expect(scriptSrc).not.toContain("unsafe-inline");
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
    expect(nonce).toBeTruthy();
    const scripts = [...res.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const again = await supertest(t.app).get("/login");
    expect(String(again.headers["content-security-policy"])).not.toContain(nonce!);
    expect(res.headers["referrer-policy"]).toBe("same-origin");
  });
});
