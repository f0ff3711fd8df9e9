import { sql } from "drizzle-orm";
import type { TestDeps } from "./app";

export interface MonthFigures {
  period: string;
  billable_leads: number;
  lead_charges_cents: number;
}

/** The client's month counters (billing_month_counters, summed over the shards), oldest month first. */
export async function monthCounters(deps: TestDeps, clientId: string): Promise<MonthFigures[]> {
  const r = await deps.db.execute(
    sql`select period, sum(billable_leads)::int as billable_leads, sum(lead_charges_cents)::bigint as lead_charges_cents
        from billing_month_counters where client_id = ${clientId} group by period order by period`,
  );
  return (r.rows as Record<string, unknown>[]).map(toFigures);
}

/**
 * The same figures recounted from scratch, as the migration's back-fill takes them: billable,
 * non-test leads by the month of received_at in the client's time zone, and lead_charge cents by
 * the entry's period.
 */
export async function recountMonths(deps: TestDeps, clientId: string): Promise<MonthFigures[]> {
  const r = await deps.db.execute(sql`select period, sum(n)::int as billable_leads, sum(c)::bigint as lead_charges_cents from (
        select to_char(l.received_at at time zone c.timezone, 'YYYY-MM') as period, count(*) as n, 0::bigint as c
          from leads l join clients c on c.id = l.client_id
         where l.client_id = ${clientId} and l.billable and not l.is_test group by 1
        union all
        select period, 0, sum(amount_cents) from ledger_entries where client_id = ${clientId} and kind = 'lead_charge' group by 1
      ) s group by period order by period`);
  return (r.rows as Record<string, unknown>[]).map(toFigures);
}

function toFigures(r: Record<string, unknown>): MonthFigures {
  return { period: r.period as string, billable_leads: Number(r.billable_leads), lead_charges_cents: Number(r.lead_charges_cents) };
}
