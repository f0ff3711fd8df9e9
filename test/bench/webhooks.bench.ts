import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { firstAttemptInProcess } from "../../jobs/alerts-send";
import { startOutboxListener } from "../../jobs/outbox-listener";
import { startScheduler } from "../../jobs/scheduler";
import { deliveriesInProcess } from "../../jobs/webhooks-deliver";
import { campaigns, contractVersions, contracts, forms } from "../../server/db/schema";
import { contractDocumentSchema } from "../../server/domain/contracts/contract-document";
import { DEFAULT_DELIVERY_POLICY } from "../../server/domain/webhooks/retry";
import { createApp } from "../../server/http/app";
import { randomSecret } from "../../server/security/crypto";
import { steadyForms } from "./alerts.bench";
import { fmt, freePort, percentile, startBenchEnv } from "./support";
import { runAlone } from "./run-alone";

/**
 * Webhooks beside intake: qualified form leads at 50/s (BENCH_WEBHOOK_RATE) through the production
 * path (intake → outbox trigger → delivery rows → NOTIFY → listener → first attempt in process, retries
 * on Agenda) to three endpoints on loopback: a healthy one, a slow one (2 s per answer) and one that
 * fails half its requests (503). Baseline in the same run: the same rate and pipeline with no endpoint.
 * Reports intake p50/p99 and throughput against the baseline, lead → first attempt at the healthy
 * endpoint, and deliveries lost or delivered twice. The retry schedule is shortened (1 s, 2 s, 4 s …)
 * so the failing endpoint's retries finish inside the run. Prints figures, never fails on speed.
 */
const RATE_PER_S = Number(process.env.BENCH_WEBHOOK_RATE ?? 50);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 10_000);
const SLOW_MS = 2_000;

function receiver(answer: () => { status: number; delayMs: number }) {
  const arrivals: { id: string; leadId: string | null; at: number; status: number }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      let leadId: string | null = null;
      try {
        leadId = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data?: { lead?: { id?: string } } }).data?.lead?.id ?? null;
      } catch {
        /* not JSON */
      }
      const a = answer();
      arrivals.push({ id: String(req.headers["webhook-id"]), leadId, at, status: a.status });
      setTimeout(() => {
        res.writeHead(a.status);
        res.end();
      }, a.delayMs);
    });
  });
  server.keepAliveTimeout = 30_000;
  return {
    arrivals,
    server,
    async start() {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
};

export async function benchWebhooks(): Promise<{ name: string; lines: string[] }> {
  const loadAtStart = os.loadavg()[0]!;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const policy = { ...DEFAULT_DELIVERY_POLICY, retryDelaysMs: [1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000], disableAfterFailures: 1_000_000 };
  const env = await startBenchEnv({ poolMax: 40, env: { PUBLIC_URL: base }, deps: { deliveryPolicy: policy } });
  const { deps } = env;
  const server = http.createServer(createApp(deps, { remixBuild: null }));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const healthy = receiver(() => ({ status: 200, delayMs: 0 }));
  const slow = receiver(() => ({ status: 200, delayMs: SLOW_MS }));
  const flaky = receiver(() => ({ status: Math.random() < 0.5 ? 503 : 200, delayMs: 0 }));
  let scheduler: Awaited<ReturnType<typeof startScheduler>> | null = null;
  let listener: Awaited<ReturnType<typeof startOutboxListener>> | null = null;
  try {
    const client = await deps.clients.create({ kind: "system", label: "bench" }, { name: "Bench Webhooks Roofing" });
    const [campaign] = await deps.db.select().from(campaigns).where(eq(campaigns.clientId, client.id));
    const [contract] = await deps.db.insert(contracts).values({ clientId: client.id }).returning();
    const doc = contractDocumentSchema.parse({
      effectiveFrom: "2020-01-01T00:00:00Z",
      qualification: { requiredFields: ["phone", "zip"], serviceArea: { zips: ["10001", "10002", "10003"] }, duplicate: { windowDays: 30, fields: ["phone"] } },
      pricing: { leadPriceCents: 7500 },
    });
    await deps.db.insert(contractVersions).values({ contractId: contract!.id, clientId: client.id, version: 1, effectiveFrom: new Date("2020-01-01"), document: doc });
    const publicKey = randomSecret("pk_", 18);
    await deps.db.insert(forms).values({ clientId: client.id, campaignId: campaign!.id, name: "Bench form", publicKey, allowedOrigins: [] });
    const url = `${base}/api/forms/${publicKey}`;
    const run = Date.now() % 1_000_000;
    const lead = (phase: number) => (i: number) => ({
      name: `Bench Lead ${phase}-${i}`,
      phone: `+1646${String(2_000_000 + ((run + phase * 300_000 + i * 7) % 7_000_000)).padStart(7, "0")}`,
      zip: String(10001 + (i % 3)),
    });

    // The pipeline runs in both phases, as in production (server/main.ts); no alert recipients.
    scheduler = await startScheduler(deps);
    const runner = deliveriesInProcess(deps, scheduler);
    listener = await startOutboxListener(deps, { enqueue: firstAttemptInProcess(deps, scheduler), deliveries: runner });
    await steadyForms(url, RATE_PER_S, 1_000, lead(0)); // warm-up
    const t0 = performance.now();
    const baseline = await steadyForms(url, RATE_PER_S, PHASE_MS, lead(1));
    const baselineWall = performance.now() - t0;

    const urls = { healthy: await healthy.start(), slow: await slow.start(), flaky: await flaky.start() };
    const endpointIds: Record<string, string> = {};
    for (const [name, u] of Object.entries(urls)) endpointIds[name] = (await deps.webhooks.create({ kind: "system", label: "bench" }, { clientId: client.id, url: u, description: name, events: ["lead.qualified"] })).endpoint.id;
    await steadyForms(url, RATE_PER_S, 1_000, lead(2)); // warm the delivery path
    const t1 = performance.now();
    const measured = await steadyForms(url, RATE_PER_S, PHASE_MS, lead(3));
    const measuredWall = performance.now() - t1;
    const qualified = measured.filter((p) => p.status === 201 && p.leadId);
    const ids = new Set(qualified.map((p) => p.leadId!));

    // Wait for every delivery of the measured leads to settle (delivered or given up), up to 3 minutes.
    const unsettled = async () =>
      Number(
        (
          await deps.db.execute(sql`select count(*)::int as n from webhook_deliveries d join leads l on l.id = d.lead_id
            where d.status in ('pending', 'sending') and l.name like ${"Bench Lead 3-%"}`)
        ).rows[0]!.n,
      );
    const settleStart = performance.now();
    while ((await unsettled()) > 0 && performance.now() - settleStart < 180_000) await new Promise((r) => setTimeout(r, 500));
    const settleMs = performance.now() - settleStart;
    await runner.idle();

    const answeredAt = new Map(qualified.map((p) => [p.leadId!, p.answeredAt]));
    const firstAt = new Map<string, number>();
    for (const a of healthy.arrivals) if (a.leadId && ids.has(a.leadId) && !firstAt.has(a.leadId)) firstAt.set(a.leadId, a.at);
    const toFirst = stats([...firstAt.entries()].map(([id, at]) => at - answeredAt.get(id)!));
    const rows = (
      await deps.db.execute(sql`select e.description as endpoint, d.status, count(*)::int as n, max(d.attempts)::int as max_attempts
        from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id join leads l on l.id = d.lead_id
        where l.name like ${"Bench Lead 3-%"} group by 1, 2 order by 1, 2`)
    ).rows as { endpoint: string; status: string; n: number; max_attempts: number }[];
    const expected = qualified.length * 3;
    const created = rows.reduce((n, r) => n + r.n, 0);
    const doubled = (arr: typeof healthy.arrivals) => {
      const ok = new Map<string, number>();
      for (const a of arr) if (a.status === 200 && a.leadId && ids.has(a.leadId)) ok.set(a.id, (ok.get(a.id) ?? 0) + 1);
      return [...ok.values()].filter((n) => n > 1).length;
    };
    const delivered = (arr: typeof healthy.arrivals) => new Set(arr.filter((a) => a.status === 200 && a.leadId && ids.has(a.leadId)).map((a) => a.leadId)).size;
    const b = stats(baseline.map((p) => p.latencyMs));
    const m = stats(measured.map((p) => p.latencyMs));
    const row = (label: string, x: ReturnType<typeof stats>, n: number, wall: number) =>
      `  ${label.padEnd(40)} ${String(x.n).padStart(5)} leads  ${fmt((1000 * n) / wall, 1).padStart(5)}/s answered  p50 ${fmt(x.p50, 1).padStart(6)} ms  p99 ${fmt(x.p99, 1).padStart(6)} ms  max ${fmt(x.max, 1).padStart(7)} ms`;
    return {
      name: "webhooks",
      lines: [
        `qualified form leads at ${RATE_PER_S}/s (BENCH_WEBHOOK_RATE) for ${PHASE_MS / 1000} s per phase; 3 endpoints on loopback: healthy, slow (${SLOW_MS / 1000} s), failing 50 % (503); retries 1 s, 2 s, 4 s, 8 s …; server, pipeline, receivers and load generator in one process`,
        `  machine: ${os.cpus().length} cores, load average ${fmt(loadAtStart, 1)} at start, ${fmt(os.loadavg()[0]!, 1)} at the end (other work on the machine moves these figures a lot)`,
        row("baseline: no endpoints", b, baseline.filter((p) => p.status === 201).length, baselineWall),
        row("with 3 endpoints", m, qualified.length, measuredWall),
        `  → intake p50 ${fmt((100 * m.p50) / b.p50)}%, p99 ${fmt((100 * m.p99) / b.p99)}% of the baseline's`,
        `  lead answered → first attempt at the healthy endpoint: ${toFirst.n} leads, p50 ${fmt(toFirst.p50, 1)} ms, p99 ${fmt(toFirst.p99, 1)} ms, max ${fmt(toFirst.max, 1)} ms`,
        `  deliveries: expected ${expected} (qualified × 3), rows ${created} (lost: ${expected - created}); settled ${fmt(settleMs / 1000, 1)} s after the phase ended`,
        `  delivered with a 2xx — healthy ${delivered(healthy.arrivals)}/${qualified.length}, slow ${delivered(slow.arrivals)}/${qualified.length}, failing ${delivered(flaky.arrivals)}/${qualified.length}; same webhook-id answered 2xx more than once: ${doubled(healthy.arrivals) + doubled(slow.arrivals) + doubled(flaky.arrivals)}`,
        `  requests received — healthy ${healthy.arrivals.length}, slow ${slow.arrivals.length}, failing ${flaky.arrivals.length}; by endpoint and status: ${rows.map((r) => `${r.endpoint} ${r.status} ${r.n} (≤ ${r.max_attempts} attempts)`).join(", ")}`,
      ],
    };
  } finally {
    await listener?.stop();
    await scheduler?.stop(5_000);
    deps.webhooks.close();
    await new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
    await Promise.all([healthy.stop(), slow.stop(), flaky.stop()]);
    await env.stop();
  }
}

runAlone(module, benchWebhooks);
