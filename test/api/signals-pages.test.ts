import supertest from "supertest";
import type { FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { setupIntakeClient } from "../support/fixtures";
import { startFakeTwilio, TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";

const CONTRACT = { effectiveFrom: "2026-01-01T00:00:00Z", qualification: { requiredFields: ["phone"] }, pricing: { leadPriceCents: 7500 } };

describe("quality in the inbox, on the lead page and in the agency's report", () => {
  let t: TestContext;
  let twilio: FakeTwilio;
  let a: Awaited<ReturnType<typeof setupIntakeClient>>;
  let b: Awaited<ReturnType<typeof setupIntakeClient>>;
  let junkId = "";
  const post = (key: string, body: Record<string, unknown>) => supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${key}`).send(body);

  beforeAll(async () => {
    twilio = await startFakeTwilio({ accountSid: "AC00000000000000000000000000000000", authToken: TEST_TWILIO_AUTH_TOKEN });
    t = await createTestContext({ clock: fixedClock("2026-03-02T15:00:00Z"), twilioApiBase: twilio.url, env: { INTAKE_SIGNALS: "true", SIGNALS_TIMEOUT_MS: "5000" } });
    a = await setupIntakeClient(t.deps, { name: "Alpha Roofing", contract: CONTRACT });
    b = await setupIntakeClient(t.deps, { name: "Beta Roofing", contract: CONTRACT });
    // An internet VoIP number, a disposable e-mail and a New Jersey visitor for a Manhattan ZIP: 100 − 25 − 30 − 10 = 35.
    junkId = (await post(a.key, { name: "Jay Junk", phone: "+12125553333", email: "jay@mailinator.com", zip: "10001", ip_address: "73.194.0.1" })).body.leadId;
    await post(a.key, { name: "Grace Good", phone: "+12125550146", email: "grace@example.com", zip: "10001", ip_address: "100.2.0.1" });
    await post(b.key, { name: "Otto Other", phone: "+12125553333", email: "otto@mailinator.com", zip: "10001" });
    await t.deps.users.create(SYSTEM, { email: "rep@alpha.test", password: PASSWORD, role: "client_member", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "staff@agency.test", password: PASSWORD, role: "agency_staff" });
  });
  afterAll(async () => {
    await t.close();
    await twilio.stop();
  });

  const text = (html: string) => html.replace(/<!-- -->/g, "");

  it("shows a client each lead's quality in words in the inbox, and filters by it", async () => {
    const rep = await loginAgent(t.app, "rep@alpha.test");
    const all = text((await rep.get("/portal/leads")).text);
    const poor = text((await rep.get("/portal/leads?quality=poor")).text);

    expect(all).toContain("35 of 100 · poor");
    expect(all).toContain("Phone: internet (VoIP) number, Google (Grand Central) - SVR · E-mail: disposable · IP: Princeton, NJ, does not match the ZIP");
    expect(all).toContain("100 of 100 · good");
    expect(poor).toContain("Jay Junk");
    expect(poor).not.toContain("Grace Good");
    expect(all).not.toContain("Otto Other");
  });

  it("tells a client why a lead scored 35, line by line", async () => {
    const rep = await loginAgent(t.app, "rep@alpha.test");
    const page = text((await rep.get(`/portal/leads/${junkId}`)).text);

    expect(page).toContain("Quality score: 35 of 100 (poor).");
    expect(page).toContain("−25: the phone is an internet (VoIP) number");
    expect(page).toContain("−30: the e-mail is at a disposable domain (mailinator.com)");
    expect(page).toContain("−10: the visitor&#x27;s IP is in NJ, not the ZIP&#x27;s state");
  });

  it("shows the agency which source sends the worst leads, and keeps the report from client users", async () => {
    const staff = await loginAgent(t.app, "staff@agency.test");
    const report = await trpc(staff, "query", "reports.quality", { from: "2026-03-01", to: "2026-03-31" });
    const page = text((await staff.get("/agency/reports?from=2026-03-01&to=2026-03-31")).text);
    const rep = await loginAgent(t.app, "rep@alpha.test");
    const refused = await trpc(rep, "query", "reports.quality", { from: "2026-03-01", to: "2026-03-31" });

    const rows = report.body.result.data.rows as { clientName: string; source: string; leads: number; averageScore: number; poor: number }[];
    expect(rows.find((r) => r.clientName === "Alpha Roofing")).toMatchObject({ source: "api", leads: 2, averageScore: 68, poor: 1 });
    expect(rows[0]!.clientName).toBe("Beta Roofing");
    expect(page).toContain("Lead quality by source");
    expect(page).toContain("68 of 100");
    expect(refused.status).toBe(403);
  });
});
