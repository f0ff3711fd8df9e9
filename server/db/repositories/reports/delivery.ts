import { sql } from "drizzle-orm";
import type { DeliveryFigures, ReportsRepository } from "../../../domain/reports/ports";
import type { DbOrTx } from "../../client";

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);
const nOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The delivery dashboard: per client, today's and this month's leads, spend against caps, speed to lead and the contract in force, in one statement. */
export async function deliveryFigures(db: DbOrTx, at: Parameters<ReportsRepository["deliveryFigures"]>[0]): ReturnType<ReportsRepository["deliveryFigures"]> {
  const atIso = at.toISOString();
  // MATERIALIZED: the per-client window is computed once per client, not once per lead row.
  const r = await db.execute(sql`
    with cw as materialized (
      select c.id, c.name, c.timezone, c.currency, c.status,
        to_char(${atIso}::timestamptz at time zone c.timezone, 'YYYY-MM') as period,
        date_trunc('day', ${atIso}::timestamptz at time zone c.timezone) at time zone c.timezone as day_start,
        date_trunc('month', ${atIso}::timestamptz at time zone c.timezone) at time zone c.timezone as month_start,
        (date_trunc('month', ${atIso}::timestamptz at time zone c.timezone) + interval '1 month') at time zone c.timezone as month_end
      from clients c
      where c.status <> 'archived'
    )
    select cw.id, cw.name, cw.timezone, cw.currency, cw.status, cw.period, cw.day_start, cw.month_start, cw.month_end,
      lm.leads_today, lm.qualified_today, lm.leads_month, lm.qualified_month, lm.billable_month,
      le.billed_today, le.billed_month, le.lead_charges,
      dp.disputes_month, fa.failed_today, fa.failed_month,
      round(lm.pct[1]::numeric, 1)::float8 as p50, round(lm.pct[2]::numeric, 1)::float8 as p90, lm.alerted,
      cv.pricing, cv.version
    from cw
    left join lateral (
      -- One pass over the month's leads; speed to lead = first SMS sent − received (nulls ignored by
      -- percentile_cont, both percentiles from one sort). The first sends of the client's month are
      -- aggregated once and hash-joined: a look-up per lead cost most of the statement at 1,000,000 leads.
      select count(*) filter (where l.received_at >= cw.day_start)::int as leads_today,
             count(*) filter (where l.received_at >= cw.day_start and l.status = 'qualified')::int as qualified_today,
             count(*)::int as leads_month,
             count(*) filter (where l.status = 'qualified')::int as qualified_month,
             count(*) filter (where l.billable)::int as billable_month,
             percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from (fs.first_sent - l.received_at))) as pct,
             count(fs.first_sent)::int as alerted
      from leads l
      left join (
        select a.lead_id, min(a.sent_at) as first_sent from alerts a
        where a.client_id = cw.id and a.created_at >= cw.month_start and a.sent_at is not null
        group by a.lead_id
      ) fs on fs.lead_id = l.id
      where l.client_id = cw.id and not l.is_test and l.received_at >= cw.month_start and l.received_at <= ${atIso}::timestamptz
    ) lm on true
    left join lateral (
      -- By billing period, not by write date: November's retainer written on Dec 6 is November's. One pass.
      select coalesce(sum(e.amount_cents) filter (where e.created_at >= cw.day_start and e.created_at <= ${atIso}::timestamptz), 0)::bigint as billed_today,
             coalesce(sum(e.amount_cents) filter (where e.created_at <= ${atIso}::timestamptz), 0)::bigint as billed_month,
             coalesce(sum(e.amount_cents) filter (where e.kind = 'lead_charge'), 0)::bigint as lead_charges
      from ledger_entries e
      where e.client_id = cw.id and e.period = cw.period
    ) le on true
    left join lateral (
      select count(*)::int as disputes_month
      from disputes d
      where d.client_id = cw.id and d.opened_at >= cw.month_start and d.opened_at <= ${atIso}::timestamptz
    ) dp on true
    left join lateral (
      select count(*) filter (where coalesce(a.failed_at, a.created_at) >= cw.day_start)::int as failed_today,
             count(*)::int as failed_month
      from alerts a
      where a.client_id = cw.id and a.status in ('failed', 'undelivered')
        and coalesce(a.failed_at, a.created_at) >= cw.month_start and coalesce(a.failed_at, a.created_at) <= ${atIso}::timestamptz
    ) fa on true
    left join lateral (
      select v.document -> 'pricing' as pricing, v.version
      from contract_versions v
      where v.client_id = cw.id and v.effective_from <= ${atIso}::timestamptz
      order by v.effective_from desc, v.version desc
      limit 1
    ) cv on true
    order by lower(cw.name), cw.id`);
  return (r.rows as Row[]).map(
    (x): DeliveryFigures => ({
      clientId: x.id as string,
      clientName: x.name as string,
      timezone: x.timezone as string,
      currency: x.currency as string,
      clientStatus: x.status as string,
      period: x.period as string,
      dayStart: new Date(x.day_start as string),
      monthStart: new Date(x.month_start as string),
      monthEnd: new Date(x.month_end as string),
      today: { leads: n(x.leads_today), qualified: n(x.qualified_today), billedCents: n(x.billed_today), failedAlerts: n(x.failed_today) },
      month: {
        leads: n(x.leads_month),
        qualified: n(x.qualified_month),
        billableLeads: n(x.billable_month),
        billedCents: n(x.billed_month),
        leadChargesCents: n(x.lead_charges),
        disputesOpened: n(x.disputes_month),
        failedAlerts: n(x.failed_month),
        speedToLeadP50Seconds: nOrNull(x.p50),
        speedToLeadP90Seconds: nOrNull(x.p90),
        alertedLeads: n(x.alerted),
      },
      pricing: x.pricing ? { monthlyCap: (x.pricing as { monthlyCap?: { leads?: number; spendCents?: number } }).monthlyCap } : null,
      contractVersion: nOrNull(x.version),
    }),
  );
}
