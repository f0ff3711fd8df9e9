import pg from "pg";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { MIGRATIONS_FOLDER, runMigrations } from "../../server/db/migrate";
import { SYSTEM } from "../support/app";
import { createTestDatabase, testServerUrl, withDb } from "../support/db";
import { createDeps } from "../../server/deps";
import { loadConfig } from "../../server/config";
import pino from "pino";
import { ledgerEntries } from "../../server/db/schema";
import { eq } from "drizzle-orm";

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: testServerUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe("migrations", () => {
  it("create the whole schema on an empty database, and a second run changes nothing", async () => {
    const name = `empty_${Date.now()}`;
    await withAdmin((c) => c.query(`create database ${name}`));
    const url = withDb(testServerUrl(), name);
    try {
      await runMigrations(url);
      await runMigrations(url);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const tables = (await c.query("select table_name from information_schema.tables where table_schema = 'public' order by 1")).rows.map((r) => r.table_name);
      const applied = (await c.query("select count(*)::int as n from drizzle.__drizzle_migrations")).rows[0].n;
      await c.end();
      expect(tables).toEqual(
        expect.arrayContaining([
          "clients", "users", "sessions", "campaigns", "forms", "api_keys", "tracking_numbers", "contracts", "contract_versions",
          "leads", "ledger_entries", "invoices", "invoice_lines", "disputes", "alert_recipients", "alerts", "webhook_events", "audit_events",
          "idempotency_records", "outbox_events",
        ]),
      );
      expect(applied).toBe(JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")).entries.length);
    } finally {
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });

  it("migrate once when four processes start together on an empty database", async () => {
    const name = `race_${Date.now()}`;
    await withAdmin((c) => c.query(`create database ${name}`));
    const url = withDb(testServerUrl(), name);
    try {
      const results = await Promise.allSettled([runMigrations(url), runMigrations(url), runMigrations(url), runMigrations(url)]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const applied = (await c.query("select count(*)::int as n, count(distinct hash)::int as distinct_n from drizzle.__drizzle_migrations")).rows[0];
      await c.end();
      const expected = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")).entries.length;
      expect(applied).toEqual({ n: expected, distinct_n: expected });
    } finally {
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });
});

/** Applies the migrations up to and including `lastTag` only, from a copy of the folder with a shortened journal. */
async function migrateUpTo(url: string, lastTag: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "leadledger-migrations-"));
  try {
    cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
    const journalPath = path.join(dir, "meta/_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const last = journal.entries.findIndex((e) => e.tag === lastTag);
    expect(last).toBeGreaterThanOrEqual(0);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query("set client_min_messages = warning");
      await migrate(drizzle(c), { migrationsFolder: dir });
    } finally {
      await c.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("migration 0010 (month counters)", () => {
  it("back-fills each client's months from existing leads and lead charges, by the month in the client's time zone", async () => {
    const name = `backfill_${Date.now()}`;
    await withAdmin((c) => c.query(`create database ${name}`));
    const url = withDb(testServerUrl(), name);
    try {
      await migrateUpTo(url, "0009_ledger_set_based_guards");
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const client = async (tz: string) => (await c.query(`insert into clients (name, timezone) values ($1, $2) returning id`, [`Backfill ${tz}`, tz])).rows[0].id as string;
        const auckland = await client("Pacific/Auckland");
        const newYork = await client("America/New_York");
        const campaign = async (clientId: string) => (await c.query(`insert into campaigns (client_id, name, is_default) values ($1, 'Default', true) returning id`, [clientId])).rows[0].id as string;
        const campaigns = { [auckland]: await campaign(auckland), [newYork]: await campaign(newYork) };
        let k = 0;
        const lead = async (clientId: string, receivedAt: string, opts: { billable: boolean | null; isTest?: boolean; chargeCents?: number; period?: string }) => {
          const id = (await c.query(
            `insert into leads (client_id, campaign_id, source, status, raw_payload, billable, is_test, received_at) values ($1, $2, 'api', 'qualified', '{}', $3, $4, $5) returning id`,
            [clientId, campaigns[clientId], opts.billable, opts.isTest ?? false, receivedAt],
          )).rows[0].id as string;
          if (opts.chargeCents) {
            await c.query(`insert into ledger_entries (client_id, kind, amount_cents, lead_id, period, idempotency_key, actor) values ($1, 'lead_charge', $2, $3, $4, $5, 'test')`, [
              clientId, opts.chargeCents, id, opts.period, `lead_charge:${id}`,
            ]);
          }
          // other kinds count for neither figure (a test lead has no ledger entries at all)
          if (!opts.isTest) await c.query(`insert into ledger_entries (client_id, kind, amount_cents, lead_id, period, idempotency_key, actor) values ($1, 'adjustment', -100, $2, $3, $4, 'test')`, [
            clientId, id, opts.period ?? "2026-11", `adjustment:backfill-${++k}`,
          ]);
        };
        // 2026-11-30T11:30Z is already 1 December in Auckland (UTC+13), still 30 November in New York
        await lead(auckland, "2026-11-30T10:30:00Z", { billable: true, chargeCents: 7500, period: "2026-11" });
        await lead(auckland, "2026-11-30T11:30:00Z", { billable: true, chargeCents: 6000, period: "2026-12" });
        await lead(auckland, "2026-11-30T12:00:00Z", { billable: true, period: "2026-12" }); // billable, free tier
        await lead(auckland, "2026-11-30T12:30:00Z", { billable: false, period: "2026-12" }); // over the cap
        await lead(auckland, "2026-11-30T13:00:00Z", { billable: false, isTest: true, period: "2026-12" });
        await lead(auckland, "2026-11-30T13:30:00Z", { billable: null, period: "2026-12" }); // not judged yet
        await lead(newYork, "2026-11-30T11:30:00Z", { billable: true, chargeCents: 7500, period: "2026-11" });
        await lead(newYork, "2026-12-01T05:30:00Z", { billable: true, chargeCents: 7500, period: "2026-12" });
      } finally {
        await c.end();
      }

      await runMigrations(url);
      const d = new pg.Client({ connectionString: url });
      await d.connect();
      try {
        const r = await d.query(`select c.timezone, m.period, m.billable_leads, m.lead_charges_cents::int as cents
            from billing_month_counters m join clients c on c.id = m.client_id where m.shard = 0 order by 1, 2`);
        expect((await d.query(`select count(*)::int as n from billing_month_counters where shard <> 0`)).rows[0].n).toBe(0);
        expect(r.rows).toEqual([
          { timezone: "America/New_York", period: "2026-11", billable_leads: 1, cents: 7500 },
          { timezone: "America/New_York", period: "2026-12", billable_leads: 1, cents: 7500 },
          { timezone: "Pacific/Auckland", period: "2026-11", billable_leads: 1, cents: 7500 },
          { timezone: "Pacific/Auckland", period: "2026-12", billable_leads: 2, cents: 6000 },
        ]);
      } finally {
        await d.end();
      }
    } finally {
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });
  it("migration 0015 gives invoices issued before payment terms existed net 15 from their issue day in the client's calendar; drafts get none", async () => {
    const name = `terms_${Date.now()}`;
    await withAdmin((c) => c.query(`create database ${name}`));
    const url = withDb(testServerUrl(), name);
    try {
      await migrateUpTo(url, "0011_webhook_deliveries_endpoint_due");
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const clientId = (await c.query(`insert into clients (name, timezone) values ('Terms Co', 'America/Los_Angeles') returning id`)).rows[0].id as string;
        const invoice = (n: number, status: string, issuedAt: string | null) =>
          c.query(`insert into invoices (client_id, number, period, status, subtotal_cents, total_cents, issued_at, created_by) values ($1, $2, $3, $4, 100, 100, $5, 'test')`, [
            clientId, n, `2026-0${n}`, status, issuedAt,
          ]);
        await invoice(1, "issued", "2026-02-01T06:00:00Z"); // still Jan 31 in Los Angeles
        await invoice(2, "paid", "2026-03-01T20:00:00Z");
        await invoice(3, "draft", null);
      } finally {
        await c.end();
      }
      await runMigrations(url);
      const d = new pg.Client({ connectionString: url });
      await d.connect();
      try {
        const r = await d.query(`select number, payment_terms_days, to_char(due_date, 'YYYY-MM-DD') as due from invoices order by number`);
        expect(r.rows).toEqual([
          { number: 1, payment_terms_days: 15, due: "2026-02-15" },
          { number: 2, payment_terms_days: 15, due: "2026-03-16" },
          { number: 3, payment_terms_days: null, due: null },
        ]);
        expect((await d.query(`select payment_terms_days from clients`)).rows).toEqual([{ payment_terms_days: 15 }]);
      } finally {
        await d.end();
      }
    } finally {
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });
});

describe("migration 0018 (invoice membership out of the ledger)", () => {
  it("moves each stamped entry to invoice_entries and queues every other one as uninvoiced, then queues new entries by itself", async () => {
    const name = `membership_${Date.now()}`;
    await withAdmin((c) => c.query(`create database ${name}`));
    const url = withDb(testServerUrl(), name);
    try {
      await migrateUpTo(url, "0011_webhook_deliveries_endpoint_due");
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      let clientId = "";
      let invoiceId = "";
      try {
        clientId = (await c.query(`insert into clients (name) values ('Membership Co') returning id`)).rows[0].id as string;
        const entry = async (key: string, period: string) =>
          (await c.query(`insert into ledger_entries (client_id, kind, amount_cents, period, idempotency_key, actor) values ($1, 'adjustment', 100, $2, $3, 'test') returning id`, [clientId, period, key])).rows[0].id as string;
        const billed = await entry("adjustment:m-1", "2026-10");
        await entry("adjustment:m-2", "2026-11");
        invoiceId = (await c.query(`insert into invoices (client_id, number, period, status, currency, subtotal_cents, total_cents, created_by) values ($1, 1, '2026-10', 'issued', 'USD', 100, 100, 'test') returning id`, [clientId])).rows[0].id as string;
        await c.query(`update ledger_entries set invoice_id = $1 where id = $2`, [invoiceId, billed]);
      } finally {
        await c.end();
      }

      await runMigrations(url);
      const d = new pg.Client({ connectionString: url });
      await d.connect();
      try {
        const state = async () =>
          (await d.query(`select e.idempotency_key as key, ie.invoice_id, u.period as queued
              from ledger_entries e left join invoice_entries ie on ie.ledger_entry_id = e.id left join uninvoiced_entries u on u.ledger_entry_id = e.id
              where e.client_id = $1 order by e.idempotency_key`, [clientId])).rows;
        expect(await state()).toEqual([
          { key: "adjustment:m-1", invoice_id: invoiceId, queued: null },
          { key: "adjustment:m-2", invoice_id: null, queued: "2026-11" },
        ]);
        await d.query(`insert into ledger_entries (client_id, kind, amount_cents, period, idempotency_key, actor) values ($1, 'adjustment', 5, '2026-12', 'adjustment:m-3', 'test')`, [clientId]);
        expect((await state())[2]).toEqual({ key: "adjustment:m-3", invoice_id: null, queued: "2026-12" });
        expect((await d.query(`select count(*)::int as n from information_schema.columns where table_name = 'ledger_entries' and column_name = 'invoice_id'`)).rows[0].n).toBe(0);
      } finally {
        await d.end();
      }
    } finally {
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });
});

describe("the ledger in the database", () => {
  it("refuses to update or delete an entry, to put an entry on two invoices or on a missing one, to change a membership, to delete an invoice, and a second entry with the same idempotency key", async () => {
    const db = await createTestDatabase();
    try {
      const deps = createDeps({ config: loadConfig({ SEED: "false" }), database: db, logger: pino({ level: "silent" }) });
      const client = await deps.clients.create(SYSTEM, { name: "Ledger Test Co" });
      const [entry] = await db.db
        .insert(ledgerEntries)
        .values({ clientId: client.id, kind: "adjustment", amountCents: 1234, period: "2026-11", idempotencyKey: "adjustment:test-1", actor: "test" })
        .returning();
      await expect(db.db.update(ledgerEntries).set({ amountCents: 1 }).where(eq(ledgerEntries.id, entry!.id))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
      await expect(db.db.delete(ledgerEntries).where(eq(ledgerEntries.id, entry!.id))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
      // every new entry starts queued as uninvoiced, whoever wrote it
      expect((await db.pool.query(`select client_id, period from uninvoiced_entries where ledger_entry_id = $1`, [entry!.id])).rows).toEqual([{ client_id: client.id, period: "2026-11" }]);
      const invoiceOf = async (number: number) =>
        (await db.pool.query(
          `insert into invoices (client_id, number, period, status, currency, subtotal_cents, total_cents, created_by) values ($1, $2, '2026-11', 'void', 'USD', 0, 0, 'test') returning id`,
          [client.id, number],
        )).rows[0].id as string;
      const join = (invoiceId: string) => db.pool.query(`insert into invoice_entries (ledger_entry_id, invoice_id) values ($1, $2)`, [entry!.id, invoiceId]);
      await expect(join("00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "23503" });
      const first = await invoiceOf(1);
      await join(first);
      await expect(join(await invoiceOf(2))).rejects.toMatchObject({ code: "23505" });
      await expect(db.pool.query(`update invoice_entries set invoice_id = $1 where ledger_entry_id = $2`, [first, entry!.id])).rejects.toMatchObject({ message: expect.stringMatching(/append-only/) });
      await expect(db.pool.query(`delete from invoice_entries where ledger_entry_id = $1`, [entry!.id])).rejects.toMatchObject({ message: expect.stringMatching(/append-only/) });
      await expect(db.pool.query(`delete from invoices where id = $1`, [first])).rejects.toMatchObject({ message: expect.stringMatching(/never deleted/) });
      expect((await db.pool.query(`select invoice_id from invoice_entries where ledger_entry_id = $1`, [entry!.id])).rows[0].invoice_id).toBe(first);
      const again = await db.db
        .insert(ledgerEntries)
        .values({ clientId: client.id, kind: "adjustment", amountCents: 1234, period: "2026-11", idempotencyKey: "adjustment:test-1", actor: "test" })
        .onConflictDoNothing()
        .returning();
      expect(again).toHaveLength(0);
      const rows = await db.db.select().from(ledgerEntries).where(eq(ledgerEntries.clientId, client.id));
      expect(rows.map((r) => r.amountCents)).toEqual([1234]);
    } finally {
      await db.drop();
    }
  });
});
