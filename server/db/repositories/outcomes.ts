import { sql } from "drizzle-orm";
import type { LeadForOutcome, OutcomeStore, OutcomeTx } from "../../domain/billing/ports";
import { query, type Db, type DbOrTx } from "../client";
import { auditLog } from "./audit";
import { intakeTx } from "./intake";
import { appendLedgerEntry, ENTRY_COLUMNS, ENTRY_FROM, toEntry, type LedgerEntryRow } from "./ledger";

interface LeadForOutcomeRow {
  id: string;
  client_id: string;
  campaign_id: string;
  status: LeadForOutcome["status"];
  outcome: LeadForOutcome["outcome"] | null;
  outcome_value_cents: number | null;
  outcome_at: string | null;
  contract_version_id: string | null;
  is_test: boolean;
  timezone: string;
  currency: string;
}

/** Won / lost outcomes: the data access of one transaction (see OutcomeTx). */
export function outcomeTx(db: DbOrTx): OutcomeTx {
  return {
    async lockLead(leadId) {
      // `for update of l`: the lead row only; the client row is read, not locked.
      const r = await query<LeadForOutcomeRow>(
        db,
        sql`select l.id, l.client_id, l.campaign_id, l.status, l.outcome, l.outcome_value_cents, l.outcome_at, l.contract_version_id, l.is_test, c.timezone, c.currency
            from leads l join clients c on c.id = l.client_id where l.id = ${leadId} for update of l`,
      );
      const x = r[0];
      if (!x) return null;
      const lead: LeadForOutcome = {
        id: x.id,
        clientId: x.client_id,
        campaignId: x.campaign_id,
        status: x.status,
        outcome: x.outcome ?? null,
        outcomeValueCents: x.outcome_value_cents === null || x.outcome_value_cents === undefined ? null : Number(x.outcome_value_cents),
        outcomeAt: x.outcome_at ? new Date(x.outcome_at) : null,
        contractVersionId: x.contract_version_id ?? null,
        isTest: x.is_test === true,
        timezone: x.timezone,
        currency: x.currency,
      };
      return lead;
    },
    findVersionById: (id) => intakeTx(db).findVersionById(id),
    async leadEntries(leadId) {
      const r = await query<LedgerEntryRow>(db, sql`select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where e.lead_id = ${leadId} order by e.created_at, e.id`);
      return r.map(toEntry);
    },
    appendLedger: (entry) => appendLedgerEntry(db, entry),
    async setOutcome(leadId, o) {
      await db.execute(sql`update leads set outcome = ${o.outcome}, outcome_value_cents = ${o.valueCents}, outcome_at = ${o.at.toISOString()} where id = ${leadId}`);
    },
    audit: auditLog(db),
  };
}

export function outcomeStore(db: Db): OutcomeStore {
  return { transaction: (fn) => db.transaction((tx) => fn(outcomeTx(tx))) };
}
