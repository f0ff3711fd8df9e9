import type { Db, DbOrTx } from "./client";

/**
 * Group commit for small, frequent units of work (docs/decisions/029-group-commit-on-the-sms-path.md).
 *
 * `run(work)` resolves only after the work is committed, exactly as `db.transaction(work)` would.
 * Up to `lanes` transactions run at once; while all of them are busy, new units wait, and the next
 * free lane takes all of them (up to `maxBatch`) into ONE transaction, each unit in its own
 * savepoint, so a unit that throws is rolled back alone and its caller gets its error, while the
 * others commit. One commit (one WAL flush) then serves the whole batch instead of one per unit.
 * With little traffic every unit runs alone, at once; grouping only happens under load.
 *
 * If the batch transaction itself fails (a deadlock with another process, a lost connection at
 * COMMIT), nothing of it was committed, and every unit is run again on its own transaction: the
 * caller sees what `db.transaction(work)` would have given it. Units must therefore be plain database
 * work, safe to run again after a rollback (no calls out, no side effects outside the transaction).
 */
export interface GroupCommit {
  run<T>(work: (tx: DbOrTx) => Promise<T>): Promise<T>;
  /** Units committed and transactions used so far (for the benchmark's figures). */
  stats(): { units: number; batches: number };
}

interface Unit {
  work: (tx: DbOrTx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export function groupCommit(db: Db, opts: { maxBatch?: number; lanes?: number } = {}): GroupCommit {
  const maxBatch = opts.maxBatch ?? 64;
  const lanes = opts.lanes ?? 4;
  const waiting: Unit[] = [];
  let running = 0;
  let units = 0;
  let batches = 0;

  async function alone(unit: Unit): Promise<void> {
    batches += 1;
    try {
      unit.resolve(await db.transaction((tx) => unit.work(tx)));
    } catch (e) {
      unit.reject(e);
    }
  }

  async function together(batch: Unit[]): Promise<void> {
    const settled: Settled[] = [];
    try {
      await db.transaction(async (tx) => {
        for (const unit of batch) {
          try {
            settled.push({ ok: true, value: await tx.transaction((sp) => unit.work(sp)) });
          } catch (error) {
            settled.push({ ok: false, error });
          }
        }
      });
    } catch {
      // Nothing was committed: each unit on its own, as if it had never been grouped.
      for (const unit of batch) await alone(unit);
      return;
    }
    batches += 1;
    batch.forEach((unit, i) => {
      const s = settled[i]!;
      if (s.ok) unit.resolve(s.value);
      else unit.reject(s.error);
    });
  }

  async function lane(): Promise<void> {
    running += 1;
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, maxBatch);
        units += batch.length;
        if (batch.length === 1) await alone(batch[0]!);
        else await together(batch);
      }
    } finally {
      running -= 1;
    }
  }

  return {
    run<T>(work: (tx: DbOrTx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ work, resolve: resolve as (v: unknown) => void, reject });
        if (running < lanes) void lane();
      });
    },
    stats: () => ({ units, batches }),
  };
}

/** The same interface without grouping: each unit in its own transaction. */
export function eachAlone(db: Db): GroupCommit {
  let units = 0;
  return {
    run: (work) => {
      units += 1;
      return db.transaction((tx) => work(tx));
    },
    stats: () => ({ units, batches: units }),
  };
}
