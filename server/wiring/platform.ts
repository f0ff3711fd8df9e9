import { count } from "drizzle-orm";
import type { Database } from "../db/client";
import { ADVISORY_LOCKS, withAdvisoryLock } from "../db/locks";
import { users } from "../db/schema";

/** What a process needs of the database itself, not of its data: health checks, a connection string, the first-start lock. */
export function platformUseCases(database: Database) {
  return {
    /** Where Agenda's own pool and the outbox listener's LISTEN connection connect (jobs/). */
    databaseUrl: database.url,
    /** For /healthz and /readyz: resolves once the database answers. */
    pingDatabase: async (): Promise<void> => {
      await database.pool.query("select 1");
    },
    /** First start: `fn` runs under a session advisory lock, so processes starting together seed once. */
    seeding: {
      underLock: async <T>(fn: () => Promise<T>): Promise<T> => {
        const conn = await database.pool.connect();
        try {
          return await withAdvisoryLock(conn, ADVISORY_LOCKS.seed, fn);
        } finally {
          conn.release();
        }
      },
      hasUsers: async (): Promise<boolean> => ((await database.db.select({ n: count() }).from(users))[0]?.n ?? 0) > 0,
    },
  };
}
