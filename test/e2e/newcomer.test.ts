import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { Browser } from "playwright-core";
import pg from "pg";
import { testServerUrl, withDb } from "../support/db";
import { expectCleanStop, launchBrowser, login, shot, startServer } from "./support";

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

describe("a newcomer starts LeadLedger and signs in", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it("prints where to sign in, the console lists the demo clients, Ctrl-C leaves nothing running and a restart keeps the data", async () => {
    const server = await startServer({ LOG_LEVEL: "info" }, { keepData: true, terminal: true });
    const pgPort = Number(server.env.EMBEDDED_PG_PORT);
    try {
      expect(server.output()).toContain(`LeadLedger is running: ${server.url}/login`);
      // The sign-in lines name the users; their passwords are in DATA_DIR/credentials.txt (mode 0600), not in the terminal.
      expect(server.output()).toMatch(/agency_admin\s+admin@leadledger\.local\n/);
      expect(server.output()).not.toContain("e2e-admin-password");
      const credentials = path.join(server.dataDir, "credentials.txt");
      expect(server.output()).toContain(`passwords: ${credentials} (readable by you only`);
      expect(fs.statSync(credentials).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(credentials, "utf8")).toMatch(/agency_admin\s+admin@leadledger\.local\s+password: e2e-admin-password/);
      expect(server.output()).toContain(`--url ${server.url}`);
      expect(server.output()).toContain("local fake Twilio");

      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await login(page, server.url, "admin@leadledger.local", "e2e-admin-password");
      await page.goto(`${server.url}/agency/clients`);
      await page.getByRole("link", { name: "Brooklyn Roofing Co" }).waitFor();
      await page.getByRole("link", { name: "Bay Area HVAC Pros" }).waitFor();
      await shot(page, "01-agency-console");

      const client = await browser.newPage({ viewport: { width: 390, height: 800 } });
      await login(client, server.url, "owner@brooklynroofing.demo", "e2e-admin-password");
      expect(new URL(client.url()).pathname).toBe("/portal");
      await client.getByRole("heading", { name: "Brooklyn Roofing Co" }).waitFor();
      await shot(client, "02-client-portal-phone");
      await page.close();
      await client.close();
    } finally {
      await expectCleanStop(server);
    }
    // Ctrl-C reached the whole process group, but the embedded PostgreSQL (its own group) was
    // stopped last, after the pools: no connection was cut under the server.
    expect(server.output()).toContain("LeadLedger: stopped.");
    expect(server.output()).not.toMatch(/terminating connection|57P01|connection lost/);
    // One short line per request at info.
    expect(server.output()).toMatch(/"msg":"GET \/agency\/clients 200 \d+ ms"/);
    expect(await portOpen(pgPort)).toBe(false);
    expect(fs.existsSync(path.join(server.dataDir, "pg", "postmaster.pid"))).toBe(false);

    const again = await startServer({}, { dataDir: server.dataDir });
    try {
      expect(again.output()).not.toContain("demo data created");
      const page = await browser.newPage();
      await login(page, again.url, "admin@leadledger.local", "e2e-admin-password");
      await page.goto(`${again.url}/agency/clients`);
      await page.getByRole("link", { name: "Brooklyn Roofing Co" }).waitFor();
      await page.close();
    } finally {
      await expectCleanStop(again);
    }
  }, 240_000);

  it("runs on an external PostgreSQL from DATABASE_URL: migrates an empty database, seeds it, starts no embedded server", async () => {
    const name = `ext_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: testServerUrl() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const databaseUrl = withDb(testServerUrl(), name);
    try {
      const server = await startServer({ DATABASE_URL: databaseUrl });
      try {
        expect(server.output()).toContain("database: DATABASE_URL");
        expect(server.output()).not.toContain("embedded PostgreSQL");
        expect(fs.existsSync(path.join(server.dataDir, "pg"))).toBe(false);
        const page = await browser.newPage();
        await login(page, server.url, "admin@leadledger.local", "e2e-admin-password");
        await page.goto(`${server.url}/agency/clients`);
        await page.getByRole("link", { name: "Brooklyn Roofing Co" }).waitFor();
        await page.close();
      } finally {
        await expectCleanStop(server);
      }
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query<{ name: string }>("select name from clients order by name");
        expect(rows.map((r) => r.name)).toEqual(["Bay Area HVAC Pros", "Brooklyn Roofing Co"]);
      } finally {
        await db.end();
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 180_000);
});
