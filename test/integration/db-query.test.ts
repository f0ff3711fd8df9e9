import { sql } from "drizzle-orm";
import { z } from "zod";
import { connectDatabase, query, queryPrepared, type Database } from "../../server/db/client";
import { createTestDatabase, type TestDatabase } from "../support/db";

/** The one query pair (server/db/client.ts): typed rows, plain or as a named prepared statement. */
describe("query and queryPrepared", () => {
  let tdb: TestDatabase;
  // One connection, so pg_prepared_statements shows what the calls below prepared.
  let one: Database;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    one = connectDatabase(tdb.url, { max: 1 });
  });
  afterAll(async () => {
    await one.close();
    await tdb.drop();
  });

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
