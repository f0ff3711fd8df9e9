import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../server/db/client";
import { intakeStore, intakeTx } from "../../server/db/repositories/intake";
import { invoicingStore, invoicingTx } from "../../server/db/repositories/invoices";
import { closePeriod } from "../../server/domain/billing/close-period";
import { periodBounds } from "../../server/domain/billing/pricing";
import { campaigns, contractVersions, contracts } from "../../server/db/schema";
import { buildInvoice } from "../../server/domain/billing/invoice";
import { itemizeLines } from "../../server/domain/billing/invoice-lines";
import { contractDocumentSchema, type ContractDocumentInput } from "../../server/domain/contracts/contract-document";
import type { TestDeps } from "../support/app";
import type { IntakeStore } from "../../server/domain/leads/ports";
import { submitLead } from "../../server/domain/leads/submit-lead";
import { fixedClock, systemClock } from "../../server/domain/shared/clock";
import { fmt, percentile, startBenchEnv } from "./support";
import { runAlone } from "./run-alone";

/**
 * Billing benchmarks (figures and same-run ratios; never fails on speed):
 *
 * 1. Period close for one client with 10,000, 100,000 and 300,000 uninvoiced ledger entries
 *    (BENCH_CLOSE_SIZES; inserted with generate_series), per-entry cost, its parts timed
 *    separately, and the repeat close (idempotent no-op).
 * 2. Race-free tier counting: the same intake use case (submitLead → judge → charge) for one client
 *    under 50 concurrent callers, with the per-client advisory lock and month counter that ship, a
 *    row lock on the client instead, SERIALIZABLE with retries and no lock, no lock at all (wrong
 *    results, the cost floor), and a flat-price contract (no lock) as the baseline. Each run checks
 *    the tier split, so a fast but wrong strategy shows as wrong.
 * 3. The tier path in an empty month and with BENCH_TIER_PRELOAD (200,000) billable leads and their
 *    charges already in the month, as a ratio against the target (≥ 80 %): the month counter in
 *    BENCH_TIER_ROUNDS interleaved rounds, pooled, and once each, in the same run, counting the
 *    month as intake did before decision 016. All clients are prepared and seeded (then vacuumed)
 *    before the first timed run, and every run starts after a CHECKPOINT, so no run pays for the
 *    seed's writes and all see the same database. BENCH_TIER_SCALE_ONLY=1 runs only this part
 *    (and the flat-price runs).
 * Flat price with and without the month counter also runs in BENCH_FLAT_ROUNDS (2) alternating
 * rounds after the table, as the first run of a bench is often its slowest.
 *
 * Intake throughput with billing on, through HTTP: run test/bench/intake.bench.ts's load against a
 * client created with `setupBillingBenchClient(deps, TIERED_PRICING)` next to one with a flat price,
 * in the same run, and report the ratio (the lead engineer's bench owns the HTTP load generator).
 */

const SYSTEM = { kind: "system", label: "bench" } as const;
const CLOSE_SIZES = (process.env.BENCH_CLOSE_SIZES ?? "10000,100000,300000").split(",").filter(Boolean).map(Number);
const LEADS_PER_RUN = Number(process.env.BENCH_TIER_LEADS ?? 2_000);
/** BENCH_TIER_SCALE_ONLY=1: only the empty-month vs full-month comparison (part 3). */
const SCALE_ONLY = process.env.BENCH_TIER_SCALE_ONLY === "1";
/** Rounds of flat price with the month counter vs without it, alternating which runs first (0 skips). */
const FLAT_ROUNDS = Number(process.env.BENCH_FLAT_ROUNDS ?? 2);
/** Billable leads already in the month for the at-scale tier runs (BENCH_TIER_PRELOAD=0 skips them). */
const PRELOAD = Number(process.env.BENCH_TIER_PRELOAD ?? 200_000);
/** Leads of a run that counts the month the old way at PRELOAD (each one reads the whole month). */
const OLD_AT_SCALE_LEADS = Number(process.env.BENCH_TIER_OLD_LEADS ?? 200);
/** Rounds of (empty month, PRELOAD already) with the month counter, and leads per run. */
const SCALE_ROUNDS = Number(process.env.BENCH_TIER_ROUNDS ?? 3);
const SCALE_LEADS = Number(process.env.BENCH_TIER_SCALE_LEADS ?? 1_000);
const TIER_TARGET = 0.8;
const CONCURRENCY = 50;

/** Tiers for intake benches with billing on: the per-client lock and month-to-date count run for every qualified lead. */
export const TIERED_PRICING = {
  tiers: [
    { upTo: 100, priceCents: 7500 },
    { upTo: null, priceCents: 6000 },
  ],
};

/** A client with a contract (no duplicate rule, ZIP 10001, phone required) and the given pricing; for intake benches with billing on. */
export async function setupBillingBenchClient(deps: TestDeps, pricing: NonNullable<ContractDocumentInput["pricing"]>, name = `Bench Billing ${randomUUID().slice(0, 8)}`) {
  const client = await deps.clients.create(SYSTEM, { name });
  // A client since 2020 (like its contract): December 2026 is a whole month to close whatever day the bench runs.
  await deps.db.execute(sql`update clients set created_at = '2020-01-01T00:00:00Z' where id = ${client.id}`);
  const [campaign] = await deps.db.select().from(campaigns).where(eq(campaigns.clientId, client.id));
  const [contract] = await deps.db.insert(contracts).values({ clientId: client.id }).returning();
  const document = contractDocumentSchema.parse({ effectiveFrom: "2020-01-01T00:00:00Z", qualification: { requiredFields: ["phone", "zip"], serviceArea: { zips: ["10001"] } }, pricing });
  const [version] = await deps.db.insert(contractVersions).values({ contractId: contract!.id, clientId: client.id, version: 1, effectiveFrom: new Date("2020-01-01"), document }).returning();
  return { client, campaign: campaign!, version: version! };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// ---------------------------------------------------------------------------------------------
// 1. Period close at 10k, 100k and 300k entries

async function benchClose(deps: TestDeps, entriesCount: number): Promise<string[]> {
  const { client, campaign, version } = await setupBillingBenchClient(deps, { retainerCents: 50_000, leadPriceCents: 7500 }, `Bench Close ${fmt(entriesCount)}`);
  const period = "2026-12";
  const [, insertMs] = await timed(() =>
    deps.db.execute(sql`with l as (
        insert into leads (client_id, campaign_id, source, status, raw_payload, qualified, billable, contract_version_id, received_at, judged_at)
        select ${client.id}, ${campaign.id}, 'api', 'qualified', '{}'::jsonb, true, true, ${version.id},
               timestamptz '2026-12-01 05:00+00' + (g * interval '5 seconds'), timestamptz '2026-12-01 05:00+00' + (g * interval '5 seconds')
        from generate_series(1, ${entriesCount}) g
        returning id, received_at)
      insert into ledger_entries (client_id, kind, amount_cents, lead_id, campaign_id, contract_version_id, period, idempotency_key, actor, created_at)
      select ${client.id}, 'lead_charge', case when row_number() over (order by received_at) <= 100 then 7500 else 6000 end, id, ${campaign.id}, ${version.id},
             ${period}, 'lead_charge:' || id, 'bench', received_at
      from l`),
  );
  await deps.db.execute(sql`vacuum analyze leads`);
  await deps.db.execute(sql`vacuum analyze ledger_entries`);

  // The parts, each on its own, in a rolled-back transaction (nothing stays claimed).
  const parts: string[] = [];
  await deps.db
    .transaction(async (tx) => {
      const itx = invoicingTx(tx);
      const inv = await itx.insertInvoice({ clientId: client.id, number: 999, period: "1999-01", status: "draft", currency: "USD", subtotalCents: 0, creditAppliedCents: 0, totalCents: 0, creditCarriedForwardCents: 0, issuedAt: null, createdBy: "bench" });
      const [entries, claimMs] = await timed(() => itx.claimUninvoicedEntries(inv.id, client.id, period));
      const t0 = performance.now();
      const draft = buildInvoice({ entries, invoiceId: inv.id, creditBalanceCents: 0, campaignNames: { [campaign.id]: campaign.name } });
      const lines = itemizeLines(draft.lines, new Map(entries.map((e) => [e.id, e])));
      const buildMs = performance.now() - t0;
      parts.push(`    parts: claim (queue → invoice_entries + read in one statement) ${fmt(entries.length)} entries ${secs(claimMs)}, buildInvoice + itemize ${secs(buildMs)} (${lines.length} lines)`);
      throw new RollbackSignal();
    })
    .catch((e) => {
      if (!(e instanceof RollbackSignal)) throw e;
    });

  // Baseline in the same run: the same uninvoiced rows as a bare aggregate (no write, no transfer to Node).
  const [, countMs] = await timed(() => deps.db.execute(sql`select count(*), sum(amount_cents) from ledger_entries where client_id = ${client.id}`));

  // The use case itself, with a clock after the period's end (deps.billing would use the system clock).
  const close = () => closePeriod({ store: invoicingStore(deps.db), clock: fixedClock("2027-01-02T12:00:00Z") }, SYSTEM, { clientId: client.id, period });
  const [first, closeMs] = await timed(close);
  const [second, repeatMs] = await timed(close);
  const detail = await deps.billing.getInvoice(SYSTEM, first.invoice.id);
  const target = entriesCount === 100_000 ? "  (target for 100,000: < 1.50 s)" : "";
  return [
    `  ${fmt(entriesCount)} entries: close ${secs(closeMs)} = ${fmt((1000 * closeMs) / entriesCount, 1)} µs per entry${target}; ${fmt(closeMs / Math.max(countMs, 0.001))}× a bare aggregate over the same rows (${fmt(countMs, 1)} ms)`,
    `    → ${first.invoice.displayNumber} total $${fmt(first.invoice.totalCents / 100, 2)}, ${detail.lines.length} lines (${detail.lines.map((l) => `${fmt(l.quantity)} × ${l.unitAmountCents ?? "mixed"}`).join(", ")}); seeded in ${secs(insertMs)}`,
    parts[0] ?? "",
    `    repeat close of the same period (returns the existing invoice, created=${second.created}): ${fmt(repeatMs, 1)} ms`,
  ];
}

async function benchCloses(deps: TestDeps): Promise<string[]> {
  const lines = ["period close, one client, N uninvoiced ledger entries (+ retainer) in one transaction (per-entry cost should stay flat):"];
  for (const n of CLOSE_SIZES) lines.push(...(await benchClose(deps, n)));
  return lines;
}

class RollbackSignal extends Error {}

// ---------------------------------------------------------------------------------------------
// 2. Tier counting under concurrency: lock strategies

interface Strategy {
  name: string;
  tiered: boolean;
  store: (db: Db) => IntakeStore;
  /** Billable leads (with their lead charges) of the client already this month, inserted before the run. */
  preload?: number;
  /** Leads in this run (default LEADS_PER_RUN); the tier boundary is in the middle of them. */
  leads?: number;
  /** Lead ids (default random). */
  newId?: () => string;
}

let retries = 0;

const noLock = (db: Db): IntakeStore => ({ transaction: (fn) => db.transaction((tx) => fn({ ...intakeTx(tx), lockClientBilling: async () => {} })) });

/**
 * Intake as it was before decision 016, for the A/B in the same run: month-to-date counted from the
 * month's leads and lead charges under the advisory lock, and no month counter written.
 */
const countingTheMonth = (db: Db): IntakeStore => ({
  transaction: (fn) =>
    db.transaction((tx) => {
      const base = intakeTx(tx);
      return fn({
        ...base,
        async monthToDate(clientId, period) {
          const bounds = periodBounds(period, "UTC"); // the bench clients are in UTC
          const r = await tx.execute(sql`select
              (select count(*) from leads where client_id = ${clientId} and billable and not is_test and received_at >= ${bounds.start.toISOString()} and received_at < ${bounds.end.toISOString()})::int as n,
              (select coalesce(sum(amount_cents), 0) from ledger_entries where client_id = ${clientId} and period = ${period} and kind = 'lead_charge')::bigint as c`);
          const row = r.rows[0] as { n: number; c: string };
          return { billableLeads: Number(row.n), leadChargesCents: Number(row.c) };
        },
        insertJudgedLead: (lead, verdict, charge, event) => base.insertJudgedLead(lead, verdict, charge, event, null),
        addToMonthCounter: async () => {},
      });
    }),
});

/** Flat price without the month counter (before decision 016): what the counter costs a flat-price client. */
const flatWithoutCounter = (db: Db): IntakeStore => ({
  transaction: (fn) =>
    db.transaction((tx) => {
      const base = intakeTx(tx);
      return fn({ ...base, insertJudgedLead: (lead, verdict, charge, event) => base.insertJudgedLead(lead, verdict, charge, event, null) });
    }),
});

const SHIPS = "tiers + advisory lock + month counter (ships)";
const OLD = "tiers + advisory lock, counting the month (before 016)";

const STRATEGIES: Strategy[] = [
  { name: "flat price: no lock (baseline)", tiered: false, store: intakeStore },
  { name: "flat price, no month counter (before 016)", tiered: false, store: flatWithoutCounter },
  // every lead id starts with 00, so every lead adds to the same counter row
  { name: "flat price, month counter on one row (no shards)", tiered: false, store: intakeStore, newId: () => `00${randomUUID().slice(2)}` },
  { name: SHIPS, tiered: true, store: intakeStore },
  {
    name: "tiers + row lock on the client (for no key update)",
    tiered: true,
    store: (db) => ({
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            ...intakeTx(tx),
            lockClientBilling: async (clientId) => {
              await tx.execute(sql`select 1 from clients where id = ${clientId} for no key update`);
            },
          }),
        ),
    }),
  },
  {
    name: "tiers + SERIALIZABLE, no lock, retry on 40001",
    tiered: true,
    leads: Math.min(LEADS_PER_RUN, 300),
    store: (db) => ({
      async transaction(fn) {
        for (let attempt = 1; ; attempt++) {
          try {
            return await db.transaction((tx) => fn({ ...intakeTx(tx), lockClientBilling: async () => {} }), { isolationLevel: "serializable" });
          } catch (e) {
            const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
            if ((code === "40001" || code === "40P01") && attempt < 500) {
              retries++;
              continue;
            }
            throw e;
          }
        }
      },
    }),
  },
  { name: "tiers, no lock at all (WRONG: races; the cost floor)", tiered: true, store: noLock },
];

/**
 * The tier path in an empty month and at PRELOAD: with the month counter in SCALE_ROUNDS interleaved
 * rounds (a fresh client each run, so load drifts hit both sides alike), and counting the month as
 * before decision 016 once each.
 */
const scaleStrategy = (counter: boolean, preload: number): Strategy => ({
  name: `${counter ? SHIPS : OLD}, ${preload > 0 ? `${fmt(preload)} already` : "empty month"}`,
  tiered: true,
  store: counter ? intakeStore : countingTheMonth,
  preload,
  leads: counter ? SCALE_LEADS : preload > 0 ? Math.min(SCALE_LEADS, OLD_AT_SCALE_LEADS) : SCALE_LEADS,
});

/**
 * Seeds `preload` billable leads with their lead charges in the current month (UTC) in one
 * statement, then sets the client's month counter from them as the migration's back-fill does.
 */
async function preloadMonth(deps: TestDeps, ids: { clientId: string; campaignId: string; versionId: string }, preload: number) {
  const period = new Date().toISOString().slice(0, 7);
  await deps.db.execute(sql`with l as (
      insert into leads (client_id, campaign_id, source, status, raw_payload, qualified, billable, contract_version_id, received_at, judged_at)
      select ${ids.clientId}, ${ids.campaignId}, 'api', 'qualified', '{}'::jsonb, true, true, ${ids.versionId}, date_trunc('month', now()) + (g * interval '1 second'), now()
      from generate_series(1, ${preload}) g
      returning id, received_at)
    insert into ledger_entries (client_id, kind, amount_cents, lead_id, campaign_id, contract_version_id, period, idempotency_key, actor, created_at)
    select ${ids.clientId}, 'lead_charge', 7500, id, ${ids.campaignId}, ${ids.versionId}, ${period}, 'lead_charge:' || id, 'bench-preload', received_at from l`);
  await deps.db.execute(sql`insert into billing_month_counters (client_id, period, shard, billable_leads, lead_charges_cents)
      select ${ids.clientId}, ${period}, 0,
             (select count(*) from leads where client_id = ${ids.clientId} and billable and not is_test),
             (select coalesce(sum(amount_cents), 0) from ledger_entries where client_id = ${ids.clientId} and period = ${period} and kind = 'lead_charge')`);
  // a month that filled up over weeks, not one bulk insert ago: vacuumed and analyzed
  await deps.db.execute(sql`vacuum analyze leads`);
  await deps.db.execute(sql`vacuum analyze ledger_entries`);
}

type BenchClient = Awaited<ReturnType<typeof setupBillingBenchClient>>;

/** The strategy's client: tier boundary in the middle of its run, `preload` leads already this month. */
async function prepareClient(deps: TestDeps, s: Strategy, index: number): Promise<BenchClient> {
  const leads = s.leads ?? LEADS_PER_RUN;
  const preload = s.preload ?? 0;
  const boundary = preload + leads / 2;
  const pricing = s.tiered ? { tiers: [{ upTo: boundary, priceCents: 7500 }, { upTo: null, priceCents: 6000 }] } : { leadPriceCents: 7500 };
  const prepared = await setupBillingBenchClient(deps, pricing, `Bench Tiers ${index}`);
  if (preload > 0) await preloadMonth(deps, { clientId: prepared.client.id, campaignId: prepared.campaign.id, versionId: prepared.version.id }, preload);
  return prepared;
}

async function runStrategy(deps: TestDeps, s: Strategy, index: number, prepared?: BenchClient) {
  const leads = s.leads ?? LEADS_PER_RUN;
  const { client } = prepared ?? (await prepareClient(deps, s, index));
  // no run pays for the previous run's (or the seed's) dirty pages
  await deps.db.execute(sql`checkpoint`);
  const store = s.store(deps.db);
  const input = (i: number) => ({
    client: { id: client.id, timezone: "UTC", phoneCountry: "US" },
    source: "api" as const,
    campaignId: null,
    payload: { name: `Bench ${i}`, phone: `+1212${String(4_000_000 + index * 100_000 + i).padStart(7, "0")}`, zip: "10001" },
    actor: "bench",
  });
  retries = 0;
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < leads) {
        const i = next++;
        const s0 = performance.now();
        try {
          await submitLead({ store, clock: systemClock, newId: s.newId ?? randomUUID }, input(i));
        } catch {
          failures++;
        }
        latencies.push(performance.now() - s0);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const split = await deps.db.execute(sql`select amount_cents, count(*)::int as n from ledger_entries where client_id = ${client.id} and lead_id is not null and actor <> 'bench-preload'
      group by amount_cents order by amount_cents desc`);
  const bySplit = (split.rows as { amount_cents: number; n: number }[]).map((r) => `${r.n}×${r.amount_cents}`).join(" + ");
  const correct = !s.tiered || bySplit === `${leads / 2}×7500 + ${leads / 2}×6000`;
  const period = new Date().toISOString().slice(0, 7);
  // what pricing reads inside the lock, alone, at this month's volume (mean of 20)
  const tx = s.store === countingTheMonth ? null : intakeTx(deps.db);
  let mtdMs = 0;
  await countingTheMonth(deps.db).transaction(async (old) => {
    const read = tx ?? old;
    const t1 = performance.now();
    for (let k = 0; k < 20; k++) await read.monthToDate(client.id, period);
    mtdMs = (performance.now() - t1) / 20;
  });
  return { leads, perSecond: leads / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), retries, failures, bySplit, correct, mtdMs };
}

function resultLine(s: Strategy, r: Awaited<ReturnType<typeof runStrategy>>, baseline: number): string {
  return (
    `  ${s.name.padEnd(72)} ${fmt(r.leads).padStart(5)} leads ${fmt(r.perSecond).padStart(6)}/s  p50 ${fmt(r.p50, 1).padStart(7)} ms  p99 ${fmt(r.p99, 1).padStart(8)} ms  ` +
    `${fmt((100 * r.perSecond) / baseline).padStart(3)}% of baseline  retries ${r.retries}  failed ${r.failures}  charges ${r.bySplit}` +
    (s.tiered ? (r.correct ? "  ✓ exact" : "  ✗ WRONG SPLIT") : "") +
    (s.tiered ? `  (month-to-date read alone: ${fmt(r.mtdMs, 2)} ms)` : "")
  );
}

async function benchTiers(deps: TestDeps): Promise<string[]> {
  await runStrategy(deps, { ...STRATEGIES[0]!, name: "warm-up", leads: 500 }, 99); // JIT, pool connections
  const results: [Strategy, Awaited<ReturnType<typeof runStrategy>>][] = [];
  for (const [i, s] of (SCALE_ONLY ? STRATEGIES.slice(0, 2) : STRATEGIES).entries()) results.push([s, await runStrategy(deps, s, i)]);
  const baseline = results[0]![1].perSecond;
  const lines = [`tier counting: qualifying leads of ONE client, ${CONCURRENCY} concurrent submitLead calls, tier boundary in the middle of each run:`];
  for (const [s, r] of results) lines.push(resultLine(s, r, baseline));

  if (FLAT_ROUNDS > 0) {
    // What counting costs a flat-price client (which takes no billing lock), A-B B-A … so order drifts cancel.
    const withCounter: Awaited<ReturnType<typeof runStrategy>>[] = [];
    const without: Awaited<ReturnType<typeof runStrategy>>[] = [];
    let index = 30;
    for (let round = 0; round < FLAT_ROUNDS; round++) {
      const pair = [
        [STRATEGIES[0]!, withCounter],
        [STRATEGIES[1]!, without],
      ] as const;
      for (const [s, list] of round % 2 === 0 ? pair : [...pair].reverse()) list.push(await runStrategy(deps, s, index++));
    }
    const pooled = (runs: typeof withCounter) => runs.reduce((n, r) => n + r.leads, 0) / runs.reduce((n, r) => n + r.leads / r.perSecond, 0);
    lines.push(
      `  flat price, ${FLAT_ROUNDS} alternating rounds: with the month counter ${withCounter.map((r) => `${fmt(r.perSecond)}/s`).join(", ")}; without ${without.map((r) => `${fmt(r.perSecond)}/s`).join(", ")}` +
        ` → pooled ${fmt(pooled(withCounter))}/s vs ${fmt(pooled(without))}/s = ${fmt((100 * pooled(withCounter)) / pooled(without))} %`,
    );
  }
  if (PRELOAD <= 0 || SCALE_ROUNDS <= 0) return lines;

  // Every client is prepared (and every full month seeded) before the first timed run, so all runs
  // see the same database; then empty and full months alternate.
  type Run = { s: Strategy; r: Awaited<ReturnType<typeof runStrategy>> };
  const plan: { s: Strategy; list: Run[]; prepared: BenchClient }[] = [];
  const empty: Run[] = [];
  const full: Run[] = [];
  const oldRuns: Run[] = [];
  let k = 50;
  for (let round = 0; round < SCALE_ROUNDS; round++) {
    for (const [list, preload] of [[empty, 0], [full, PRELOAD]] as const) {
      const s = scaleStrategy(true, preload);
      plan.push({ s, list, prepared: await prepareClient(deps, s, k++) });
    }
  }
  for (const preload of [0, PRELOAD]) {
    const s = scaleStrategy(false, preload);
    plan.push({ s, list: oldRuns, prepared: await prepareClient(deps, s, k++) });
  }
  for (const [i, p] of plan.entries()) p.list.push({ s: p.s, r: await runStrategy(deps, p.s, 50 + i, p.prepared) });
  const rate = (runs: Run[]) => runs.reduce((n, x) => n + x.r.leads, 0) / runs.reduce((n, x) => n + x.r.leads / x.r.perSecond, 0);
  const pct = (x: number) => `${fmt(100 * x)} %`;
  const verdict = (x: number) => (x >= TIER_TARGET ? "✓ meets" : "✗ below");
  const newRatio = rate(full) / rate(empty);
  const oldRatio = oldRuns[1]!.r.perSecond / oldRuns[0]!.r.perSecond;
  lines.push("", `tier path with ${fmt(PRELOAD)} billable leads (and their charges) already this month vs an empty month, same run, target ≥ ${pct(TIER_TARGET)}:`);
  for (const [round, e] of empty.entries()) {
    const f = full[round]!;
    lines.push(resultLine(e.s, e.r, baseline), resultLine(f.s, f.r, baseline), `    round ${round + 1}: ${pct(f.r.perSecond / e.r.perSecond)}`);
  }
  for (const o of oldRuns) lines.push(resultLine(o.s, o.r, baseline));
  lines.push(
    `  month counter (ships):        ${fmt(rate(full))}/s with ${fmt(PRELOAD)} already ÷ ${fmt(rate(empty))}/s in an empty month = ${pct(newRatio)}  (target ≥ ${pct(TIER_TARGET)}: ${verdict(newRatio)}; ${SCALE_ROUNDS} rounds pooled)`,
    `  counting the month (before):  ${fmt(oldRuns[1]!.r.perSecond)}/s with ${fmt(PRELOAD)} already ÷ ${fmt(oldRuns[0]!.r.perSecond)}/s in an empty month = ${pct(oldRatio)}  (target ≥ ${pct(TIER_TARGET)}: ${verdict(oldRatio)})`,
    `  month-to-date read alone with ${fmt(PRELOAD)} already: counter ${full.map((f) => `${fmt(f.r.mtdMs, 2)} ms`).join(" / ")}, counting ${fmt(oldRuns[1]!.r.mtdMs, 2)} ms`,
  );
  return lines;
}

export async function benchBilling(): Promise<{ name: string; lines: string[] }> {
  const env = await startBenchEnv({ poolMax: 60 });
  try {
    const close = await benchCloses(env.deps);
    // BENCH_TIER_LEADS=0 runs the close part alone.
    const tiers = LEADS_PER_RUN > 0 ? await benchTiers(env.deps) : [];
    return { name: "billing", lines: [...close, "", ...tiers] };
  } finally {
    await env.stop();
  }
}

runAlone(module, benchBilling);
