import supertest from "supertest";
import { closePeriodsJob } from "../../jobs/close-periods";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, type TestContext } from "../support/app";
import { billingContract, billingLead, setupIntakeClient } from "../support/fixtures";
import { WORKED_EXAMPLE_PRICING } from "../support/contracts";

/**
 * The worked example from the billing issue, end to end through the real paths: 120 leads posted to
 * POST /api/v1/leads over December, three wins posted by the client's CRM to
 * POST /api/v1/leads/:id/conversion, and the billing.close-periods job after midnight on Jan 1.
 *
 *   retainer                          50 000
 *   100 leads × 7 500                750 000
 *    20 leads × 6 000                120 000
 *     3 acquisitions × 20 000         60 000
 *   revshare 30 000 + 12 506 + 100 000 = 142 506   (10 % of $1,250.55 = 12 505.5 rounds half up)
 *   total                          1 122 506 cents = $11,225.06
 */
describe("worked example: $500 retainer, tiers 100 × $75 then $60, $200 per acquisition, 10 % revenue share", () => {
  const clock = fixedClock("2026-12-01T14:00:00Z");
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext({ clock });
  });
  afterAll(() => t.close());

  it("invoices exactly 1,122,506 cents with lines a person can check", async () => {
    const s = await setupIntakeClient(t.deps, {
      name: "Worked Example Roofing",
      contract: billingContract(WORKED_EXAMPLE_PRICING),
    });
    const api = (path: string, body: unknown) =>
      supertest(t.app).post(path).set("Authorization", `Bearer ${s.key}`).set("content-type", "application/json").send(JSON.stringify(body));

    const leadIds: string[] = [];
    for (let i = 1; i <= 120; i++) {
      clock.advance(5 * 3_600_000); // 120 leads over 25 days of December
      const res = await api("/api/v1/leads", billingLead(i));
      expect(res.body).toMatchObject({ status: "qualified", billable: true });
      leadIds.push(res.body.leadId);
    }
    const wins: [number, number][] = [
      [3, 300_000],
      [50, 125_055],
      [110, 1_000_000],
    ];
    for (const [i, valueCents] of wins) {
      const res = await api(`/api/v1/leads/${leadIds[i - 1]}/conversion`, { outcome: "won", valueCents });
      expect(res.status).toBe(200);
    }

    clock.set("2027-01-01T05:15:00Z"); // 00:15 on Jan 1 in New York
    await closePeriodsJob.handler(t.deps, {}, { now: async () => {}, schedule: async () => {}, attempt: 1 });

    const [invoice] = (await t.deps.billing.listInvoices(SYSTEM, { clientId: s.client.id })).items;
    expect(invoice).toMatchObject({ period: "2026-12", status: "issued", subtotalCents: 1_122_506, totalCents: 1_122_506, creditCarriedForwardCents: 0 });
    const detail = await t.deps.billing.getInvoice(SYSTEM, invoice!.id);
    expect(detail.lines.map((l) => ({ description: l.description, quantity: l.quantity, unit: l.unitAmountCents, amount: l.amountCents }))).toEqual([
      { description: "Monthly retainer — 2026-12", quantity: 1, unit: 50_000, amount: 50_000 },
      { description: "Qualified leads — Default, $75.00 each", quantity: 100, unit: 7500, amount: 750_000 },
      { description: "Qualified leads — Default, $60.00 each", quantity: 20, unit: 6000, amount: 120_000 },
      { description: "Acquisitions — Default", quantity: 3, unit: 20_000, amount: 60_000 },
      { description: "Revenue share — Default", quantity: 3, unit: null, amount: 142_506 },
    ]);
    expect(detail.lines[4]!.entries.map((e) => e.amountCents).sort((a, b) => a - b)).toEqual([12_506, 30_000, 100_000]);
    // the 100th lead is the last one at $75, the 101st the first at $60
    expect(detail.lines[1]!.leadIds).toContain(leadIds[99]);
    expect(detail.lines[2]!.leadIds).toContain(leadIds[100]);
    const { csv } = await t.deps.billing.invoiceCsv(SYSTEM, invoice!.id);
    expect(csv).toContain('"Total due (USD, issued)",,,,11225.06,');

    // The client's invoice page shows the same lines and total.
    await t.deps.users.create(SYSTEM, { email: "owner@worked.test", password: PASSWORD, role: "client_admin", clientId: s.client.id });
    const owner = await loginAgent(t.app, "owner@worked.test");
    const page = await owner.get(`/portal/invoices/${invoice!.id}`);
    expect(page.status).toBe(200);
    const text = page.text.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ");
    for (const line of [
      /Monthly retainer — 2026-12 1 × \$500\.00 1 \$500\.00 \$500\.00/,
      /Qualified leads — Default, \$75\.00 each 100 × \$75\.00 .*? 100 \$75\.00 \$7,500\.00/,
      /Qualified leads — Default, \$60\.00 each 20 × \$60\.00 .*? 20 \$60\.00 \$1,200\.00/,
      /Acquisitions — Default 3 × \$200\.00 .*? 3 \$200\.00 \$600\.00/,
      /Revenue share — Default 3 × various .*?\$125\.06 .*? 3 various \$1,425\.06/,
      /Subtotal \$11,225\.06 Credit applied \$0\.00 Total due \$11,225\.06/,
    ]) {
      expect(text).toMatch(line);
    }
  });
});
