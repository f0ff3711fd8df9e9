import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type APIRequestContext, type Browser, type Page } from "playwright-core";
import { freePort } from "../support/free-port";

const ROOT = path.resolve(__dirname, "../..");
export const SCREENSHOT_DIR = path.join(ROOT, "test-output", "screenshots");

export interface RunningServer {
  url: string;
  dataDir: string;
  env: Record<string, string>;
  output: () => string;
  stop(): Promise<number | null>;
  /** SIGKILL, like a crash or the OOM killer: no shutdown code runs. Resolves once the process is gone. */
  kill(): Promise<void>;
}

/**
 * Starts the product exactly as a newcomer does (`tsx server/main.ts`, what `npm start` runs after
 * building), on a fresh embedded database in a temp dir, and waits for its "running" line.
 */
export async function startServer(
  extraEnv: Record<string, string> = {},
  opts: {
    dataDir?: string;
    keepData?: boolean;
    /** e.g. ["--worker"] */
    args?: string[];
    /** Run it in its own process group and stop it like Ctrl-C in a terminal: SIGINT to the whole group. */
    terminal?: boolean;
  } = {},
): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-e2e-"));
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    SEED_ADMIN_PASSWORD: "e2e-admin-password",
    LOG_LEVEL: "warn",
    NODE_ENV: "development",
    ...extraEnv,
  };
  if (!("DATABASE_URL" in extraEnv)) delete env.DATABASE_URL;
  if (!("TWILIO_ACCOUNT_SID" in extraEnv)) delete env.TWILIO_ACCOUNT_SID;
  if (!("TWILIO_AUTH_TOKEN" in extraEnv)) delete env.TWILIO_AUTH_TOKEN;
  // node with tsx's loader (what the tsx command runs in a child process), so that the PID is the
  // server itself and a SIGKILL reaches it.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/main.ts", ...(opts.args ?? [])], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: opts.terminal === true,
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += String(d)));
  child.stderr!.on("data", (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const started = Date.now();
  while (!/LeadLedger (worker )?is running/.test(out)) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    if (Date.now() - started > 90_000) {
      child.kill("SIGKILL");
      throw new Error(`server did not start in 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    env,
    output: () => out,
    async stop() {
      if (opts.terminal) process.kill(-child.pid!, "SIGINT");
      else child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      if (!opts.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Polls `probe` until it gives a truthy value (returned), or throws after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 90_000, everyMs = 100): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Stops the server like Ctrl-C and expects exit code 0; on failure the message carries the server's last output. */
export async function expectCleanStop(server: RunningServer): Promise<void> {
  const code = await server.stop();
  expect({ code, output: code === 0 ? "" : server.output().slice(-4000) }).toEqual({ code: 0, output: "" });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Fails when the page scrolls sideways at the current width, naming the widest offending
 * elements so a CI log says what to fix.
 */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const found = await page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    const offenders: string[] = [];
    if (overflow > 0) {
      for (const el of Array.from(document.body.querySelectorAll("*"))) {
        const r = el.getBoundingClientRect();
        if (r.right <= window.innerWidth + 0.5 || r.width === 0) continue;
        // Only the innermost culprits: skip elements whose overflowing child explains them.
        const inScroller = el.closest(".table-wrap, pre, .scroll-x");
        if (inScroller && inScroller !== el) continue;
        const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
        offenders.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(r.right)} "${(el.textContent ?? "").trim().slice(0, 40)}"`);
      }
    }
    return { overflow, offenders: offenders.slice(-8) };
  });
  expect({ overflow: Math.max(0, found.overflow), offenders: found.overflow > 0 ? found.offenders : [] }).toEqual({ overflow: 0, offenders: [] });
}

/** Screenshots the page wide, then at phone width (checking nothing scrolls sideways), then back. */
export async function shotsWideAndPhone(page: Page, name: string): Promise<void> {
  await shot(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await shot(page, `${name}-phone`);
  await page.setViewportSize({ width: 1280, height: 860 });
}

/** A tRPC query with the page's session (its cookies), answered with the result's data. */
export async function trpcQuery<T>(page: Page, baseUrl: string, path: string, input?: unknown): Promise<T> {
  const q = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await page.request.get(`${baseUrl}/trpc/${path}${q}`);
  const body = (await res.json()) as { result: { data: T } };
  return body.result.data;
}

export async function login(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.getByRole("button", { name: "Sign in" }).click()]);
}

/** One browser and one fresh server for a describe block, both stopped after it (the server cleanly). */
export function browserAndServer(extraEnv: Record<string, string> = {}): { browser: Browser; server: RunningServer } {
  const ctx = {} as { browser: Browser; server: RunningServer };
  beforeAll(async () => {
    ctx.browser = await launchBrowser();
    ctx.server = await startServer(extraEnv);
  });
  afterAll(async () => {
    await ctx.browser?.close();
    if (ctx.server) await expectCleanStop(ctx.server);
  });
  return ctx;
}

/** A tRPC call over HTTP with the page's session (its cookies): a query (GET) or a mutation (POST); throws on an error answer. */
export async function trpcCall<T>(request: APIRequestContext, baseUrl: string, kind: "query" | "mutation", path: string, input?: unknown): Promise<T> {
  const res =
    kind === "query"
      ? await request.get(`${baseUrl}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`)
      : await request.post(`${baseUrl}/trpc/${path}`, { data: input ?? {} });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok() || !body.result) throw new Error(`${path} failed: ${res.status()} ${JSON.stringify(body.error)}`);
  return body.result.data;
}
