import { sql } from "drizzle-orm";
import type { JobSpec } from "../../jobs/queue";
import { startScheduler, type Scheduler } from "../../jobs/scheduler";
import { createTestContext, type TestContext } from "../support/app";

/**
 * The database drops every connection of the job scheduler (a restart or failover): the process
 * must not die of an unhandled 'error' event, and jobs enqueued afterwards still run.
 */
describe("the job scheduler when the database drops its connections", () => {
  let t: TestContext;
  let scheduler: Scheduler | null = null;
  const ran: string[] = [];
  const probe: JobSpec<{ tag: string }> = {
    name: "test.probe",
    handler: async (_deps, data) => {
      ran.push(data.tag);
    },
  };

  beforeAll(async () => {
    t = await createTestContext({ remix: false });
  });
  afterAll(async () => {
    await scheduler?.stop(5_000);
    await t.close();
  });

  const until = async (what: () => boolean, label: string) => {
    for (let i = 0; i < 300 && !what(); i++) await new Promise((r) => setTimeout(r, 100));
    expect({ label, done: what() }).toEqual({ label, done: true });
  };

  it("keeps running and runs jobs enqueued after every scheduler connection was terminated", async () => {
    scheduler = await startScheduler(t.deps, { processEveryMs: 200, specs: [probe as JobSpec<never>] });
    await scheduler.now("test.probe", { tag: "before" });
    await until(() => ran.includes("before"), "job before the drop");

    const dropped = await t.deps.db.execute(
      sql`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name = '' and query ilike '%agenda%'`,
    );
    await t.deps.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike '%LISTEN%'`);
    expect(dropped.rows.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_000));

    await scheduler.now("test.probe", { tag: "after" });
    await until(() => ran.includes("after"), "job after the drop");
    expect(ran.filter((x) => x === "after")).toHaveLength(1);
  }, 60_000);
});
