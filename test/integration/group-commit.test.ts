import { sql } from "drizzle-orm";
import { groupCommit } from "../../server/db/group-commit";
import { createTestDatabase, type TestDatabase } from "../support/db";

/** The SMS path's group commit (docs/decisions/029-group-commit-on-the-sms-path.md) on a real PostgreSQL. */
describe("group commit", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`create table gc_items (k text primary key, n int not null)`);
    // Checked at COMMIT: two units of one batch inserting the same key make the batch's commit fail.
    await db.pool.query(`create table gc_deferred (k text not null, constraint gc_deferred_k unique (k) deferrable initially deferred)`);
  });
  afterAll(() => db.drop());

  const keys = async (table: string) => (await db.pool.query(`select k from ${table} order by k`)).rows.map((r) => r.k as string);

  it("commits units that arrive together in fewer transactions, each answered only after its commit", async () => {
    const commits = groupCommit(db.db);
    const seenBeforeAnswer: boolean[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        commits
          .run(async (tx) => {
            await tx.execute(sql`insert into gc_items (k, n) values (${`a${String(i).padStart(2, "0")}`}, ${i})`);
            return i * 10;
          })
          .then(async (v) => {
            // another connection sees the row as soon as the caller has its answer: it was committed
            seenBeforeAnswer.push((await db.pool.query(`select 1 from gc_items where k = $1`, [`a${String(v / 10).padStart(2, "0")}`])).rowCount === 1);
            return v;
          }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(seenBeforeAnswer).toEqual(Array(20).fill(true));
    expect((await keys("gc_items")).filter((k) => k.startsWith("a"))).toHaveLength(20);
    const { units, batches } = commits.stats();
    expect(units).toBe(20);
    expect(batches).toBeLessThan(20);
  });

  it("rolls back only the unit that throws; its caller gets the error, the others commit", async () => {
    const commits = groupCommit(db.db, { lanes: 1 });
    const outcomes = await Promise.allSettled(
      ["b1", "b2", "b1", "b3"].map((k) => commits.run((tx) => tx.execute(sql`insert into gc_items (k, n) values (${k}, 1)`))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((await keys("gc_items")).filter((k) => k.startsWith("b"))).toEqual(["b1", "b2", "b3"]);
  });

  it("runs every unit again on its own when the batch cannot commit, so each caller gets what a transaction of its own gives", async () => {
    const commits = groupCommit(db.db, { lanes: 1 });
    const outcomes = await Promise.allSettled(
      ["c1", "c2", "c1", "c3"].map((k) => commits.run((tx) => tx.execute(sql`insert into gc_deferred (k) values (${k})`))),
    );
    // one lane: the first unit ran alone; the next three shared a batch whose COMMIT failed on the deferred key,
    // then ran one by one: c2 and c3 commit, the second c1 fails as it would have alone
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(await keys("gc_deferred")).toEqual(["c1", "c2", "c3"]);
  });
});
