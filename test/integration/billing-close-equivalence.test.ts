import { sql } from "drizzle-orm";
import fc from "fast-check";
import { DateTime } from "luxon";
import { closePeriodsJob } from "../../jobs/close-periods";
import { isDomainError } from "../../server/domain/errors";
import { createTestContext, fixedClock, SYSTEM, type TestContext } from "../support/app";
import { billingContract, billingLead, setupIntakeClient, submitTestLead } from "../support/fixtures";

/**
 * Decision 009: the manual close and the scheduled sweep apply ONE rule, so for the same history
 * (client creation, first contract, leads) they produce the same invoices — same months, lines and
 * totals; only the status differs (the sweep issues, a person's close leaves a draft). The manual
 * side closes each month at a random time after it ended, also tries months before the client
 * existed (refused) and closes some months twice (the same invoice); two clients interleave.
 */

const ZONES = ["America/New_York", "America/Los_Angeles", "Pacific/Auckland"] as const;
const FIRST = DateTime.fromISO("2026-08-01T00:00:00Z").toMillis();
const SPAN_DAYS = 120;
const LAST_PERIOD = "2027-02";

interface History {
  timezone: (typeof ZONES)[number];
  createdAt: Date;
  contractFrom: Date;
  /** Lead times, after both the creation and the contract. */
  leads: Date[];
}

const historyArb: fc.Arbitrary<History> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    createdMinutes: fc.integer({ min: 0, max: SPAN_DAYS * 24 * 60 }),
    contractShiftMinutes: fc.integer({ min: -40 * 24 * 60, max: 40 * 24 * 60 }),
    leadMinutes: fc.array(fc.integer({ min: 0, max: 150 * 24 * 60 }), { maxLength: 4 }),
  })
  .map(({ timezone, createdMinutes, contractShiftMinutes, leadMinutes }) => {
    const createdAt = new Date(FIRST + createdMinutes * 60_000);
    const contractFrom = new Date(createdAt.getTime() + contractShiftMinutes * 60_000);
    const start = Math.max(createdAt.getTime(), contractFrom.getTime());
    return { timezone, createdAt, contractFrom, leads: leadMinutes.map((m) => new Date(start + m * 60_000)).filter((d) => d < new Date("2027-03-01T00:00:00Z")) };
  });

/** Every month from two before the creation through LAST_PERIOD, in the client's zone. */
function months(h: History): string[] {
  const out: string[] = [];
  let m = DateTime.fromJSDate(h.createdAt, { zone: h.timezone }).startOf("month").minus({ months: 2 });
  while (m.toFormat("yyyy-MM") <= LAST_PERIOD) {
    out.push(m.toFormat("yyyy-MM"));
    m = m.plus({ months: 1 });
  }
  return out;
}

/** When a month has ended in the zone, plus a delay. */
function endOf(period: string, timezone: string, delayMinutes = 0): Date {
  return DateTime.fromFormat(period, "yyyy-MM", { zone: timezone }).plus({ months: 1 }).plus({ minutes: delayMinutes }).toJSDate();
}

type Step = { at: Date; run: () => Promise<void> };

describe("manual and scheduled period close give the same invoices for the same history", () => {
  const clock = fixedClock("2026-08-01T00:00:00Z");
  let t: TestContext;
  let run = 0;
  let leadNo = 0;

  beforeAll(async () => {
    t = await createTestContext({ remix: false, clock });
  });
  afterAll(() => t.close());

  async function newClient(h: History) {
    const s = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000, leadPriceCents: 7500 }, h.contractFrom.toISOString()), createdAt: h.createdAt });
    await t.deps.db.execute(sql`update clients set timezone = ${h.timezone} where id = ${s.client.id}`);
    return { ...s, client: { ...s.client, timezone: h.timezone } };
  }

  function leadSteps(s: Awaited<ReturnType<typeof newClient>>, h: History): Step[] {
    return h.leads.map((at) => ({
      at,
      run: async () => {
        expect((await submitTestLead(t.deps, s, billingLead(++leadNo, run))).status).toBe("qualified");
      },
    }));
  }

  async function replay(steps: Step[]) {
    for (const step of [...steps].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      clock.set(step.at);
      await step.run();
    }
  }

  async function invoicesOf(clientId: string) {
    const list = (await t.deps.billing.listInvoices(SYSTEM, { clientId, limit: 100 })).items.sort((a, b) => a.number - b.number);
    return Promise.all(
      list.map(async (inv) => {
        const d = await t.deps.billing.getInvoice(SYSTEM, inv.id);
        return { number: d.number, period: d.period, subtotalCents: d.subtotalCents, totalCents: d.totalCents, lines: d.lines.map((l) => [l.kind, l.description, l.quantity, l.amountCents]) };
      }),
    );
  }

  it("over random creation dates, contract dates, leads and close orders", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(historyArb, historyArb),
        fc.array(fc.integer({ min: 0, max: 20 * 24 * 60 }), { minLength: 40, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        async (histories, delays, twice) => {
          run += 1;
          // Manual side: a person closes every month of both clients, each at its own random delay
          // after it ended; months before a client existed are refused with the reason.
          const manual = await Promise.all(histories.map(newClient));
          const steps: Step[] = [];
          let k = 0;
          manual.forEach((s, i) => {
            const h = histories[i]!;
            steps.push(...leadSteps(s, h));
            for (const period of months(h)) {
              const j = k++ % delays.length;
              steps.push({
                at: endOf(period, h.timezone, delays[j]!),
                run: async () => {
                  const times = twice[j] ? 2 : 1;
                  for (let x = 0; x < times; x++) {
                    try {
                      const r = await t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id, period });
                      expect(r.invoice.status).toBe("draft");
                    } catch (e) {
                      if (!isDomainError(e) || !["PERIOD_BEFORE_CLIENT", "PERIOD_BEFORE_CONTRACT"].includes(e.code)) throw e;
                    }
                  }
                },
              });
            }
          });
          // A delay of at most 20 days keeps each client's months in order (the one order both share).
          await replay(steps);
          await t.deps.db.execute(sql`update clients set status = 'paused' where id in (${sql.join(manual.map((s) => sql`${s.client.id}::uuid`), sql`, `)})`);

          // Scheduled side: the same histories, the sweep running daily at 13:00 UTC — past local
          // midnight on the 1st in all three zones — through the span.
          const swept = await Promise.all(histories.map(newClient));
          const sweepSteps: Step[] = swept.flatMap((s, i) => leadSteps(s, histories[i]!));
          for (let at = FIRST + 13 * 3_600_000; at <= new Date("2027-03-03T00:00:00Z").getTime(); at += 24 * 3_600_000) {
            sweepSteps.push({ at: new Date(at), run: async () => closePeriodsJob.handler(t.deps, {}, { now: async () => {}, schedule: async () => {}, attempt: 1 }) });
          }
          await replay(sweepSteps);
          await t.deps.db.execute(sql`update clients set status = 'paused' where id in (${sql.join(swept.map((s) => sql`${s.client.id}::uuid`), sql`, `)})`);

          for (let i = 0; i < histories.length; i++) {
            const a = await invoicesOf(manual[i]!.client.id);
            const b = await invoicesOf(swept[i]!.client.id);
            expect(a).toEqual(b);
            expect(a.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});
