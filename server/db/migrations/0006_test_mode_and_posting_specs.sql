-- Test mode (docs/decisions/012-test-mode.md): test leads are judged like real ones but never billed,
-- alerted or reported, and are purged after 7 days.
ALTER TABLE "leads" ADD COLUMN "is_test" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
CREATE INDEX "leads_test_received_idx" ON "leads" USING btree ("received_at") WHERE "leads"."is_test";
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "mode" text DEFAULT 'live' NOT NULL;
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_mode_check" CHECK ("api_keys"."mode" in ('live', 'test'));
--> statement-breakpoint
-- A form's second key: posts with it are test leads; the embedded live key never makes one.
ALTER TABLE "forms" ADD COLUMN "test_public_key" text;
--> statement-breakpoint
ALTER TABLE "forms" ADD CONSTRAINT "forms_test_public_key_unique" UNIQUE("test_public_key");
--> statement-breakpoint
-- Unguessable tokens of the public posting-spec links (/spec/:token), null until shared.
ALTER TABLE "forms" ADD COLUMN "spec_token" text;
--> statement-breakpoint
ALTER TABLE "forms" ADD CONSTRAINT "forms_spec_token_unique" UNIQUE("spec_token");
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "spec_token" text;
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_spec_token_unique" UNIQUE("spec_token");
--> statement-breakpoint
-- A test lead is never billed: the ledger refuses an entry for one, whatever code path tries.
CREATE OR REPLACE FUNCTION ledger_entries_no_test_leads() RETURNS trigger AS $$
BEGIN
  IF NEW.lead_id IS NOT NULL AND EXISTS (SELECT 1 FROM leads WHERE id = NEW.lead_id AND is_test) THEN
    RAISE EXCEPTION 'test leads are never billed' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_test_leads
  BEFORE INSERT ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_no_test_leads();
--> statement-breakpoint
-- Nor delivered: no lead.* outbox event (webhooks, e-mails, alerts) is written for a test lead,
-- whichever code path or trigger writes it.
CREATE OR REPLACE FUNCTION outbox_events_skip_test_leads() RETURNS trigger AS $$
BEGIN
  IF NEW.type LIKE 'lead.%' AND EXISTS (
    SELECT 1 FROM leads WHERE is_test AND id = CASE WHEN NEW.payload ? 'leadId' THEN (NEW.payload->>'leadId')::uuid ELSE NEW.aggregate_id END
  ) THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER outbox_events_skip_test_leads
  BEFORE INSERT ON outbox_events
  FOR EACH ROW EXECUTE FUNCTION outbox_events_skip_test_leads();
