import { sql } from "drizzle-orm";
import { campaigns } from "../../server/db/schema";
import { billingPeriodOf } from "../../server/domain/billing/pricing";
import { disputeCreditEntry } from "../../server/domain/billing/ledger";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { DEMO_CONTRACT, GOOD_LEAD, setupIntakeClient } from "../support/fixtures";

/**
 * A small fixed dataset, received "now" (ledger rows get the database's now()). The clients' time
 * zone is chosen so that it is about noon there, so "today" and "this month" cannot straddle a
 * local midnight while the test runs.
 */
function noonZone(now = new Date()): string {
  const offset = 12 - now.getUTCHours(); // −11 … +12
  return offset === 0 ? "UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}
const localDate = (d: Date, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);

describe("agency reports", () => {
  let t: TestContext;
  const tz = noonZone();
  const today = localDate(new Date(), tz);
  let alpha: Awaited<ReturnType<typeof setupIntakeClient>>;
  let beta: Awaited<ReturnType<typeof setupIntakeClient>>;
  let gammaId = "";
  let facebookId = "";
  const L: Record<string, { leadId: string; status: string; billable: boolean }> = {};

  const submit = async (s: typeof alpha, payload: Record<string, unknown>) =>
    (await t.deps.intake.submit({ client: { id: s.client.id, timezone: tz, phoneCountry: "US" }, source: "api", campaignId: null, payload, actor: "test" })).answer;

  beforeAll(async () => {
    t = await createTestContext();
    alpha = await setupIntakeClient(t.deps, { name: "Alpha Roofing", contract: { ...DEMO_CONTRACT, pricing: { leadPriceCents: 7500, monthlyCap: { leads: 4 } } } });
    beta = await setupIntakeClient(t.deps, { name: "Beta Plumbing" });
    gammaId = (await t.deps.clients.create(SYSTEM, { name: "Gamma Gutters" })).id;
    await t.deps.db.execute(sql`update clients set timezone = ${tz}`);
    const [fb] = await t.deps.db.insert(campaigns).values({ clientId: alpha.client.id, name: "Facebook Ads" }).returning();
    facebookId = fb!.id;

    // Alpha: cap of 4 billable leads at $75.
    L.a1 = await submit(alpha, { ...GOOD_LEAD, phone: "212-555-0101" }); // Default, billable
    L.a2 = await submit(alpha, { ...GOOD_LEAD, phone: "212-555-0102" }); // Default, billable, disputed + credited
    L.a3 = await submit(alpha, { ...GOOD_LEAD, phone: "212-555-0103", zip: "94105" }); // Default, rejected
    L.a4 = await submit(alpha, { ...GOOD_LEAD, phone: "212-555-0104", campaignId: facebookId }); // Facebook, billable
    L.a5 = await submit(alpha, { ...GOOD_LEAD, phone: "212-555-0105", campaignId: facebookId }); // Facebook, billable (4th: cap used up)
    L.a6 = await submit(alpha, { ...GOOD_LEAD, phone: "212-555-0106" }); // Default, qualified beyond the cap: not billed
    // Beta: no cap.
    L.b1 = await submit(beta, { ...GOOD_LEAD, phone: "212-555-0201" });
    L.b2 = await submit(beta, { ...GOOD_LEAD, phone: "212-555-0202", zip: "94105" });

    // Won outcomes (direct SQL: the outcome use case is another engineer's).
    await t.deps.db.execute(sql`update leads set outcome = 'won', outcome_value_cents = 250000, outcome_at = now() where id = ${L.a1!.leadId}`);
    await t.deps.db.execute(sql`update leads set outcome = 'won', outcome_value_cents = 100000, outcome_at = now() where id = ${L.a4!.leadId}`);

    // Two disputes: one approved with a $75 credit, one open.
    const d1 = await t.deps.db.execute(sql`insert into disputes (client_id, lead_id, reason, status, due_at, credit_cents)
      values (${alpha.client.id}, ${L.a2!.leadId}, 'duplicate', 'approved', now() + interval '3 days', 7500) returning id`);
    const disputeId = (d1.rows[0] as { id: string }).id;
    await t.deps.db.execute(sql`insert into disputes (client_id, lead_id, reason, status, due_at)
      values (${alpha.client.id}, ${L.a5!.leadId}, 'wrong_number', 'open', now() + interval '3 days')`);
    const credit = disputeCreditEntry({ clientId: alpha.client.id, leadId: L.a2!.leadId, campaignId: alpha.campaign.id, actor: "test", disputeId, creditCents: 7500 });
    await t.deps.db.execute(sql`insert into ledger_entries (client_id, kind, amount_cents, lead_id, campaign_id, dispute_id, period, idempotency_key, actor)
      values (${credit.clientId}, ${credit.kind}, ${credit.amountCents}, ${credit.leadId}, ${credit.campaignId}, ${credit.disputeId}, ${billingPeriodOf(new Date(), tz)}, ${credit.idempotencyKey}, ${credit.actor})`);

    // Alerts: first SMS 10 s, 20 s and 40 s after the lead (a second, later SMS for a1 must not count); one failed.
    const r1 = await t.deps.db.execute(sql`insert into alert_recipients (client_id, name, phone) values (${alpha.client.id}, 'Rep One', '+12125550900') returning id`);
    const r2 = await t.deps.db.execute(sql`insert into alert_recipients (client_id, name, phone) values (${alpha.client.id}, 'Rep Two', '+12125550901') returning id`);
    const rep1 = (r1.rows[0] as { id: string }).id;
    const rep2 = (r2.rows[0] as { id: string }).id;
    const sent = async (lead: string, rep: string, seconds: number) =>
      t.deps.db.execute(sql`insert into alerts (client_id, lead_id, recipient_id, to_phone, body, status, sent_at)
        select client_id, id, ${rep}, '+12125550900', 'New lead', 'delivered', received_at + make_interval(secs => ${seconds}) from leads where id = ${lead}`);
    await sent(L.a1!.leadId, rep1, 10);
    await sent(L.a1!.leadId, rep2, 90);
    await sent(L.a2!.leadId, rep1, 20);
    await sent(L.a4!.leadId, rep1, 40);
    await t.deps.db.execute(sql`insert into alerts (client_id, lead_id, recipient_id, to_phone, body, status, error_code, failed_at)
      values (${alpha.client.id}, ${L.a5!.leadId}, ${rep1}, '+12125550900', 'New lead', 'failed', 30003, now())`);

    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "boss@alpha.test", password: PASSWORD, role: "client_admin", clientId: alpha.client.id });
  });
  afterAll(() => t.close());

  it("built the dataset the figures below rely on", () => {
    expect(Object.values(L).map((l) => `${l.status}${l.billable ? "+" : ""}`)).toEqual(["qualified+", "qualified+", "rejected", "qualified+", "qualified+", "qualified", "qualified+", "rejected"]);
  });

  describe("delivery", () => {
    it("gives per client today's and this month's leads, qualified rate, billed, disputes, failed alerts and speed to lead", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const res = await trpc(admin, "query", "reports.delivery", { at: new Date().toISOString() });
      expect(res.status).toBe(200);
      const rows = res.body.result.data.rows as { clientName: string; [k: string]: unknown }[];
      expect(rows.map((r) => r.clientName)).toEqual(["Alpha Roofing", "Beta Plumbing", "Gamma Gutters"]);
      const a = rows[0]!;
      expect(a).toMatchObject({
        contractVersion: 1,
        period: billingPeriodOf(new Date(), tz),
        today: { leads: 6, qualified: 5, qualifiedRateBps: 8333, billedCents: 22500, failedAlerts: 1 },
        month: {
          leads: 6,
          qualified: 5,
          qualifiedRateBps: 8333,
          billableLeads: 4,
          billedCents: 22500,
          disputesOpened: 2,
          disputeRateBps: 5000,
          failedAlerts: 1,
          speedToLead: { p50Seconds: 20, p90Seconds: 36, alertedLeads: 3 },
        },
      });
    });

    it("paces a capped client against the version in force and marks an uncapped one no_cap", async () => {
      const at = new Date();
      const report = await t.deps.reports.delivery(SYSTEM, { at: at.toISOString() });
      const [a, b, g] = report.rows;
      expect(a!.pacing).toMatchObject({ kind: "leads", cap: 4, used: 4, capReached: true, status: "will_exhaust_early", usedBps: 10000 });
      expect(a!.pacing.exhaustsAt!.getTime()).toBeLessThanOrEqual(at.getTime());
      expect(b!.pacing).toMatchObject({ status: "no_cap", cap: null, used: 1 });
      expect(b!.month).toMatchObject({ leads: 2, qualified: 1, billedCents: 7500, disputeRateBps: 0 });
      expect(g).toMatchObject({ contractVersion: null, month: { leads: 0, qualifiedRateBps: null, disputeRateBps: null, speedToLead: { p50Seconds: null } }, pacing: { status: "no_cap" } });
      expect(report.totals).toMatchObject({ clients: 3, leadsToday: 8, qualifiedToday: 6, billedMonthByCurrency: { USD: 30000 }, pacingWarnings: 1 });
    });

    it("counts nothing before the leads arrived", async () => {
      const report = await t.deps.reports.delivery(SYSTEM, { at: new Date(Date.now() - 40 * 86_400_000).toISOString() });
      expect(report.rows.every((r) => r.month.leads === 0 && r.month.billedCents === 0)).toBe(true);
    });

    it("keeps client users out", async () => {
      const client = await loginAgent(t.app, "boss@alpha.test");
      expect((await trpc(client, "query", "reports.delivery")).status).toBe(403);
      expect((await trpc(client, "query", "reports.summary", { from: today, to: today })).status).toBe(403);
    });
  });

  describe("leads per day", () => {
    it("returns every one of the last 30 days in the client's zone with leads by status", async () => {
      const one = await t.deps.reports.leadsPerDay(SYSTEM, { days: 30, clientId: alpha.client.id });
      expect(one.days).toHaveLength(30);
      expect(one.days[29]).toEqual({ day: today, qualified: 5, rejected: 1, received: 0 });
      expect(one.days.slice(0, 29).every((d) => d.qualified + d.rejected + d.received === 0)).toBe(true);
      const all = await t.deps.reports.leadsPerDay(SYSTEM, {});
      expect(all.days[29]).toEqual({ day: today, qualified: 6, rejected: 2, received: 0 });
    });
  });

  describe("summary by client and campaign", () => {
    it("adds up leads, billed, won, revenue, cost per lead and acquisition and dispute rates by reason", async () => {
      const report = await t.deps.reports.summary(SYSTEM, { from: today, to: today });
      expect(report.rows.map((r) => `${r.clientName} / ${r.campaignName}`)).toEqual(["Alpha Roofing / Default", "Alpha Roofing / Facebook Ads", "Beta Plumbing / Default"]);
      const [def, fb, b] = report.rows;
      expect(def).toMatchObject({ leads: 4, qualified: 3, billableLeads: 2, billedCents: 7500, won: 1, revenueCents: 250000, costPerLeadCents: 2500, costPerAcquisitionCents: 7500, disputes: 1, disputeRateBps: 5000 });
      expect(def!.disputeRateByReasonBps).toMatchObject({ duplicate: 5000, wrong_number: 0 });
      expect(fb).toMatchObject({ leads: 2, qualified: 2, billableLeads: 2, billedCents: 15000, won: 1, revenueCents: 100000, costPerLeadCents: 7500, costPerAcquisitionCents: 15000, disputesByReason: { wrong_number: 1 } });
      expect(b).toMatchObject({ leads: 2, qualified: 1, billedCents: 7500, won: 0, costPerLeadCents: 7500, costPerAcquisitionCents: null, disputeRateBps: 0 });
      const [alphaTotal] = report.clientTotals;
      expect(alphaTotal).toMatchObject({ clientName: "Alpha Roofing", leads: 6, qualified: 5, billedCents: 22500, won: 2, revenueCents: 350000, costPerLeadCents: 4500, costPerAcquisitionCents: 11250, disputeRateBps: 5000 });
      expect(alphaTotal!.disputeRateByReasonBps).toMatchObject({ duplicate: 2500, wrong_number: 2500, spam: 0 });
    });

    it("filters by client and leaves out days without activity", async () => {
      const onlyBeta = await t.deps.reports.summary(SYSTEM, { from: today, to: today, clientId: beta.client.id });
      expect(onlyBeta.rows.map((r) => r.clientName)).toEqual(["Beta Plumbing"]);
      const before = await t.deps.reports.summary(SYSTEM, { from: "2026-01-01", to: "2026-01-31" });
      expect(before.rows).toEqual([]);
      expect(gammaId).toBeTruthy();
    });

    it("refuses a range that ends before it starts with a field error", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const res = await trpc(admin, "query", "reports.summary", { from: "2026-11-10", to: "2026-11-01" });
      expect(res.status).toBe(400);
      expect(res.body.error.data.issues).toEqual([expect.objectContaining({ path: ["to"] })]);
    });
  });

  describe("reports page and CSV export", () => {
    it("shows the rows with money and rates on the reports page", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const page = await admin.get(`/agency/reports?from=${today}&to=${today}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain("Facebook Ads");
      expect(page.text).toContain("$112.50"); // Alpha's cost per acquisition: $225 / 2 won
      expect(page.text).toContain("$3,500.00"); // Alpha's revenue
      expect(page.text).toContain(`/agency/reports.csv?from=${today}&amp;to=${today}`);
    });

    it("explains a bad range on the page instead of failing", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const page = await admin.get("/agency/reports?from=2026-11-10&to=2026-11-01");
      expect(page.status).toBe(200);
      expect(page.text).toContain("must not be before the start date");
    });

    it("downloads the same rows as a CSV attachment named after the range", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const res = await admin.get(`/agency/reports.csv?from=${today}&to=${today}`);
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/csv/);
      expect(res.headers["content-disposition"]).toBe(`attachment; filename="leadledger-report-${today}-${today}.csv"`);
      const lines = res.text.trim().split("\r\n").map((l) => l.split(","));
      const header = lines[0]!;
      expect(header.slice(0, 19)).toEqual([
        "row_type", "client", "client_id", "campaign", "campaign_id", "time_zone", "currency", "from", "to", "leads", "qualified", "billable_leads",
        "billed_cents", "won", "revenue_cents", "cost_per_lead_cents", "cost_per_acquisition_cents", "disputes", "dispute_rate_pct",
      ]);
      const rows = lines.slice(1).map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])));
      expect(rows.map((r) => `${r.row_type}:${r.client}:${r.campaign}`)).toEqual([
        "campaign:Alpha Roofing:Default",
        "campaign:Alpha Roofing:Facebook Ads",
        "client_total:Alpha Roofing:All campaigns",
        "campaign:Beta Plumbing:Default",
        "client_total:Beta Plumbing:All campaigns",
      ]);
      expect(rows[1]).toMatchObject({ campaign_id: facebookId, leads: "2", billed_cents: "15000", won: "1", revenue_cents: "100000", cost_per_lead_cents: "7500", cost_per_acquisition_cents: "15000", disputes: "1", dispute_rate_pct: "50.00", disputes_wrong_number: "1", dispute_rate_pct_wrong_number: "50.00" });
      expect(rows[2]).toMatchObject({ billed_cents: "22500", cost_per_lead_cents: "4500", dispute_rate_pct_duplicate: "25.00" });
      expect(rows[3]).toMatchObject({ cost_per_acquisition_cents: "", time_zone: tz });
    });

    it("answers a bad CSV range with 400 and a client user with 403", async () => {
      const admin = await loginAgent(t.app, "admin@agency.test");
      const bad = await admin.get("/agency/reports.csv?from=yesterday&to=2026-11-01");
      expect(bad.status).toBe(400);
      expect(bad.text).toContain("from");
      const client = await loginAgent(t.app, "boss@alpha.test");
      const denied = await client.get(`/agency/reports.csv?from=${today}&to=${today}`);
      expect(denied.status).toBe(403);
      expect(denied.text).not.toContain("Beta Plumbing");
    });
  });
});
