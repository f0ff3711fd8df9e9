import { ConfigError, loadConfig } from "../../server/config";

describe("configuration", () => {
  it("starts with defaults on an empty environment (embedded database, port 3000)", () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.PORT).toBe(3000);
    expect(c.publicUrl).toBe("http://localhost:3000");
    expect(c.SEED).toBe(true);
  });

  it.each([
    [{ PORT: "eighty" }, /^Invalid configuration: PORT /],
    [{ DATABASE_URL: "mysql://db/x" }, /^Invalid configuration: DATABASE_URL must be a postgres/],
    [{ PUBLIC_URL: "not a url" }, /^Invalid configuration: PUBLIC_URL /],
    [{ TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}` }, /^Invalid configuration: TWILIO_AUTH_TOKEN set both/],
    [{ SESSION_SECRET: "short" }, /^Invalid configuration: SESSION_SECRET must be at least 32/],
    [{ NODE_ENV: "production" }, /^Invalid configuration: SESSION_SECRET is required in production/],
    [{ SEED: "perhaps" }, /^Invalid configuration: SEED /],
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

  it("drops a trailing slash from PUBLIC_URL", () => {
    expect(loadConfig({ PUBLIC_URL: "https://leads.example.com/" }).publicUrl).toBe("https://leads.example.com");
  });
});
