import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { DESIGN_EXAMPLE } from "../support/contracts";
import { runCli } from "../support/cli";

const cli = (db: TestDatabase, args: string[]) => runCli(db.url, args);

describe("operator CLI: a client's set-up (contracts, campaigns, forms, API keys)", () => {
  let db: TestDatabase;
  let dir: string;
  let clientId: string;
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  const query = async (text: string, values: unknown[]) => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query(text, values)).rows;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "leadledger-contract-cli-"));
    const created = await cli(db, ["client:create", "--name", "Cli Contract Roofing", "--json"]);
    if (created.code !== 0) throw new Error(`client:create failed: ${created.stderr}`);
    clientId = JSON.parse(created.stdout).id;
  }, 60_000);
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it("publishes a contract file and prints the contract id, version id and version", async () => {
    const r = await cli(db, ["contract:publish", "--client", clientId, "--file", file("contract.json", JSON.stringify(DESIGN_EXAMPLE)), "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), versionId: expect.stringMatching(/^[0-9a-f-]{36}$/), version: 1 });
    const rows = await query("select contract_id, version, effective_from, document from contract_versions where id = $1", [out.versionId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ contract_id: out.id, version: 1, document: DESIGN_EXAMPLE });
    expect((rows[0].effective_from as Date).toISOString()).toBe("2026-12-01T00:00:00.000Z");

    const second = await cli(db, ["contract:publish", "--client", clientId, "--file", file("v2.json", JSON.stringify({ ...DESIGN_EXAMPLE, effectiveFrom: "2027-01-01T00:00:00Z" }))]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^published contract version 2 id=[0-9a-f-]{36} versionId=[0-9a-f-]{36} effective from 2027-01-01T00:00:00.000Z\n/);
    expect(second.stdout).toContain("Effective from: 1 December 2026, 00:00 UTC → 1 January 2027, 00:00 UTC");
  }, 60_000);

  it("exits 1 with the document's field issues for an invalid contract, and with a clear message for bad JSON or a missing file", async () => {
    const invalid = { ...DESIGN_EXAMPLE, qualification: { ...DESIGN_EXAMPLE.qualification, serviceArea: { zips: ["10001", "10002", "10003", "1004"] } } };
    const bad = await cli(db, ["contract:publish", "--client", clientId, "--file", file("invalid.json", JSON.stringify(invalid))]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/The contract document is not valid/);
    expect(bad.stderr).toMatch(/qualification\.serviceArea\.zips\.3: must be a 5-digit ZIP/);

    const badJson = await cli(db, ["contract:publish", "--client", clientId, "--file", file("broken.json", '{ "pricing": { '), "--json"]);
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.stdout).error).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringMatching(/is not valid JSON/) });

    const missing = await cli(db, ["contract:publish", "--client", clientId, "--file", path.join(dir, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read the contract file .*nope\.json: no such file/);

    const rows = await query("select count(*)::int as n from contract_versions where client_id = $1", [clientId]);
    expect(rows[0].n).toBe(2);
  }, 60_000);

  it("creates a campaign, a form with origins and an API key, printing their ids (and the key once)", async () => {
    const campaign = await cli(db, ["campaign:create", "--client", clientId, "--name", "Google Search", "--json"]);
    expect(campaign.code).toBe(0);
    const campaignId = JSON.parse(campaign.stdout).id;
    expect(campaignId).toMatch(/^[0-9a-f-]{36}$/);

    const form = await cli(db, ["form:create", "--campaign", campaignId, "--origin", "https://Roofs.Example.com/", "--origin", "https://www.roofs.example.com", "--thank-you", "https://roofs.example.com/thanks", "--json"]);
    expect(form.code).toBe(0);
    const f = JSON.parse(form.stdout);
    expect(f).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), publicKey: expect.stringMatching(/^pk_[A-Za-z0-9_-]{24}$/), allowedOrigins: ["https://roofs.example.com", "https://www.roofs.example.com"] });

    const key = await cli(db, ["apikey:create", "--client", clientId, "--name", "Vendor", "--json"]);
    expect(key.code).toBe(0);
    const k = JSON.parse(key.stdout);
    expect(k).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), key: expect.stringMatching(/^ll_live_[A-Za-z0-9_-]{32}$/) });
    const stored = await query("select key_hash, prefix from api_keys where id = $1", [k.id]);
    expect(stored).toEqual([{ key_hash: createHash("sha256").update(k.key).digest("hex"), prefix: k.key.slice(0, 12) }]);

    const badOrigin = await cli(db, ["form:create", "--campaign", campaignId, "--origin", "roofs.example.com"]);
    expect(badOrigin.code).toBe(1);
    expect(badOrigin.stderr).toMatch(/allowedOrigins\.0: must be an origin like https:\/\/example\.com/);
  }, 90_000);
});
