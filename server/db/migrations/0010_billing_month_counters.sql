-- Month-to-date figures for tiered pricing and monthly caps, per client and billing month, kept by
-- intake in the transaction that stores the lead and its charge, so pricing a lead reads at most 256
-- rows instead of counting the month's leads (docs/decisions/016-tier-counter.md). A lead adds to
-- the shard named by the first two hex digits of its id; the figures are the sums over the shards.
CREATE TABLE "billing_month_counters" (
	"client_id" uuid NOT NULL,
	"period" text NOT NULL,
	"shard" smallint NOT NULL,
	"billable_leads" integer DEFAULT 0 NOT NULL,
	"lead_charges_cents" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "billing_month_counters_client_id_period_shard_pk" PRIMARY KEY("client_id","period","shard"),
	CONSTRAINT "billing_month_counters_shard" CHECK ("billing_month_counters"."shard" between 0 and 255),
	CONSTRAINT "billing_month_counters_non_negative" CHECK ("billing_month_counters"."billable_leads" >= 0 and "billing_month_counters"."lead_charges_cents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "billing_month_counters" ADD CONSTRAINT "billing_month_counters_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- One-time back-fill from what exists: the same two figures the month-to-date query counted, billable
-- non-test leads by the month of received_at in the client's time zone, and lead_charge cents by the
-- entry's period. The share locks keep intake from writing while the figures are taken (a process
-- still running the previous release would not keep the counters: stop it before migrating).
LOCK TABLE leads, ledger_entries IN SHARE MODE;
--> statement-breakpoint
INSERT INTO billing_month_counters (client_id, period, shard, billable_leads, lead_charges_cents)
SELECT client_id, period, 0, sum(n)::int, sum(c)::bigint
  FROM (
    SELECT l.client_id, to_char(l.received_at AT TIME ZONE c.timezone, 'YYYY-MM') AS period, count(*) AS n, 0::bigint AS c
      FROM leads l JOIN clients c ON c.id = l.client_id
     WHERE l.billable AND NOT l.is_test
     GROUP BY 1, 2
    UNION ALL
    SELECT client_id, period, 0, sum(amount_cents)
      FROM ledger_entries
     WHERE kind = 'lead_charge'
     GROUP BY 1, 2
  ) figures
 GROUP BY client_id, period;
