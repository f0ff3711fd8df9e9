import { sql } from "drizzle-orm";
import { createTestContext, type TestContext } from "../support/app";
import { billingContract, count, setupIntakeClient } from "../support/fixtures";
import { runCli } from "../support/cli";

describe("CLI period:close", () => {
  let t: TestContext;
  const cli = (args: string[]) => runCli(t.db.url, args);

  beforeAll(async () => {
    t = await createTestContext({ remix: false });
  });
  afterAll(() => t.close());

  it("closes a client's month and prints { id, number, totalCents }; a second run returns the same invoice", async () => {
    const s = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000, leadPriceCents: 7500 }) });
    const first = await cli(["period:close", "--client", s.client.id, "--period", "2026-10", "--json"]);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), number: 1, totalCents: 50_000, period: "2026-10", status: "draft", created: true });
    const again = await cli(["period:close", "--client", s.client.id, "--period", "2026-10"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`already closed 2026-10: invoice INV-0001 (draft) total $500.00 id=${out.id}\n`);
    expect(await count(t.deps, "invoices", sql`client_id = ${s.client.id}`)).toBe(1);
  }, 60_000);

  it("issues at once with --issue, and refuses a month that ended before the client existed", async () => {
    const s = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000 }), createdAt: "2026-11-20T17:00:00Z" });
    const issued = await cli(["period:close", "--client", s.client.id, "--period", "2026-11", "--issue", "--json"]);
    const before = await cli(["period:close", "--client", s.client.id, "--period", "2026-10"]);

    expect(issued.code).toBe(0);
    // November 20–30 in New York: 11 of 30 days of $500.00 = 18 333.33 → 18 333 cents
    expect(JSON.parse(issued.stdout)).toMatchObject({ period: "2026-11", status: "issued", totalCents: 18_333 });
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/The client was created on Nov 20, 2026; there is nothing to bill for 2026-10\./);
  }, 60_000);

  it("exits non-zero with a clear message for a bad period or an unknown client", async () => {
    const bad = await cli(["period:close", "--client", "00000000-0000-4000-8000-000000000000", "--period", "2026-13"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--period: must be YYYY-MM/);
    const unknown = await cli(["period:close", "--client", "00000000-0000-4000-8000-000000000000", "--period", "2026-10"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Client not found/);
  }, 60_000);
});
