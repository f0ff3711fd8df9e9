import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { ADVISORY_LOCKS, withAdvisoryLock } from "./locks";

export const MIGRATIONS_FOLDER = path.join(__dirname, "migrations");

/** Applies pending drizzle-kit migrations; safe when several processes start at once. */
export async function runMigrations(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("set client_min_messages = warning");
    await withAdvisoryLock(client, ADVISORY_LOCKS.migrations, () => migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER }));
  } finally {
    await client.end();
  }
}
