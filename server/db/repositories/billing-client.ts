import { sql } from "drizzle-orm";
import type { BillingClient } from "../../domain/billing/ports";

/** The row CLIENT_COLUMNS gives. */
export interface BillingClientRow {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  status: BillingClient["status"];
  legal_name: string | null;
  billing_address: string | null;
  tax_id: string | null;
  payment_terms_days: number | null;
  created_at: string;
  first_contract_at: string | null;
  deactivated_at: string | null;
}

/** A client as billing reads it (BillingClient): used by period close and by the balance preview. */
export function toClient(r: BillingClientRow): BillingClient {
  return {
    id: r.id,
    name: r.name,
    timezone: r.timezone,
    currency: r.currency,
    status: r.status,
    legalName: r.legal_name ?? null,
    billingAddress: r.billing_address ?? null,
    taxId: r.tax_id ?? null,
    paymentTermsDays: Number(r.payment_terms_days ?? 15),
    createdAt: new Date(r.created_at),
    firstContractAt: r.first_contract_at === null || r.first_contract_at === undefined ? null : new Date(r.first_contract_at),
    deactivatedAt: r.deactivated_at === null || r.deactivated_at === undefined ? null : new Date(r.deactivated_at),
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
