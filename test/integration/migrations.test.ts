import pg from "pg";
import { readFileSync } from "node:fs";
import path from "node:path";
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

describe("the ledger in the database", () => {
  it("refuses to update an amount or delete an entry, to stamp an entry twice, on a missing invoice or with another change, to delete an invoice, and a second entry with the same idempotency key", async () => {
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
      const invoiceOf = async (number: number) =>
        (await db.pool.query(
          `insert into invoices (client_id, number, period, status, currency, subtotal_cents, total_cents, created_by) values ($1, $2, '2026-11', 'void', 'USD', 0, 0, 'test') returning id`,
          [client.id, number],
        )).rows[0].id as string;
      const stamp = (invoiceId: string, extra = "") => db.pool.query(`update ledger_entries set invoice_id = $1${extra} where id = $2`, [invoiceId, entry!.id]);
      await expect(stamp("00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "23503" });
      const first = await invoiceOf(1);
      await expect(stamp(first, ", memo = 'changed'")).rejects.toMatchObject({ message: expect.stringMatching(/append-only/) });
      await stamp(first);
      await expect(stamp(await invoiceOf(2))).rejects.toMatchObject({ message: expect.stringMatching(/append-only/) });
      await expect(db.pool.query(`delete from invoices where id = $1`, [first])).rejects.toMatchObject({ message: expect.stringMatching(/never deleted/) });
      expect((await db.pool.query(`select invoice_id from ledger_entries where id = $1`, [entry!.id])).rows[0].invoice_id).toBe(first);
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
