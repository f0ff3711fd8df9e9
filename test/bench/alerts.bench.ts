import http from "node:http";
import os from "node:os";
import { sql } from "drizzle-orm";
import { firstAttemptInProcess } from "../../jobs/alerts-send";
import { startOutboxListener } from "../../jobs/outbox-listener";
import { startScheduler } from "../../jobs/scheduler";
import { alertRecipients } from "../../server/db/schema";
import { contractDocumentSchema } from "../../server/domain/contracts/contract-document";
import { createApp } from "../../server/http/app";
import { DEFAULT_FAKE_ACCOUNT_SID, startFakeTwilio, type FakeMessage } from "../../server/integrations/twilio/fake-twilio-server";
import { TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";
import { committedTransactions, fmt, freePort, percentile, resetStatements, startBenchEnv, topStatements, setupBenchFormClient } from "./support";
import { runAlone } from "./run-alone";

/**
 * Speed-to-lead under a steady stream of form leads: the time from each intake response (the lead
 * is committed) to its SMS request reaching the (in-process) fake Twilio, through the real path —
 * NOTIFY → outbox listener → alert rows → Agenda on PostgreSQL → alerts.send → Twilio SDK. Two reps
 * are on duty, so every lead makes two SMS. The same-run baseline is the intake alone at the same
 * rate with no alert pipeline running. Loopback only; bounded; prints figures, never fails on speed.
 */
const RATE_PER_S = Number(process.env.BENCH_ALERT_RATE ?? 10);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 10_000);
const REPS = ["+12125550181", "+12125550182"];

interface Posted {
  leadId: string | null;
  status: number;
  /** performance.now() when the intake answer arrived. */
  answeredAt: number;
  latencyMs: number;
}

function postJson(url: string, body: string, headers: Record<string, string>, agent: http.Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = http.request(
      { agent, host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", () => resolve({ status: 0, text: "" }));
    req.end(body);
  });
}

/** Open loop: request i leaves at start + i/rate whatever the earlier ones are doing (bounded by count). */
export async function steadyForms(url: string, ratePerS: number, durationMs: number, lead: (i: number) => Record<string, string>): Promise<Posted[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round((ratePerS * durationMs) / 1000);
  const start = performance.now();
  const results: Promise<Posted>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / ratePerS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    results.push(
      postJson(url, JSON.stringify(lead(i)), { "content-type": "application/json", accept: "application/json", "x-forwarded-for": `10.9.${i % 250}.${(i >> 8) % 250}` }, agent).then(
        ({ status, text }) => {
          const answeredAt = performance.now();
          let leadId: string | null = null;
          try {
            leadId = (JSON.parse(text) as { leadId?: string }).leadId ?? null;
          } catch {
            /* not JSON */
          }
          return { leadId, status, answeredAt, latencyMs: answeredAt - t0 };
        },
      ),
    );
  }
  const out = await Promise.all(results);
  agent.destroy();
  return out;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
};

export async function benchAlerts(): Promise<{ name: string; lines: string[] }> {
  const loadAtStart = os.loadavg()[0]!;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const fake = await startFakeTwilio({ accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: TEST_TWILIO_AUTH_TOKEN, autoDeliver: true });
  // When each SMS request reaches the fake (same process, same clock as the load generator).
  const arrivals = new Map<string, number[]>();
  // Which lead an SMS is for: its name ("Bench Lead <phase>-<i>"); the link in it is a rep's token, not the lead's id.
  const leadIdOf = (m: FakeMessage) => /Bench Lead (\d+-\d+)\b/.exec(m.body)?.[1] ?? null;
  const push = fake.messages.push.bind(fake.messages);
  fake.messages.push = (...items: FakeMessage[]) => {
    const now = performance.now();
    for (const m of items) {
      const id = leadIdOf(m);
      if (id) arrivals.set(id, [...(arrivals.get(id) ?? []), now]);
    }
    return push(...items);
  };

  const env = await startBenchEnv({ poolMax: 40, twilioApiBase: fake.url, env: { PUBLIC_URL: base, SMS_GROUP_COMMIT: process.env.SMS_GROUP_COMMIT ?? "true" } });
  const { deps } = env;
  const server = http.createServer(createApp(deps, { remixBuild: null }));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  let scheduler: Awaited<ReturnType<typeof startScheduler>> | null = null;
  let listener: Awaited<ReturnType<typeof startOutboxListener>> | null = null;
  try {
    const doc = contractDocumentSchema.parse({
      effectiveFrom: "2020-01-01T00:00:00Z",
      qualification: { requiredFields: ["phone", "zip"], serviceArea: { zips: ["10001", "10002", "10003"] }, duplicate: { windowDays: 30, fields: ["phone"] } },
      pricing: { leadPriceCents: 7500 },
    });
    const { client, publicKey } = await setupBenchFormClient(deps, "Bench Alerts Roofing", doc);
    for (const [i, phone] of REPS.entries()) await deps.db.insert(alertRecipients).values({ clientId: client.id, name: `Rep ${i + 1}`, phone });

    const url = `${base}/api/forms/${publicKey}`;
    const run = Date.now() % 1_000_000;
    const lead = (phase: number) => (i: number) => ({
      name: `Bench Lead ${phase}-${i}`,
      phone: `+1646${String(2_000_000 + ((run + phase * 300_000 + i * 7) % 7_000_000)).padStart(7, "0")}`,
      zip: String(10001 + (i % 3)),
    });

    // Warm-up (JIT, connections), then the baseline: intake alone, no listener, no worker.
    await steadyForms(url, RATE_PER_S, 1_000, lead(0));
    const c0 = await committedTransactions(deps.db);
    const baseline = await steadyForms(url, RATE_PER_S, PHASE_MS, lead(1));
    await new Promise((r) => setTimeout(r, 1_000)); // pg_stat counters are flushed about once a second
    const baselineCommits = (await committedTransactions(deps.db)) - c0;
    // Its events stay unprocessed on purpose; mark them done so the pipeline starts from a clean slate.
    await deps.db.execute(sql`update outbox_events set processed_at = now()`);

    scheduler = await startScheduler(deps);
    // As in production (server/main.ts): first attempt in process, retries on Agenda.
    listener = await startOutboxListener(deps, { enqueue: process.env.BENCH_ALERT_VIA_AGENDA ? scheduler : firstAttemptInProcess(deps, scheduler, { concurrency: Number(process.env.BENCH_FIRST_ATTEMPTS ?? 8) }) });
    await steadyForms(url, RATE_PER_S, 1_000, lead(2)); // warm the pipeline
    await resetStatements(deps.db);
    const c1 = await committedTransactions(deps.db);
    const measured = await steadyForms(url, RATE_PER_S, PHASE_MS, lead(3));
    const qualified = measured.map((p, i) => ({ ...p, key: `3-${i}` })).filter((p) => p.status === 201 && p.leadId);
    const expected = qualified.length * REPS.length;
    const deadline = Date.now() + 30_000;
    const got = () => qualified.reduce((n, p) => n + (arrivals.get(p.key)?.length ?? 0), 0);
    while (got() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1_500)); // the last status callbacks, and the pg_stat flush
    const pipelineCommits = (await committedTransactions(deps.db)) - c1;
    const statements = await topStatements(deps.db, 12);

    const toSms: number[] = [];
    const toFirstSms: number[] = [];
    for (const p of qualified) {
      const a = arrivals.get(p.key) ?? [];
      for (const t of a) toSms.push(t - p.answeredAt);
      if (a.length) toFirstSms.push(Math.min(...a) - p.answeredAt);
    }
    const duplicates = [...arrivals.values()].filter((a) => a.length > REPS.length).length;
    const b = stats(baseline.map((p) => p.latencyMs));
    const m = stats(measured.map((p) => p.latencyMs));
    const s = stats(toSms);
    const f = stats(toFirstSms);
    const delivered = await deps.db.execute(sql`select status, count(*)::int as n from alerts group by status order by status`);
    const ids = qualified.map((p) => p.leadId!);
    const lag = (
      await deps.db.execute(sql`select
          percentile_cont(0.5) within group (order by extract(epoch from a.queued_at - l.received_at) * 1000) as dispatch_p50,
          percentile_cont(0.99) within group (order by extract(epoch from a.queued_at - l.received_at) * 1000) as dispatch_p99,
          percentile_cont(0.5) within group (order by extract(epoch from a.sent_at - a.queued_at) * 1000) as queue_p50,
          percentile_cont(0.99) within group (order by extract(epoch from a.sent_at - a.queued_at) * 1000) as queue_p99
        from alerts a join leads l on l.id = a.lead_id where a.lead_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`)
    ).rows[0] as Record<string, number>;
    const row = (label: string, x: ReturnType<typeof stats>, unit: string) =>
      `  ${label.padEnd(44)} ${String(x.n).padStart(5)} ${unit}  p50 ${fmt(x.p50, 1).padStart(6)} ms  p99 ${fmt(x.p99, 1).padStart(6)} ms  max ${fmt(x.max, 1).padStart(6)} ms`;
    return {
      name: "alerts",
      lines: [
        `form leads at ${RATE_PER_S}/s (BENCH_ALERT_RATE) for ${PHASE_MS / 1000} s per phase, ${REPS.length} reps on duty; embedded PostgreSQL, outbox listener (${process.env.BENCH_ALERT_VIA_AGENDA ? "every attempt through Agenda (BENCH_ALERT_VIA_AGENDA)" : `first SMS attempt in process, ${process.env.BENCH_FIRST_ATTEMPTS ?? 8} at once (BENCH_FIRST_ATTEMPTS), retries on Agenda`}) + load generator in one process, fake Twilio on loopback; SMS group commit ${process.env.SMS_GROUP_COMMIT === "false" ? "off" : "on"} (SMS_GROUP_COMMIT)`,
        `  machine: ${os.cpus().length} cores, load average ${fmt(loadAtStart, 1)} at start, ${fmt(os.loadavg()[0]!, 1)} at the end (other work on the machine moves these figures a lot)`,
        row("baseline: intake alone (POST → 201)", b, "leads"),
        row("intake with the alert pipeline running", m, "leads"),
        row("intake answer → SMS request at Twilio (each)", s, "SMS  "),
        row("intake answer → first SMS of the lead", f, "leads"),
        `  → intake p50 with alerts running is ${fmt((100 * m.p50) / b.p50)}% of the baseline's; SMS p50 is ${fmt(s.p50 / b.p50, 1)}× the intake p50`,
        `  where the time goes (database clock): lead received → alert row p50 ${fmt(Number(lag.dispatch_p50), 1)} / p99 ${fmt(Number(lag.dispatch_p99), 1)} ms; alert row → SMS accepted p50 ${fmt(Number(lag.queue_p50), 1)} / p99 ${fmt(Number(lag.queue_p99), 1)} ms`,
        `  committed transactions per lead (this database, Agenda's included): intake alone ${fmt(baselineCommits / baseline.length, 1)}, with the alert pipeline ${fmt(pipelineCommits / measured.length, 1)} (two SMS and four status callbacks per lead)`,
        `  SMS expected ${expected}, received ${s.n}, leads texted more than once per rep: ${duplicates}; alert rows by status: ${(delivered.rows as { status: string; n: number }[]).map((r) => `${r.status} ${r.n}`).join(", ")}`,
        ...statements,
      ],
    };
  } finally {
    await listener?.stop();
    await scheduler?.stop(5_000);
    await new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
    await fake.stop();
    await env.stop();
  }
}

runAlone(module, benchAlerts);
