import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { startJobs } from "../../jobs/start";
import { contractDocumentSchema } from "../../server/domain/contracts/contract-document";
import { DEFAULT_DELIVERY_POLICY } from "../../server/domain/webhooks/retry";
import { createApp } from "../../server/http/app";
import { steadyForms } from "./alerts.bench";
import { fmt, freePort, percentile, startBenchEnv, type BenchEnv, setupBenchFormClient } from "./support";
import { runAlone } from "./run-alone";
import { SLOW_MS, type Arrival, type ReceiverName } from "./webhook-receivers-child";

/**
 * Webhooks beside intake: qualified form leads at 50/s (BENCH_WEBHOOK_RATE) through the production
 * path (intake → outbox trigger → delivery rows → NOTIFY → listener → runner: first attempts at once,
 * retries when their row is due) to three endpoints: a healthy one, a slow one (2 s per answer) and one
 * that fails half its requests (503). The receivers run in their own process (they are the clients'
 * CRMs). Two deployments, each against its own baseline measured in the same run — the same rate and
 * pipeline with no endpoint:
 * - `worker`: the pipeline in a separate worker process, as `npm run worker` / docker-compose run it;
 * - `single`: web and pipeline in one process, as `npm start` runs them.
 * - `rows` (only when asked for): no pipeline at all, so the figure is what intake's own transaction
 *   pays for the delivery rows its trigger writes.
 * (BENCH_WEBHOOK_MODES=worker,single chooses.) Reports intake throughput and p50/p99 against the
 * baseline, lead → first attempt at the healthy endpoint, and deliveries lost or delivered twice. The
 * retry schedule is shortened (1 s, 2 s, 4 s …) so the failing endpoint's retries finish inside the
 * run. Prints figures, never fails on speed.
 */
const RATE_PER_S = Number(process.env.BENCH_WEBHOOK_RATE ?? 50);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 10_000);
type Mode = "worker" | "single" | "rows";
const MODES = (process.env.BENCH_WEBHOOK_MODES ?? "worker,single").split(",").filter((m): m is Mode => m === "worker" || m === "single" || m === "rows");
const POLICY = { ...DEFAULT_DELIVERY_POLICY, retryDelaysMs: [1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000], disableAfterFailures: 1_000_000 };

/** A bench helper process (tsx, IPC): its messages, and a way to wait for one. */
function child(file: string, env: Record<string, string> = {}) {
  const proc: ChildProcess = fork(path.join(__dirname, file), [], { execArgv: ["--import", "tsx"], env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = <T>(pick: (m: unknown) => T | undefined, what: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: unknown) => {
        const v = pick(m);
        if (v === undefined) return;
        proc.off("message", onMessage);
        proc.off("exit", onExit);
        resolve(v);
      };
      const onExit = (code: number | null) => reject(new Error(`${file} exited (${code}) before ${what}`));
      proc.on("message", onMessage);
      proc.once("exit", onExit);
    });
  return { proc, next };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
};

/** A running pipeline: in a worker process, or in this one. */
async function startPipeline(mode: Mode, env: BenchEnv, base: string): Promise<{ stop(): Promise<void> }> {
  if (mode === "rows") return { stop: async () => undefined };
  if (mode === "worker") {
    const c = child("webhook-pipeline-child.ts", { BENCH_DATABASE_URL: env.database.url, BENCH_PUBLIC_URL: base, BENCH_DELIVERY_POLICY: JSON.stringify(POLICY) });
    await c.next((m) => (m === "ready" ? true : undefined), "ready");
    return {
      async stop() {
        c.proc.send("stop");
        await c.next((m) => (m === "stopped" ? true : undefined), "stopped").catch(() => undefined);
      },
    };
  }
  const jobs = await startJobs(env.deps);
  return { stop: () => jobs.stop(5_000) };
}

async function scenario(mode: Mode, env: BenchEnv, base: string, runNo: number): Promise<string[]> {
  const { deps } = env;
  const receivers = child("webhook-receivers-child.ts");
  const urls = await receivers.next((m) => (m as { urls?: Record<ReceiverName, string> }).urls, "its URLs");
  let pipeline: { stop(): Promise<void> } | null = null;
  try {
    const doc = contractDocumentSchema.parse({
      effectiveFrom: "2020-01-01T00:00:00Z",
      qualification: { requiredFields: ["phone", "zip"], serviceArea: { zips: ["10001", "10002", "10003"] }, duplicate: { windowDays: 30, fields: ["phone"] } },
      pricing: { leadPriceCents: 7500 },
    });
    const { client, publicKey } = await setupBenchFormClient(deps, `Bench Webhooks Roofing (${mode})`, doc);
    const url = `${base}/api/forms/${publicKey}`;
    const lead = (phase: number) => (i: number) => ({
      name: `Bench Lead ${phase}-${i}`,
      phone: `+1646${String(2_000_000 + ((runNo + phase * 300_000 + i * 7) % 7_000_000)).padStart(7, "0")}`,
      zip: String(10001 + (i % 3)),
    });

    pipeline = await startPipeline(mode, env, base);
    await steadyForms(url, RATE_PER_S, 1_000, lead(0)); // warm-up
    const t0 = performance.now();
    const baseline = await steadyForms(url, RATE_PER_S, PHASE_MS, lead(1));
    const baselineWall = performance.now() - t0;

    for (const [name, u] of Object.entries(urls)) await deps.webhooks.create({ kind: "system", label: "bench" }, { clientId: client.id, url: u, description: name, events: ["lead.qualified"] });
    await steadyForms(url, RATE_PER_S, 1_000, lead(2)); // warm the delivery path
    const t1 = performance.now();
    const measured = await steadyForms(url, RATE_PER_S, PHASE_MS, lead(3));
    const measuredWall = performance.now() - t1;
    const qualified = measured.filter((p) => p.status === 201 && p.leadId);
    const ids = new Set(qualified.map((p) => p.leadId!));
    const b = stats(baseline.map((p) => p.latencyMs));
    const m = stats(measured.map((p) => p.latencyMs));
    const bRate = (1000 * baseline.filter((p) => p.status === 201).length) / baselineWall;
    const mRate = (1000 * qualified.length) / measuredWall;
    const row = (label: string, x: ReturnType<typeof stats>, rate: number) =>
      `    ${label.padEnd(38)} ${String(x.n).padStart(5)} leads  ${fmt(rate, 1).padStart(5)}/s answered  p50 ${fmt(x.p50, 1).padStart(6)} ms  p99 ${fmt(x.p99, 1).padStart(6)} ms  max ${fmt(x.max, 1).padStart(7)} ms`;
    const intake = [
      row("baseline: no endpoints", b, bRate),
      row("with 3 endpoints", m, mRate),
      `    → intake throughput ${fmt((100 * mRate) / bRate)}% of the baseline's (target ≥ 90 %); p50 ${fmt(m.p50 / b.p50, 1)}×, p99 ${fmt(m.p99 / b.p99, 1)}× the baseline's`,
    ];
    if (mode === "rows") return ["  no pipeline running: intake writing the delivery rows, nothing sending them:", ...intake];

    // Wait for every delivery of the measured leads to settle (delivered or given up), up to 3 minutes.
    const measuredLeads = sql`d.client_id = ${client.id} and l.name like ${"Bench Lead 3-%"}`;
    const unsettled = async () =>
      Number((await deps.db.execute(sql`select count(*)::int as n from webhook_deliveries d join leads l on l.id = d.lead_id where d.status in ('pending', 'sending') and ${measuredLeads}`)).rows[0]!.n);
    const settleStart = performance.now();
    while ((await unsettled()) > 0 && performance.now() - settleStart < 180_000) await new Promise((r) => setTimeout(r, 500));
    const settleMs = performance.now() - settleStart;
    await pipeline.stop();
    pipeline = null;
    receivers.proc.send("report");
    const arrivals = await receivers.next((m) => (m as { report?: Record<ReceiverName, Arrival[]> }).report, "its report");

    const answeredAt = new Map(qualified.map((p) => [p.leadId!, performance.timeOrigin + p.answeredAt]));
    const firstAt = new Map<string, number>();
    for (const a of arrivals.healthy) if (a.leadId && ids.has(a.leadId) && !firstAt.has(a.leadId)) firstAt.set(a.leadId, a.at);
    const toFirst = stats([...firstAt.entries()].map(([id, at]) => at - answeredAt.get(id)!));
    const rows = (
      await deps.db.execute(sql`select e.description as endpoint, d.status, count(*)::int as n, max(d.attempts)::int as max_attempts
        from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id join leads l on l.id = d.lead_id
        where ${measuredLeads} group by 1, 2 order by 1, 2`)
    ).rows as { endpoint: string; status: string; n: number; max_attempts: number }[];
    const expected = qualified.length * 3;
    const created = rows.reduce((n, r) => n + r.n, 0);
    const mine = (arr: Arrival[]) => arr.filter((a) => a.status === 200 && a.leadId && ids.has(a.leadId));
    const doubled = (arr: Arrival[]) => {
      const ok = new Map<string, number>();
      for (const a of mine(arr)) ok.set(a.id, (ok.get(a.id) ?? 0) + 1);
      return [...ok.values()].filter((n) => n > 1).length;
    };
    const delivered = (arr: Arrival[]) => new Set(mine(arr).map((a) => a.leadId)).size;
    const twice = doubled(arrivals.healthy) + doubled(arrivals.slow) + doubled(arrivals.failing);
    return [
      mode === "worker" ? "  pipeline in a worker process (npm run worker, docker-compose):" : "  web and pipeline in one process (npm start):",
      ...intake,
      `    lead answered → first attempt at the healthy endpoint: ${toFirst.n} leads, p50 ${fmt(toFirst.p50, 1)} ms, p99 ${fmt(toFirst.p99, 1)} ms (target < 1,000 ms), max ${fmt(toFirst.max, 1)} ms`,
      `    deliveries: expected ${expected} (qualified × 3), rows ${created} (lost: ${expected - created}, target 0); settled ${fmt(settleMs / 1000, 1)} s after the phase ended`,
      `    delivered with a 2xx — healthy ${delivered(arrivals.healthy)}/${qualified.length}, slow ${delivered(arrivals.slow)}/${qualified.length}, failing ${delivered(arrivals.failing)}/${qualified.length}; same webhook-id answered 2xx more than once: ${twice} (target 0)`,
      `    by endpoint and status: ${rows.map((r) => `${r.endpoint} ${r.status} ${r.n} (≤ ${r.max_attempts} attempts)`).join(", ")}`,
    ];
  } finally {
    await pipeline?.stop();
    if (receivers.proc.exitCode === null) receivers.proc.kill();
  }
}

export async function benchWebhooks(): Promise<{ name: string; lines: string[] }> {
  const loadAtStart = os.loadavg()[0]!;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = await startBenchEnv({ poolMax: 40, env: { PUBLIC_URL: base }, deps: { deliveryPolicy: POLICY } });
  const server = http.createServer(createApp(env.deps, { remixBuild: null }));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  try {
    const lines = [
      `qualified form leads at ${RATE_PER_S}/s (BENCH_WEBHOOK_RATE) for ${PHASE_MS / 1000} s per phase; 3 endpoints in a receiver process: healthy, slow (${SLOW_MS / 1000} s), failing 50 % (503); retries 1 s, 2 s, 4 s, 8 s …`,
    ];
    const runNo = Date.now() % 1_000_000;
    for (const [i, mode] of MODES.entries()) lines.push(...(await scenario(mode, env, base, runNo + i * 1_000_000)));
    lines.push(`  machine: ${os.cpus().length} cores, load average ${fmt(loadAtStart, 1)} at start, ${fmt(os.loadavg()[0]!, 1)} at the end (other work on the machine moves these figures a lot)`);
    return { name: "webhooks", lines };
  } finally {
    env.deps.webhooks.close();
    await new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
    await env.stop();
  }
}

runAlone(module, benchWebhooks);
