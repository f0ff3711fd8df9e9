import { sql } from "drizzle-orm";
import type { Express } from "express";
import { DEFAULT_POOL_MAX } from "../../server/db/client";
import { createApp } from "../../server/http/app";
import { apiKeys } from "../../server/db/schema";
import { contractDocumentSchema } from "../../server/domain/contracts/contract-document";
import { randomSecret, sha256Hex } from "../../server/security/crypto";
import { committedTransactions, fmt, listen, mountBaseline, resetStatements, runLoad, startBenchEnv, topStatements, type LoadResult, setupBenchFormClient } from "./support";
import { runAlone } from "./run-alone";

/**
 * Intake throughput: the full form path and the API path (normalize → store → judge with a
 * realistic contract → charge → outbox + NOTIFY) under 50 concurrent connections, against a
 * baseline endpoint measured in the same run on the same database that only inserts one row and
 * an outbox row and NOTIFYs in one transaction. Prints figures and ratios; never fails on speed.
 */
const CONCURRENCY = 50;
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 8_000);

export function realisticContract() {
  const zips: string[] = [];
  for (let z = 10001; zips.length < 200; z++) zips.push(String(z));
  return contractDocumentSchema.parse({
    effectiveFrom: "2020-01-01T00:00:00Z",
    qualification: {
      requiredFields: ["phone", "zip"],
      serviceArea: { zips },
      duplicate: { windowDays: 30, fields: ["phone", "email"] },
      blocked: { emailDomains: ["mailinator.com"] },
      custom: [
        { field: "budget", op: "min", value: 5000 },
        { field: "service", op: "in", value: ["repair", "replacement", "inspection"] },
        { field: "timeline", op: "not_in", value: ["just browsing"] },
      ],
    },
    pricing: { leadPriceCents: 7500 },
  });
}

export function lead(i: number, run: string) {
  // ~5% repeat an earlier phone (duplicates), ~10% out of area, the rest qualify.
  const n = i % 20 === 7 && i > 20 ? i - 20 : i;
  return {
    name: `Bench Person ${i}`,
    phone: `+1212${String(2_000_000 + ((n * 7919 + run.charCodeAt(0)) % 7_000_000)).padStart(7, "0")}`,
    email: `${run}-${n}@example.com`,
    zip: i % 10 === 3 ? "94105" : String(10001 + (i % 200)),
    budget: String(5000 + (i % 5) * 1000),
    service: ["repair", "replacement", "inspection"][i % 3]!,
    timeline: "this month",
  };
}

export async function benchIntake(): Promise<{ name: string; lines: string[] }> {
  // The server's own pool size (BENCH_POOL_MAX to try others): 50 connections' worth of backends
  // on two cores measured slower for every path, the baseline included.
  const env = await startBenchEnv({ poolMax: Number(process.env.BENCH_POOL_MAX ?? DEFAULT_POOL_MAX) });
  const { deps } = env;
  try {
    const { client, publicKey } = await setupBenchFormClient(deps, "Bench Roofing", realisticContract());
    // 50 vendors, each with its own key: one key alone would hit its per-key rate limit (1,200/min).
    const keys = Array.from({ length: CONCURRENCY }, () => randomSecret("ll_live_", 24));
    await deps.db.insert(apiKeys).values(keys.map((key, i) => ({ clientId: client.id, name: `vendor ${i + 1}`, prefix: key.slice(0, 12), keyHash: sha256Hex(key) })));

    const mount = (app: Express) => mountBaseline(app, deps);
    const app = createApp(deps, { remixBuild: null, mount });
    const server = await listen(app);
    const run = Date.now().toString(36);
    const phases: [string, LoadResult & { commitsPerRequest: number; statements: string[] }][] = [];
    const commits = async () => {
      await new Promise((r) => setTimeout(r, 1_200)); // let the backends report (see committedTransactions)
      return committedTransactions(deps.db);
    };
    const only = process.env.BENCH_INTAKE_ONLY; // e.g. "form" to profile one phase
    const phase = async (name: string, request: (i: number) => { url: string; headers: Record<string, string>; body: string }) => {
      if (only && !name.includes(only)) return;
      await resetStatements(deps.db);
      const before = await commits();
      const r = await runLoad({ concurrency: CONCURRENCY, durationMs: PHASE_MS, request });
      // - 1: the `before` read is a transaction of its own.
      phases.push([name, { ...r, commitsPerRequest: ((await commits()) - before - 1) / Math.max(1, r.requests), statements: await topStatements(deps.db) }]);
    };
    type Req = (i: number) => { url: string; headers: Record<string, string>; body: string };
    const baselineReq: Req = () => ({ url: `${server.url}/bench/baseline`, headers: {}, body: "" });
    const formReq = (prefix: string): Req => (i) => ({
      url: `${server.url}/api/forms/${publicKey}`,
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", "x-forwarded-for": `10.${prefix.charCodeAt(0) % 250}.${i % 250}.${(i >> 8) % 250}` },
      body: new URLSearchParams(lead(i, `${prefix}${run}`)).toString(),
    });
    const apiReq = (prefix: string): Req => (i) => ({
      url: `${server.url}/api/v1/leads`,
      headers: { "content-type": "application/json", authorization: `Bearer ${keys[i % keys.length]}` },
      body: JSON.stringify(lead(i, `${prefix}${run}`)),
    });
    // Warm up every path (JIT, connections, prepared statements), then measure the baseline first
    // and again last to see drift.
    for (const request of [baselineReq, formReq("w"), apiReq("v")]) await runLoad({ concurrency: CONCURRENCY, durationMs: 1_500, request });
    await phase("baseline (insert + outbox + NOTIFY)", baselineReq);
    await phase("form path  POST /api/forms/:key", formReq("f"));
    await phase("API path   POST /api/v1/leads", apiReq("a"));
    await phase("baseline again", baselineReq);
    await server.close();

    const baselines = phases.filter(([n]) => n.startsWith("baseline")).map(([, r]) => r.perSecond);
    const baseline = baselines.reduce((a, b) => a + b, 0) / Math.max(1, baselines.length);
    const statuses = await deps.db.execute(sql`select status, count(*)::int as n from leads group by status order by status`);
    const lines = [`intake under ${CONCURRENCY} concurrent connections, ${PHASE_MS / 1000} s per phase (server and load generator share this machine)`];
    for (const [name, r] of phases) {
      lines.push(
        `  ${name.padEnd(38)} ${fmt(r.perSecond).padStart(7)} req/s  p50 ${fmt(r.p50ms, 1).padStart(6)} ms  p99 ${fmt(r.p99ms, 1).padStart(6)} ms  non-2xx ${r.errors}  CPU ${fmt(r.cpuMsPerRequest, 2)} ms/req  ${fmt(r.commitsPerRequest, 2)} commits/req` +
          (name.startsWith("baseline") || baselines.length === 0 ? "" : `  → ${fmt((100 * r.perSecond) / baseline)}% of baseline (target ≥ 60%, p99 ≤ 60 ms)`),
      );
      lines.push(...r.statements);
    }
    lines.push(`  leads stored by status: ${(statuses.rows as { status: string; n: number }[]).map((r) => `${r.status} ${r.n}`).join(", ")}`);
    return { name: "intake", lines };
  } finally {
    await env.stop();
  }
}

runAlone(module, benchIntake);
