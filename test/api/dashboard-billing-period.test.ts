import { sql } from "drizzle-orm";
import { billingPeriodOf, previousPeriod } from "../../server/domain/billing/pricing";
import { createTestContext, SYSTEM, type TestContext } from "../support/app";
import { GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

describe("the dashboard's billed figure", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof setupIntakeClient>>;
  beforeAll(async () => {
    t = await createTestContext({ remix: false });
    s = await setupIntakeClient(t.deps, { name: "Period Co" });
  });
  afterAll(() => t.close());

  it("counts entries by billing period, so last month's retainer written today is not billed this month", async () => {
    const tz = s.client.timezone;
    const now = new Date();
    await t.deps.intake.submit({ client: { id: s.client.id, timezone: tz, phoneCountry: "US" }, source: "api", campaignId: null, payload: { ...GOOD_LEAD, phone: "212-555-0710" }, actor: "test" });
    const last = previousPeriod(billingPeriodOf(now, tz));
    await t.deps.db.execute(sql`insert into ledger_entries (client_id, kind, amount_cents, period, idempotency_key, actor)
      values (${s.client.id}, 'retainer', 50000, ${last}, ${`retainer:${s.client.id}:${last}`}, 'test')`);

    const report = await t.deps.reports.delivery(SYSTEM, { at: new Date().toISOString() });
    const row = report.rows.find((r) => r.clientId === s.client.id)!;
    expect(row.month.billedCents).toBe(7500);
    expect(report.totals.billedMonthByCurrency).toEqual({ USD: 7500 });
  });
});
