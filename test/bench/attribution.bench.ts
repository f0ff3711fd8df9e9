import { eq, sql } from "drizzle-orm";
import type { Express } from "express";
import { DEFAULT_POOL_MAX } from "../../server/db/client";
import { apiKeys, campaigns, contractVersions, contracts, trackingNumbers } from "../../server/db/schema";
import { createApp } from "../../server/http/app";
import { randomSecret, sha256Hex } from "../../server/security/crypto";
import { lead, realisticContract } from "./intake.bench";
import { runAlone } from "./run-alone";
import { fmt, listen, mountBaseline, runLoad, startBenchEnv, type LoadResult } from "./support";

/**
 * Attribution costs (docs/decisions/022-attribution.md), against baselines measured in the same run:
 * - POST /api/dni/:poolKey: visitors asking for (and re-asking to keep) a pool number, and an
 *   exhausted pool where every request overflows, vs the intake baseline "insert + outbox + NOTIFY"
 *   (target ≥ 50 % of it);
 * - the API intake path with an `attribution` object vs the same leads without (target ≤ 5 % slower).
 * Prints figures and ratios; never fails on speed.
 */
const CONCURRENCY = 50;
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 8_000);
const POOL_SIZE = 200;

export async function benchAttribution(): Promise<{ name: string; lines: string[] }> {
  const env = await startBenchEnv({ poolMax: Number(process.env.BENCH_POOL_MAX ?? DEFAULT_POOL_MAX) });
  const { deps } = env;
  const system = { kind: "system", label: "bench" } as const;
  try {
    const client = await deps.clients.create(system, { name: "Bench Attribution Roofing" });
    const [campaign] = await deps.db.select().from(campaigns).where(eq(campaigns.clientId, client.id));
    const [contract] = await deps.db.insert(contracts).values({ clientId: client.id }).returning();
    await deps.db.insert(contractVersions).values({ contractId: contract!.id, clientId: client.id, version: 1, effectiveFrom: new Date("2020-01-01"), document: realisticContract() });
    const keys = Array.from({ length: CONCURRENCY }, () => randomSecret("ll_live_", 24));
    await deps.db.insert(apiKeys).values(keys.map((key, i) => ({ clientId: client.id, name: `vendor ${i + 1}`, prefix: key.slice(0, 12), keyHash: sha256Hex(key) })));
    const numbers = await deps.db
      .insert(trackingNumbers)
      .values(Array.from({ length: POOL_SIZE + 2 }, (_, i) => ({ clientId: client.id, campaignId: campaign!.id, phoneNumber: `+1646555${String(1000 + i)}`, forwardTo: "+12125550111", record: false })))
      .returning();
    const pool = await deps.attribution.createPool(system, { campaignId: campaign!.id, name: "Bench pool", defaultNumber: "+16465550999", trackingNumberIds: numbers.slice(0, POOL_SIZE).map((n) => n.id) });
    const tiny = await deps.attribution.createPool(system, { campaignId: campaign!.id, name: "Exhausted pool", defaultNumber: "+16465550998", trackingNumberIds: numbers.slice(POOL_SIZE, POOL_SIZE + 2).map((n) => n.id) });

    const app = createApp(deps, { remixBuild: null, mount: (a: Express) => mountBaseline(a, deps) });
    const server = await listen(app);
    const run = Date.now().toString(36);
    type Req = (i: number) => { url: string; headers: Record<string, string>; body: string };
    const visit = (i: number) => ({ at: new Date().toISOString(), params: { utm_source: "google", utm_medium: "cpc", utm_campaign: "roof-repair-nyc", utm_term: ["roof repair", "roof leak", "roofer near me"][i % 3]!, gclid: `G${run}${i}` }, landingPage: "https://roofs.example/roof-repair", referrer: "https://www.google.com/" });
    const ip = (i: number) => `10.${(i >> 16) % 250}.${(i >> 8) % 250}.${i % 250}`;
    const baselineReq: Req = () => ({ url: `${server.url}/bench/baseline`, headers: {}, body: "" });
    // 150 visitors on pages that stay open: each asks again to keep its number (most requests extend; a few take).
    const dniReq = (key: string, visitors: number): Req => (i) => {
      const v = i % visitors;
      return {
        url: `${server.url}/api/dni/${key}`,
        headers: { "content-type": "text/plain", "x-forwarded-for": ip(i) },
        body: JSON.stringify({ session: `bench-${run}-${v}`, first: visit(v), last: visit(v) }),
      };
    };
    const apiReq = (prefix: string, withAttribution: boolean): Req => (i) => ({
      url: `${server.url}/api/v1/leads`,
      headers: { "content-type": "application/json", authorization: `Bearer ${keys[i % keys.length]}` },
      body: JSON.stringify({ ...lead(i, `${prefix}${run}`), ...(withAttribution ? { attribution: { ...visit(i).params, landing_page: "https://roofs.example/roof-repair?gclid=x", referrer: "https://www.google.com/", session_id: `s${run}${i}`, first_touch_at: "2026-11-28T15:00:00Z" } } : {}) }),
    });

    const phases: [string, LoadResult][] = [];
    const phase = async (name: string, request: Req) => phases.push([name, await runLoad({ concurrency: CONCURRENCY, durationMs: PHASE_MS, request })]);
    for (const request of [baselineReq, dniReq(pool.poolKey, 150), apiReq("w", true), apiReq("x", false)]) await runLoad({ concurrency: CONCURRENCY, durationMs: 1_500, request });
    await phase("baseline (insert + outbox + NOTIFY)", baselineReq);
    await phase("DNI  150 visitors, 200-number pool", dniReq(pool.poolKey, 150));
    await phase("DNI  exhausted 2-number pool", dniReq(tiny.poolKey, 100_000));
    await phase("API intake without attribution", apiReq("a", false));
    await phase("API intake with attribution", apiReq("b", true));
    await phase("API intake without attribution again", apiReq("c", false));
    await phase("API intake with attribution again", apiReq("d", true));
    await phase("baseline again", baselineReq);
    await server.close();

    const avg = (pred: (n: string) => boolean) => {
      const xs = phases.filter(([n]) => pred(n)).map(([, r]) => r.perSecond);
      return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    };
    const baseline = avg((n) => n.startsWith("baseline"));
    const without = avg((n) => n.startsWith("API intake without"));
    const withAttr = avg((n) => n.startsWith("API intake with attribution"));
    const held = await deps.db.execute(sql`select count(*)::int as n, count(distinct session_id)::int as sessions from dni_pool_numbers where pool_id = ${pool.id} and reserved_until > now()`);
    const h = held.rows[0] as { n: number; sessions: number };
    const rows = await deps.db.execute(sql`select count(*)::int as n from lead_attributions`);
    const lines = [`attribution under ${CONCURRENCY} concurrent connections, ${PHASE_MS / 1000} s per phase (server and load generator share this machine)`];
    for (const [name, r] of phases) {
      const ratio = name.startsWith("DNI") ? `  → ${fmt((100 * r.perSecond) / baseline)}% of baseline (target ≥ 50%)` : "";
      lines.push(`  ${name.padEnd(40)} ${fmt(r.perSecond).padStart(7)} req/s  p50 ${fmt(r.p50ms, 1).padStart(6)} ms  p99 ${fmt(r.p99ms, 1).padStart(6)} ms  non-2xx ${r.errors}  CPU ${fmt(r.cpuMsPerRequest, 2)} ms/req${ratio}`);
    }
    lines.push(`  intake with attribution: ${fmt(withAttr)} req/s vs ${fmt(without)} without → attribution costs ${fmt((100 * (without - withAttr)) / Math.max(1, without), 1)}% (below 0: within the noise; target ≤ 5%)`);
    lines.push(`  pool after the run: ${h.n} numbers held by ${h.sessions} sessions (never more numbers than sessions); ${rows.rows.length ? (rows.rows[0] as { n: number }).n : 0} attribution rows stored`);
    return { name: "attribution", lines };
  } finally {
    await env.stop();
  }
}

runAlone(module, benchAttribution);
