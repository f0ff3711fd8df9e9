import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { Express } from "express";
import { loadConfig } from "../../server/config";
import { connectDatabase, type Database } from "../../server/db/client";
import { ensureDatabase, startEmbeddedPostgres } from "../../server/db/embedded";
import { runMigrations } from "../../server/db/migrate";
import { createDeps, type Deps } from "../../server/deps";

/** Benchmarks run against their own embedded PostgreSQL in a temp dir, never the developer's data. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface BenchEnv {
  database: Database;
  deps: Deps;
  stop(): Promise<void>;
}

export async function startBenchEnv(opts: { poolMax?: number; env?: Record<string, string>; twilioApiBase?: string } = {}): Promise<BenchEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-bench-"));
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true });
  const url = await ensureDatabase(pg.url, "bench");
  await runMigrations(url);
  const database = connectDatabase(url, { max: opts.poolMax ?? 60 });
  const config = loadConfig({ NODE_ENV: "test", PUBLIC_URL: "http://127.0.0.1", SEED: "false", JOBS: "false", LOG_LEVEL: "silent", ...opts.env });
  const deps = createDeps({ config, database, logger: pino({ level: "silent" }), twilioApiBase: opts.twilioApiBase });
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
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, statusCounts, perSecond: latencies.length / elapsed, p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99) };
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
