import type { ReportsRepository } from "../../domain/reports/ports";
import type { DbOrTx } from "../client";
import { auditEntityTypes, auditEvents } from "./reports/audit-log";
import { clientOverview } from "./reports/client-overview";
import { deliveryFigures } from "./reports/delivery";
import { leadsPerDay } from "./reports/leads-per-day";
import { summary } from "./reports/summary";

/**
 * Report queries, one module per report under ./reports/. Every figure is an aggregate computed in PostgreSQL, one statement per report;
 * time windows are built per client from its time zone in SQL:
 *   local midnight = date_trunc('day', at AT TIME ZONE tz) AT TIME ZONE tz   (DST-correct)
 * Lateral subqueries keep each client's aggregate on its own index range (leads by
 * (client_id, received_at), ledger by (client_id, created_at) / (client_id, period, kind), …).
 */
export function reportsRepository(db: DbOrTx): ReportsRepository {
  return {
    deliveryFigures: (at) => deliveryFigures(db, at),
    clientOverview: (q) => clientOverview(db, q),
    leadsPerDay: (q) => leadsPerDay(db, q),
    summary: (q) => summary(db, q),
    auditEvents: (f) => auditEvents(db, f),
    auditEntityTypes: () => auditEntityTypes(db),
  };
}
