CREATE TABLE "phone_lookup_usage" (
	"client_id" uuid NOT NULL,
	"day" date NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "phone_lookup_usage_client_id_day_pk" PRIMARY KEY("client_id","day")
);
--> statement-breakpoint
CREATE TABLE "phone_lookups" (
	"phone" text PRIMARY KEY NOT NULL,
	"valid" boolean NOT NULL,
	"line_type" text,
	"carrier" text,
	"looked_up_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "velocity_counters" (
	"key" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"leads" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "velocity_counters_key_bucket_pk" PRIMARY KEY("key","bucket")
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "phone_lookup_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "phone_lookup_daily_budget" integer DEFAULT 1000 NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "quality_score" smallint GENERATED ALWAYS AS (((verdict -> 'quality' ->> 'score')::smallint)) STORED;--> statement-breakpoint
ALTER TABLE "phone_lookup_usage" ADD CONSTRAINT "phone_lookup_usage_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "velocity_counters_bucket_idx" ON "velocity_counters" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "leads_client_quality_idx" ON "leads" USING btree ("client_id","quality_score","received_at");