import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import express from "express";
import { ConfigError, loadConfig } from "./config";
import { takeOverShutdownSignals } from "./db/embedded";
import { openDatabase } from "./db/open";
import { createDeps } from "./deps";
import { createApp } from "./http/app";
import { healthRouter } from "./http/health";
import { createLogger } from "./logger";
import { seedIfEmpty } from "./seed";
import { startJobs, type RunningJobs } from "../jobs/start";
import { DEFAULT_FAKE_ACCOUNT_SID, startFakeTwilio } from "./integrations/twilio/fake-twilio-server";
import { loadOrCreateFakeTwilioToken } from "./integrations/twilio/local-token";
import { twilioBannerLines, twilioMode } from "./integrations/twilio/runtime";

/**
 * `npm start` (web + jobs in one process, the default), or with `--worker` (`npm run worker`): the
 * job worker and outbox listener only, answering just /healthz and /readyz on PORT. Several web
 * processes with JOBS=false and one or more workers share one PostgreSQL (README "Running in
 * production").
 */
// eslint-disable-next-line max-lines-per-function -- start-up in its order (database, migrations, seed, jobs, HTTP) and the shutdown that undoes it
async function main() {
  const worker = process.argv.includes("--worker");
  let config;
  try {
    config = loadConfig(worker ? { ...process.env, JOBS: "true" } : process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const say = (line: string) => process.stdout.write(`${line}\n`);

  say(config.DATABASE_URL ? "LeadLedger: connecting to DATABASE_URL…" : `LeadLedger: starting the embedded PostgreSQL (data in ${config.DATA_DIR}/pg)…`);
  const database = await openDatabase(config, { onLog: (l) => logger.debug({ pg: l }, "postgres") });
  takeOverShutdownSignals();
  // Without Twilio credentials (outside production) a local fake Twilio stands in, so the demo shows
  // alerts and calls flowing. Its auth token is this install's own random one (DATA_DIR), never a
  // published constant: it also keys the /twilio/* signature check. In production nothing stands in.
  const mode = twilioMode(config);
  const fakeAuthToken = mode === "local-fake" ? loadOrCreateFakeTwilioToken(config.DATA_DIR) : undefined;
  const fakeTwilio = fakeAuthToken
    ? await startFakeTwilio({ port: 0, host: "127.0.0.1", accountSid: DEFAULT_FAKE_ACCOUNT_SID, authToken: fakeAuthToken, autoDeliver: true })
    : null;
  const deps = createDeps({ config, database, logger, twilioApiBase: fakeTwilio?.url, fakeTwilioAuthToken: fakeAuthToken });
  // The intake checks' lists and IP data load before the first lead arrives (decision 021).
  deps.intake.warmUp();

  let jobs: RunningJobs | null = null;
  let server: http.Server | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\nLeadLedger: ${signal} received, shutting down…`);
    const force = setTimeout(() => {
      say("LeadLedger: shutdown took too long, exiting.");
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        // Browsers keep idle keep-alive sockets open; give in-flight requests 3 s, then close the rest.
        const cut = setTimeout(() => server!.closeAllConnections(), 3_000);
        await closing;
        clearTimeout(cut);
      }
      await jobs?.stop(10_000);
      await fakeTwilio?.stop();
      await database.shutdown();
      say("LeadLedger: stopped.");
      process.exit(0);
    } catch (e) {
      logger.error({ err: e }, "error during shutdown");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  // Workers never seed: the first web process does, once (seedIfEmpty holds an advisory lock).
  const seeded = config.SEED && !worker ? await seedIfEmpty(deps) : null;
  if (config.JOBS) {
    // Agenda, the outbox listener with first SMS attempts in this process, and the webhook/e-mail
    // runner; retries on Agenda or from their rows; anything left behind by a crashed process is
    // picked up once its lease has run out (jobs/start.ts).
    jobs = await startJobs(deps);
  }

  const readiness = (): Record<string, boolean> =>
    config.JOBS ? { "job worker": jobs !== null && !stopping, "outbox listener": jobs !== null && !stopping } : { accepting: !stopping };
  const app = worker ? express().use(healthRouter(deps, readiness)) : createApp(deps, { remixBuild: "auto", readiness });
  server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server!.once("error", reject);
    server!.listen(config.PORT, config.HOST, () => resolve());
  });

  if (config.CLOCK_OFFSET_DAYS !== 0) say(`LeadLedger: WARNING: CLOCK_OFFSET_DAYS=${config.CLOCK_OFFSET_DAYS} shifts this server's clock ${config.CLOCK_OFFSET_DAYS} days: it reads ${deps.clock.now().toISOString()} (billing periods, disputes, sessions follow it). For demos and tests only.`);
  say("");
  if (worker) {
    say(`LeadLedger worker is running: jobs and the outbox listener; health on http://${config.HOST}:${config.PORT}/readyz`);
    say("  Press Ctrl-C to stop.");
    return;
  }
  say(`LeadLedger is running: ${config.publicUrl}/login`);
  say(`  database: ${database.embedded ? `embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data kept in ${config.DATA_DIR}/)` : "DATABASE_URL"}`);
  for (const line of twilioBannerLines({ mode, config, fakeUrl: fakeTwilio?.url, fakeAuthToken })) say(line);
  say(`  jobs:     ${config.JOBS ? "Agenda worker running in this process" : "off (JOBS=false)"}`);
  const credentialsFile = path.join(config.DATA_DIR, "credentials.txt");
  if (seeded) {
    // Passwords go to a file only this user can read, not to the terminal (scrollback, screen shares, CI logs).
    writeCredentials(credentialsFile, seeded, config.publicUrl);
    say(seeded.demo ? "  demo data created. Sign in as:" : "  first agency admin created (no demo data: SEED_DEMO is off). Sign in as:");
    for (const l of seeded.logins) say(`    ${l.role.padEnd(13)} ${l.email}${l.client ? `   (${l.client})` : ""}`);
    say(`  passwords: ${credentialsFile} (readable by you only; set SEED_ADMIN_PASSWORD to choose your own)`);
    if (seeded.demo) say(`  feed it traffic: ${simulateCommand(config)}   (form leads and calls for 3 minutes)`);
  } else {
    say(`  sign in with your existing users (the agency admin seeded at first start: ${config.SEED_ADMIN_EMAIL}${fs.existsSync(credentialsFile) ? `; first-start passwords in ${credentialsFile}` : ""})`);
  }
  say("  Press Ctrl-C to stop.");
}

/** The first start's sign-in lines and demo lead sources, in DATA_DIR/credentials.txt with mode 0600. */
function writeCredentials(file: string, seeded: NonNullable<Awaited<ReturnType<typeof seedIfEmpty>>>, url: string): void {
  const lines = [`LeadLedger sign-in details, created at first start. Sign in at ${url}/login`, ""];
  for (const l of seeded.logins) lines.push(`${l.role.padEnd(13)} ${l.email.padEnd(32)} password: ${l.password}${l.client ? `   (${l.client})` : ""}`);
  if (seeded.demo) {
    lines.push("", "Demo lead sources:");
    for (const src of seeded.sources) lines.push(`${src.client.padEnd(22)} form ${src.formKey}  tracking number ${src.trackingNumber}  API key ${src.apiKey}`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // an older file keeps its mode on overwrite
}

/** The simulator as this server's user must run it: the same DATA_DIR (its fake Twilio token) and this server's address. */
function simulateCommand(config: { DATA_DIR: string; publicUrl: string }): string {
  const env = config.DATA_DIR === ".data" ? "" : `DATA_DIR=${config.DATA_DIR} `;
  const url = config.publicUrl === "http://localhost:3000" ? "" : ` --url ${config.publicUrl}`;
  return `${env}npm run simulate -- traffic${url}`;
}

main().catch((e) => {
  process.stderr.write(`LeadLedger failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
