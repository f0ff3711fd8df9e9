import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

const exec = promisify(execFile);

describe("reading leads and their verdicts", () => {
  let t: TestContext;
  let a: Awaited<ReturnType<typeof setupIntakeClient>>;
  let b: Awaited<ReturnType<typeof setupIntakeClient>>;
  const ids = { good: "", far: "", dup: "", nophone: "", other: "" };
  const submit = async (s: typeof a, payload: Record<string, unknown>) =>
    (await t.deps.intake.submit({ client: { id: s.client.id, timezone: "America/New_York", phoneCountry: "US" }, source: "api", campaignId: null, apiKeyId: s.apiKey.id, payload, actor: "test" })).answer;

  beforeAll(async () => {
    t = await createTestContext();
    a = await setupIntakeClient(t.deps, { name: "Alpha Roofing" });
    b = await setupIntakeClient(t.deps, { name: "Beta Roofing" });
    ids.good = (await submit(a, { ...GOOD_LEAD, name: "Grace Good", phone: "212-555-0200" })).leadId;
    ids.far = (await submit(a, { ...GOOD_LEAD, name: "Frank Far", phone: "212-555-0201", zip: "94105" })).leadId;
    ids.dup = (await submit(a, { ...GOOD_LEAD, name: "Dana Dup", phone: "212-555-0200" })).leadId;
    ids.nophone = (await submit(a, { name: "Nora Nophone", zip: "10001", budget: 9000 })).leadId;
    ids.other = (await submit(b, { ...GOOD_LEAD, name: "Otto Other", phone: "212-555-0299" })).leadId;
    await t.deps.users.create(SYSTEM, { email: "rep@alpha.test", password: PASSWORD, role: "client_member", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
  });
  afterAll(() => t.close());

  it("lists a client's leads newest first with stable keyset pages", async () => {
    const agent = await loginAgent(t.app, "rep@alpha.test");
    const page1 = await trpc(agent, "query", "leads.list", { limit: 3 });
    expect(page1.status).toBe(200);
    const first = page1.body.result.data;
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const page2 = (await trpc(agent, "query", "leads.list", { limit: 3, cursor: first.nextCursor })).body.result.data;
    const all = [...first.items, ...page2.items].map((l: { id: string }) => l.id);
    expect(new Set(all).size).toBe(4);
    expect(all).not.toContain(ids.other);
    expect(page2.nextCursor).toBeNull();
  });

  it("filters by status and searches by name, phone digits and e-mail", async () => {
    const agent = await loginAgent(t.app, "rep@alpha.test");
    const rejected = (await trpc(agent, "query", "leads.list", { status: "rejected" })).body.result.data.items.map((l: { name: string }) => l.name).sort();
    expect(rejected).toEqual(["Dana Dup", "Frank Far", "Nora Nophone"]);
    const byDigits = (await trpc(agent, "query", "leads.list", { q: "555-0201" })).body.result.data.items.map((l: { name: string }) => l.name);
    expect(byDigits).toEqual(["Frank Far"]);
    const byName = (await trpc(agent, "query", "leads.list", { q: "grace" })).body.result.data.items.map((l: { id: string }) => l.id);
    expect(byName).toEqual([ids.good]);
  });

  it("shows one lead with its evidence: verdict, contract version, raw payload and charges", async () => {
    const agent = await loginAgent(t.app, "rep@alpha.test");
    const lead = (await trpc(agent, "query", "leads.get", { id: ids.good })).body.result.data;
    expect(lead).toMatchObject({ status: "qualified", billable: true, contractVersion: { version: 1 }, rawPayload: { phone: "212-555-0200" } });
    expect(lead.charges).toEqual([expect.objectContaining({ kind: "lead_charge", amountCents: 7500 })]);
  });

  it("answers 404 for another client's lead, in the API and on the CLI-free tRPC path", async () => {
    const agent = await loginAgent(t.app, "rep@alpha.test");
    expect((await trpc(agent, "query", "leads.get", { id: ids.other })).status).toBe(404);
    expect((await trpc(agent, "query", "leads.explain", { id: ids.other })).status).toBe(404);
    expect((await trpc(agent, "query", "leads.list", { clientId: b.client.id })).status).toBe(404);
    const list = (await trpc(agent, "query", "leads.list", {})).body.result.data.items;
    expect(list.map((l: { clientId: string }) => l.clientId).every((c: string) => c === a.client.id)).toBe(true);
  });

  it("replays every stored verdict against its recorded version and agrees", async () => {
    const agent = await loginAgent(t.app, "admin@agency.test");
    for (const id of [ids.good, ids.far, ids.dup, ids.nophone]) {
      const r = (await trpc(agent, "query", "leads.explain", { id })).body.result.data;
      expect(r.agree).toBe(true);
      expect(r.replayed).toEqual(r.stored);
    }
  });

  it("notices when a stored verdict no longer matches its evidence", async () => {
    await t.deps.db.execute(sql`update leads set verdict = jsonb_set(verdict, '{qualified}', 'false') where id = ${ids.good}`);
    const r = await t.deps.leads.explain(SYSTEM, ids.good);
    expect(r.agree).toBe(false);
    await t.deps.db.execute(sql`update leads set verdict = jsonb_set(verdict, '{qualified}', 'true') where id = ${ids.good}`);
  });

  it("prints stored and replayed verdicts with lead:explain", async () => {
    const root = path.resolve(__dirname, "../..");
    const r = await exec(path.join(root, "node_modules/.bin/tsx"), ["server/cli/main.ts", "lead:explain", "--lead", ids.far], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.db.url },
    });
    expect(r.stdout).toMatch(/^stored {2}: rejected — ZIP 94105.*\nreplayed: rejected — ZIP 94105.*\nthe replay agrees with the stored verdict\n$/);
  }, 60_000);
});
