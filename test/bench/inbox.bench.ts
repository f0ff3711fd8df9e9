import { sql } from "drizzle-orm";
import { leadListQuery } from "../../server/db/repositories/leads";
import type { TestDeps } from "../support/app";
import { setupBillingBenchClient } from "./billing.bench";
import { runAlone } from "./run-alone";
import { fmt, percentile, startBenchEnv } from "./support";

/**
 * The leads inbox at scale (issue: "the leads inbox's first page for a client with 500,000 leads
 * < 100 ms"): one client with BENCH_INBOX_LEADS (500,000) leads and their charges, another with a
 * fifth of that, both written by one INSERT … SELECT generate_series each. Figures are p50 / p99 of
 * BENCH_INBOX_RUNS calls through the use case (deps.leads.list: the query, the cursor, the row
 * mapping), against the same-run baseline of a bare keyset read of 26 ids on the same index.
 * Also: a page 250,000 leads deep by cursor vs by OFFSET, the filtered first pages, the agency's
 * all-clients first page, and the ORDER BY the inbox used before (plain "desc", which the
 * "desc nulls last" index cannot serve: every lead of the client read and sorted).
 */

const SYSTEM = { kind: "system", label: "bench" } as const;
const LEADS = Number(process.env.BENCH_INBOX_LEADS ?? 500_000);
const RUNS = Number(process.env.BENCH_INBOX_RUNS ?? 30);
const TARGET_MS = 100;

async function seed(deps: TestDeps, name: string, n: number) {
  const s = await setupBillingBenchClient(deps, { leadPriceCents: 7500 }, name);
  await deps.db.execute(sql`with l as (
      insert into leads (client_id, campaign_id, source, status, raw_payload, qualified, billable, contract_version_id, name, phone, zip, received_at, judged_at, outcome)
      select ${s.client.id}, ${s.campaign.id}, 'api', case when g % 4 = 0 then 'rejected' else 'qualified' end, '{}'::jsonb, g % 4 <> 0, g % 4 <> 0, ${s.version.id},
             'Lead ' || g, '+1212' || lpad((g % 10000000)::text, 7, '0'), '10001',
             timestamptz '2026-12-01 00:00+00' - g * interval '20 seconds', timestamptz '2026-12-01 00:00+00' - g * interval '20 seconds',
             case when g % 4 = 1 then 'won' when g % 4 = 2 then 'lost' end
      from generate_series(1, ${n}) g
      returning id, client_id, campaign_id, received_at, billable)
    insert into ledger_entries (client_id, kind, amount_cents, lead_id, campaign_id, contract_version_id, period, idempotency_key, actor, created_at)
    select client_id, 'lead_charge', 7500, id, campaign_id, ${s.version.id}, to_char(received_at at time zone 'UTC', 'YYYY-MM'), 'lead_charge:' || id, 'bench', received_at
    from l where billable`);
  return s;
}

async function timeRuns(fn: () => Promise<unknown>, runs = RUNS): Promise<{ p50: number; p99: number }> {
  await fn();
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

export async function benchInbox(): Promise<{ name: string; lines: string[] }> {
  const env = await startBenchEnv({ poolMax: 10 });
  const { deps } = env;
  try {
    const t0 = performance.now();
    const big = await seed(deps, "Bench Inbox Big", LEADS);
    await seed(deps, "Bench Inbox Other", Math.round(LEADS / 5));
    // A few disputes (one lead in 500), so the disputed filter and badge have rows to find.
    await deps.db.execute(sql`insert into disputes (client_id, lead_id, reason, status, opened_at, due_at)
      select client_id, id, 'not_looking', 'rejected', received_at + interval '1 day', received_at + interval '4 days'
      from leads where status = 'qualified' and abs(hashtext(id::text)) % 500 = 0`);
    await deps.db.execute(sql`vacuum analyze leads`);
    await deps.db.execute(sql`vacuum analyze ledger_entries`);
    await deps.db.execute(sql`vacuum analyze disputes`);
    const seedMs = performance.now() - t0;
    const clientId = big.client.id;

    const baseline = await timeRuns(() =>
      deps.db.execute(sql`select id from leads where client_id = ${clientId} and not is_test order by received_at desc nulls last, id desc nulls last limit 26`),
    );
    const line = (label: string, r: { p50: number; p99: number }, target = false) =>
      `  ${label.padEnd(46)} p50 ${fmt(r.p50, 2).padStart(8)} ms  p99 ${fmt(r.p99, 2).padStart(8)} ms  = ${fmt(r.p50 / baseline.p50, 1)}× the baseline${target ? `  (target < ${TARGET_MS} ms: ${r.p99 < TARGET_MS ? "✓ meets" : "✗ above"})` : ""}`;

    const first = await timeRuns(() => deps.leads.list(SYSTEM, { clientId }));
    // A cursor 250,000 leads deep: the lead at that position, as the page before it would hand it out.
    const deepRow = (await deps.db.execute(sql`select id, received_at from leads where client_id = ${clientId} and not is_test
      order by received_at desc nulls last, id desc nulls last offset ${Math.floor(LEADS / 2)} limit 1`)).rows[0] as { id: string; received_at: string };
    const cursor = Buffer.from(`${new Date(deepRow.received_at).toISOString()}|${deepRow.id}`).toString("base64url");
    const deep = await timeRuns(() => deps.leads.list(SYSTEM, { clientId, cursor }));
    const offset = await timeRuns(
      () => deps.db.execute(sql`${leadListQuery({ clientId, test: false, limit: 26 })} offset ${Math.floor(LEADS / 2)}`),
      Math.min(RUNS, 5),
    );
    const qualified = await timeRuns(() => deps.leads.list(SYSTEM, { clientId, status: "qualified", outcome: "none" }));
    const disputed = await timeRuns(() => deps.leads.list(SYSTEM, { clientId, disputed: true }), Math.min(RUNS, 10));
    const dated = await timeRuns(() => deps.leads.list(SYSTEM, { clientId, fromDate: "2026-11-01", toDate: "2026-11-15" }));
    const agency = await timeRuns(() => deps.leads.list(SYSTEM, {}));
    // Before: the same query with a plain "desc" order, which the index cannot serve.
    // Before: the baseline's read with the plain "desc" order the inbox used, which the index cannot serve.
    const before = await timeRuns(
      () => deps.db.execute(sql`select id from leads where client_id = ${clientId} and not is_test order by received_at desc, id desc limit 26`),
      Math.min(RUNS, 5),
    );

    return {
      name: "leads inbox at scale",
      lines: [
        `one client with ${fmt(LEADS)} leads (+ charges), another with ${fmt(LEADS / 5)}; seeded with one INSERT … SELECT generate_series each in ${fmt(seedMs / 1000, 1)} s; ${RUNS} calls each`,
        `  baseline: 26 ids by keyset on the index (bare SQL)    p50 ${fmt(baseline.p50, 2)} ms  p99 ${fmt(baseline.p99, 2)} ms`,
        line("first page (leads.list, 25 leads)", first, true),
        line(`page ${fmt(LEADS / 2)} leads deep, by cursor`, deep, true),
        line(`page ${fmt(LEADS / 2)} leads deep, by OFFSET (not used)`, offset),
        line("first page, qualified and not marked yet", qualified, true),
        line("first page, disputed only (1 lead in 500)", disputed),
        line("first page, Nov 1–15 in the client's zone", dated, true),
        line("agency: all clients' first page", agency, true),
        line('before: the baseline with ORDER BY plain "desc"', before),
      ],
    };
  } finally {
    await env.stop();
  }
}

runAlone(module, benchInbox);
