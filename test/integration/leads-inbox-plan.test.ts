import { sql } from "drizzle-orm";
import { leadListQuery } from "../../server/db/repositories/leads";
import { createTestContext, type TestContext } from "../support/app";
import { setupIntakeClient } from "../support/fixtures";

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; "Index Cond"?: string; Filter?: string; Plans?: PlanNode[] };

function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

/** Leads for one client, received a minute apart going back from 2026-12-01, in one statement. */
async function seedLeads(t: TestContext, s: Awaited<ReturnType<typeof setupIntakeClient>>, n: number) {
  await t.deps.db.execute(sql`
    insert into leads (client_id, campaign_id, source, status, raw_payload, qualified, billable, contract_version_id, name, phone, received_at, judged_at)
    select ${s.client.id}, ${s.campaign.id}, 'api', case when g % 5 = 0 then 'rejected' else 'qualified' end, '{}'::jsonb, g % 5 <> 0, g % 5 <> 0, ${s.version.id},
           'Lead ' || g, '+1212555' || lpad((g % 10000)::text, 4, '0'),
           timestamptz '2026-12-01 00:00+00' - g * interval '1 minute', timestamptz '2026-12-01 00:00+00' - g * interval '1 minute'
    from generate_series(1, ${n}) g`);
}

describe("the leads inbox's page query plan (keyset paging on an index, checked with EXPLAIN)", () => {
  let t: TestContext;
  let a: Awaited<ReturnType<typeof setupIntakeClient>>;
  beforeAll(async () => {
    t = await createTestContext({ remix: false });
    a = await setupIntakeClient(t.deps, { name: "Big Roofing" });
    const b = await setupIntakeClient(t.deps, { name: "Other Roofing" });
    await seedLeads(t, a, 40_000);
    await seedLeads(t, b, 40_000);
    // Some leads disputed, so the per-row dispute look-up has rows to find.
    await t.deps.db.execute(sql`insert into disputes (client_id, lead_id, reason, status, opened_at, due_at)
      select client_id, id, 'not_looking', 'rejected', received_at + interval '1 day', received_at + interval '4 days' from leads where status = 'qualified' and extract(minute from received_at)::int % 7 = 0`);
    await t.deps.db.execute(sql`analyze leads`);
    await t.deps.db.execute(sql`analyze disputes`);
  });
  afterAll(() => t.close());

  const plan = async (f: Parameters<typeof leadListQuery>[0]) => {
    const r = await t.deps.db.execute(sql`explain (format json) ${leadListQuery(f)}`);
    const root = (r.rows[0] as { "QUERY PLAN": { Plan: PlanNode }[] })["QUERY PLAN"][0]!.Plan;
    return nodes(root);
  };
  const leadsScans = (all: PlanNode[]) => all.filter((n) => n["Relation Name"] === "leads");

  it("reads a client's first page from the (client, received_at desc, id desc) index: no sort, no scan of the table", async () => {
    const all = await plan({ clientId: a.client.id, test: false, limit: 26 });
    expect(all[0]!["Node Type"]).toBe("Limit");
    expect(all.map((n) => n["Node Type"])).not.toContain("Sort");
    expect(leadsScans(all).map((n) => [n["Node Type"], n["Index Name"]])).toEqual([["Index Scan", "leads_client_received_idx"]]);
  });

  it("reads the page after a cursor with the cursor in the index condition (keyset, not OFFSET)", async () => {
    const all = await plan({ clientId: a.client.id, test: false, limit: 26, after: { receivedAt: new Date("2026-11-15T00:00:00Z"), id: "00000000-0000-4000-8000-000000000000" } });
    const scans = leadsScans(all);
    expect(scans.map((n) => [n["Node Type"], n["Index Name"]])).toEqual([["Index Scan", "leads_client_received_idx"]]);
    expect(scans[0]!["Index Cond"]).toMatch(/ROW\(received_at, id\) < ROW\(/);
    expect(all.map((n) => n["Node Type"])).not.toContain("Sort");
  });

  it("keeps the same index with the status and outcome filters (they are read along the index, newest first)", async () => {
    const all = await plan({ clientId: a.client.id, test: false, limit: 26, status: "qualified", outcome: "none" });
    expect(all.map((n) => n["Node Type"])).not.toContain("Sort");
    expect(leadsScans(all).every((n) => n["Node Type"] === "Index Scan")).toBe(true);
  });

  it("turns a client's date range into an index range (the client's zone read once, not per lead)", async () => {
    const all = await plan({ clientId: a.client.id, test: false, limit: 26, fromDate: "2026-11-10", toDate: "2026-11-12" });
    const scans = leadsScans(all);
    expect(scans.map((n) => n["Index Name"])).toEqual(["leads_client_received_idx"]);
    expect(scans[0]!["Index Cond"]).toMatch(/received_at >= /);
    expect(scans[0]!["Index Cond"]).toMatch(/received_at < /);
    expect(all.map((n) => n["Node Type"])).not.toContain("Sort");
  });

  it("reads the agency's all-clients first page from the (received_at desc, id desc) index", async () => {
    const all = await plan({ test: false, limit: 26 });
    expect(all.map((n) => n["Node Type"])).not.toContain("Sort");
    expect(leadsScans(all).map((n) => [n["Node Type"], n["Index Name"]])).toEqual([["Index Scan", "leads_received_idx"]]);
  });

  it("pages through a client's leads with the cursor: every lead once, newest first", async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let last = Infinity;
    for (let i = 0; i < 3; i++) {
      const page = await t.deps.leads.list({ kind: "system", label: "test" } as never, { clientId: a.client.id, limit: 100, cursor });
      for (const l of page.items) {
        expect(seen.has(l.id)).toBe(false);
        expect(l.receivedAt.getTime()).toBeLessThanOrEqual(last);
        last = l.receivedAt.getTime();
        seen.add(l.id);
      }
      cursor = page.nextCursor ?? undefined;
    }
    expect(seen.size).toBe(300);
  });
});
