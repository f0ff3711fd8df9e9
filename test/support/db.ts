import { randomBytes } from "node:crypto";
import pg from "pg";
import { connectDatabase, type Database } from "../../server/db/client";

/** A fresh, migrated database for one test file, cloned from the template made in global setup. */
export interface TestDatabase extends Database {
  drop(): Promise<void>;
}

function withDb(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.LEADLEDGER_TEST_SERVER_URL;
  if (!serverUrl) throw new Error("LEADLEDGER_TEST_SERVER_URL is unset: run tests through jest (global setup)");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template leadledger_template`);
  } finally {
    await admin.end();
  }
  const database = connectDatabase(withDb(serverUrl, name), { max: 10 });
  return {
    ...database,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function testServerUrl(): string {
  const serverUrl = process.env.LEADLEDGER_TEST_SERVER_URL;
  if (!serverUrl) throw new Error("LEADLEDGER_TEST_SERVER_URL is unset");
  return serverUrl;
}

export { withDb };
