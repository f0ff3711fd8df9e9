import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import supertest from "supertest";
import { fixedClock } from "../../server/domain/shared/clock";
import { createTestContext, loginAgent, PASSWORD, seedTenants, trpc, visible, type TestContext } from "../support/app";

/**
 * Accounts through the real pages and tRPC: who may change whose role or deactivate whom (a client
 * admin only their own client's users; another client's user is 404), deactivation signing out at
 * once, password reset by e-mail (neutral answer, one use, one hour, throttled, sessions ended) and
 * two-factor sign-in (codes after the password, no replay, recovery codes, the sign-in throttle).
 */

const NOW = "2026-12-07T15:00:00.000Z";


describe("accounts", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof seedTenants>>;
  const clock = fixedClock(NOW);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-accounts-"));
  const mailDir = path.join(dataDir, "mail");

  beforeAll(async () => {
    t = await createTestContext({ clock, env: { DATA_DIR: dataDir } });
    s = await seedTenants(t.deps);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const me = async (agent: supertest.Agent) => (await trpc(agent, "query", "me")).body.result.data as { email: string } | null;
  const update = (agent: supertest.Agent, input: { id: string; role?: string; active?: boolean }) => trpc(agent, "mutation", "users.update", input);

  describe("roles and deactivation", () => {
    it("refuses a client member changing anyone's role", async () => {
      const member = await loginAgent(t.app, "rep@acme.test");
      const res = await update(member, { id: s.acmeAdmin.id, role: "client_member" });
      expect(res.status).toBe(403);
      expect((await t.deps.users.list({ kind: "system", label: "t" }, s.acme.id)).find((u) => u.id === s.acmeAdmin.id)?.role).toBe("client_admin");
    });

    it("lets a client admin change their own client's users, and only theirs: another client's user is not found", async () => {
      const boss = await loginAgent(t.app, "boss@acme.test");
      const promoted = await update(boss, { id: s.acmeMember.id, role: "client_admin" });
      expect(promoted.status).toBe(200);
      expect(promoted.body.result.data).toMatchObject({ id: s.acmeMember.id, role: "client_admin" });
      expect((await update(boss, { id: s.acmeMember.id, role: "client_member" })).status).toBe(200);

      const foreign = await update(boss, { id: s.otherAdmin.id, role: "client_member" });
      expect(foreign.status).toBe(404);
      expect((await update(boss, { id: s.otherAdmin.id, active: false })).status).toBe(404);
      expect((await update(boss, { id: s.staff.id, active: false })).status).toBe(404);
      expect((await update(boss, { id: s.acmeMember.id, role: "agency_admin" })).status).toBe(400);
      const other = (await t.deps.users.list({ kind: "system", label: "t" }, s.other.id)).find((u) => u.id === s.otherAdmin.id)!;
      expect(other).toMatchObject({ role: "client_admin", disabledAt: null });
    });

    it("refuses agency staff, and anybody changing or deactivating themselves", async () => {
      const staff = await loginAgent(t.app, "staff@agency.test");
      expect((await update(staff, { id: s.acmeMember.id, active: false })).status).toBe(403);
      const admin = await loginAgent(t.app, "admin@agency.test");
      expect((await update(admin, { id: s.admin.id, active: false })).status).toBe(403);
      expect((await update(admin, { id: s.admin.id, role: "agency_staff" })).status).toBe(403);
    });

    it("signs a deactivated user out at once, keeps them out, and lets them back in when reactivated", async () => {
      const member = await loginAgent(t.app, "rep@acme.test");
      expect(await me(member)).toMatchObject({ email: "rep@acme.test" });
      const boss = await loginAgent(t.app, "boss@acme.test");
      const res = await boss.post("/portal/team").type("form").send({ intent: "set-active", id: s.acmeMember.id, active: "false", email: "rep@acme.test" });
      expect(res.status).toBe(200);
      expect(visible(res.text)).toContain("rep@acme.test was deactivated and signed out everywhere.");

      expect(await me(member)).toBeNull();
      expect((await member.get("/portal/leads")).status).toBe(302);
      const open = await t.deps.db.execute(sql`select count(*)::int as n from sessions where user_id = ${s.acmeMember.id} and revoked_at is null`);
      expect(open.rows[0]).toEqual({ n: 0 });
      const again = await supertest(t.app).post("/login").type("form").send({ email: "rep@acme.test", password: PASSWORD });
      expect(again.status).toBe(401);

      expect((await update(boss, { id: s.acmeMember.id, active: true })).status).toBe(200);
      expect(await me(await loginAgent(t.app, "rep@acme.test"))).toMatchObject({ email: "rep@acme.test" });
    });
  });

  describe("time-zone preference", () => {
    it("lets an agency user pick the zone the audit log is shown in; client users keep their business's", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      expect((await trpc(admin, "mutation", "users.updatePreferences", { timeZone: "Mars/Olympus" })).status).toBe(400);
      const saved = await admin.post("/agency/account").type("form").send({ intent: "save-time-zone", timeZone: "America/Los_Angeles" });
      expect(visible(saved.text)).toContain("Times are now shown in America/Los_Angeles.");
      const audit = visible((await admin.get("/agency/audit")).text);
      expect(audit).toContain("Times in your time zone (America/Los_Angeles)");
      const [latest] = (await t.deps.db.execute(sql`select created_at from audit_events order by created_at desc limit 1`)).rows as { created_at: string | Date }[];
      // The log names the zone beside each time ("Dec 7, 2026, 5:41 PM PST").
      const inLosAngeles = new Date(latest!.created_at).toLocaleString("en-US", { timeZone: "America/Los_Angeles", month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
      expect(audit).toContain(`>${inLosAngeles}</time>`);
      expect((await trpc(admin, "mutation", "users.updatePreferences", { timeZone: "" })).body.result.data.timeZone).toBeNull();
      const member = await loginAgent(t.app, "rep@acme.test");
      expect((await trpc(member, "mutation", "users.updatePreferences", { timeZone: "America/Chicago" })).status).toBe(403);
    });
  });

  describe("password reset by e-mail", () => {
    const mails = () => (fs.existsSync(mailDir) ? fs.readdirSync(mailDir).sort() : []);
    const linkIn = (file: string) => {
      const message = JSON.parse(fs.readFileSync(path.join(mailDir, file), "utf8")) as { to: { address: string }[]; subject: string; text: string };
      const m = /\/reset-password\?token=([\w-]+)/.exec(message.text);
      return { to: message.to.map((a) => a.address), subject: message.subject, text: message.text, token: m![1]! };
    };
    const ask = (email: string) => supertest(t.app).post("/forgot-password").type("form").send({ email });
    const waitForMail = async (count: number) => {
      for (let i = 0; i < 100 && mails().length < count; i++) await new Promise((r) => setTimeout(r, 20));
      return mails();
    };

    it("answers the same for an address with and without an account; only the account gets a link", async () => {
      const known = await ask("boss@acme.test");
      const unknown = await ask("nobody@acme.test");
      expect([known.status, unknown.status]).toEqual([200, 200]);
      const text = (r: typeof known) => visible(r.text).replace(/boss@acme\.test|nobody@acme\.test/g, "ADDRESS").replace(/nonce="[^"]*"/g, "");
      expect(text(known)).toContain("If an account uses ADDRESS, we have sent it a link");
      expect(text(known)).toEqual(text(unknown));
      const files = await waitForMail(1);
      expect(files).toHaveLength(1);
      const mail = linkIn(files[0]!);
      expect(mail.to).toEqual(["boss@acme.test"]);
      expect(mail.subject).toMatch(/^Reset your .* password$/);
      expect(mail.text).toContain("http://leadledger.test/reset-password?token=");
      expect(fs.statSync(path.join(mailDir, files[0]!)).mode & 0o777).toBe(0o600);
    });

    it("sets the new password once, ends every session, and the link cannot be used again", async () => {
      const files = mails();
      const { token } = linkIn(files[files.length - 1]!);
      const signedIn = await loginAgent(t.app, "boss@acme.test");
      expect(visible((await supertest(t.app).get(`/reset-password?token=${token}`)).text)).toContain("Choose a new password");

      const mismatch = await supertest(t.app).post(`/reset-password?token=${token}`).type("form").send({ token, password: "a-brand-new-secret", confirm: "something else" });
      expect(mismatch.status).toBe(400);
      const done = await supertest(t.app).post(`/reset-password?token=${token}`).type("form").send({ token, password: "a-brand-new-secret", confirm: "a-brand-new-secret" });
      expect(done.status).toBe(302);
      expect(done.headers.location).toBe("/login?reset=1");

      expect(await me(signedIn)).toBeNull();
      expect((await supertest(t.app).post("/login").type("form").send({ email: "boss@acme.test", password: PASSWORD })).status).toBe(401);
      expect(await me(await loginAgent(t.app, "boss@acme.test", "a-brand-new-secret"))).toMatchObject({ email: "boss@acme.test" });

      const twice = await supertest(t.app).post(`/reset-password?token=${token}`).type("form").send({ token, password: "another-new-secret", confirm: "another-new-secret" });
      expect(twice.status).toBe(404);
      expect(visible(twice.text)).toContain("This reset link has expired or was already used.");
      expect(visible((await supertest(t.app).get(`/reset-password?token=${token}`)).text)).toContain("This reset link has expired or was already used.");
    });

    it("refuses a link after an hour", async () => {
      await ask("rep@acme.test");
      const files = await waitForMail(2);
      const { token, to } = linkIn(files[files.length - 1]!);
      expect(to).toEqual(["rep@acme.test"]);
      clock.advance(61 * 60_000);
      try {
        const late = await supertest(t.app).post(`/reset-password?token=${token}`).type("form").send({ token, password: "too-late-secret", confirm: "too-late-secret" });
        expect(late.status).toBe(404);
        expect((await supertest(t.app).post("/login").type("form").send({ email: "rep@acme.test", password: PASSWORD })).status).toBe(302);
      } finally {
        clock.set(NOW);
      }
    });

    it("throttles asking: three an hour per address", async () => {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await ask("staff@agency.test")).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    });
  });

  describe("two-factor sign-in", () => {
    let secret = "";
    const code = (at = clock.now()) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });
    const passwordStep = async (agent: supertest.Agent) => agent.post("/login").type("form").send({ intent: "password", email: "admin@agency.test", password: PASSWORD });
    const codeStep = async (agent: supertest.Agent, c: string) => agent.post("/login").type("form").send({ intent: "code", code: c });
    let recovery: string[] = [];

    it("is turned on from the account with a code that proves the app has the secret", async () => {
      clock.set(NOW);
      const admin = await loginAgent(t.app, "admin@agency.test");
      expect((await trpc(admin, "mutation", "users.beginTwoFactor")).status).toBe(200);
      const status = (await trpc(admin, "query", "users.twoFactorStatus")).body.result.data as { pending: { secret: string; uri: string } };
      secret = status.pending.secret;
      expect(status.pending.uri).toMatch(/^otpauth:\/\/totp\/.*secret=[A-Z2-7]+/);
      expect((await trpc(admin, "mutation", "users.confirmTwoFactor", { code: "000000" })).status).toBe(400);
      clock.advance(30_000);
      const on = await trpc(admin, "mutation", "users.confirmTwoFactor", { code: code() });
      expect(on.status).toBe(200);
      recovery = on.body.result.data.recoveryCodes;
      expect(recovery).toHaveLength(10);
      const stored = await t.deps.db.execute(sql`select code_hash from recovery_codes where user_id = ${s.admin.id}`);
      expect(stored.rows).toHaveLength(10);
      expect(JSON.stringify(stored.rows)).not.toContain(recovery[0]!);
      // A client user has no two-factor set-up.
      expect((await trpc(await loginAgent(t.app, "rep@acme.test"), "mutation", "users.beginTwoFactor")).status).toBe(403);
    });

    it("asks for the code after the password and signs in only with it; a used code does not work twice", async () => {
      clock.advance(30_000);
      const agent = supertest.agent(t.app);
      const first = await passwordStep(agent);
      expect(first.status).toBe(200);
      expect(visible(first.text)).toContain("Enter the 6-digit code");
      expect(await me(agent)).toBeNull();
      expect((await codeStep(agent, "123456")).status).toBe(401);
      const right = code();
      const ok = await codeStep(agent, right);
      expect(ok.status).toBe(302);
      expect(await me(agent)).toMatchObject({ email: "admin@agency.test" });

      const replay = supertest.agent(t.app);
      await passwordStep(replay);
      const again = await codeStep(replay, right);
      expect(again.status).toBe(401);
      expect(await me(replay)).toBeNull();
    });

    it("takes a recovery code once", async () => {
      clock.advance(60_000);
      const a = supertest.agent(t.app);
      await passwordStep(a);
      expect((await codeStep(a, recovery[0]!.toUpperCase())).status).toBe(302);
      const b = supertest.agent(t.app);
      await passwordStep(b);
      expect((await codeStep(b, recovery[0]!)).status).toBe(401);
    });

    it("counts wrong codes against the sign-in throttle: after five, even the right password waits", async () => {
      clock.set(new Date(Date.parse(NOW) + 3_600_000));
      const agent = supertest.agent(t.app);
      expect((await passwordStep(agent)).status).toBe(200);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await codeStep(agent, "000000")).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      expect((await passwordStep(supertest.agent(t.app))).status).toBe(429);
    });
  });
});
