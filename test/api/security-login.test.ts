import { sql } from "drizzle-orm";
import supertest from "supertest";
import { LOGIN_THROTTLES } from "../../server/domain/auth/login";
import { createTestContext, fixedClock, PASSWORD, seedTenants, type TestContext } from "../support/app";
import { count } from "../support/fixtures";

/** A sign-in through the login form from a given address (the app trusts X-Forwarded-For from loopback). */
function signIn(t: TestContext, email: string, password: string, ip: string, path = "/login") {
  return supertest(t.app).post(path).set("X-Forwarded-For", ip).type("form").send({ email, password });
}

describe("sign-in throttling", () => {
  const clock = fixedClock("2026-12-07T10:00:10Z");
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ clock });
    await seedTenants(t.deps);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    clock.advance(60 * 60_000); // a fresh window for every test
  });

  it("checks only 5 of 150 parallel guesses at one account from one address, even when one is right", async () => {
    const guesses = Array.from({ length: 150 }, (_, i) => signIn(t, "boss@acme.test", i === 149 ? PASSWORD : `wrong-${i}`, "203.0.113.7"));
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    const checked = statuses.filter((s) => s !== 429).length;
    expect(checked).toBe(LOGIN_THROTTLES.accountAndIp.limit);
    expect(await count(t.deps, "login_attempts", sql`email = 'boss@acme.test' and ip = '203.0.113.7'`)).toBe(LOGIN_THROTTLES.accountAndIp.limit);
  });

  it("checks only 20 of 150 parallel guesses at one account spread over 150 addresses", async () => {
    const guesses = Array.from({ length: 150 }, (_, i) => signIn(t, "rep@acme.test", `wrong-${i}`, `198.51.100.${i + 1}`));
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_THROTTLES.account.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(150 - LOGIN_THROTTLES.account.limit);
  });

  it("counts guesses posted to /login.data (the form's own data request) like those to /login", async () => {
    for (let i = 0; i < LOGIN_THROTTLES.accountAndIp.limit; i++) {
      await signIn(t, "staff@agency.test", `wrong-${i}`, "192.0.2.10", "/login.data");
      await signIn(t, "staff@agency.test", `wrong-${i}`, "192.0.2.11", "/login.data");
    }
    expect(await count(t.deps, "login_attempts", sql`email = 'staff@agency.test' and ip in ('192.0.2.10', '192.0.2.11')`)).toBe(2 * LOGIN_THROTTLES.accountAndIp.limit);
    // The right password from either address is refused now: its attempt is never checked.
    expect((await signIn(t, "staff@agency.test", PASSWORD, "192.0.2.10")).status).toBe(429);
    const viaData = await signIn(t, "staff@agency.test", PASSWORD, "192.0.2.11", "/login.data");
    expect(viaData.headers["set-cookie"] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/ll_session=[\w-]{20,}/)]));
    expect(await count(t.deps, "sessions", sql`user_id = (select id from users where email = 'staff@agency.test')`)).toBe(0);
  });

  it("slows one address spraying many accounts", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_THROTTLES.ip.limit + 1; i++) statuses.push((await signIn(t, `guess${i}@acme.test`, "wrong-password", "192.0.2.50")).status);
    expect(statuses.slice(0, LOGIN_THROTTLES.ip.limit).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("lets the owner in from a familiar address while the account is throttled for everyone else, and everyone after the window", async () => {
    expect((await signIn(t, "boss@other.test", PASSWORD, "192.0.2.80")).status).toBe(302);
    // An attack from many addresses exhausts the per-account limit for unfamiliar addresses.
    await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(t, "boss@other.test", `wrong-${i}`, `100.64.0.${i + 1}`)));
    const stranger = await signIn(t, "boss@other.test", PASSWORD, "100.64.1.1");
    expect(stranger.status).toBe(429);
    expect(stranger.text).toMatch(/Try again in \d+ (seconds|minutes)/);
    expect((await signIn(t, "boss@other.test", PASSWORD, "192.0.2.80")).status).toBe(302);
    clock.advance(LOGIN_THROTTLES.account.windowMs);
    expect((await signIn(t, "boss@other.test", PASSWORD, "100.64.1.1")).status).toBe(302);
  });

  it("does not hold successful sign-ins against a person who signs in often", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signIn(t, "admin@agency.test", PASSWORD, "192.0.2.90")).status);
    expect(statuses.every((s) => s === 302)).toBe(true);
  });
});
