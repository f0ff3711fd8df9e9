import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { DEFAULT_POOL_MAX } from "../../server/db/client";
import { createDeps } from "../../server/deps";
import { phoneLookupCache } from "../../server/db/repositories/signals";
import { apiKeys, campaigns, contractVersions, contracts } from "../../server/db/schema";
import { contractDocumentSchema } from "../../server/domain/contracts/contract-document";
import { createApp } from "../../server/http/app";
import { DEFAULT_FAKE_ACCOUNT_SID, startFakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { randomSecret, sha256Hex } from "../../server/security/crypto";
import { TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";
import { runAlone } from "./run-alone";
import { fmt, listen, runLoad, startBenchEnv, type LoadResult } from "./support";

/**
 * Intake with the intake checks (docs/decisions/021-intake-signals.md) on and off, in the same run
 * on the same database: the API path under 50 concurrent connections with signals off; on with every
 * phone already looked up (the cache answers); on with every phone new, the fake Twilio Lookup
 * answering after 50 ms; and off again for drift. Prints figures and ratios; never fails on speed.
 * Targets: on (cached) ≥ 85 % of off; uncached p99 within SIGNALS_TIMEOUT_MS (800 ms).
 */
const CONCURRENCY = 50;
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 8_000);
const PHONE_POOL = 3_000;

export async function benchSignals(): Promise<{ name: string; lines: string[] }> {
  const twilio = await startFakeTwilio({ accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: TEST_TWILIO_AUTH_TOKEN });
  const env = await startBenchEnv({ poolMax: DEFAULT_POOL_MAX, twilioApiBase: twilio.url, env: { INTAKE_SIGNALS: "true" } });
  const on = env.deps;
  const off = createDeps({ config: { ...on.config, INTAKE_SIGNALS: false }, database: env.database, logger: pino({ level: "silent" }), twilioApiBase: twilio.url, fakeTwilioAuthToken: TEST_TWILIO_AUTH_TOKEN });
  try {
    const client = await on.clients.create({ kind: "system", label: "bench" }, { name: "Signals Roofing" });
    await on.db.execute(sql`update clients set phone_lookup_daily_budget = 100000000 where id = ${client.id}`);
    const [campaign] = await on.db.select().from(campaigns).where(eq(campaigns.clientId, client.id));
    const [contract] = await on.db.insert(contracts).values({ clientId: client.id }).returning();
    const zips = Array.from({ length: 200 }, (_, i) => String(10001 + i));
    const document = contractDocumentSchema.parse({
      effectiveFrom: "2020-01-01T00:00:00Z",
      qualification: {
        requiredFields: ["phone", "zip"],
        serviceArea: { zips },
        duplicate: { windowDays: 30, fields: ["phone", "email"] },
        custom: [{ field: "budget", op: "min", value: 5000 }],
        signals: [
          { signal: "email.disposable", op: "equals", value: false },
          { signal: "phone.lineType", op: "not_in", value: ["tollFree", "premium"] },
          { signal: "velocity.ipPerHour", op: "max", value: 5 },
        ],
      },
      pricing: { leadPriceCents: 7500 },
    });
    await on.db.insert(contractVersions).values({ contractId: contract!.id, clientId: client.id, version: 1, effectiveFrom: new Date("2020-01-01"), document });
    void campaign;
    const keys = Array.from({ length: CONCURRENCY }, () => randomSecret("ll_live_", 24));
    await on.db.insert(apiKeys).values(keys.map((key, i) => ({ clientId: client.id, name: `vendor ${i + 1}`, prefix: key.slice(0, 12), keyHash: sha256Hex(key) })));

    const serverOn = await listen(createApp(on, { remixBuild: null }));
    const serverOff = await listen(createApp(off, { remixBuild: null }));
    const run = Date.now().toString(36);
    let fresh = 0;
    const request = (url: string, phone: (i: number) => string, tag: string) => (i: number) => ({
      url: `${url}/api/v1/leads`,
      headers: { "content-type": "application/json", authorization: `Bearer ${keys[i % keys.length]}` },
      body: JSON.stringify({
        name: `Bench ${i}`,
        phone: phone(i),
        email: `${tag}${run}-${i}@example.com`,
        zip: String(10001 + (i % 200)),
        budget: "6000",
        ip_address: `72.229.${(i >> 8) % 250}.${i % 250}`,
        device_id: `${tag}-${i}`,
      }),
    });
    // Pooled phones (looked up in the warm-up, then cached) and always-new phones (a lookup each).
    const pooled = (i: number) => `+1212${String(2_000_000 + (i % PHONE_POOL)).padStart(7, "0")}`;
    const newPhone = () => `+1646${String(2_000_000 + fresh++).padStart(7, "0")}`;

    // The pooled numbers' lookups are in the cache table already (as after a day of traffic); the
    // warm-up phases then fill the in-process copy and warm both paths.
    const cache = phoneLookupCache(on.db);
    for (let i = 0; i < PHONE_POOL; i++) await cache.put(pooled(i), { valid: true, lineType: "mobile", carrier: "Verizon Wireless" }, new Date());
    await runLoad({ concurrency: CONCURRENCY, durationMs: 1_500, request: request(serverOn.url, pooled, "w") });
    await runLoad({ concurrency: CONCURRENCY, durationMs: 1_500, request: request(serverOff.url, pooled, "x") });
    const cachedLookupsBefore = twilio.lookups.length;
    const phases: [string, LoadResult][] = [];
    const phase = async (name: string, req: (i: number) => { url: string; headers: Record<string, string>; body: string }) => {
      phases.push([name, await runLoad({ concurrency: CONCURRENCY, durationMs: PHASE_MS, request: req })]);
    };
    // Off and on alternate twice, so drift on a shared machine hits both alike.
    await phase("signals off", request(serverOff.url, pooled, "a"));
    await phase("signals on, lookup cached", request(serverOn.url, pooled, "b"));
    await phase("signals off again", request(serverOff.url, pooled, "d"));
    await phase("signals on again, lookup cached", request(serverOn.url, pooled, "e"));
    const lookupsInCachedPhases = twilio.lookups.length - cachedLookupsBefore;
    const lookupsBefore = twilio.lookups.length;
    twilio.lookupLatencyMs = 50;
    await phase("signals on, uncached, Lookup 50 ms", request(serverOn.url, newPhone, "c"));
    twilio.lookupLatencyMs = 0;
    const lookups = twilio.lookups.length - lookupsBefore;
    await serverOn.close();
    await serverOff.close();

    const rates = (prefix: string) => phases.filter(([n]) => n.startsWith(prefix)).map(([, r]) => r.perSecond);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const offRate = mean(rates("signals off"));
    const cachedRate = mean(phases.filter(([n]) => n.includes("cached") && !n.includes("uncached")).map(([, r]) => r.perSecond));
    const unavailable = await on.db.execute(sql`select count(*)::int as n from leads where judgement_evidence -> 'input' -> 'signals' -> 'phone' ->> 'status' = 'unavailable'`);
    const lines = [`API intake under ${CONCURRENCY} concurrent connections, ${PHASE_MS / 1000} s per phase, signals budget ${on.config.SIGNALS_TIMEOUT_MS} ms`];
    for (const [name, r] of phases) {
      lines.push(
        `  ${name.padEnd(36)} ${fmt(r.perSecond).padStart(7)} req/s  p50 ${fmt(r.p50ms, 1).padStart(6)} ms  p99 ${fmt(r.p99ms, 1).padStart(6)} ms  non-2xx ${r.errors}` +
          (name.startsWith("signals on") ? `  → ${fmt((100 * r.perSecond) / offRate)}% of off` : ""),
      );
    }
    lines.push(`  signals on (cached) over both runs: ${fmt((100 * cachedRate) / offRate)}% of off`);
    lines.push(`  target: on (cached) ≥ 85% of off; uncached p99 ≤ ${on.config.SIGNALS_TIMEOUT_MS} ms + intake (Lookup requests in the cached phases: ${lookupsInCachedPhases}, in the uncached phase: ${lookups}; phone checks that ran out of time overall: ${(unavailable.rows[0] as { n: number }).n})`);
    return { name: "signals", lines };
  } finally {
    await env.stop();
    await twilio.stop();
  }
}

runAlone(module, benchSignals);
