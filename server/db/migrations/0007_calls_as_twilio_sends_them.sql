-- Issue #20: calls as Twilio really sends them (docs/decisions/013-twilio-as-it-behaves.md).
-- A recording callback may come before the call's lead exists: it is kept here until the call arrives.
CREATE TABLE "call_recording_events" (
	"recording_sid" text PRIMARY KEY NOT NULL,
	"call_sid" text NOT NULL,
	"status" text NOT NULL,
	"recording_url" text,
	"duration_seconds" integer,
	"note" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attached_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "call_recording_events_waiting_idx" ON "call_recording_events" ("call_sid") WHERE "attached_at" IS NULL;
--> statement-breakpoint
-- "absent" (no audio) or "completed"; with Twilio's reason when there is no recording.
ALTER TABLE "leads" ADD COLUMN "recording_status" text;
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "recording_note" text;
--> statement-breakpoint
-- Call screening: null (off), 'pending', 'accepted', 'not_accepted'.
ALTER TABLE "leads" ADD COLUMN "call_screening" text;
--> statement-breakpoint
ALTER TABLE "tracking_numbers" ADD COLUMN "screen_calls" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "tracking_numbers" ADD COLUMN "fallback_number" text;
--> statement-breakpoint
ALTER TABLE "tracking_numbers" ADD COLUMN "voicemail" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "tracking_numbers" ADD COLUMN "text_back" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- One "sorry we missed you" text per caller, client and day (the client's calendar day).
CREATE TABLE "missed_call_texts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL REFERENCES "clients"("id"),
	"lead_id" uuid NOT NULL REFERENCES "leads"("id"),
	"phone" text NOT NULL,
	"day" date NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"message_sid" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "missed_call_texts_once_a_day" UNIQUE ("client_id", "phone", "day")
);
