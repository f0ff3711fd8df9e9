import { summaryReport } from "../../../server/domain/reports/summary";
import type { ReportsRepository, SummaryFigures } from "../../../server/domain/reports/ports";

const AGENCY = { kind: "agency", userId: "u1", email: "admin@agency.test", role: "agency_admin" } as const;

/** A client-month: 10 qualified leads at $75 (one credited), a $500 retainer and a $200 acquisition fee. */
const FIGURES: SummaryFigures[] = [
  {
    clientId: "c1",
    clientName: "Acme",
    timezone: "America/New_York",
    currency: "USD",
    campaignId: "k1",
    campaignName: "Search",
    leads: 12,
    qualified: 10,
    billableLeads: 10,
    won: 1,
    revenueCents: 500_000,
    billedCents: 10 * 7_500 - 7_500 + 20_000,
    leadChargesCents: 10 * 7_500 - 7_500,
    disputes: 1,
    disputesByReason: { wrong_number: 1 },
  },
  { clientId: "c1", clientName: "Acme", timezone: "America/New_York", currency: "USD", campaignId: null, campaignName: null, leads: 0, qualified: 0, billableLeads: 0, won: 0, revenueCents: 0, billedCents: 50_000, leadChargesCents: 0, disputes: 0, disputesByReason: {} },
];

describe("the summary's cost figures", () => {
  const repo = { summary: async () => FIGURES } as unknown as ReportsRepository;
  const clock = { now: () => new Date("2026-12-06T12:00:00Z") };

  it("divides lead charges (less credits) by qualified leads for cost per lead, and everything billed by won for cost per acquisition", async () => {
    const report = await summaryReport({ repo, clock }, AGENCY, { from: "2026-11-01", to: "2026-11-30" });
    const [total] = report.clientTotals;
    expect(total).toMatchObject({ billedCents: 137_500, leadChargesCents: 67_500, costPerLeadCents: 6_750, costPerAcquisitionCents: 137_500 });
    expect(report.rows[1]).toMatchObject({ campaignId: null, costPerLeadCents: null });
  });
});
