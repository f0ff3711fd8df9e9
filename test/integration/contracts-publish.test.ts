import { sql } from "drizzle-orm";
import pino from "pino";
import { loadConfig } from "../../server/config";
import { findVersionById, findVersionInForce } from "../../server/db/repositories/contracts";
import { createDeps, type Deps } from "../../server/deps";
import type { Actor } from "../../server/domain/auth/roles";
import { DomainError } from "../../server/domain/errors";
import { fixedClock } from "../../server/domain/shared/clock";
import { createTestDatabase, type TestDatabase } from "../support/db";

const SYSTEM: Actor = { kind: "system", label: "test" };
const doc = (effectiveFrom: string | undefined, leadPriceCents = 7500) => ({
  ...(effectiveFrom ? { effectiveFrom } : {}),
  qualification: { requiredFields: ["phone"], serviceArea: { zips: ["10001"] } },
  pricing: { leadPriceCents },
});

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected the promise to be rejected");
}

describe("publishing contract versions against PostgreSQL", () => {
  const clock = fixedClock("2026-03-10T15:30:00.000Z");
  let db: TestDatabase;
  let deps: Deps;
  const newClient = async (name: string) => (await deps.clients.create(SYSTEM, { name })).id;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: db.url, SEED: "false", JOBS: "false", LOG_LEVEL: "silent" });
    deps = createDeps({ config, database: db, logger: pino({ level: "silent" }), clock });
  });
  afterAll(() => db.drop());

  it("gives concurrent publishes for one client distinct, gap-free version numbers", async () => {
    const clientId = await newClient("Race Roofing");
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => deps.contracts.publish(SYSTEM, { clientId, document: doc(undefined, 1000 + i) })));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const rows = await db.db.execute(sql`select count(distinct contract_id)::int as contracts, count(*)::int as versions from contract_versions where client_id = ${clientId}`);
    expect(rows.rows[0]).toEqual({ contracts: 1, versions: 8 });
  });

  it("takes effect now when the document names no time, and stores the defaulted document", async () => {
    const clientId = await newClient("Default Time Co");
    const v = await deps.contracts.publish(SYSTEM, { clientId, document: { qualification: { requiredFields: ["phone"] } } });
    expect(v.effectiveFrom.toISOString()).toBe("2026-03-10T15:30:00.000Z");
    const stored = await findVersionById(db.db, v.id);
    expect(stored?.document).toMatchObject({
      effectiveFrom: "2026-03-10T15:30:00.000Z",
      qualification: { requiredFields: ["phone"], minCallSeconds: 90, custom: [] },
      pricing: { leadPriceCents: 0, retainerCents: 0, revshareBps: 0 },
      disputes: { windowDays: 7, agencyResponseDays: 3, maxReturnRateBps: 10_000 },
    });
  });

  it("refuses a version earlier than the latest with CONFLICT and stores nothing", async () => {
    const clientId = await newClient("Linear History Co");
    await deps.contracts.publish(SYSTEM, { clientId, document: doc("2026-06-01T00:00:00Z") });
    const e = await rejection(deps.contracts.publish(SYSTEM, { clientId, document: doc("2026-05-31T23:59:59Z") }));
    expect(e.code).toBe("CONFLICT");
    expect(e.issues).toEqual([{ path: ["effectiveFrom"], message: expect.stringContaining("2026-06-01T00:00:00.000Z") }]);
    // Defaulting to now (10 March) would also land before the scheduled 1 June version.
    expect((await rejection(deps.contracts.publish(SYSTEM, { clientId, document: doc(undefined) }))).code).toBe("CONFLICT");
    expect(await deps.contracts.history(SYSTEM, clientId)).toHaveLength(1);
    // The same instant is allowed; the later version wins at that instant.
    const same = await deps.contracts.publish(SYSTEM, { clientId, document: doc("2026-06-01T00:00:00Z", 9900) });
    expect((await findVersionInForce(db.db, clientId, new Date("2026-06-01T00:00:00Z")))?.id).toBe(same.id);
  });

  it("finds the version in force at any moment, for intake and replay", async () => {
    const clientId = await newClient("Timeline Co");
    const v1 = await deps.contracts.publish(SYSTEM, { clientId, document: doc("2026-01-01T00:00:00Z", 5000) });
    const v2 = await deps.contracts.publish(SYSTEM, { clientId, document: doc("2026-02-01T00:00:00Z", 6000) });
    const v3 = await deps.contracts.publish(SYSTEM, { clientId, document: doc("2026-04-01T00:00:00Z", 7000) });

    expect(await deps.contracts.findVersionInForce(clientId, new Date("2025-12-31T23:59:59Z"))).toBeNull();
    expect((await deps.contracts.findVersionInForce(clientId, new Date("2026-01-15T00:00:00Z")))?.id).toBe(v1.id);
    expect((await deps.contracts.findVersionInForce(clientId, new Date("2026-02-01T00:00:00Z")))?.id).toBe(v2.id);
    expect((await deps.contracts.findVersionInForce(clientId, new Date("2030-01-01T00:00:00Z")))?.id).toBe(v3.id);

    const now = await deps.contracts.get(SYSTEM, clientId);
    expect(now?.current?.version).toBe(2);
    expect(now?.next?.version).toBe(3);

    const byId = await deps.contracts.findVersionById(v1.id);
    expect(byId).toEqual({ id: v1.id, contractId: v1.contractId, clientId, version: 1, effectiveFrom: new Date("2026-01-01T00:00:00Z"), document: v1.document, createdAt: expect.any(Date) });
    expect(byId?.document.pricing.leadPriceCents).toBe(5000);
    expect(await deps.contracts.findVersionById("00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await deps.contracts.findVersionById("not-a-uuid")).toBeNull();
  });

  it("answers null for a client without a contract and CLIENT_NOT_FOUND for an unknown client", async () => {
    const clientId = await newClient("No Contract Co");
    expect(await deps.contracts.get(SYSTEM, clientId)).toBeNull();
    expect(await deps.contracts.history(SYSTEM, clientId)).toEqual([]);
    const e = await rejection(deps.contracts.publish(SYSTEM, { clientId: "00000000-0000-4000-8000-000000000000", document: doc(undefined) }));
    expect(e.code).toBe("CLIENT_NOT_FOUND");
  });

  it("refuses a client user publishing even through the use case", async () => {
    const clientId = await newClient("Portal User Co");
    const clientUser: Actor = { kind: "client", userId: "00000000-0000-4000-8000-000000000001", email: "x@y.test", role: "client_admin", clientId };
    expect((await rejection(deps.contracts.publish(clientUser, { clientId, document: doc(undefined) }))).code).toBe("FORBIDDEN");
    expect((await rejection(deps.contracts.history({ ...clientUser, clientId: "00000000-0000-4000-8000-000000000002" }, clientId))).code).toBe("CLIENT_NOT_FOUND");
  });
});
