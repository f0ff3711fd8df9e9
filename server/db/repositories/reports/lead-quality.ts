import { sql } from "drizzle-orm";
import type { QualityReportRepository, QualityRow } from "../../../domain/reports/lead-quality";
import type { DbOrTx } from "../../client";

type Row = Record<string, unknown>;

/** The lead-quality report: one aggregate over leads received in the range, in each client's time zone. */
export function qualityReportRepository(db: DbOrTx): QualityReportRepository {
  return {
    async leadQuality({ from, to, clientId }) {
      const r = await db.execute(sql`
        with cw as materialized (
          select c.id, c.name, (${from}::date::timestamp at time zone c.timezone) as start_at, ((${to}::date + 1)::timestamp at time zone c.timezone) as end_at
          from clients c ${clientId ? sql`where c.id = ${clientId}` : sql``}
        )
        select cw.id as client_id, cw.name as client_name, cp.id as campaign_id, cp.name as campaign_name, l.source,
               count(*)::int as leads,
               count(l.quality_score)::int as checked,
               round(avg(l.quality_score))::int as average_score,
               count(*) filter (where l.quality_score < 50)::int as poor,
               count(*) filter (where l.status = 'rejected' and l.verdict -> 'reasons' @> '[{"code":"SIGNAL_RULE_FAILED"}]')::int as rejected_by_checks
          from cw join leads l on l.client_id = cw.id and not l.is_test and l.received_at >= cw.start_at and l.received_at < cw.end_at
          join campaigns cp on cp.id = l.campaign_id
         group by 1, 2, 3, 4, 5
         order by average_score asc nulls last, cw.name, cp.name, l.source`);
      return (r.rows as Row[]).map(
        (x): QualityRow => ({
          clientId: x.client_id as string,
          clientName: x.client_name as string,
          campaignId: x.campaign_id as string,
          campaignName: x.campaign_name as string,
          source: x.source as QualityRow["source"],
          leads: Number(x.leads),
          checked: Number(x.checked),
          averageScore: x.average_score === null ? null : Number(x.average_score),
          poor: Number(x.poor),
          rejectedByChecks: Number(x.rejected_by_checks),
        }),
      );
    },
  };
}
