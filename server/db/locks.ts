/**
 * Session-level advisory locks for work that must run in one process at a time across every
 * process on the database (start-up steps). Transaction-level locks (`pg_advisory_xact_lock`) stay
 * inside the repositories that need them. The keys live here, so no two uses share one.
 */
export const ADVISORY_LOCKS = {
  migrations: 72_616_001,
  seed: 72_616_002,
  schedulerStart: 72_616_003,
} as const;

/** A connection that is held for the whole of `fn` (a pg.Client, or a client checked out of a pool). */
interface LockConnection {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Runs `fn` while holding the advisory lock `key` on `conn`; other processes wait for it. */
export async function withAdvisoryLock<T>(conn: LockConnection, key: number, fn: () => Promise<T>): Promise<T> {
  await conn.query("select pg_advisory_lock($1)", [key]);
  try {
    return await fn();
  } finally {
    await conn.query("select pg_advisory_unlock($1)", [key]).catch(() => {});
  }
}
