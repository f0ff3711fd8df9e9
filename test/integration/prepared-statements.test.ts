import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { connectDatabase, executePrepared, usePreparedStatements, type Database } from "../../server/db/client";
import { statusCallbackRepository } from "../../server/db/repositories/alerts";
import { intakeTx } from "../../server/db/repositories/intake";
import { createTestDatabase, type TestDatabase } from "../support/db";

/** executePrepared (server/db/client.ts): the hot write paths' statements, prepared once per connection. */
describe("executePrepared", () => {
  let tdb: TestDatabase;
  // One connection, so every call below meets the statements the earlier ones prepared.
  let one: Database;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    one = connectDatabase(tdb.url, { max: 1 });
  });
  afterAll(async () => {
    await one.close();
    await tdb.drop();
  });

  const prepared = async () =>
    (await one.db.execute(sql`select name, statement from pg_prepared_statements where name like 'll\_%' order by name`)).rows as { name: string; statement: string }[];

  it("prepares a text once per connection, under a name of its own", async () => {
    const q = (sid: string) => sql`insert into webhook_events (sid, type, payload) values (${sid}, 'prepared-test', '{}'::jsonb) returning sid`;
    const first = await executePrepared(one.db, q("SM-a"));
    const second = await executePrepared(one.db, q("SM-b"));
    expect(first.rows).toEqual([{ sid: "SM-a" }]);
    expect(second.rows).toEqual([{ sid: "SM-b" }]);
    await executePrepared(one.db, sql`select count(*)::int as n from webhook_events where type = ${"prepared-test"}`);

    const statements = await prepared();
    const inserts = statements.filter((s) => s.statement.startsWith("insert into webhook_events"));
    expect(inserts).toHaveLength(1);
    expect(statements).toHaveLength(2);
    expect(new Set(statements.map((s) => s.name)).size).toBe(2);
  });

  it("runs on the transaction's connection: a rolled-back transaction leaves nothing", async () => {
    await expect(
      tdb.db.transaction(async (tx) => {
        await executePrepared(tx, sql`insert into webhook_events (sid, type, payload) values (${"SM-rolled-back"}, 'prepared-test', '{}'::jsonb)`);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const left = await tdb.db.execute(sql`select count(*)::int as n from webhook_events where sid = 'SM-rolled-back'`);
    expect(left.rows[0]).toEqual({ n: 0 });
  });

  it("keeps working when a migration adds a column while the server runs (no prepared select *)", async () => {
    const callbacks = statusCallbackRepository(one.db);
    const versions = intakeTx(one.db);
    // Prepare the whole-row reads on the one connection.
    expect(await callbacks.findForCallback(randomUUID(), "SM-none")).toBeNull();
    expect(await versions.findVersionById(randomUUID())).toBeNull();

    await tdb.db.execute(sql`alter table alerts add column added_later text`);
    await tdb.db.execute(sql`alter table contract_versions add column added_later text`);

    // A prepared `select *` would now fail with "cached plan must not change result type".
    await expect(callbacks.findForCallback(randomUUID(), "SM-none")).resolves.toBeNull();
    await expect(versions.findVersionById(randomUUID())).resolves.toBeNull();
  });

  it("sends unnamed statements with DATABASE_PREPARED_STATEMENTS=false, for poolers that cannot keep named ones", async () => {
    const fresh = connectDatabase(tdb.url, { max: 1 });
    usePreparedStatements(false);
    try {
      const r = await executePrepared(fresh.db, sql`insert into webhook_events (sid, type, payload) values (${"SM-unnamed"}, 'unprepared-test', '{}'::jsonb) returning sid`);
      expect(r.rows).toEqual([{ sid: "SM-unnamed" }]);
      const named = await fresh.db.execute(sql`select count(*)::int as n from pg_prepared_statements where name like 'll\_%'`);
      expect(named.rows).toEqual([{ n: 0 }]);
    } finally {
      usePreparedStatements(true);
      await fresh.close();
    }
  });
});
