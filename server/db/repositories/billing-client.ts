import { sql } from "drizzle-orm";
import type { BillingClient } from "../../domain/billing/ports";
import type { Row } from "./ledger";

/** A client as billing reads it (BillingClient): used by period close and by the balance preview. */

export function toClient(r: Row): BillingClient {
  return {
    id: r.id as string,
    name: r.name as string,
    timezone: r.timezone as string,
    currency: r.currency as string,
    status: r.status as BillingClient["status"],
    legalName: (r.legal_name as string | null) ?? null,
    billingAddress: (r.billing_address as string | null) ?? null,
    taxId: (r.tax_id as string | null) ?? null,
    paymentTermsDays: Number(r.payment_terms_days ?? 15),
    createdAt: new Date(r.created_at as string),
    firstContractAt: r.first_contract_at === null || r.first_contract_at === undefined ? null : new Date(r.first_contract_at as string),
    deactivatedAt: r.deactivated_at === null || r.deactivated_at === undefined ? null : new Date(r.deactivated_at as string),
  };
}

/**
 * The client columns of BillingClient. There is no deactivation column: a client that is not
 * active was deactivated by the latest audited `client.updated` that moved its status away from
 * "active" (docs/decisions/009).
 */
export const CLIENT_COLUMNS = sql.raw(`c.id, c.name, c.timezone, c.currency, c.status, c.created_at, c.legal_name, c.billing_address, c.tax_id, c.payment_terms_days,
  (select min(v.effective_from) from contract_versions v where v.client_id = c.id) as first_contract_at,
  case when c.status <> 'active' then (
    select max(a.created_at) from audit_events a
    where a.entity_type = 'client' and a.entity_id = c.id::text and a.action = 'client.updated'
      and a.before->>'status' = 'active' and a.after->>'status' <> 'active'
  ) end as deactivated_at`);
