import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { Actor } from "../../server/domain/auth/roles";
import { outcomeCaller } from "../../server/domain/billing/mark-outcome";
import { isDomainError } from "../../server/domain/errors";
import { createTestContext, fixedClock, PASSWORD, SYSTEM, type TestContext } from "../support/app";
import { billingContract, billingLead, setupIntakeClient, submitTestLead } from "../support/fixtures";
import { monthCounters, recountMonths } from "../support/month-counters";

/**
 * Property test against the real database: the month counter that tiers and caps read
 * (billing_month_counters) equals a recount from leads and ledger_entries after any sequence of
 * qualified, capped, rejected and test leads, wins and losses (reversals), dispute credits, closes,
 * voids and re-closes, across month ends in the client's time zone. And every billable lead of a
 * month was priced from a different month-to-date count: 0, 1, … n − 1.
 */

type Cmd =
  | { t: "qualify"; count: number }
  | { t: "test_lead" }
  | { t: "reject" }
  | { t: "win"; lead: number; valueCents: number }
  | { t: "lose"; lead: number }
  | { t: "dispute"; lead: number; partialCents: number | null }
  | { t: "advance"; hours: number }
  | { t: "close" }
  | { t: "void" }
  | { t: "reclose" };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant("qualify" as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: "test_lead" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "reject" as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("win" as const), lead: fc.nat(), valueCents: fc.integer({ min: 0, max: 500_000 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("lose" as const), lead: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("dispute" as const), lead: fc.nat(), partialCents: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: null }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 24 * 20 }) }) },
  { weight: 2, arbitrary: fc.constant({ t: "close" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "void" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "reclose" as const }) },
);

/** Tiers and caps vary per run: a zero-price tier (billable, never charged), a leads cap, a spend cap, none. */
const pricingArb = fc.record({
  firstTierUpTo: fc.integer({ min: 1, max: 4 }),
  laterPriceCents: fc.constantFrom(6000, 0),
  leadsCap: fc.option(fc.integer({ min: 2, max: 9 }), { nil: undefined }),
  spendCapCents: fc.option(fc.integer({ min: 10_000, max: 60_000 }), { nil: undefined }),
});

/**
 * A charged lead won, disputed in full and lost; leads on both sides of a month end in Auckland
 * that is not one in UTC; an invoice closed, voided and re-closed; a test and a rejected lead.
 */
const MONTH_END_IN_AUCKLAND: Cmd[] = [
  { t: "qualify", count: 3 },
  { t: "win", lead: 0, valueCents: 100_000 },
  { t: "dispute", lead: 0, partialCents: null },
  { t: "lose", lead: 0 },
  { t: "test_lead" },
  { t: "advance", hours: 235 }, // 23:00 on 30 November in Auckland
  { t: "qualify", count: 3 },
  { t: "advance", hours: 2 }, // 01:00 on 1 December in Auckland, still November in UTC
  { t: "qualify", count: 3 },
  { t: "close" },
  { t: "void" },
  { t: "reclose" },
  { t: "reject" },
  { t: "qualify", count: 2 },
];

describe("month counter for tiers and caps", () => {
  // 15:00 UTC is 04:00 the next day in Auckland: the client's months end 13 hours before UTC's.
  const clock = fixedClock("2026-11-20T15:00:00Z");
  let t: TestContext;
  let run = 0;
  const agency: Actor = { kind: "agency", userId: randomUUID(), email: "staff@counter.test", role: "agency_staff" };

  beforeAll(async () => {
    t = await createTestContext({ remix: false, clock });
  });
  afterAll(() => t.close());

  async function expectCounterEqualsRecount(clientId: string) {
    expect(await monthCounters(t.deps, clientId)).toEqual(await recountMonths(t.deps, clientId));
    // each billable lead of a month saw a distinct month-to-date count: 0 … n − 1
    const seen = await t.deps.db.execute(sql`select to_char(l.received_at at time zone c.timezone, 'YYYY-MM') as period,
          array_agg((l.judgement_evidence -> 'monthToDate' ->> 'billableLeads')::int order by 1) as seen, count(*)::int as n
        from leads l join clients c on c.id = l.client_id where l.client_id = ${clientId} and l.billable and not l.is_test group by 1`);
    for (const row of seen.rows as { seen: number[]; n: number }[]) {
      expect([...row.seen].sort((a, b) => a - b)).toEqual(Array.from({ length: row.n }, (_, i) => i));
    }
  }

  it(
    "equals a recount from leads and the ledger after any sequence of leads, reversals, credits, closes and voids",
    async () => {
      await fc.assert(
        fc.asyncProperty(pricingArb, fc.array(cmdArb, { minLength: 6, maxLength: 30 }), async (p, cmds) => {
          run += 1;
          clock.set("2026-11-20T15:00:00Z");
          const s = await setupIntakeClient(t.deps, {
            contract: billingContract({
              tiers: [
                { upTo: p.firstTierUpTo, priceCents: 7500 },
                { upTo: null, priceCents: p.laterPriceCents },
              ],
              ...(p.leadsCap !== undefined || p.spendCapCents !== undefined
                ? { monthlyCap: { ...(p.leadsCap !== undefined ? { leads: p.leadsCap } : {}), ...(p.spendCapCents !== undefined ? { spendCents: p.spendCapCents } : {}) } }
                : {}),
              acquisitionPriceCents: 20_000,
              revshareBps: 1000,
            }),
          });
          const clientId = s.client.id;
          await t.deps.db.execute(sql`update clients set timezone = 'Pacific/Auckland' where id = ${clientId}`);
          const client = { ...s, client: { ...s.client, timezone: "Pacific/Auckland" } };
          const user = await t.deps.users.create(SYSTEM, { email: `owner-${run}-${randomUUID().slice(0, 8)}@counter.test`, password: PASSWORD, role: "client_admin", clientId });
          const clientActor: Actor = { kind: "client", userId: user.id, email: user.email, role: "client_admin", clientId };
          const leads: string[] = [];
          const won = new Set<string>();
          let n = 0;
          const tolerate = async (f: () => Promise<unknown>) => {
            try {
              await f();
            } catch (e) {
              if (!isDomainError(e)) throw e;
            }
          };
          const latestInvoice = async () =>
            (await t.deps.db.execute(sql`select id, status, period from invoices where client_id = ${clientId} order by number desc limit 1`)).rows[0] as
              | { id: string; status: string; period: string }
              | undefined;
          const pick = (i: number) => (leads.length ? leads[i % leads.length]! : null);

          for (const cmd of cmds) {
            switch (cmd.t) {
              case "qualify":
                for (let i = 0; i < cmd.count; i++) {
                  const a = await submitTestLead(t.deps, client, billingLead(++n, run % 1000));
                  if (a.status === "qualified") leads.push(a.leadId);
                }
                break;
              case "test_lead":
                await t.deps.intake.submit({
                  client: { id: clientId, timezone: "Pacific/Auckland", phoneCountry: "US" },
                  source: "api",
                  campaignId: null,
                  payload: billingLead(++n, run % 1000),
                  actor: "test",
                  isTest: true,
                });
                break;
              case "reject":
                await submitTestLead(t.deps, client, { ...billingLead(++n, run % 1000), zip: "94105" });
                break;
              case "win":
              case "lose": {
                // losses pick among won leads when there are any, so reversals are common
                const pool = cmd.t === "lose" && won.size > 0 ? [...won] : leads;
                const leadId = pool.length ? pool[cmd.lead % pool.length]! : null;
                if (!leadId) break;
                await t.deps.billing.markOutcome(outcomeCaller(SYSTEM), {
                  leadId,
                  outcome: cmd.t === "win" ? "won" : "lost",
                  valueCents: cmd.t === "win" ? cmd.valueCents : undefined,
                });
                if (cmd.t === "win") won.add(leadId);
                else won.delete(leadId);
                break;
              }
              case "dispute": {
                const leadId = pick(cmd.lead);
                if (!leadId) break;
                await tolerate(async () => {
                  const { dispute } = await t.deps.disputes.open(clientActor, { leadId, reason: "not_looking" });
                  await t.deps.disputes.resolve(
                    agency,
                    cmd.partialCents === null ? { disputeId: dispute.id, decision: "approve" } : { disputeId: dispute.id, decision: "partial", amountCents: cmd.partialCents, note: "part" },
                  );
                });
                break;
              }
              case "advance":
                clock.advance(cmd.hours * 3_600_000);
                break;
              case "close":
                await tolerate(() => t.deps.billing.closePeriod(SYSTEM, { clientId }));
                break;
              case "void": {
                const inv = await latestInvoice();
                if (inv) await tolerate(() => t.deps.billing.voidInvoice(SYSTEM, { id: inv.id, reason: "property test" }));
                break;
              }
              case "reclose": {
                const inv = await latestInvoice();
                if (inv?.status === "void") await tolerate(() => t.deps.billing.closePeriod(SYSTEM, { clientId, period: inv.period }));
                break;
              }
            }
            await expectCounterEqualsRecount(clientId);
          }
        }),
        {
          numRuns: 30,
          // Always also run the month end in Auckland, without a cap, with a leads cap and with a
          // spend cap and a free second tier.
          examples: [
            [{ firstTierUpTo: 2, laterPriceCents: 6000, leadsCap: undefined, spendCapCents: undefined }, MONTH_END_IN_AUCKLAND],
            [{ firstTierUpTo: 2, laterPriceCents: 6000, leadsCap: 4, spendCapCents: undefined }, MONTH_END_IN_AUCKLAND],
            [{ firstTierUpTo: 1, laterPriceCents: 0, leadsCap: undefined, spendCapCents: 20_000 }, MONTH_END_IN_AUCKLAND],
          ],
        },
      );
    },
    300_000,
  );
});
