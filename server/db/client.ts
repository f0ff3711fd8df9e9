import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import type { z } from "zod";
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

/** Connections per process unless a caller asks otherwise (the server does not). */
export const DEFAULT_POOL_MAX = 20;

export function connectDatabase(url: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? DEFAULT_POOL_MAX, idleTimeoutMillis: 10_000 });
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

/** The parts of drizzle's database/transaction object that `executePrepared` uses (drizzle-orm 0.45). */
interface DrizzleInternals {
  dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(q: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: false): { execute(): Promise<pg.QueryResult> };
  };
}

const statementNames = new Map<string, string>();
let preparedStatements = true;

/**
 * Turns named prepared statements off (DATABASE_PREPARED_STATEMENTS=false) or on for this process:
 * off, `executePrepared` sends unnamed statements like `db.execute`, which any pooler accepts.
 */
export function usePreparedStatements(on: boolean): void {
  preparedStatements = on;
}

/**
 * `db.execute(q)` as a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every call. On a transaction it runs on the transaction's connection.
 * For the hot write paths (intake, alert dispatch and sending, Twilio webhooks), whose texts do not
 * depend on the data (values travel as parameters; the name is a hash of the text, so two texts
 * never share a name). Rules for callers: name the columns (a prepared `select *` or `returning *`
 * fails once a migration adds a column while the server runs), and keep reports and filtered lists
 * on `db.execute` (a generic plan can suit a date range badly). Decision 006 has the figures.
 */
export async function executePrepared(db: DbOrTx, q: SQL): Promise<pg.QueryResult<Record<string, unknown>>> {
  if (!preparedStatements) return (await db.execute(q)) as unknown as pg.QueryResult<Record<string, unknown>>;
  const d = db as unknown as DrizzleInternals;
  const query = d.dialect.sqlToQuery(q);
  let name = statementNames.get(query.sql);
  if (!name) {
    name = `ll_${createHash("sha1").update(query.sql).digest("hex").slice(0, 24)}`;
    if (statementNames.size < 1_000) statementNames.set(query.sql, name);
  }
  return d.session.prepareQuery(query, undefined, name, false).execute();
}

/**
 * A raw statement's rows, typed. Either declare the row type per statement (`query<{ id: string }>`)
 * — the columns as PostgreSQL names them, timestamps as strings (drizzle hands them over unparsed),
 * bigint as number (the parser above) — or pass a small zod row schema where the shape is worth
 * checking at run time. `queryPrepared` is the same as a named prepared statement
 * (`executePrepared`'s rules). Decision 026 says when raw SQL is the right tool at all.
 */
export async function query<R extends object>(db: DbOrTx, q: SQL): Promise<R[]>;
export async function query<S extends z.ZodType<object>>(db: DbOrTx, q: SQL, row: S): Promise<z.output<S>[]>;
export async function query(db: DbOrTx, q: SQL, row?: z.ZodType<object>): Promise<object[]> {
  const r = (await db.execute(q)).rows as object[];
  return row ? r.map((x) => row.parse(x)) : r;
}

/** `query` as a named prepared statement: for the hot paths only (intake, alerts, Twilio webhooks, webhook delivery). */
export async function queryPrepared<R extends object>(db: DbOrTx, q: SQL): Promise<R[]>;
export async function queryPrepared<S extends z.ZodType<object>>(db: DbOrTx, q: SQL, row: S): Promise<z.output<S>[]>;
export async function queryPrepared(db: DbOrTx, q: SQL, row?: z.ZodType<object>): Promise<object[]> {
  const r = (await executePrepared(db, q)).rows as object[];
  return row ? r.map((x) => row.parse(x)) : r;
}
