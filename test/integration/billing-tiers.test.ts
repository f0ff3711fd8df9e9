import { sql } from "drizzle-orm";
import { createTestContext, fixedClock, type TestContext } from "../support/app";
import { billingContract, billingLead, setupIntakeClient } from "../support/fixtures";
import { monthCounters, recountMonths } from "../support/month-counters";

type Setup = Awaited<ReturnType<typeof setupIntakeClient>>;

/**
 * Tier and cap counting under concurrency: 50 distinct leads posted at once through the real intake
 * path. judge.ts reads the client's month counter under a per-client advisory lock and the lead's
 * insert adds to it in the same transaction, so every lead sees a distinct month-to-date count, the
 * tier boundary and the caps land exactly, and the counter equals a recount afterwards.
 */
describe("race-free tiers and monthly caps", () => {
  const clock = fixedClock("2026-12-10T15:00:00Z");
  let t: TestContext;

  const postFifty = (s: Setup, run: number, opts: { isTest?: (i: number) => boolean } = {}) =>
    Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.deps.intake.submit({
          client: { id: s.client.id, timezone: s.client.timezone, phoneCountry: s.client.phoneCountry },
          source: "api",
          campaignId: null,
          apiKeyId: s.apiKey.id,
          payload: billingLead(i, run),
          actor: "test",
          isTest: opts.isTest?.(i) ?? false,
        }),
      ),
    );
  const expectCounter = async (clientId: string, billableLeads: number, leadChargesCents: number) => {
    const counters = await monthCounters(t.deps, clientId);
    expect(counters).toEqual([{ period: "2026-12", billable_leads: billableLeads, lead_charges_cents: leadChargesCents }]);
    expect(counters).toEqual(await recountMonths(t.deps, clientId));
  };
  const chargesByAmount = async (clientId: string) => {
    const r = await t.deps.db.execute(
      sql`select amount_cents, count(*)::int as n from ledger_entries where client_id = ${clientId} and kind = 'lead_charge' group by amount_cents order by amount_cents desc`,
    );
    return r.rows;
  };
  const monthToDateSeen = async (clientId: string) => {
    const r = await t.deps.db.execute(sql`select (judgement_evidence -> 'monthToDate' ->> 'billableLeads')::int as seen from leads where client_id = ${clientId} order by 1`);
    return (r.rows as { seen: number }[]).map((x) => x.seen);
  };

  beforeAll(async () => {
    t = await createTestContext({ remix: false, clock });
  });
  afterAll(() => t.close());

  it("charges exactly 30 leads at $75 and 20 at $60 when 50 qualify at once across the tier boundary", async () => {
    const s = await setupIntakeClient(t.deps, {
      contract: billingContract({ tiers: [{ upTo: 30, priceCents: 7500 }, { upTo: null, priceCents: 6000 }] }),
    });
    const results = await postFifty(s, 1);
    expect(results.every((r) => r.answer.status === "qualified" && r.answer.billable)).toBe(true);
    expect(await chargesByAmount(s.client.id)).toEqual([
      { amount_cents: 7500, n: 30 },
      { amount_cents: 6000, n: 20 },
    ]);
    // every lead was priced from a different month-to-date count: 0, 1, … 49
    expect(await monthToDateSeen(s.client.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await expectCounter(s.client.id, 50, 30 * 7500 + 20 * 6000);
  });

  it("charges 40 leads under a cap of 40 and keeps the other 10 qualified but not billable, saying why", async () => {
    const s = await setupIntakeClient(t.deps, { contract: billingContract({ leadPriceCents: 7500, monthlyCap: { leads: 40 } }) });
    const results = await postFifty(s, 2);
    expect(results.every((r) => r.answer.status === "qualified")).toBe(true);
    const capped = results.filter((r) => !r.answer.billable);
    expect(capped).toHaveLength(10);
    for (const r of capped) {
      expect(r.answer.reasons).toEqual([expect.objectContaining({ code: "MONTHLY_CAP_REACHED", effect: "info" })]);
    }
    expect(await chargesByAmount(s.client.id)).toEqual([{ amount_cents: 7500, n: 40 }]);
    const leads = await t.deps.db.execute(sql`select billable, count(*)::int as n from leads where client_id = ${s.client.id} and status = 'qualified' group by billable order by billable`);
    expect(leads.rows).toEqual([
      { billable: false, n: 10 },
      { billable: true, n: 40 },
    ]);
    const uncharged = await t.deps.db.execute(
      sql`select count(*)::int as n from leads l where l.client_id = ${s.client.id} and not l.billable and exists (select 1 from ledger_entries e where e.lead_id = l.id)`,
    );
    expect(uncharged.rows[0]).toEqual({ n: 0 });
    await expectCounter(s.client.id, 40, 40 * 7500);
  });

  it("stops at a spend cap exactly when 50 qualify at once across a tier boundary", async () => {
    // 10 × $75 + 5 × $60 = $1,050.00: the 16th lead would pass the cap
    const s = await setupIntakeClient(t.deps, {
      contract: billingContract({ tiers: [{ upTo: 10, priceCents: 7500 }, { upTo: null, priceCents: 6000 }], monthlyCap: { spendCents: 105_000 } }),
    });
    const results = await postFifty(s, 3);
    expect(results.filter((r) => r.answer.billable)).toHaveLength(15);
    expect(await chargesByAmount(s.client.id)).toEqual([
      { amount_cents: 7500, n: 10 },
      { amount_cents: 6000, n: 5 },
    ]);
    await expectCounter(s.client.id, 15, 105_000);
  });

  it("continues from the month so far, and test leads posted at the same time do not count", async () => {
    const s = await setupIntakeClient(t.deps, {
      contract: billingContract({ tiers: [{ upTo: 70, priceCents: 7500 }, { upTo: null, priceCents: 6000 }] }),
    });
    const first = await postFifty(s, 4, { isTest: (i) => i % 5 === 0 }); // 40 real, 10 test
    expect(first.filter((r) => r.answer.billable)).toHaveLength(40);
    await expectCounter(s.client.id, 40, 40 * 7500);
    await postFifty(s, 5, { isTest: (i) => i % 5 === 0 }); // 40 more: 30 at $75 (41st–70th), 10 at $60
    expect(await chargesByAmount(s.client.id)).toEqual([
      { amount_cents: 7500, n: 70 },
      { amount_cents: 6000, n: 10 },
    ]);
    await expectCounter(s.client.id, 80, 70 * 7500 + 10 * 6000);
  });
});
