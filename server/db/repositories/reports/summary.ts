import { sql } from "drizzle-orm";
import type { ReportsRepository, SummaryFigures } from "../../../domain/reports/ports";
import type { DbOrTx } from "../../client";

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);

/** The date-range summary (and its CSV): leads, verdicts, money and disputes per client. */
export async function summary(db: DbOrTx, { from, to, clientId }: Parameters<ReportsRepository["summary"]>[0]): ReturnType<ReportsRepository["summary"]> {
  const r = await db.execute(sql`
    with cw as materialized (
      select c.id, c.name, c.timezone, c.currency,
        (${from}::date::timestamp at time zone c.timezone) as start_at,
        ((${to}::date + 1)::timestamp at time zone c.timezone) as end_at
      from clients c
      ${clientId ? sql`where c.id = ${clientId}` : sql``}
    ),
    lead_agg as (
      select l.client_id, l.campaign_id,
             count(*)::int as leads,
             count(*) filter (where l.status = 'qualified')::int as qualified,
             count(*) filter (where l.billable)::int as billable,
             count(*) filter (where l.outcome = 'won')::int as won,
             coalesce(sum(l.outcome_value_cents) filter (where l.outcome = 'won'), 0)::bigint as revenue
      from cw join leads l on l.client_id = cw.id and not l.is_test and l.received_at >= cw.start_at and l.received_at < cw.end_at
      group by l.client_id, l.campaign_id
    ),
    ledger_agg as (
      select e.client_id, coalesce(e.campaign_id, l.campaign_id) as campaign_id, sum(e.amount_cents)::bigint as billed,
             coalesce(sum(e.amount_cents) filter (where e.kind in ('lead_charge', 'dispute_credit')), 0)::bigint as lead_charges
      from cw join ledger_entries e on e.client_id = cw.id and e.created_at >= cw.start_at and e.created_at < cw.end_at
      left join leads l on l.id = e.lead_id
      group by 1, 2
    ),
    dispute_agg as (
      select d.client_id, l.campaign_id, d.reason, count(*)::int as n
      from cw join disputes d on d.client_id = cw.id and d.opened_at >= cw.start_at and d.opened_at < cw.end_at
      join leads l on l.id = d.lead_id
      group by 1, 2, 3
    ),
    dispute_sum as (
      select client_id, campaign_id, sum(n)::int as disputes, jsonb_object_agg(reason, n) as by_reason
      from dispute_agg group by 1, 2
    ),
    keys as (
      select client_id, campaign_id from lead_agg
      union select client_id, campaign_id from ledger_agg
      union select client_id, campaign_id from dispute_sum
    )
    select k.client_id, k.campaign_id, cw.name as client_name, cw.timezone, cw.currency, cp.name as campaign_name,
           la.leads, la.qualified, la.billable, la.won, la.revenue, lg.billed, lg.lead_charges, ds.disputes, ds.by_reason
    from keys k
    join cw on cw.id = k.client_id
    left join campaigns cp on cp.id = k.campaign_id
    left join lead_agg la on la.client_id = k.client_id and la.campaign_id is not distinct from k.campaign_id
    left join ledger_agg lg on lg.client_id = k.client_id and lg.campaign_id is not distinct from k.campaign_id
    left join dispute_sum ds on ds.client_id = k.client_id and ds.campaign_id is not distinct from k.campaign_id
    order by lower(cw.name), cw.id, cp.name is null, lower(cp.name), k.campaign_id`);
  return (r.rows as Row[]).map(
    (x): SummaryFigures => ({
      clientId: x.client_id as string,
      clientName: x.client_name as string,
      timezone: x.timezone as string,
      currency: x.currency as string,
      campaignId: (x.campaign_id as string | null) ?? null,
      campaignName: (x.campaign_name as string | null) ?? null,
      leads: n(x.leads),
      qualified: n(x.qualified),
      billableLeads: n(x.billable),
      won: n(x.won),
      revenueCents: n(x.revenue),
      billedCents: n(x.billed),
      leadChargesCents: n(x.lead_charges),
      disputes: n(x.disputes),
      disputesByReason: Object.fromEntries(Object.entries((x.by_reason as Record<string, unknown> | null) ?? {}).map(([k, v]) => [k, n(v)])),
    }),
  );
}
