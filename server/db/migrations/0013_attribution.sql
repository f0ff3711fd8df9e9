CREATE TABLE "attribution_settings" (
	"client_id" uuid PRIMARY KEY NOT NULL,
	"google_conversion_name" text DEFAULT 'Closed deal' NOT NULL,
	"microsoft_conversion_name" text DEFAULT 'Closed deal' NOT NULL,
	"cookie_days" integer DEFAULT 90 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversion_exports" (
	"lead_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"client_id" uuid NOT NULL,
	"first_exported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_exported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"export_count" integer DEFAULT 1 NOT NULL,
	"last_actor" text,
	CONSTRAINT "conversion_exports_lead_id_platform_pk" PRIMARY KEY("lead_id","platform")
);
--> statement-breakpoint
CREATE TABLE "dni_pool_numbers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pool_id" uuid NOT NULL,
	"tracking_number_id" uuid NOT NULL,
	"session_id" text,
	"reserved_until" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"attribution" jsonb,
	CONSTRAINT "dni_pool_numbers_tracking_number_id_unique" UNIQUE("tracking_number_id")
);
--> statement-breakpoint
CREATE TABLE "dni_pools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"name" text NOT NULL,
	"pool_key" text NOT NULL,
	"default_number" text NOT NULL,
	"reservation_seconds" integer DEFAULT 1200 NOT NULL,
	"overflow_count" bigint DEFAULT 0 NOT NULL,
	"last_overflow_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dni_pools_pool_key_unique" UNIQUE("pool_key")
);
--> statement-breakpoint
CREATE TABLE "lead_attributions" (
	"lead_id" uuid PRIMARY KEY NOT NULL,
	"client_id" uuid NOT NULL,
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"utm_term" text,
	"utm_content" text,
	"gclid" text,
	"gbraid" text,
	"wbraid" text,
	"fbclid" text,
	"msclkid" text,
	"ttclid" text,
	"landing_page" text,
	"referrer" text,
	"first_touch_at" timestamp with time zone,
	"first_touch" jsonb,
	"last_touch_at" timestamp with time zone,
	"last_touch" jsonb,
	"session_id" text,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"call_match" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attribution_settings" ADD CONSTRAINT "attribution_settings_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_exports" ADD CONSTRAINT "conversion_exports_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_exports" ADD CONSTRAINT "conversion_exports_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dni_pool_numbers" ADD CONSTRAINT "dni_pool_numbers_pool_id_dni_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."dni_pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dni_pool_numbers" ADD CONSTRAINT "dni_pool_numbers_tracking_number_id_tracking_numbers_id_fk" FOREIGN KEY ("tracking_number_id") REFERENCES "public"."tracking_numbers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dni_pools" ADD CONSTRAINT "dni_pools_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dni_pools" ADD CONSTRAINT "dni_pools_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_attributions" ADD CONSTRAINT "lead_attributions_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_attributions" ADD CONSTRAINT "lead_attributions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversion_exports_client_idx" ON "conversion_exports" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "dni_pool_numbers_lru_idx" ON "dni_pool_numbers" USING btree ("pool_id","last_used_at");--> statement-breakpoint
CREATE INDEX "dni_pool_numbers_session_idx" ON "dni_pool_numbers" USING btree ("pool_id","session_id");--> statement-breakpoint
CREATE INDEX "dni_pools_client_idx" ON "dni_pools" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "lead_attributions_client_source_idx" ON "lead_attributions" USING btree ("client_id","utm_source");--> statement-breakpoint
CREATE INDEX "lead_attributions_client_campaign_idx" ON "lead_attributions" USING btree ("client_id","utm_campaign");--> statement-breakpoint
CREATE INDEX "lead_attributions_client_term_idx" ON "lead_attributions" USING btree ("client_id","utm_term");