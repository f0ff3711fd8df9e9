/**
 * The agency dashboard at scale (issue #19 item 5): BENCH_SCALE_CLIENTS (1,000) clients and
 * BENCH_SCALE_LEADS (1,000,000) leads, all in the current month (the worst case: the month's figures
 * cover every lead), each with its lead charge and one SMS alert. Times the two statements the
 * dashboard page runs — the delivery figures (per client: today, month, caps, speed to lead) and the
 * leads per day of the last 30 days — three times each, and prints the median next to its target
 * (< 1 s) and to a baseline measured in the same run: a bare count over the same month of leads.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../server/db/client";
import { reportsRepository } from "../../server/db/repositories/reports";
import { fmt, startBenchEnv } from "./support";
import { runAlone } from "./run-alone";

const CLIENTS = Number(process.env.BENCH_SCALE_CLIENTS ?? 1_000);
const LEADS = Number(process.env.BENCH_SCALE_LEADS ?? 1_000_000);
/** The dashboard is looked at on the 28th, 23:00 UTC: every seeded lead is in the month so far. */
const AT = new Date("2026-12-28T23:00:00Z");

async function seed(db: Db): Promise<number> {
  const t0 = performance.now();
  await db.execute(sql`insert into clients (name, timezone, created_at)
    select 'Scale client ' || lpad(g::text, 4, '0'), (array['America/New_York', 'America/Los_Angeles', 'America/Chicago', 'Europe/London'])[1 + g % 4], timestamptz '2020-01-01'
    from generate_series(1, ${CLIENTS}) g`);
  await db.execute(sql`insert into campaigns (client_id, name, is_default) select id, 'Default', true from clients`);
  await db.execute(sql`insert into alert_recipients (client_id, name, phone) select id, 'Rep', '+1555' || lpad((row_number() over ())::text, 7, '0') from clients`);
  // Leads spread over Dec 1–28 round-robin across clients; 80 % qualified, every qualified lead billed and alerted.
  await db.execute(sql`
    with c as (select id, row_number() over (order by id) - 1 as k from clients),
    cp as (select client_id, id from campaigns),
    l as (
      insert into leads (client_id, campaign_id, source, status, raw_payload, qualified, billable, received_at, judged_at)
      select c.id, cp.id, 'api', case when g % 5 = 0 then 'rejected' else 'qualified' end, '{}'::jsonb, g % 5 <> 0, g % 5 <> 0,
             timestamptz '2026-12-01 06:00+00' + ((g::float8 / ${LEADS}) * interval '27 days'), timestamptz '2026-12-01 06:00+00' + ((g::float8 / ${LEADS}) * interval '27 days')
      from generate_series(1, ${LEADS}) g join c on c.k = g % ${CLIENTS} join cp on cp.client_id = c.id
      returning id, client_id, campaign_id, received_at, billable)
    insert into ledger_entries (client_id, kind, amount_cents, lead_id, campaign_id, period, idempotency_key, actor, created_at)
    select client_id, 'lead_charge', 5000, id, campaign_id, '2026-12', 'lead_charge:' || id, 'bench', received_at from l where billable`);
  await db.execute(sql`
    insert into alerts (client_id, lead_id, recipient_id, to_phone, body, status, attempts, queued_at, sent_at)
    select l.client_id, l.id, r.id, r.phone, 'New lead', 'sent', 1, l.received_at, l.received_at + ((5 + (hashtext(l.id::text) & 31)) * interval '1 second')
    from leads l join alert_recipients r on r.client_id = l.client_id where l.qualified`);
  await db.execute(sql`vacuum analyze`);
  return performance.now() - t0;
}

async function median(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export async function benchScale(): Promise<{ name: string; lines: string[] }> {
  const env = await startBenchEnv({ poolMax: 4 });
  try {
    const db = env.database.db;
    const seedMs = await seed(db);
    const reports = reportsRepository(db);
    const bare = await median(() => db.execute(sql`select count(*) from leads where received_at >= '2026-12-01' and received_at <= ${AT.toISOString()}::timestamptz`));
    const delivery = await median(() => reports.deliveryFigures(AT));
    const perDay = await median(() => reports.leadsPerDay({ at: AT, days: 30 }));
    const rows = await reports.deliveryFigures(AT);
    const monthLeads = rows.reduce((n, r) => n + r.month.leads, 0);
    const ratio = (ms: number) => `${fmt(ms / Math.max(bare, 0.001), 1)}× the bare count`;
    return {
      name: "scale (agency dashboard)",
      lines: [
        `${fmt(CLIENTS)} clients, ${fmt(LEADS)} leads in the month (${fmt(monthLeads)} counted by the dashboard), with lead charges and alerts; seeded in ${(seedMs / 1000).toFixed(1)} s`,
        `  baseline: bare count of the month's leads ${fmt(bare, 1)} ms`,
        `  delivery figures (per client: today, month, caps, speed to lead): ${fmt(delivery, 1)} ms (target < 1,000 ms); ${ratio(delivery)}`,
        `  leads per day, last 30 days, all clients: ${fmt(perDay, 1)} ms (target < 1,000 ms); ${ratio(perDay)}`,
        `  the dashboard page runs both at once: about ${fmt(Math.max(delivery, perDay), 1)} ms`,
      ],
    };
  } finally {
    await env.stop();
  }
}

runAlone(module, benchScale);
