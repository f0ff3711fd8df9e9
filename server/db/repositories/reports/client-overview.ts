import { sql } from "drizzle-orm";
import type { ReportsRepository } from "../../../domain/reports/ports";
import type { DbOrTx } from "../../client";

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);

/**
 * One client's home page figures in one statement: today's and this month's leads (the client's
 * time zone), the month's net ledger amount, won deals and their values, leads waiting for an
 * outcome, open disputes by deadline and what issued invoices still ask for.
 */
export async function clientOverview(db: DbOrTx, { clientId, at }: Parameters<ReportsRepository["clientOverview"]>[0]): ReturnType<ReportsRepository["clientOverview"]> {
  const atIso = at.toISOString();
  const r = await db.execute(sql`
    with cw as materialized (
      select c.id, c.timezone, c.currency,
        to_char(${atIso}::timestamptz at time zone c.timezone, 'YYYY-MM') as period,
        date_trunc('day', ${atIso}::timestamptz at time zone c.timezone) at time zone c.timezone as day_start,
        date_trunc('month', ${atIso}::timestamptz at time zone c.timezone) at time zone c.timezone as month_start
      from clients c where c.id = ${clientId}
    )
    select cw.timezone, cw.currency, cw.period, cw.day_start, cw.month_start, lm.*, le.spend_cents, le.credits_cents, aw.awaiting, iv.due_cents, iv.due_count, iv.oldest_issued_at,
      coalesce(dp.open_disputes, '[]'::json) as open_disputes, dc.open_count
    from cw
    left join lateral (
      select count(*) filter (where l.received_at >= cw.day_start)::int as leads_today,
             count(*) filter (where l.received_at >= cw.day_start and l.status = 'qualified')::int as qualified_today,
             count(*) filter (where l.received_at >= cw.day_start and l.status = 'rejected')::int as rejected_today,
             count(*)::int as leads_month,
             count(*) filter (where l.status = 'qualified')::int as qualified_month,
             count(*) filter (where l.status = 'rejected')::int as rejected_month,
             count(*) filter (where l.outcome = 'won')::int as won_month,
             coalesce(sum(l.outcome_value_cents) filter (where l.outcome = 'won'), 0)::bigint as won_value_cents
      from leads l
      where l.client_id = cw.id and not l.is_test and l.received_at >= cw.month_start and l.received_at <= ${atIso}::timestamptz
    ) lm on true
    left join lateral (
      -- the billing period's net: every charge (retainer included once written) less credits
      select coalesce(sum(e.amount_cents), 0)::bigint as spend_cents,
             coalesce(-sum(e.amount_cents) filter (where e.amount_cents < 0), 0)::bigint as credits_cents
      from ledger_entries e where e.client_id = cw.id and e.period = cw.period
    ) le on true
    left join lateral (
      select count(*)::int as awaiting from leads l
      where l.client_id = cw.id and not l.is_test and l.status = 'qualified' and l.outcome is null
    ) aw on true
    left join lateral (
      select coalesce(sum(i.total_cents), 0)::bigint as due_cents, count(*)::int as due_count, min(i.issued_at) as oldest_issued_at
      from invoices i where i.client_id = cw.id and i.status = 'issued' and i.total_cents > 0
    ) iv on true
    left join lateral (
      select count(*)::int as open_count from disputes d where d.client_id = cw.id and d.status = 'open'
    ) dc on true
    left join lateral (
      select json_agg(json_build_object('id', x.id, 'leadId', x.lead_id, 'leadName', x.name, 'leadPhone', x.phone, 'leadReceivedAt', x.received_at, 'dueAt', x.due_at, 'reason', x.reason) order by x.due_at) as open_disputes
      from (
        select d.id, d.lead_id, l.name, l.phone, l.received_at, d.due_at, d.reason
        from disputes d join leads l on l.id = d.lead_id
        where d.client_id = cw.id and d.status = 'open' order by d.due_at limit 5
      ) x
    ) dp on true`);
  const x = r.rows[0] as Row | undefined;
  if (!x) return null;
  const disputes = (x.open_disputes as Row[]).map((d) => ({
    id: d.id as string,
    leadId: d.leadId as string,
    leadName: (d.leadName as string | null) ?? null,
    leadPhone: (d.leadPhone as string | null) ?? null,
    leadReceivedAt: new Date(d.leadReceivedAt as string),
    dueAt: new Date(d.dueAt as string),
    reason: d.reason as string,
  }));
  return {
    timezone: x.timezone as string,
    currency: x.currency as string,
    period: x.period as string,
    dayStart: new Date(x.day_start as string),
    monthStart: new Date(x.month_start as string),
    today: { leads: n(x.leads_today), qualified: n(x.qualified_today), rejected: n(x.rejected_today) },
    month: {
      leads: n(x.leads_month),
      qualified: n(x.qualified_month),
      rejected: n(x.rejected_month),
      won: n(x.won_month),
      wonValueCents: n(x.won_value_cents),
      spendCents: n(x.spend_cents),
      creditsCents: n(x.credits_cents),
    },
    awaitingOutcome: n(x.awaiting),
    openDisputes: { count: n(x.open_count), soonest: disputes },
    due: { cents: n(x.due_cents), invoices: n(x.due_count), oldestIssuedAt: x.oldest_issued_at ? new Date(x.oldest_issued_at as string) : null },
  };
}
