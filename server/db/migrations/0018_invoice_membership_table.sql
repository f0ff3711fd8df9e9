-- Invoice membership moves out of ledger_entries (docs/decisions/027-invoice-membership-by-queue-and-link.md).
-- A period close used to stamp invoice_id on every entry it billed: a new version of each ledger row
-- with five index entries, about 40 µs per entry. Now:
--   uninvoiced_entries  one row per entry not yet on an invoice, appended by a statement trigger on
--                       every ledger insert, deleted by the close that claims it;
--   invoice_entries     one row per invoiced entry (its primary key: an entry is on at most one invoice).
-- ledger_entries itself becomes immutable: no UPDATE, no DELETE.
LOCK TABLE ledger_entries IN SHARE MODE;
--> statement-breakpoint
CREATE TABLE "uninvoiced_entries" (
	"ledger_entry_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"period" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_entries" (
	"ledger_entry_id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL
);
--> statement-breakpoint
INSERT INTO uninvoiced_entries (ledger_entry_id, client_id, period)
  SELECT id, client_id, period FROM ledger_entries WHERE invoice_id IS NULL;
--> statement-breakpoint
INSERT INTO invoice_entries (ledger_entry_id, invoice_id)
  SELECT id, invoice_id FROM ledger_entries WHERE invoice_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "uninvoiced_entries_client_period_idx" ON "uninvoiced_entries" USING btree ("client_id","period");
--> statement-breakpoint
CREATE INDEX "invoice_entries_invoice_idx" ON "invoice_entries" USING btree ("invoice_id");
--> statement-breakpoint
DROP TRIGGER ledger_entries_append_only_update ON ledger_entries;
--> statement-breakpoint
DROP FUNCTION ledger_entries_update_guard();
--> statement-breakpoint
DROP INDEX "ledger_entries_uninvoiced_idx";
--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP COLUMN "invoice_id";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_entries_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_update
  BEFORE UPDATE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_guard();
--> statement-breakpoint
-- Every new entry starts uninvoiced: one insert per statement from the transition table, so no
-- writer can forget it (an `on conflict do nothing` that inserted nothing queues nothing).
CREATE OR REPLACE FUNCTION ledger_entries_enqueue_uninvoiced() RETURNS trigger AS $$
BEGIN
  INSERT INTO uninvoiced_entries (ledger_entry_id, client_id, period)
    SELECT id, client_id, period FROM new_rows;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_enqueue_uninvoiced
  AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_enqueue_uninvoiced();
--> statement-breakpoint
-- Membership is written once: no UPDATE, no DELETE.
CREATE OR REPLACE FUNCTION invoice_entries_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'invoice_entries is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_entries_append_only
  BEFORE UPDATE OR DELETE ON invoice_entries
  FOR EACH ROW EXECUTE FUNCTION invoice_entries_guard();
--> statement-breakpoint
-- What a foreign key on invoice_id would check, once per statement (invoices are never deleted).
-- ledger_entry_id needs no check: memberships are only made from uninvoiced_entries, which only
-- the ledger's own insert trigger fills.
CREATE OR REPLACE FUNCTION invoice_entries_check() RETURNS trigger AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT invoice_id FROM new_rows) n
    WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = n.invoice_id)
  ) THEN
    RAISE EXCEPTION 'invoice_entries.invoice_id must name an existing invoice' USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_entries_check
  AFTER INSERT ON invoice_entries
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_entries_check();
