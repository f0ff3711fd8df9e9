import { sql } from "drizzle-orm";
import supertest from "supertest";
import { createTestContext, loginAgent, seedTenants, trpc, type TestContext } from "../support/app";
import { DEMO_CONTRACT, GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

/**
 * Contract `matches` patterns run on RE2 (linear time), are checked at publish, and never take the
 * process down — including versions stored before the check existed.
 */

/** Exponential on a backtracking engine: 2^n steps for n letters followed by a non-match. */
const CATASTROPHIC = "^(a+)+$";

function withPattern(pattern: string) {
  return {
    ...DEMO_CONTRACT,
    qualification: { ...DEMO_CONTRACT.qualification, custom: [{ field: "permit", op: "matches" as const, value: pattern }] },
  };
}

describe("contract patterns cannot freeze the server", () => {
  let t: TestContext;
  let tenants: Awaited<ReturnType<typeof seedTenants>>;
  beforeAll(async () => {
    t = await createTestContext();
    tenants = await seedTenants(t.deps);
  });
  afterAll(() => t.close());

  it.each([
    ["a backreference", "^(a)\\1$", /backreferences/],
    ["a lookahead", "^(?=.*\\d)P-", /lookahead/],
    ["a broken pattern", "^P-[0-9", /not a valid pattern: missing closing \]/],
    ["a 501-character pattern", "a".repeat(501), /longer than 500 characters/],
  ])("refuses %s at publish with 400 and a reason in words, storing nothing", async (_label, pattern, why) => {
    const admin = await loginAgent(t.app, "admin@agency.test");
    const before = await t.deps.db.execute(sql`select count(*)::int as n from contract_versions where client_id = ${tenants.other.id}`);
    const res = await trpc(admin, "mutation", "contracts.publish", { clientId: tenants.other.id, document: withPattern(pattern) });
    expect(res.status).toBe(400);
    const issue = res.body.error.data.issues.find((i: { path: unknown[] }) => i.path.join(".") === "qualification.custom.0.value");
    expect(issue.message).toMatch(why);
    const after = await t.deps.db.execute(sql`select count(*)::int as n from contract_versions where client_id = ${tenants.other.id}`);
    expect(after.rows).toEqual(before.rows);
  });

  it("accepts the catastrophic pattern and judges a long near-match in linear time (a backtracking engine never returns)", async () => {
    const s = await setupIntakeClient(t.deps, { contract: withPattern(CATASTROPHIC) });
    const post = (permit: string, phone: string) =>
      supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${s.key}`).send({ ...GOOD_LEAD, phone, permit });

    const nearMiss = await post(`${"a".repeat(900)}!`, "212-555-0301");
    expect(nearMiss.status).toBe(201);
    expect(nearMiss.body.status).toBe("rejected");
    expect(nearMiss.body.reasons).toEqual([expect.objectContaining({ code: "CUSTOM_RULE_FAILED", message: expect.stringContaining(`must match the pattern ${CATASTROPHIC}`) })]);

    const match = await post("a".repeat(900), "212-555-0302");
    expect(match.body.status).toBe("qualified");

    // The health check is answered while and after such leads are judged.
    const [health] = await Promise.all([supertest(t.app).get("/healthz"), post(`${"a".repeat(999)}!`, "212-555-0303")]);
    expect(health.status).toBe(200);
  });

  it("fails a value over 1,000 characters without matching it, saying why", async () => {
    const s = await setupIntakeClient(t.deps, { contract: withPattern("^a+$") });
    const res = await supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${s.key}`).send({ ...GOOD_LEAD, phone: "212-555-0304", permit: "a".repeat(1001) });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("rejected");
    expect(res.body.reasons[0].message).toBe("permit is longer than 1000 characters; it must match the pattern ^a+$");
  });

  it("judges a lead under a stored version whose pattern RE2 refuses: the rule fails with its reason, no 500", async () => {
    const s = await setupIntakeClient(t.deps, { contract: withPattern("^P-\\d{4}$") });
    // A version published before patterns were checked at publish time.
    await t.deps.db.execute(
      sql`update contract_versions set document = jsonb_set(document, '{qualification,custom,0,value}', to_jsonb(${"^(P)-\\1$"}::text)) where id = ${s.version.id}`,
    );
    const res = await supertest(t.app).post("/api/v1/leads").set("Authorization", `Bearer ${s.key}`).send({ ...GOOD_LEAD, phone: "212-555-0305", permit: "P-P" });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("rejected");
    expect(res.body.reasons).toEqual([
      expect.objectContaining({ code: "CUSTOM_RULE_FAILED", message: expect.stringMatching(/^permit cannot be checked against the pattern \^\(P\)-\\1\$: backreferences/) }),
    ]);
  });
});
