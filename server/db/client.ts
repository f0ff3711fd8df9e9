import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;
/** A Db or an open transaction on it: repositories accept either. */
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface Database {
  db: Db;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

// bigint (int8) and numeric counts come back as strings by default; our amounts fit in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export function connectDatabase(url: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 20, idleTimeoutMillis: 10_000 });
  pool.on("error", () => {
    /* a dropped idle connection; the next query reconnects */
  });
  const db = drizzle(pool, { schema });
  let closed = false;
  return {
    db,
    pool,
    url,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
