import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres } from "../../server/db/embedded";
import { startFakeTwilio, type FakeMessage } from "../../server/integrations/twilio/fake-twilio-server";
import { fmt, freePort } from "./support";
import { runAlone } from "./run-alone";

/**
 * Soak: the real server (`node --import tsx server/main.ts`, one process with the jobs, on its own
 * embedded PostgreSQL) takes form leads at BENCH_SOAK_RATE per second (default 20) for
 * BENCH_SOAK_MINUTES (default 2 in a full `npm run bench`; the soak is 10), with two reps
 * texted per lead through a fake Twilio in this process that reports every SMS delivered. Every 5 s
 * the server's own /metrics gives its heap and resident memory. The figure is whether memory stays
 * flat: the lowest heap (what survives garbage collection) and resident size over the last third
 * of the run against the same over the first third after a minute of warm-up, in the same run.
 * Also counted: leads answered 2xx, SMS that reached Twilio, leads texted twice.
 */
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 20);
const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 2);
const ROOT = path.resolve(__dirname, "../..");
const ACCOUNT_SID = `AC${"50".repeat(16)}`;
const AUTH_TOKEN = "soak-bench-auth-token-0123456789";

/** Each lead from its own visitor address (X-Forwarded-For from loopback is trusted), as on a real landing page. */
function post(agent: http.Agent, url: string, body: string, visitor: string): Promise<number> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = http.request(
      { agent, host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-type": "application/json", accept: "application/json", "x-forwarded-for": visitor, "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").pop()) : Number.NaN;
}

export async function benchSoak(): Promise<{ name: string; lines: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-soak-"));
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-soak-pg-"));
  const pgServer = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), ephemeral: true });
  const databaseUrl = await ensureDatabase(pgServer.url, "soak");
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, autoDeliver: true, autoDeliverDelayMs: 200 });
  // Count SMS per rep and lead, and let the fake forget them, so its own memory stays out of the figures.
  const perRepAndLead = new Map<string, number>();
  let smsCount = 0;
  const push = fake.messages.push.bind(fake.messages);
  fake.messages.push = (...items: FakeMessage[]) => {
    for (const m of items) {
      smsCount++;
      const lead = /\/portal\/leads\/([0-9a-f-]{36})/.exec(m.body)?.[1];
      if (lead) perRepAndLead.set(`${m.to}|${lead}`, (perRepAndLead.get(`${m.to}|${lead}`) ?? 0) + 1);
    }
    return push(...items);
  };
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: "development",
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE: fake.url,
    TWILIO_FROM_NUMBER: "+15005550006",
    SEED_ADMIN_PASSWORD: "soak-bench-password",
    LOG_LEVEL: "warn",
  };
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += String(d)));
  child.stderr.on("data", (d: Buffer) => (out += String(d)));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  const db = new pg.Client({ connectionString: databaseUrl });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    const started = Date.now();
    while (!/LeadLedger is running/.test(out)) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${out.slice(-2000)}`);
      if (Date.now() - started > 120_000) throw new Error("server did not start in 120 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    await db.connect();
    await db.query("update alert_recipients set active_hours = null");
    const key = (await db.query("select f.public_key from forms f join clients c on c.id = f.client_id where c.name = 'Brooklyn Roofing Co'")).rows[0].public_key as string;
    const formUrl = `${url}/api/forms/${key}`;

    const total = Math.round(RATE * MINUTES * 60);
    const samples: { at: number; heap: number; rss: number }[] = [];
    const t0 = performance.now();
    const sampler = setInterval(() => {
      const at = (performance.now() - t0) / 1000;
      void Promise.all([metric(url, "nodejs_heap_size_used_bytes"), metric(url, "process_resident_memory_bytes")])
        .then(([heap, rss]) => samples.push({ at, heap, rss }))
        .catch(() => undefined);
    }, 5_000);
    const statuses: Promise<number>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const body = JSON.stringify({ name: `Soak Lead ${i}`, phone: `+1646${String(3_000_000 + i).padStart(7, "0")}`, email: `soak${i}@example.com`, zip: "11201", budget: "5000" });
      statuses.push(post(agent, formUrl, body, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
      if (statuses.length % 2000 === 0) await Promise.all(statuses.slice(-2000));
    }
    const answered = await Promise.all(statuses);
    clearInterval(sampler);
    const ok = answered.filter((s) => s === 201).length;
    const qualified = Number((await db.query("select count(*)::int as n from leads where status = 'qualified' and name like 'Soak Lead %'")).rows[0].n);
    // Drain: until no alert of a soak lead is waiting and the count of alert rows stops growing.
    const alertCounts = async () =>
      (await db.query("select count(*)::int as n, count(*) filter (where a.status in ('pending', 'sending'))::int as open from alerts a join leads l on l.id = a.lead_id where l.name like 'Soak Lead %' and a.status <> 'skipped'")).rows[0] as { n: number; open: number };
    const drainUntil = Date.now() + 90_000;
    let expected = -1;
    for (;;) {
      const c = await alertCounts();
      if ((c.open === 0 && c.n === expected) || Date.now() > drainUntil) {
        expected = c.n;
        break;
      }
      expected = c.n;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const doubled = [...perRepAndLead.values()].filter((n) => n > 1).length;

    const lowest = (from: number, to: number) => {
      const xs = samples.filter((x) => x.at >= from && x.at < to);
      return xs.length ? { heap: Math.min(...xs.map((x) => x.heap)), rss: Math.min(...xs.map((x) => x.rss)) } : null;
    };
    const seconds = MINUTES * 60;
    const third = Math.max(20, (seconds - 60) / 3);
    const first = lowest(60, 60 + third) ?? lowest(0, seconds / 2);
    const last = lowest(seconds - third, seconds + 30);
    const mb = (b: number) => `${fmt(b / 1_048_576, 1)} MB`;
    return {
      name: "soak",
      lines: [
        `${RATE} form leads/s (BENCH_SOAK_RATE) for ${MINUTES} min (BENCH_SOAK_MINUTES) into one server process (jobs on), 2 reps texted per lead, fake Twilio on loopback reporting delivery`,
        `  machine: ${os.cpus().length} cores, load average ${fmt(os.loadavg()[0]!, 1)} at the end`,
        `  leads posted ${total}, answered 201 ${ok}, qualified ${qualified}; SMS expected ${expected}, reached Twilio ${smsCount}, distinct rep+lead ${perRepAndLead.size}, texted more than once ${doubled}`,
        `  server memory, lowest per minute (heap used / resident): ${Array.from({ length: Math.ceil(seconds / 60) }, (_, m) => lowest(m * 60, (m + 1) * 60))
          .map((x, m) => (x ? `min ${m + 1} ${mb(x.heap)}/${mb(x.rss)}` : `min ${m + 1} —`))
          .join(", ")}`,
        first && last
          ? `  → lowest over the last ${fmt(third)} s vs the first ${fmt(third)} s after warm-up: heap ${mb(last.heap)} vs ${mb(first.heap)} (${fmt(last.heap / first.heap, 2)}×), resident ${mb(last.rss)} vs ${mb(first.rss)} (${fmt(last.rss / first.rss, 2)}×)`
          : "  → too short to compare",
      ],
    };
  } finally {
    agent.destroy();
    await db.end().catch(() => undefined);
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await fake.stop();
    await pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(pgDir, { recursive: true, force: true });
  }
}

runAlone(module, benchSoak);
