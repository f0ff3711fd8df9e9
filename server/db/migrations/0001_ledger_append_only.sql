-- The ledger is append-only: no DELETE, and the only UPDATE allowed is stamping invoice_id once.
CREATE OR REPLACE FUNCTION ledger_entries_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ledger_entries is append-only: DELETE refused' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.invoice_id IS NOT NULL
     OR NEW.id <> OLD.id OR NEW.client_id <> OLD.client_id OR NEW.kind <> OLD.kind
     OR NEW.amount_cents <> OLD.amount_cents OR NEW.idempotency_key <> OLD.idempotency_key
     OR NEW.lead_id IS DISTINCT FROM OLD.lead_id OR NEW.dispute_id IS DISTINCT FROM OLD.dispute_id
     OR NEW.campaign_id IS DISTINCT FROM OLD.campaign_id OR NEW.period <> OLD.period
     OR NEW.actor <> OLD.actor OR NEW.memo IS DISTINCT FROM OLD.memo OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'ledger_entries is append-only: only an uninvoiced entry''s invoice_id may be set' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only
  BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_guard();
--> statement-breakpoint
-- Issued invoices and their lines are immutable apart from the status moves paid / void.
CREATE OR REPLACE FUNCTION invoice_lines_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'invoice_lines are immutable' USING ERRCODE = 'P0001';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable
  BEFORE UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION invoice_lines_guard();
