import { sql } from "drizzle-orm";
import { DEMO_CLIENTS, seedIfEmpty } from "../../server/seed";
import { createTestContext, type TestContext } from "../support/app";
import { count } from "../support/fixtures";

describe("demo data on a first start", () => {
  let t: TestContext;
  let apiKey = "";
  beforeAll(async () => {
    t = await createTestContext({ remix: false, env: { SEED_ADMIN_PASSWORD: "demo-password-1" } });
  });
  afterAll(() => t.close());

  it("creates an agency admin, two demo clients with their admins, contracts, forms, keys, numbers and reps — once", async () => {
    const first = await seedIfEmpty(t.deps);
    expect(first?.logins.map((l) => l.email)).toEqual(["admin@leadledger.local", "owner@brooklynroofing.demo", "owner@bayareahvac.demo"]);
    expect(first?.sources).toHaveLength(2);
    apiKey = first!.sources[0]!.apiKey;
    expect(await count(t.deps, "contract_versions", sql`true`)).toBe(2);
    expect(await count(t.deps, "tracking_numbers", sql`true`)).toBe(10);
    expect(await count(t.deps, "dni_pool_numbers", sql`true`)).toBe(8);
    expect(await count(t.deps, "alert_recipients", sql`true`)).toBe(4);
    expect(await seedIfEmpty(t.deps)).toBeNull();
  });

  it("gives sources that take leads: the demo form qualifies an in-area lead and the demo API key works", async () => {
    const src = (await t.deps.db.execute(sql`select f.public_key, c.timezone, c.id from forms f join clients c on c.id = f.client_id where c.name = ${DEMO_CLIENTS[0]!.name}`)).rows[0] as { public_key: string; id: string };
    const form = await t.deps.intake.findForm(src.public_key);
    const r = await t.deps.intake.submit({
      client: form!.client!,
      source: "form",
      campaignId: form!.campaignId,
      formId: form!.id,
      payload: { name: "Demo Person", phone: "+17185550123", zip: DEMO_CLIENTS[0]!.zips[0]!, budget: "5000" },
      actor: "test",
    });
    expect(r.answer).toMatchObject({ status: "qualified", billable: true });
    expect(await t.deps.apiKeys.authenticateApiKey(apiKey)).toMatchObject({ clientId: src.id });
  });
});

describe("first start in production", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ remix: false, env: { NODE_ENV: "production", SESSION_SECRET: "x".repeat(40), SEED_ADMIN_PASSWORD: "prod-password-1" } });
  });
  afterAll(() => t.close());

  it("creates only the first agency admin: no demo clients, users or lead sources", async () => {
    const first = await seedIfEmpty(t.deps);

    expect(first).toEqual({ logins: [{ role: "agency_admin", email: "admin@leadledger.local", password: "prod-password-1" }], sources: [], demo: false });
    expect(await count(t.deps, "clients", sql`true`)).toBe(0);
    expect(await count(t.deps, "users", sql`true`)).toBe(1);
  });
});
