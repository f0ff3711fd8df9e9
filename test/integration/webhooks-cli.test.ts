import { sql } from "drizzle-orm";
import supertest from "supertest";
import { runSimulator } from "../../server/cli/simulate";
import { createTestContext, type TestContext } from "../support/app";
import { GOOD_LEAD, setupIntakeClient } from "../support/fixtures";
import { freePort } from "../support/free-port";
import { runCli } from "../support/cli";

const cli = runCli;

describe("webhook:add, webhook:replay and the simulator's receiver", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ remix: false });
  });
  afterAll(async () => {
    t.deps.webhooks.close();
    await t.close();
  });

  it("adds an endpoint from the CLI, the receiver verifies the signed delivery, and a replay arrives again with the same webhook-id", async () => {
    const s = await setupIntakeClient(t.deps);
    const port = await freePort();
    const added = await cli(t.db.url, ["webhook:add", "--client", s.client.id, "--url", `http://127.0.0.1:${port}/hooks`, "--event", "lead.qualified", "--json"]);
    expect(added.code).toBe(0);
    const endpoint = JSON.parse(added.stdout) as { id: string; secret: string; events: string[] };
    expect(endpoint).toMatchObject({ events: ["lead.qualified"], secret: expect.stringMatching(/^whsec_/) });

    const lines: string[] = [];
    const receiver = runSimulator(["receiver", "--port", String(port), "--secret", endpoint.secret, "--count", "2"], { out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`), env: {} });
    while (!lines.some((l) => l.startsWith("webhook receiver listening"))) await new Promise((r) => setTimeout(r, 20));

    const lead = await supertest(t.app).post(`/api/forms/${s.publicKey}`).set("Origin", "https://roofs.example.com").set("Accept", "application/json").send(GOOD_LEAD);
    const [d] = (await t.deps.db.execute(sql`select id, message_id from webhook_deliveries where lead_id = ${lead.body.leadId}`)).rows as { id: string; message_id: string }[];
    expect(await t.deps.webhooks.deliver(d!.id)).toMatchObject({ kind: "delivered", status: 200 });
    const replay = await cli(t.db.url, ["webhook:replay", "--delivery", d!.id]);

    expect(await receiver).toBe(0);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`webhook-id ${d!.message_id}`);
    expect(replay.stdout).toMatch(/delivered \(HTTP 200/);
    const got = lines.filter((l) => l.includes("webhook-id"));
    expect(got).toHaveLength(2);
    expect(got[0]).toMatch(new RegExp(`lead.qualified Ann Smith \\+12125550142 webhook-id ${d!.message_id} · signature ok → 200`));
    expect(got[1]).toContain("(seen before: a retry or replay) · signature ok → 200");
  }, 60_000);

  it("refuses a bad URL and an unknown delivery with a clear message and a non-zero exit", async () => {
    const s = await setupIntakeClient(t.deps);
    const bad = await cli(t.db.url, ["webhook:add", "--client", s.client.id, "--url", "ftp://x.example.com"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/https/);
    const missing = await cli(t.db.url, ["webhook:replay", "--delivery", "00000000-0000-4000-8000-000000000001"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/i);
  }, 60_000);
});
