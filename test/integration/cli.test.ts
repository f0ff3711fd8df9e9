import { createTestDatabase, type TestDatabase } from "../support/db";
import { runCli } from "../support/cli";

const cli = (db: TestDatabase, args: string[]) => runCli(db.url, args);

describe("operator CLI", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("creates a client and a client admin, printing JSON with their ids", async () => {
    const client = await cli(db, ["client:create", "--name", "Cli Roofing", "--timezone", "America/Chicago", "--json"]);
    expect(client.code).toBe(0);
    const c = JSON.parse(client.stdout);
    expect(c).toMatchObject({ name: "Cli Roofing", timezone: "America/Chicago", id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const user = await cli(db, ["user:create", "--email", "Owner@Cli.test", "--password", "a-long-password", "--role", "client_admin", "--client", c.id, "--json"]);
    expect(user.code).toBe(0);
    expect(JSON.parse(user.stdout)).toMatchObject({ email: "owner@cli.test", role: "client_admin", clientId: c.id });
    expect(user.stdout).not.toContain("passwordHash");
  }, 60_000);

  it("prints a human line without --json", async () => {
    const r = await cli(db, ["client:create", "--name", "Human Line Co"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created client "Human Line Co" id=[0-9a-f-]{36}\n$/);
  }, 60_000);

  it("exits non-zero with a clear message on bad input", async () => {
    const bad = await cli(db, ["user:create", "--email", "not-an-email", "--password", "x", "--role", "client_admin"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--email: must be an e-mail address/);
    const unknown = await cli(db, ["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const badFlag = await cli(db, ["client:create", "--nmae", "typo"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/Unknown option '--nmae'/);
  }, 60_000);
});
