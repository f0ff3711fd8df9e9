import { sql } from "drizzle-orm";
import type { LeadForOutcome, OutcomeStore, OutcomeTx } from "../../domain/billing/ports";
import type { Db, DbOrTx } from "../client";
import { auditLog } from "./audit";
import { intakeTx } from "./intake";
import { appendLedgerEntry, ENTRY_COLUMNS, ENTRY_FROM, rows, toEntry } from "./ledger";

/** Won / lost outcomes: the data access of one transaction (see OutcomeTx). */
export function outcomeTx(db: DbOrTx): OutcomeTx {
  return {
    async lockLead(leadId) {
      // `for update of l`: the lead row only; the client row is read, not locked.
      const r = await rows(
        db,
        sql`select l.id, l.client_id, l.campaign_id, l.status, l.outcome, l.outcome_value_cents, l.outcome_at, l.contract_version_id, l.is_test, c.timezone, c.currency
            from leads l join clients c on c.id = l.client_id where l.id = ${leadId} for update of l`,
      );
      const x = r[0];
      if (!x) return null;
      const lead: LeadForOutcome = {
        id: x.id as string,
        clientId: x.client_id as string,
        campaignId: x.campaign_id as string,
        status: x.status as LeadForOutcome["status"],
        outcome: (x.outcome as LeadForOutcome["outcome"]) ?? null,
        outcomeValueCents: x.outcome_value_cents === null || x.outcome_value_cents === undefined ? null : Number(x.outcome_value_cents),
        outcomeAt: x.outcome_at ? new Date(x.outcome_at as string) : null,
        contractVersionId: (x.contract_version_id as string | null) ?? null,
        isTest: x.is_test === true,
        timezone: x.timezone as string,
        currency: x.currency as string,
      };
      return lead;
    },
    findVersionById: (id) => intakeTx(db).findVersionById(id),
    async leadEntries(leadId) {
      const r = await rows(db, sql`select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where e.lead_id = ${leadId} order by e.created_at, e.id`);
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
