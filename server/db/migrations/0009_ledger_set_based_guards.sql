-- Closing a period stamps invoice_id on every entry it invoices. Two row-level triggers made that
-- cost grow per entry: the plpgsql append-only guard and the foreign-key check of invoice_id (about
-- 60 % of a 100,000-entry close). Both rules now run once per statement, set-based, over the
-- statement's transition tables; the rules themselves are unchanged (docs/decisions/015-period-close-at-scale.md).
DROP TRIGGER ledger_entries_append_only ON ledger_entries;
--> statement-breakpoint
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_invoice_id_invoices_id_fk;
--> statement-breakpoint
-- DELETE is refused row by row as before (ledger_entries_guard raises for any DELETE).
CREATE TRIGGER ledger_entries_no_delete
  BEFORE DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_entries_update_guard() RETURNS trigger AS $$
BEGIN
  -- The only change allowed: an uninvoiced entry gets its invoice_id; every other column stays.
  -- Set operations rather than a join: transition tables have no statistics, and a join of two
  -- 100,000-row tables planned as a nested loop never finishes.
  IF EXISTS (SELECT 1 FROM old_rows WHERE invoice_id IS NOT NULL)
     OR EXISTS (
       SELECT id, client_id, kind, amount_cents, idempotency_key, lead_id, dispute_id, campaign_id,
              contract_version_id, period, actor, memo, created_at FROM new_rows
       EXCEPT ALL
       SELECT id, client_id, kind, amount_cents, idempotency_key, lead_id, dispute_id, campaign_id,
              contract_version_id, period, actor, memo, created_at FROM old_rows
     ) THEN
    RAISE EXCEPTION 'ledger_entries is append-only: only an uninvoiced entry''s invoice_id may be set' USING ERRCODE = 'P0001';
  END IF;
  -- What the foreign key checked, for the whole statement at once (invoices are never deleted: see below).
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT invoice_id FROM new_rows WHERE invoice_id IS NOT NULL) n
    WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = n.invoice_id)
  ) THEN
    RAISE EXCEPTION 'ledger_entries.invoice_id must name an existing invoice' USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only_update
  AFTER UPDATE ON ledger_entries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_update_guard();
--> statement-breakpoint
-- An invoice is voided, never deleted; this also keeps every ledger entry's invoice_id pointing at a row.
CREATE OR REPLACE FUNCTION invoices_refuse_delete() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'invoices are voided, never deleted' USING ERRCODE = 'P0001';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoices_no_delete
  BEFORE DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_refuse_delete();
