import { sql } from "drizzle-orm";
import fc from "fast-check";
import { outcomeCaller } from "../../server/domain/billing/mark-outcome";
import { applyBps } from "../../server/domain/money";
import { isDomainError } from "../../server/domain/errors";
import { createTestContext, fixedClock, SYSTEM, type TestContext } from "../support/app";
import { billingContract, billingLead, setupIntakeClient, submitTestLead } from "../support/fixtures";
import { monthCounters, recountMonths } from "../support/month-counters";

/**
 * Property test against the real database: for any interleaving of qualifications, wins, losses
 * (reversals), month ends, period closes, voids, re-closes and payments —
 *   Σ non-void invoice totals + open (uninvoiced) balance − carried credit = Σ ledger,
 * no entry is invoiced twice, every invoice's lines add up to its subtotal, every lead's net
 * outcome money equals what its final outcome is worth, and the month counter equals a recount.
 */

type Cmd =
  | { t: "qualify"; count: number }
  | { t: "win"; lead: number; valueCents: number }
  | { t: "lose"; lead: number }
  | { t: "advance"; days: number }
  | { t: "close" }
  | { t: "void" }
  | { t: "reclose" }
  | { t: "pay" };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant("qualify" as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("win" as const), lead: fc.nat(), valueCents: fc.integer({ min: 0, max: 2_000_000 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("lose" as const), lead: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("advance" as const), days: fc.integer({ min: 3, max: 35 }) }) },
  { weight: 4, arbitrary: fc.constant({ t: "close" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "void" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "reclose" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "pay" as const }) },
);

const ACQUISITION = 20_000;
const REVSHARE_BPS = 1000;

describe("ledger and invoice invariants under any interleaving", () => {
  const clock = fixedClock("2026-12-01T15:00:00Z");
  let t: TestContext;
  let run = 0;

  beforeAll(async () => {
    t = await createTestContext({ remix: false, clock });
  });
  afterAll(() => t.close());

  async function checkInvariants(clientId: string, outcomes: Map<string, { outcome: "won" | "lost"; valueCents: number | null }>) {
    const q = async <T>(query: ReturnType<typeof sql>) => (await t.deps.db.execute(query)).rows as T[];
    const [sums] = await q<{ ledger: number; open: number; totals: number }>(sql`select
        (select coalesce(sum(amount_cents), 0) from ledger_entries where client_id = ${clientId})::bigint as ledger,
        (select coalesce(sum(e.amount_cents), 0) from ledger_entries e left join invoice_entries ie on ie.ledger_entry_id = e.id where e.client_id = ${clientId} and ie.invoice_id is null)::bigint as open,
        (select coalesce(sum(total_cents), 0) from invoices where client_id = ${clientId} and status <> 'void')::bigint as totals`);
    const [latest] = await q<{ carried: number }>(
      sql`select credit_carried_forward_cents as carried from invoices where client_id = ${clientId} and status <> 'void' order by number desc limit 1`,
    );
    expect(Number(sums!.totals) + Number(sums!.open) - Number(latest?.carried ?? 0)).toBe(Number(sums!.ledger));

    const twice = await q(sql`select u.entry_id from invoice_lines l join invoices i on i.id = l.invoice_id cross join unnest(l.ledger_entry_ids) u(entry_id)
        where i.client_id = ${clientId} group by u.entry_id having count(*) > 1`);
    expect(twice).toEqual([]);
    const misplaced = await q(sql`select u.entry_id from invoice_lines l join invoices i on i.id = l.invoice_id cross join unnest(l.ledger_entry_ids) u(entry_id)
        left join invoice_entries ie on ie.ledger_entry_id = u.entry_id where i.client_id = ${clientId} and ie.invoice_id is distinct from l.invoice_id`);
    expect(misplaced).toEqual([]);
    // every entry is either queued as uninvoiced or on exactly one invoice, never both, never neither
    const unaccounted = await q(sql`select e.id from ledger_entries e where e.client_id = ${clientId}
        and (select count(*) from uninvoiced_entries u where u.ledger_entry_id = e.id) + (select count(*) from invoice_entries ie where ie.ledger_entry_id = e.id) <> 1`);
    expect(unaccounted).toEqual([]);
    // an entry on an invoice is on one of its lines, except the reversals a void puts onto the void invoice
    const offLine = await q(sql`select e.id from ledger_entries e join invoice_entries ie on ie.ledger_entry_id = e.id join invoices i on i.id = ie.invoice_id
        where e.client_id = ${clientId} and not (i.status = 'void' and e.idempotency_key like 'adjustment:void-reversal-%')
          and not exists (select 1 from invoice_lines l where l.invoice_id = i.id and e.id = any(l.ledger_entry_ids))`);
    expect(offLine).toEqual([]);
    const badSubtotals = await q(sql`select i.id from invoices i where i.client_id = ${clientId} and i.subtotal_cents <> coalesce((select sum(amount_cents) from invoice_lines where invoice_id = i.id), 0)`);
    expect(badSubtotals).toEqual([]);
    const voidNotZero = await q(sql`select i.id from invoices i where i.client_id = ${clientId} and i.status = 'void'
        and coalesce((select sum(e.amount_cents) from invoice_entries ie join ledger_entries e on e.id = ie.ledger_entry_id where ie.invoice_id = i.id), 0) <> 0`);
    expect(voidNotZero).toEqual([]);

    const net = await q<{ lead_id: string; net: number }>(sql`select lead_id, sum(amount_cents)::bigint as net from ledger_entries
        where client_id = ${clientId} and lead_id is not null and kind <> 'lead_charge' and idempotency_key not like 'adjustment:void-%'
          and idempotency_key not like 'reversal:lead_charge:%' group by lead_id`);
    const netByLead = new Map(net.map((r) => [r.lead_id, Number(r.net)]));
    for (const [leadId, o] of outcomes) {
      const expected = o.outcome === "won" ? ACQUISITION + applyBps(o.valueCents ?? 0, REVSHARE_BPS) : 0;
      expect(netByLead.get(leadId) ?? 0).toBe(expected);
    }

    // the month counter that tiers and caps read equals a recount (reversals and voids change neither)
    expect(await monthCounters(t.deps, clientId)).toEqual(await recountMonths(t.deps, clientId));
  }

  it(
    "keeps Σ issued totals + open balance − carried credit = Σ ledger, and invoices no entry twice",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(cmdArb, { minLength: 8, maxLength: 40 }), async (cmds) => {
          run += 1;
          clock.set("2026-12-01T15:00:00Z");
          const s = await setupIntakeClient(t.deps, {
            contract: billingContract({
              retainerCents: 2_500,
              tiers: [
                { upTo: 3, priceCents: 7500 },
                { upTo: null, priceCents: 6000 },
              ],
              monthlyCap: { leads: 8 },
              acquisitionPriceCents: ACQUISITION,
              revshareBps: REVSHARE_BPS,
            }),
          });
          const clientId = s.client.id;
          const leads: string[] = [];
          const outcomes = new Map<string, { outcome: "won" | "lost"; valueCents: number | null }>();
          let n = 0;
          const tolerate = async (f: () => Promise<unknown>, codes: string[]) => {
            try {
              await f();
            } catch (e) {
              if (!isDomainError(e) || !codes.includes(e.code)) throw e;
            }
          };
          const latestInvoice = async () =>
            (await t.deps.db.execute(sql`select id, status, period from invoices where client_id = ${clientId} order by number desc limit 1`)).rows[0] as
              | { id: string; status: string; period: string }
              | undefined;

          for (const cmd of cmds) {
            switch (cmd.t) {
              case "qualify":
                for (let i = 0; i < cmd.count; i++) {
                  const a = await submitTestLead(t.deps, s, billingLead(++n, run % 1000));
                  if (a.status === "qualified") leads.push(a.leadId);
                }
                break;
              case "win":
              case "lose": {
                // losses pick among won leads when there are any, so reversals (also of invoiced wins) are common
                const won = leads.filter((id) => outcomes.get(id)?.outcome === "won");
                const pool = cmd.t === "lose" && won.length > 0 ? won : leads;
                if (pool.length === 0) break;
                const leadId = pool[cmd.lead % pool.length]!;
                const valueCents = cmd.t === "win" ? cmd.valueCents : undefined;
                await t.deps.billing.markOutcome(outcomeCaller(SYSTEM), { leadId, outcome: cmd.t === "win" ? "won" : "lost", valueCents });
                outcomes.set(leadId, cmd.t === "win" ? { outcome: "won", valueCents: cmd.valueCents } : { outcome: "lost", valueCents: null });
                break;
              }
              case "advance":
                clock.advance(cmd.days * 86_400_000);
                break;
              case "close":
                await t.deps.billing.closePeriod(SYSTEM, { clientId });
                break;
              case "void": {
                const inv = await latestInvoice();
                if (inv) await tolerate(() => t.deps.billing.voidInvoice(SYSTEM, { id: inv.id, reason: "property test" }), ["INVALID_TRANSITION", "CONFLICT"]);
                break;
              }
              case "reclose": {
                const inv = await latestInvoice();
                if (inv?.status === "void") await t.deps.billing.closePeriod(SYSTEM, { clientId, period: inv.period });
                break;
              }
              case "pay": {
                const inv = await latestInvoice();
                if (inv) await tolerate(() => t.deps.billing.markInvoicePaid(SYSTEM, { id: inv.id, reference: `pay-${inv.id}` }), ["INVALID_TRANSITION"]);
                break;
              }
            }
            await checkInvariants(clientId, outcomes);
          }
        }),
        {
          numRuns: 40,
          // Always also run the paths random runs reach less often: credit carried forward, voiding the
          // invoice that carries it, re-closing the month, spending the credit, a paid invoice.
          examples: [
            [
              [
                { t: "qualify", count: 1 },
                { t: "win", lead: 0, valueCents: 2_000_000 },
                { t: "advance", days: 31 },
                { t: "close" },
                { t: "lose", lead: 0 },
                { t: "advance", days: 31 },
                { t: "close" },
                { t: "void" },
                { t: "reclose" },
                { t: "qualify", count: 3 },
                { t: "win", lead: 2, valueCents: 125_055 },
                { t: "advance", days: 31 },
                { t: "close" },
                { t: "pay" },
                { t: "void" },
                { t: "lose", lead: 2 },
                { t: "win", lead: 2, valueCents: 99 },
                { t: "advance", days: 31 },
                { t: "close" },
              ],
            ],
          ],
        },
      );
    },
    240_000,
  );
});
