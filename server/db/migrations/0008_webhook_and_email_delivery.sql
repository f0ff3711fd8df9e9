-- Issue #16: every lead into the client's own systems. Webhook endpoints and e-mail recipients per
-- client, one delivery row per (outbox event × endpoint) and one e-mail per (event × address),
-- created by triggers in the transaction that commits the event (docs/decisions/014-webhook-delivery.md).
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL REFERENCES "clients"("id"),
	"url" text NOT NULL,
	"description" text,
	"events" text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"disabled_at" timestamp with time zone,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_expires_at" timestamp with time zone,
	"field_mapping" jsonb,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"failing_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "webhook_endpoints_client_idx" ON "webhook_endpoints" ("client_id");
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL REFERENCES "clients"("id"),
	"endpoint_id" uuid NOT NULL REFERENCES "webhook_endpoints"("id"),
	"event_id" bigint,
	"event_type" text NOT NULL,
	"message_id" text NOT NULL,
	"lead_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"payload" jsonb,
	"last_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" in ('pending', 'sending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_endpoint_unique" ON "webhook_deliveries" ("event_id", "endpoint_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_message_id_unique" ON "webhook_deliveries" ("message_id");
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_created_idx" ON "webhook_deliveries" ("endpoint_id", "created_at" DESC);
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_lead_idx" ON "webhook_deliveries" ("lead_id") WHERE "lead_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_unfinished_idx" ON "webhook_deliveries" (coalesce("lease_until", "next_attempt_at")) WHERE "status" in ('pending', 'sending');
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_id" uuid NOT NULL REFERENCES "webhook_deliveries"("id"),
	"attempt" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"url" text NOT NULL,
	"request_headers" jsonb NOT NULL,
	"request_body" text NOT NULL,
	"response_status" integer,
	"response_body" text,
	"error" text,
	"next_retry_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_attempts_delivery_attempt_unique" ON "webhook_attempts" ("delivery_id", "attempt");
--> statement-breakpoint
CREATE TABLE "email_recipients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL REFERENCES "clients"("id"),
	"email" text NOT NULL,
	"events" text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "email_recipients_client_email_unique" ON "email_recipients" ("client_id", "email");
--> statement-breakpoint
CREATE TABLE "email_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid REFERENCES "clients"("id"),
	"event_id" bigint NOT NULL,
	"event_type" text NOT NULL,
	"lead_id" uuid,
	"to_address" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"subject" text,
	"text_body" text,
	"html_body" text,
	"captured" boolean DEFAULT false NOT NULL,
	"transport_message_id" text,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_messages_status_check" CHECK ("status" in ('pending', 'sending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "email_messages_event_to_unique" ON "email_messages" ("event_id", "to_address");
--> statement-breakpoint
CREATE INDEX "email_messages_client_created_idx" ON "email_messages" ("client_id", "created_at" DESC);
--> statement-breakpoint
CREATE INDEX "email_messages_unfinished_idx" ON "email_messages" (coalesce("lease_until", "next_attempt_at")) WHERE "status" in ('pending', 'sending');
--> statement-breakpoint
-- Fan-out: an outbox event of a deliverable type gets one delivery row per enabled endpoint of its
-- client that wants it, and one e-mail per recipient address that wants it, in the same
-- transaction (so never for a rolled-back lead, never lost). Unique keys make a repeat a no-op.
CREATE FUNCTION "deliveries_fan_out"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.client_id IS NULL THEN
		RETURN NULL;
	END IF;
	INSERT INTO webhook_deliveries (client_id, endpoint_id, event_id, event_type, message_id, lead_id)
	SELECT NEW.client_id, e.id, NEW.id, NEW.type, 'msg_' || replace(gen_random_uuid()::text, '-', ''), (NEW.payload->>'leadId')::uuid
	  FROM webhook_endpoints e
	 WHERE e.client_id = NEW.client_id AND e.enabled AND NEW.type = ANY (e.events)
	ON CONFLICT DO NOTHING;
	INSERT INTO email_messages (client_id, event_id, event_type, lead_id, to_address)
	SELECT NEW.client_id, NEW.id, NEW.type, (NEW.payload->>'leadId')::uuid, r.email
	  FROM email_recipients r
	 WHERE r.client_id = NEW.client_id AND r.enabled AND NEW.type = ANY (r.events)
	ON CONFLICT DO NOTHING;
	IF NEW.type = 'webhook_endpoint.disabled' THEN
		-- The client's admins and the agency's admins are always told.
		INSERT INTO email_messages (client_id, event_id, event_type, to_address)
		SELECT NEW.client_id, NEW.id, NEW.type, u.email
		  FROM users u
		 WHERE (u.role = 'client_admin' AND u.client_id = NEW.client_id) OR u.role = 'agency_admin'
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "outbox_events_deliveries" AFTER INSERT ON "outbox_events" FOR EACH ROW
	WHEN (NEW.type IN ('lead.qualified', 'lead.rejected', 'lead.outcome', 'dispute.opened', 'dispute.resolved', 'invoice.issued', 'webhook_endpoint.disabled'))
	EXECUTE FUNCTION "deliveries_fan_out"();
--> statement-breakpoint
-- Events no use case writes itself: a rejected lead, an outcome, a dispute opened or resolved, an
-- invoice issued. Written into the outbox by the statement that makes the change (so every writer of
-- those rows is covered), and NOTIFYed like intake's lead.qualified.
CREATE FUNCTION "outbox_from_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	ev_type text;
	ev_aggregate uuid;
	ev_payload jsonb;
	ev_id bigint;
BEGIN
	IF TG_TABLE_NAME = 'leads' THEN
		IF NEW.is_test THEN
			RETURN NULL; -- a test lead is never delivered, like it is never alerted (decision 012)
		ELSIF NEW.status = 'rejected' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'rejected') THEN
			ev_type := 'lead.rejected'; ev_aggregate := NEW.id; ev_payload := jsonb_build_object('leadId', NEW.id);
		ELSIF TG_OP = 'UPDATE' AND NEW.outcome IS NOT NULL AND (NEW.outcome IS DISTINCT FROM OLD.outcome OR NEW.outcome_value_cents IS DISTINCT FROM OLD.outcome_value_cents) THEN
			ev_type := 'lead.outcome'; ev_aggregate := gen_random_uuid();
			ev_payload := jsonb_build_object('leadId', NEW.id, 'outcome', NEW.outcome, 'valueCents', NEW.outcome_value_cents, 'at', NEW.outcome_at);
		END IF;
	ELSIF TG_TABLE_NAME = 'disputes' THEN
		IF TG_OP = 'INSERT' THEN
			ev_type := 'dispute.opened'; ev_aggregate := NEW.id; ev_payload := jsonb_build_object('disputeId', NEW.id, 'leadId', NEW.lead_id);
		ELSIF OLD.status = 'open' AND NEW.status <> 'open' THEN
			ev_type := 'dispute.resolved'; ev_aggregate := NEW.id; ev_payload := jsonb_build_object('disputeId', NEW.id, 'leadId', NEW.lead_id);
		END IF;
	ELSIF TG_TABLE_NAME = 'invoices' THEN
		IF NEW.status = 'issued' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'issued') THEN
			ev_type := 'invoice.issued'; ev_aggregate := NEW.id; ev_payload := jsonb_build_object('invoiceId', NEW.id);
		END IF;
	END IF;
	-- Only when someone wants it: a client without endpoints or recipients for the type gets no event
	-- (and its intake no extra NOTIFY).
	IF ev_type IS NOT NULL AND (
		EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.client_id = NEW.client_id AND e.enabled AND ev_type = ANY (e.events))
		OR EXISTS (SELECT 1 FROM email_recipients r WHERE r.client_id = NEW.client_id AND r.enabled AND ev_type = ANY (r.events))
	) THEN
		INSERT INTO outbox_events (type, aggregate_id, client_id, payload)
		VALUES (ev_type, ev_aggregate, NEW.client_id, ev_payload)
		ON CONFLICT (type, aggregate_id) DO NOTHING
		RETURNING id INTO ev_id;
		IF ev_id IS NOT NULL THEN
			PERFORM pg_notify('leadledger_outbox', ev_id::text);
		END IF;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "leads_outbox" AFTER INSERT OR UPDATE OF "status", "outcome", "outcome_value_cents" ON "leads" FOR EACH ROW EXECUTE FUNCTION "outbox_from_change"();
--> statement-breakpoint
CREATE TRIGGER "disputes_outbox" AFTER INSERT OR UPDATE OF "status" ON "disputes" FOR EACH ROW EXECUTE FUNCTION "outbox_from_change"();
--> statement-breakpoint
CREATE TRIGGER "invoices_outbox" AFTER INSERT OR UPDATE OF "status" ON "invoices" FOR EACH ROW EXECUTE FUNCTION "outbox_from_change"();
