import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { connectDatabase, executePrepared, query, queryPrepared, usePreparedStatements, type Database } from "../../server/db/client";
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

  /** The one query pair on top of it: typed rows, plain or as a named prepared statement. */
  describe("query and queryPrepared", () => {
    const namedStatements = async () => (await query<{ n: number }>(one.db, sql`select count(*)::int as n from pg_prepared_statements where name like 'll\_%'`))[0]!.n;

    interface EventRow {
      sid: string;
      type: string;
      received_at: string;
    }
    const insertEvent = (sid: string) => sql`insert into webhook_events (sid, type, payload) values (${sid}, 'query-test', '{}'::jsonb) returning sid, type, received_at`;

    it("gives the same rows plain and prepared, timestamps as text and bigint as a number", async () => {
      const before = await namedStatements();
      const [plain] = await query<EventRow>(one.db, insertEvent("SM-plain"));
      const [prepared] = await queryPrepared<EventRow>(one.db, insertEvent("SM-prepared"));
      expect(plain).toMatchObject({ sid: "SM-plain", type: "query-test" });
      expect(prepared).toMatchObject({ sid: "SM-prepared", type: "query-test" });
      expect(typeof plain!.received_at).toBe("string");
      expect(typeof prepared!.received_at).toBe("string");
      expect(Number.isNaN(new Date(prepared!.received_at).getTime())).toBe(false);

      const [sum] = await queryPrepared<{ n: number }>(one.db, sql`select count(*)::bigint as n from webhook_events where type = ${"query-test"}`);
      expect(sum).toEqual({ n: 2 });
      // Only the prepared calls left named statements on the connection (the insert and the count).
      expect((await namedStatements()) - before).toBe(2);
    });

    it("checks rows against a zod row schema when given one, and refuses a row that does not match", async () => {
      const row = z.object({ sid: z.string(), attempts: z.number().int() });
      const good = await query(one.db, sql`select 'SM-1' as sid, 3 as attempts`, row);
      expect(good).toEqual([{ sid: "SM-1", attempts: 3 }]);
      const goodPrepared = await queryPrepared(one.db, sql`select ${"SM-2"}::text as sid, 4 as attempts`, row);
      expect(goodPrepared).toEqual([{ sid: "SM-2", attempts: 4 }]);
      await expect(query(one.db, sql`select 'SM-3' as sid, 'many' as attempts`, row)).rejects.toThrow(/attempts/);
    });

    it("runs on a transaction's connection: rows written inside are gone after a rollback", async () => {
      await expect(
        tdb.db.transaction(async (tx) => {
          await queryPrepared(tx, insertEvent("SM-rolled-back"));
          expect(await query<{ sid: string }>(tx, sql`select sid from webhook_events where sid = 'SM-rolled-back'`)).toEqual([{ sid: "SM-rolled-back" }]);
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(await query(tdb.db, sql`select sid from webhook_events where sid = 'SM-rolled-back'`)).toEqual([]);
    });
  });
});
