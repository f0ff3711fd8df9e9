import { sql, type SQL } from "drizzle-orm";
import type { AuditEventRow, DeliveryFigures, LeadsPerDayRow, ReportsRepository, SummaryFigures } from "../../domain/reports/ports";
import type { DbOrTx } from "../client";

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);
const nOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * Report queries. Every figure is an aggregate computed in PostgreSQL, one statement per report;
 * time windows are built per client from its time zone in SQL:
 *   local midnight = date_trunc('day', at AT TIME ZONE tz) AT TIME ZONE tz   (DST-correct)
 * Lateral subqueries keep each client's aggregate on its own index range (leads by
 * (client_id, received_at), ledger by (client_id, created_at) / (client_id, period, kind), …).
 */
export function reportsRepository(db: DbOrTx): ReportsRepository {
  return {
    async deliveryFigures(at) {
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
          le.billed_today, le.billed_month, lc.lead_charges,
          dp.disputes_month, fa.failed_today, fa.failed_month,
          lm.p50, lm.p90, lm.alerted,
          cv.pricing, cv.version
        from cw
        left join lateral (
          -- one pass over the month's leads; speed to lead = first SMS sent − received (nulls ignored by percentile_cont)
          select count(*) filter (where l.received_at >= cw.day_start)::int as leads_today,
                 count(*) filter (where l.received_at >= cw.day_start and l.status = 'qualified')::int as qualified_today,
                 count(*)::int as leads_month,
                 count(*) filter (where l.status = 'qualified')::int as qualified_month,
                 count(*) filter (where l.billable)::int as billable_month,
                 round(percentile_cont(0.5) within group (order by extract(epoch from (fs.first_sent - l.received_at)))::numeric, 1)::float8 as p50,
                 round(percentile_cont(0.9) within group (order by extract(epoch from (fs.first_sent - l.received_at)))::numeric, 1)::float8 as p90,
                 count(fs.first_sent)::int as alerted
          from leads l
          left join lateral (select min(a.sent_at) as first_sent from alerts a where a.lead_id = l.id) fs on true
          where l.client_id = cw.id and not l.is_test and l.received_at >= cw.month_start and l.received_at <= ${atIso}::timestamptz
        ) lm on true
        left join lateral (
          -- By billing period, not by write date: November's retainer written on Dec 6 is November's.
          select coalesce(sum(e.amount_cents) filter (where e.created_at >= cw.day_start), 0)::bigint as billed_today,
                 coalesce(sum(e.amount_cents), 0)::bigint as billed_month
          from ledger_entries e
          where e.client_id = cw.id and e.period = cw.period and e.created_at <= ${atIso}::timestamptz
        ) le on true
        left join lateral (
          select coalesce(sum(e.amount_cents), 0)::bigint as lead_charges
          from ledger_entries e
          where e.client_id = cw.id and e.period = cw.period and e.kind = 'lead_charge'
        ) lc on true
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
    },

    async leadsPerDay({ at, days, clientId }) {
      const atIso = at.toISOString();
      const r = await db.execute(sql`
        with cw as materialized (
          select c.id, c.timezone, (${atIso}::timestamptz at time zone c.timezone)::date as today,
            (((${atIso}::timestamptz at time zone c.timezone)::date - ${days - 1}::int)::timestamp at time zone c.timezone) as start_at
          from clients c
          where c.status <> 'archived' ${clientId ? sql`and c.id = ${clientId}` : sql``}
        ),
        span as (
          select coalesce(max(today), (${atIso}::timestamptz at time zone 'UTC')::date) as last_day from cw
        ),
        series as (
          select (s.last_day - g.i) as day from span s, generate_series(0, ${days - 1}::int) as g(i)
        ),
        counts as (
          select (l.received_at at time zone cw.timezone)::date as day,
                 count(*) filter (where l.status = 'received')::int as received,
                 count(*) filter (where l.status = 'qualified')::int as qualified,
                 count(*) filter (where l.status = 'rejected')::int as rejected
          from cw join leads l on l.client_id = cw.id and not l.is_test
            and l.received_at >= cw.start_at
            and l.received_at <= ${atIso}::timestamptz
          group by 1
        )
        select to_char(s.day, 'YYYY-MM-DD') as day, coalesce(c.received, 0) as received, coalesce(c.qualified, 0) as qualified, coalesce(c.rejected, 0) as rejected
        from series s left join counts c on c.day = s.day
        order by s.day`);
      return (r.rows as Row[]).map((x): LeadsPerDayRow => ({ day: x.day as string, received: n(x.received), qualified: n(x.qualified), rejected: n(x.rejected) }));
    },

    async summary({ from, to, clientId }) {
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
    },

    async auditEvents(f) {
      const where: SQL[] = [sql`true`];
      if (f.actor) {
        const like = `%${f.actor.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
        where.push(sql`a.actor_label ilike ${like}`);
      }
      if (f.clientId) where.push(sql`a.client_id = ${f.clientId}`);
      if (f.entityType) where.push(sql`a.entity_type = ${f.entityType}`);
      if (f.entityId) where.push(sql`a.entity_id = ${f.entityId}`);
      if (f.after) where.push(sql`(a.created_at, a.id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)`);
      const r = await db.execute(sql`
        select a.*, c.name as client_name, to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at_exact
        from audit_events a left join clients c on c.id = a.client_id
        where ${sql.join(where, sql` and `)}
        order by a.created_at desc, a.id desc
        limit ${f.limit}`);
      return (r.rows as Row[]).map(
        (x): AuditEventRow & { createdAtExact: string } => ({
          id: x.id as string,
          createdAtExact: x.created_at_exact as string,
          createdAt: new Date(x.created_at as string),
          actorId: (x.actor_id as string | null) ?? null,
          actorLabel: x.actor_label as string,
          clientId: (x.client_id as string | null) ?? null,
          clientName: (x.client_name as string | null) ?? null,
          action: x.action as string,
          entityType: x.entity_type as string,
          entityId: x.entity_id as string,
          before: x.before ?? null,
          after: x.after ?? null,
        }),
      );
    },

    async auditEntityTypes() {
      const r = await db.execute(sql`select distinct entity_type from audit_events order by 1`);
      return (r.rows as Row[]).map((x) => x.entity_type as string);
    },
  };
}
