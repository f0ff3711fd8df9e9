import { sql } from "drizzle-orm";
import supertest from "supertest";
import { createTestContext, fixedClock, loginAgent, seedTenants, trpc, type TestContext } from "../support/app";
import { DESIGN_EXAMPLE } from "../support/contracts";

const NOW = "2026-11-15T12:00:00.000Z";

describe("contracts: publishing and reading versioned qualification contracts", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof seedTenants>>;
  beforeAll(async () => {
    t = await createTestContext({ clock: fixedClock(NOW) });
    s = await seedTenants(t.deps);
  });
  afterAll(() => t.close());

  it("publishes the example in docs/architecture.md contract as version 1 with a plain-English description", async () => {
    const staff = await loginAgent(t.app, "staff@agency.test");
    const res = await trpc(staff, "mutation", "contracts.publish", { clientId: s.acme.id, document: DESIGN_EXAMPLE });
    expect(res.status).toBe(200);
    const v = res.body.result.data;
    expect(v).toMatchObject({ clientId: s.acme.id, version: 1, effectiveFrom: "2026-12-01T00:00:00.000Z" });
    // stored as published, with the defaults the example leaves out: new documents prorate the
    // retainer by day, and a service area without a match mode reads ZIP or state
    expect(v.document).toEqual({
      ...DESIGN_EXAMPLE,
      qualification: { ...DESIGN_EXAMPLE.qualification, serviceArea: { match: "zip_or_state", ...DESIGN_EXAMPLE.qualification!.serviceArea } },
      pricing: { ...DESIGN_EXAMPLE.pricing, retainerProration: "daily" },
    });
    expect(v.description).toContain("Service area: ZIPs 10001 and 10002, or anywhere in the state NY (a lead's state is the one its ZIP is in).");
    expect(v.description).toContain("$75.00 per lead for the first 100 leads each month, then $60.00.");
    expect(v.changes).toEqual(["First version of the contract."]);

    const audit = await t.deps.db.execute(sql`select action, entity_id, actor_label from audit_events where action = 'contract.published' and client_id = ${s.acme.id}`);
    expect(audit.rows).toEqual([{ action: "contract.published", entity_id: v.id, actor_label: "staff@agency.test" }]);
  });

  it("rejects an invalid document with 400 and the path of every bad field, storing nothing", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const bad = {
      ...DESIGN_EXAMPLE,
      qualification: { ...DESIGN_EXAMPLE.qualification, serviceArea: { zips: ["10001", "10002", "10003", "1004"] } },
      pricing: { ...DESIGN_EXAMPLE.pricing, revshareBps: 25_000 },
      disputes: { ...DESIGN_EXAMPLE.disputes, autoApprove: ["weather"] },
    };
    const res = await trpc(admin, "mutation", "contracts.publish", { clientId: s.other.id, document: bad });
    expect(res.status).toBe(400);
    expect(res.body.error.data.domainCode).toBe("VALIDATION_FAILED");
    const paths = res.body.error.data.issues.map((i: { path: unknown[] }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        ["qualification", "serviceArea", "zips", 3],
        ["pricing", "revshareBps"],
        ["disputes", "autoApprove"],
      ]),
    );
    const issue = res.body.error.data.issues.find((i: { path: unknown[] }) => i.path.join(".") === "qualification.serviceArea.zips.3");
    expect(issue.message).toMatch(/5-digit ZIP/);
    const stored = await trpc(admin, "query", "contracts.get", { clientId: s.other.id });
    expect(stored.body.result.data).toBeNull();
  });

  it("numbers versions 1, 2 … and keeps earlier versions unchanged, with what changed in the history", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const before = (await trpc(admin, "query", "contracts.history", { clientId: s.acme.id })).body.result.data;
    expect(before).toHaveLength(1);

    const v2doc = { ...DESIGN_EXAMPLE, effectiveFrom: "2027-01-01T00:00:00Z", pricing: { ...DESIGN_EXAMPLE.pricing, tiers: undefined, leadPriceCents: 6000 } };
    const v2 = await trpc(admin, "mutation", "contracts.publish", { clientId: s.acme.id, document: v2doc });
    expect(v2.status).toBe(200);
    expect(v2.body.result.data.version).toBe(2);
    expect(v2.body.result.data.contractId).toBe(before[0].contractId);

    const history = (await trpc(admin, "query", "contracts.history", { clientId: s.acme.id })).body.result.data;
    expect(history.map((h: { version: number }) => h.version)).toEqual([2, 1]);
    expect(history[0].changes).toEqual(
      expect.arrayContaining(["Effective from: 1 December 2026, 00:00 UTC → 1 January 2027, 00:00 UTC", "Lead price: $75.00 → $60.00"]),
    );
    expect(history[1].changes).toEqual(["First version of the contract."]);
    // Version 1 is exactly what it was: same id, same document, same effective time.
    expect(history[1]).toMatchObject({ id: before[0].id, document: before[0].document, effectiveFrom: before[0].effectiveFrom });
  });

  it("refuses a version that would take effect before the latest one with 409 and says why", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const res = await trpc(admin, "mutation", "contracts.publish", { clientId: s.acme.id, document: { ...DESIGN_EXAMPLE, effectiveFrom: "2026-12-15T00:00:00Z" } });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/Version 2 takes effect at 2027-01-01T00:00:00.000Z; a new version cannot take effect earlier/);
    const history = (await trpc(admin, "query", "contracts.history", { clientId: s.acme.id })).body.result.data;
    expect(history).toHaveLength(2);
  });

  it("answers the version in force at a given time, and the next scheduled one", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const at = async (iso?: string) => (await trpc(admin, "query", "contracts.get", { clientId: s.acme.id, ...(iso ? { at: iso } : {}) })).body.result.data;

    const beforeAny = await at(); // the fixed clock: 15 November 2026, before version 1 starts
    expect(beforeAny.current).toBeNull();
    expect(beforeAny.next.version).toBe(1);

    const december = await at("2026-12-20T09:00:00Z");
    expect(december.current.version).toBe(1);
    expect(december.next.version).toBe(2);
    expect(december.current.description.length).toBeGreaterThan(3);

    const boundary = await at("2027-01-01T00:00:00Z");
    expect(boundary.current.version).toBe(2);
    expect(boundary.next).toBeNull();
  });

  it("lets a client user read its own contract but not another client's, and not publish", async () => {
    const rep = await loginAgent(t.app, "rep@acme.test");
    const own = await trpc(rep, "query", "contracts.get", { at: "2026-12-20T09:00:00Z" });
    expect(own.status).toBe(200);
    expect(own.body.result.data).toMatchObject({ clientId: s.acme.id, current: { version: 1 } });
    const ownById = await trpc(rep, "query", "contracts.history", { clientId: s.acme.id });
    expect(ownById.status).toBe(200);
    expect(ownById.body.result.data).toHaveLength(2);

    expect((await trpc(rep, "query", "contracts.get", { clientId: s.other.id })).status).toBe(404);
    expect((await trpc(rep, "query", "contracts.history", { clientId: s.other.id })).status).toBe(404);

    const boss = await loginAgent(t.app, "boss@acme.test");
    const publish = await trpc(boss, "mutation", "contracts.publish", { clientId: s.acme.id, document: DESIGN_EXAMPLE });
    expect(publish.status).toBe(403);
  });

  it("answers 404 for an unknown client and 401 without a session", async () => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const unknown = await trpc(admin, "mutation", "contracts.publish", { clientId: "00000000-0000-4000-8000-000000000000", document: DESIGN_EXAMPLE });
    expect(unknown.status).toBe(404);
    const anonymous = await trpc(supertest(t.app), "query", "contracts.get", { clientId: s.acme.id });
    expect(anonymous.status).toBe(401);
  });
});

