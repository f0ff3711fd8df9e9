import type { Config } from "../config";
import { connectDatabase, usePreparedStatements, type Database } from "./client";
import { ensureDatabase, startEmbeddedPostgres } from "./embedded";
import { runMigrations } from "./migrate";

export interface OpenedDatabase extends Database {
  embedded: boolean;
  /** Closes the pool and stops the embedded server when this process started it. */
  shutdown(): Promise<void>;
}

/**
 * The one way the server, the CLI and the simulator reach the database: DATABASE_URL when set,
 * else the embedded PostgreSQL under DATA_DIR (started here, or shared when already running).
 * Migrations are applied before it is returned.
 */
export async function openDatabase(
  config: Pick<Config, "DATABASE_URL" | "DATA_DIR" | "EMBEDDED_PG_PORT"> & Partial<Pick<Config, "DATABASE_PREPARED_STATEMENTS">>,
  opts: { onLog?: (line: string) => void; poolMax?: number } = {},
): Promise<OpenedDatabase> {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    const pg = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, onLog: opts.onLog });
    if (pg.owned) stopEmbedded = () => pg.stop();
    try {
      url = await ensureDatabase(pg.url, "leadledger");
    } catch (e) {
      await stopEmbedded?.();
      throw e;
    }
  }
  try {
    await runMigrations(url);
  } catch (e) {
    await stopEmbedded?.();
    throw e;
  }
  usePreparedStatements(config.DATABASE_PREPARED_STATEMENTS ?? true);
  const database = connectDatabase(url, { max: opts.poolMax });
  return {
    ...database,
    embedded: !config.DATABASE_URL,
    async shutdown() {
      await database.close();
      await stopEmbedded?.();
    },
  };
}
