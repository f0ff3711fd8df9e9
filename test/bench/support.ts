import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { eq, sql } from "drizzle-orm";
import type { Express } from "express";
import { loadConfig } from "../../server/config";
import { connectDatabase, type Database, type Db } from "../../server/db/client";
import { ensureDatabase, startEmbeddedPostgres } from "../../server/db/embedded";
import { runMigrations } from "../../server/db/migrate";
import { createDeps, type DepsOptions } from "../../server/deps";
import type { TestDeps } from "../support/app";
import { TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";
import { freePort } from "../support/free-port";
import { campaigns, contracts, contractVersions, forms } from "../../server/db/schema";
import { randomSecret } from "../../server/security/crypto";
export { freePort };

export interface BenchEnv {
  database: Database;
  deps: TestDeps;
  stop(): Promise<void>;
}

/** BENCH_PG_STATEMENTS=1 loads pg_stat_statements, so a benchmark can print where PostgreSQL spent its time. */
const PG_STATEMENTS = process.env.BENCH_PG_STATEMENTS === "1";

export async function startBenchEnv(opts: { poolMax?: number; env?: Record<string, string>; twilioApiBase?: string; deps?: Pick<DepsOptions, "deliveryPolicy"> } = {}): Promise<BenchEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-bench-"));
  const settings = PG_STATEMENTS ? { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track_planning": "on" } : undefined;
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true, settings });
  const url = await ensureDatabase(pg.url, "bench");
  await runMigrations(url);
  const database = connectDatabase(url, { max: opts.poolMax ?? 60 });
  const config = loadConfig({ NODE_ENV: "test", PUBLIC_URL: "http://127.0.0.1", SEED: "false", JOBS: "false", LOG_LEVEL: "silent", ...opts.env });
  const deps: TestDeps = {
    ...createDeps({ config, database, logger: pino({ level: "silent" }), twilioApiBase: opts.twilioApiBase, fakeTwilioAuthToken: TEST_TWILIO_AUTH_TOKEN, ...opts.deps }),
    db: database.db,
  };
  return {
    database,
    deps,
    async stop() {
      await database.close();
      await pg.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface LoadResult {
  requests: number;
  errors: number;
  statusCounts: Record<string, number>;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  /** CPU time of this Node process (server and load generator together) per request, in ms. */
  cpuMsPerRequest: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * A closed-loop load generator on loopback: `concurrency` workers send requests back to back for
 * `durationMs` (bounded in count too), each with a keep-alive connection.
 */
export async function runLoad(opts: {
  concurrency: number;
  durationMs: number;
  maxRequests?: number;
  request: (i: number) => { url: string; method?: string; headers?: Record<string, string>; body?: string };
  ok?: (status: number) => boolean;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const max = opts.maxRequests ?? 1_000_000;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const deadline = started + opts.durationMs;
  const one = (i: number) =>
    new Promise<number>((resolve) => {
      const r = opts.request(i);
      const u = new URL(r.url);
      const req = http.request(
        { agent, host: u.hostname, port: u.port, path: u.pathname + u.search, method: r.method ?? "POST", headers: { ...(r.headers ?? {}), ...(r.body ? { "content-length": Buffer.byteLength(r.body) } : {}) } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      if (r.body) req.write(r.body);
      req.end();
    });
  const worker = async () => {
    while (performance.now() < deadline && next < max) {
      const i = next++;
      const t0 = performance.now();
      const status = await one(i);
      latencies.push(performance.now() - t0);
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      if (!(opts.ok ?? ((s) => s >= 200 && s < 300))(status)) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, statusCounts, perSecond: latencies.length / elapsed, p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99), cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length) };
}

/**
 * Transactions committed in this database so far (pg_stat_database). Backends report them when they
 * go idle, about once a second: wait that long after a load before reading.
 */
export async function committedTransactions(db: Db): Promise<number> {
  const r = await db.execute(sql`select xact_commit::bigint as n from pg_stat_database where datname = current_database()`);
  return Number((r.rows[0] as { n: number }).n);
}

/** Resets pg_stat_statements (when loaded) so the next `topStatements` covers one phase only. */
export async function resetStatements(db: Db): Promise<void> {
  if (!PG_STATEMENTS) return;
  await db.execute(sql`create extension if not exists pg_stat_statements`);
  await db.execute(sql`select pg_stat_statements_reset()`);
}

/** The statements that took the most execution + planning time since the last reset, per call. */
export async function topStatements(db: Db, limit = 8): Promise<string[]> {
  if (!PG_STATEMENTS) return [];
  const r = await db.execute(
    sql`select calls, total_exec_time / calls as exec_ms, total_plan_time / calls as plan_ms, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 100) as q
          from pg_stat_statements where calls > 10 order by total_exec_time + total_plan_time desc limit ${limit}`,
  );
  return (r.rows as { calls: string; exec_ms: number; plan_ms: number; q: string }[]).map(
    (s) => `    ${String(s.calls).padStart(7)} calls  exec ${fmt(Number(s.exec_ms), 3).padStart(7)} ms  plan ${fmt(Number(s.plan_ms), 3).padStart(7)} ms  ${s.q}`,
  );
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/**
 * A client whose default campaign has one form (its public key returned) and whose contract is
 * `document` (a parsed contract document), effective since 2020; straight into the database.
 */
export async function setupBenchFormClient(deps: TestDeps, name: string, document: unknown) {
  const client = await deps.clients.create({ kind: "system", label: "bench" }, { name });
  const [campaign] = await deps.db.select().from(campaigns).where(eq(campaigns.clientId, client.id));
  const [contract] = await deps.db.insert(contracts).values({ clientId: client.id }).returning();
  await deps.db.insert(contractVersions).values({ contractId: contract!.id, clientId: client.id, version: 1, effectiveFrom: new Date("2020-01-01"), document });
  const publicKey = randomSecret("pk_", 18);
  await deps.db.insert(forms).values({ clientId: client.id, campaignId: campaign!.id, name: "Bench form", publicKey, allowedOrigins: [] });
  return { client, campaign: campaign!, publicKey };
}

/** The baseline every intake-like benchmark compares with: one row + one outbox row + NOTIFY in one transaction, nothing else (POST /bench/baseline). */
export function mountBaseline(app: Express, deps: TestDeps): void {
  app.post("/bench/baseline", async (_req, res, next) => {
    try {
      await deps.db.transaction(async (tx) => {
        const r = await tx.execute(sql`insert into webhook_events (sid, type, payload) values (gen_random_uuid()::text, 'bench', '{}'::jsonb) returning id`);
        const id = (r.rows[0] as { id: string }).id;
        await tx.execute(sql`with o as (insert into outbox_events (type, aggregate_id, payload) values ('bench', ${id}, '{}'::jsonb) returning id) select pg_notify('bench', id::text) from o`);
      });
      res.status(201).json({ ok: true });
    } catch (e) {
      next(e);
    }
  });
}
