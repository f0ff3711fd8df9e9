import { sql } from "drizzle-orm";
import type { LeadsPerDayRow, ReportsRepository } from "../../../domain/reports/ports";
import type { DbOrTx } from "../../client";

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);

/** Leads received, qualified and rejected per local day for the last `days` days. */
export async function leadsPerDay(db: DbOrTx, { at, days, clientId }: Parameters<ReportsRepository["leadsPerDay"]>[0]): ReturnType<ReportsRepository["leadsPerDay"]> {
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
    bins as (
      -- By zone and 15-minute UTC bin first (every zone's offset is a whole number of quarter hours),
      -- so the time-zone conversion runs once per bin instead of once per lead.
      select cw.timezone, date_bin('15 minutes', l.received_at, timestamptz '2000-01-01 00:00+00') as bin,
             count(*) filter (where l.status = 'received')::int as received,
             count(*) filter (where l.status = 'qualified')::int as qualified,
             count(*) filter (where l.status = 'rejected')::int as rejected
      from cw join leads l on l.client_id = cw.id and not l.is_test
        and l.received_at >= cw.start_at
        and l.received_at <= ${atIso}::timestamptz
      group by 1, 2
    ),
    counts as (
      select (bin at time zone timezone)::date as day, sum(received)::int as received, sum(qualified)::int as qualified, sum(rejected)::int as rejected
      from bins group by 1
    )
    select to_char(s.day, 'YYYY-MM-DD') as day, coalesce(c.received, 0) as received, coalesce(c.qualified, 0) as qualified, coalesce(c.rejected, 0) as rejected
    from series s left join counts c on c.day = s.day
    order by s.day`);
  return (r.rows as Row[]).map((x): LeadsPerDayRow => ({ day: x.day as string, received: n(x.received), qualified: n(x.qualified), rejected: n(x.rejected) }));
}
