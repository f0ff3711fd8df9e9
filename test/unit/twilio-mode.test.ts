import { loadConfig } from "../../server/config";
import { tokenFingerprint } from "../../server/integrations/twilio/local-token";
import { twilioBannerLines, twilioMode } from "../../server/integrations/twilio/runtime";

const SID = `AC${"a".repeat(32)}`;
const PROD = { NODE_ENV: "production", SESSION_SECRET: "s".repeat(32) };
const CREDS = { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: "t".repeat(32), TWILIO_FROM_NUMBER: "+12125550100" };

describe("how an install talks to Twilio", () => {
  it.each([
    ["development without credentials", {}, "local-fake"],
    ["test without credentials", { NODE_ENV: "test" }, "local-fake"],
    ["production without credentials", PROD, "not-configured"],
    ["production without credentials, even with TWILIO_API_BASE", { ...PROD, TWILIO_API_BASE: "http://127.0.0.1:4010" }, "not-configured"],
    ["development with credentials", CREDS, "credentials"],
    ["production with credentials", { ...PROD, ...CREDS }, "credentials"],
  ])("%s → %s", (_name, env, mode) => {
    expect(twilioMode(loadConfig(env as Record<string, string>))).toBe(mode);
  });

  it("the production banner says plainly that calls and SMS alerts are off until both variables are set", () => {
    const config = loadConfig(PROD);
    const text = twilioBannerLines({ mode: twilioMode(config), config }).join("\n");
    expect(text).toMatch(/^ {2}twilio: {3}NOT CONFIGURED/);
    expect(text).toContain("tracked calls and SMS alerts are off");
    expect(text).toContain("TWILIO_ACCOUNT_SID");
    expect(text).toContain("TWILIO_AUTH_TOKEN");
    expect(text).toContain("503");
  });

  it("the local-fake banner shows where the token is kept and its fingerprint, never the token", () => {
    const config = loadConfig({ DATA_DIR: "/srv/leadledger" });
    const token = "0123456789abcdef".repeat(4);
    const [line, ...rest] = twilioBannerLines({ mode: "local-fake", config, fakeUrl: "http://127.0.0.1:4010", fakeAuthToken: token });
    expect(rest).toEqual([]);
    expect(line).toContain("local fake Twilio at http://127.0.0.1:4010");
    expect(line).toContain(`fingerprint ${tokenFingerprint(token)}`);
    expect(line).toContain("/srv/leadledger/fake-twilio-token");
    expect(line).not.toContain(token.slice(0, 12));
  });

  it("the credentials banner names the account", () => {
    const config = loadConfig(CREDS);
    expect(twilioBannerLines({ mode: "credentials", config })).toEqual([`  twilio:   account ${SID}`]);
  });
});
