import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "../../server/db/embedded";
import { runMigrations } from "../../server/db/migrate";
import { freePort } from "./free-port";

/**
 * Starts one real PostgreSQL for the whole run (embedded, or the server in TEST_DATABASE_URL),
 * migrates a template database once; each test file clones it (test/support/db.ts).
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-test-"));
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true });
    (globalThis as Record<string, unknown>).__LEADLEDGER_TEST_PG__ = { pg, dataDir };
    serverUrl = pg.url;
  }
  const templateUrl = await ensureDatabase(serverUrl, "leadledger_template");
  await runMigrations(templateUrl);
  process.env.LEADLEDGER_TEST_SERVER_URL = serverUrl;
}
