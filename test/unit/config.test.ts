import { ConfigError, loadConfig } from "../../server/config";

describe("configuration", () => {
  it("starts with defaults on an empty environment (embedded database, port 3000)", () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.PORT).toBe(3000);
    expect(c.publicUrl).toBe("http://localhost:3000");
    expect(c.SEED).toBe(true);
    expect(c.seedDemo).toBe(true);
  });

  it("seeds demo data by default except in production, where SEED_DEMO=true must ask for it", () => {
    const prod = { NODE_ENV: "production", SESSION_SECRET: "x".repeat(32) };
    expect(loadConfig(prod).seedDemo).toBe(false);
    expect(loadConfig({ ...prod, SEED_DEMO: "true" }).seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: "false" }).seedDemo).toBe(false);
  });

  it.each([
    [{ PORT: "eighty" }, /^Invalid configuration: PORT /],
    [{ DATABASE_URL: "mysql://db/x" }, /^Invalid configuration: DATABASE_URL must be a postgres/],
    [{ PUBLIC_URL: "not a url" }, /^Invalid configuration: PUBLIC_URL /],
    [{ TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}` }, /^Invalid configuration: TWILIO_AUTH_TOKEN set both/],
    [{ SESSION_SECRET: "short" }, /^Invalid configuration: SESSION_SECRET must be at least 32/],
    [{ NODE_ENV: "production" }, /^Invalid configuration: SESSION_SECRET is required in production/],
    [{ SEED: "perhaps" }, /^Invalid configuration: SEED /],
    [{ CLOCK_OFFSET_DAYS: "1.5" }, /^Invalid configuration: CLOCK_OFFSET_DAYS must be a whole number of days \(got "1\.5"\)$/],
    [{ CLOCK_OFFSET_DAYS: "next month" }, /^Invalid configuration: CLOCK_OFFSET_DAYS /],
    [
      { NODE_ENV: "production", SESSION_SECRET: "x".repeat(32), CLOCK_OFFSET_DAYS: "35" },
      /^Invalid configuration: CLOCK_OFFSET_DAYS must be 0 or unset in production: it shifts the server's clock \(for demos and tests only\) \(got "35"\)$/,
    ],
  ])("stops with one line naming the variable for %j", (env, message) => {
    let err: unknown;
    try {
      loadConfig(env as Record<string, string>);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });

  it("hides secret values in the error line", () => {
    expect(() => loadConfig({ SESSION_SECRET: "tooshort-secret" })).toThrow(/\(got \(hidden\)\)/);
  });

  it("reads CLOCK_OFFSET_DAYS as whole days, 0 when unset or empty", () => {
    expect(loadConfig({}).CLOCK_OFFSET_DAYS).toBe(0);
    expect(loadConfig({ CLOCK_OFFSET_DAYS: "" }).CLOCK_OFFSET_DAYS).toBe(0);
    expect(loadConfig({ CLOCK_OFFSET_DAYS: "35" }).CLOCK_OFFSET_DAYS).toBe(35);
    expect(loadConfig({ CLOCK_OFFSET_DAYS: "-3" }).CLOCK_OFFSET_DAYS).toBe(-3);
  });

  it("accepts a zero CLOCK_OFFSET_DAYS in production", () => {
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32), CLOCK_OFFSET_DAYS: "0" }).CLOCK_OFFSET_DAYS).toBe(0);
  });

  it("drops a trailing slash from PUBLIC_URL", () => {
    expect(loadConfig({ PUBLIC_URL: "https://leads.example.com/" }).publicUrl).toBe("https://leads.example.com");
  });
});
