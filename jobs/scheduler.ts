import pg from "pg";
import { ADVISORY_LOCKS, withAdvisoryLock } from "../server/db/locks";
import type { Deps } from "../server/deps";
import type { JobQueue, JobSpec } from "./queue";
import { jobRegistry } from "./registry";

/**
 * Agenda 6 on the same PostgreSQL (its own `agenda_jobs` table, LISTEN/NOTIFY wake-up).
 * Agenda is ESM-only, so it is loaded with a dynamic import.
 */
export interface Scheduler extends JobQueue {
  /** Lets running jobs finish (up to timeoutMs), then stops polling and disconnects. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startScheduler(deps: Deps, opts: { specs?: JobSpec<never>[]; processEveryMs?: number } = {}): Promise<Scheduler> {
  const { Agenda, backoffStrategies } = await import("agenda");
  const { PostgresBackend } = await import("@agendajs/postgres-backend");
  // Our own pool, so an idle connection that the database drops (restart, failover) is logged and
  // replaced instead of crashing the process with an unhandled 'error' event.
  const pool = new pg.Pool({ connectionString: deps.platform.databaseUrl, max: 10, idleTimeoutMillis: 30_000 });
  pool.on("error", (err) => deps.logger.warn({ err }, "scheduler: idle database connection lost"));
  const backend = new PostgresBackend({ pool });
  // The LISTEN channel re-emits a lost connection as 'error' before reconnecting on its own; without
  // a listener that 'error' would be thrown and the reconnect never reached.
  (backend.notificationChannel as unknown as { on?: (e: "error", fn: (err: Error) => void) => void } | undefined)?.on?.("error", (err) =>
    deps.logger.warn({ err }, "scheduler: LISTEN connection lost, reconnecting"),
  );
  // Agenda's constructor connects the backend at once (not in start()), and connecting creates the
  // job table's and the job log's tables and indexes: two workers starting together on a fresh
  // database collided there on CREATE INDEX ("already exists") and one died. So the backend connects
  // here first, one process at a time; the constructor's own connect then finds everything in place.
  const setup = await pool.connect();
  try {
    await withAdvisoryLock(setup, ADVISORY_LOCKS.schedulerStart, () => backend.connect());
  } finally {
    setup.release();
  }
  const agenda = new Agenda({
    backend,
    processEvery: opts.processEveryMs ?? 2_000,
    maxConcurrency: 20,
    defaultLockLifetime: 5 * 60_000,
  });
  const specs = opts.specs ?? jobRegistry();
  for (const spec of specs) {
    agenda.define(
      spec.name,
      async (job) => {
        const attempt = ((job.attrs as { failCount?: number }).failCount ?? 0) + 1;
        await spec.handler(deps, (job.attrs.data ?? {}) as never, {
          now: async (name, data) => void (await agenda.now(name, data as never)),
          schedule: async (when, name, data) => void (await agenda.schedule(when, name, data as never)),
          attempt,
        });
      },
      {
        concurrency: spec.concurrency ?? 5,
        lockLifetime: spec.lockLifetimeMs,
        backoff: spec.retries ? backoffStrategies.exponential({ delay: 1_000, maxRetries: spec.retries, factor: 2, jitter: 0.2 }) : undefined,
      },
    );
  }
  agenda.on("fail", (err: Error, job: { attrs: { name: string } }) => deps.logger.warn({ err, job: job.attrs.name }, "job failed"));
  agenda.on("error", (err: Error) => deps.logger.error({ err }, "scheduler error"));
  // Starting upserts the recurring jobs: one process at a time, under the same advisory lock.
  const conn = await pool.connect();
  try {
    await withAdvisoryLock(conn, ADVISORY_LOCKS.schedulerStart, async () => {
      await agenda.start();
      for (const spec of specs) if (spec.every) await agenda.every(spec.every, spec.name, {});
    });
  } finally {
    conn.release();
  }
  let stopped = false;
  return {
    async now(name, data) {
      await agenda.now(name, data as never);
    },
    async schedule(when, name, data) {
      await agenda.schedule(when, name, data as never);
    },
    async stop(timeoutMs = 10_000) {
      if (stopped) return;
      stopped = true;
      await agenda.drain(timeoutMs);
      await pool.end();
    },
  };
}
