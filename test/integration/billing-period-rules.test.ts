import { sql } from "drizzle-orm";
import { closePeriodsJob } from "../../jobs/close-periods";
import { parseRetainerMemo, proratedCents } from "../../server/domain/billing/billable-periods";
import { createTestContext, fixedClock, SYSTEM, type TestContext } from "../support/app";
import { billingContract, billingLead, count, setupIntakeClient, submitTestLead } from "../support/fixtures";

/**
 * Which months a close may bill and how much retainer a partial month carries (decision 009):
 * the manual close refuses months before the client existed with the reason, the retainer of a
 * first or last partial month is prorated by days and its line shows the ratio, and the ratio in the
 * ledger entry re-derives the amount.
 */
describe("period close: billable months and the prorated retainer", () => {
  const clock = fixedClock("2026-12-06T19:00:00Z");
  let t: TestContext;
  let n = 0;
  const lines = async (invoiceId: string) =>
    (await t.deps.billing.getInvoice(SYSTEM, invoiceId)).lines.map((l) => ({ kind: l.kind, description: l.description, quantity: l.quantity, amountCents: l.amountCents }));
  const retainerEntries = async (clientId: string) =>
    (await t.deps.db.execute(sql`select amount_cents::int as amount, memo, period from ledger_entries where client_id = ${clientId} and kind = 'retainer' order by period`)).rows as {
      amount: number;
      memo: string;
      period: string;
    }[];

  beforeAll(async () => {
    t = await createTestContext({ remix: false, clock });
  });
  afterAll(() => t.close());

  it("refuses the default close of a client created today with the reason, and writes nothing (issue #13)", async () => {
    clock.set("2026-12-06T19:00:00Z");
    const s = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000 }), createdAt: "2026-12-06T15:00:00Z" });

    const refused = t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id });
    const explicit = t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id, period: "2026-11" });
    const offer = await t.deps.billing.closablePeriod(SYSTEM, s.client.id);

    await expect(refused).rejects.toMatchObject({ code: "PERIOD_BEFORE_CLIENT", message: "The client was created on Dec 6, 2026; there is nothing to bill for 2026-11." });
    await expect(explicit).rejects.toMatchObject({ code: "PERIOD_BEFORE_CLIENT" });
    expect(offer).toEqual({ period: null, reason: "The client was created on Dec 6, 2026; there is nothing to bill for 2026-11.", firstPeriod: "2026-12", closableFrom: new Date("2027-01-01T05:00:00Z") });
    expect(await count(t.deps, "invoices", sql`client_id = ${s.client.id}`)).toBe(0);
    expect(await count(t.deps, "ledger_entries", sql`client_id = ${s.client.id}`)).toBe(0);
  });

  it("closes the first partial month into a draft with the prorated retainer, whose line shows the ratio and whose entry re-derives the amount", async () => {
    clock.set("2026-12-06T19:00:00Z");
    const s = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000, leadPriceCents: 7500 }), createdAt: "2026-12-06T15:00:00Z" });
    clock.set("2026-12-10T15:00:00Z");
    expect((await submitTestLead(t.deps, s, billingLead(++n))).status).toBe("qualified");
    clock.set("2027-01-01T05:30:00Z");

    const offer = await t.deps.billing.closablePeriod(SYSTEM, s.client.id);
    const { invoice } = await t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id });

    expect(offer).toMatchObject({ period: "2026-12" });
    expect(invoice).toMatchObject({ period: "2026-12", status: "draft", totalCents: 41_935 + 7500 });
    expect(await lines(invoice.id)).toEqual([
      { kind: "retainer", description: "Retainer Dec 6–31, 26/31 of $500.00", quantity: 1, amountCents: 41_935 },
      { kind: "lead_charge", description: "Qualified leads — Default", quantity: 1, amountCents: 7500 },
    ]);
    const [entry] = await retainerEntries(s.client.id);
    const ratio = parseRetainerMemo(entry!.memo)!;
    expect(ratio).toEqual({ period: "2026-12", days: 26, daysInMonth: 31, firstDay: "2026-12-06", lastDay: "2026-12-31", fullCents: 50_000 });
    expect(proratedCents(ratio.fullCents, ratio.days, ratio.daysInMonth)).toBe(entry!.amount);

    clock.set("2027-02-01T06:00:00Z");
    const january = (await t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id })).invoice;
    expect(await lines(january.id)).toEqual([{ kind: "retainer", description: "Monthly retainer — 2027-01", quantity: 1, amountCents: 50_000 }]);
  });

  it("refuses months before the first contract version took effect, and prorates from that day", async () => {
    clock.set("2027-01-05T12:00:00Z");
    const s = await setupIntakeClient(t.deps, {
      contract: billingContract({ retainerCents: 31_000 }, "2026-12-10T05:00:00Z"),
      createdAt: "2026-11-20T17:00:00Z",
    });

    await expect(t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id, period: "2026-11" })).rejects.toMatchObject({
      code: "PERIOD_BEFORE_CONTRACT",
      message: "The client's first contract takes effect on Dec 10, 2026; there is nothing to bill for 2026-11.",
    });
    const { invoice } = await t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id, period: "2026-12" });
    expect(await lines(invoice.id)).toEqual([{ kind: "retainer", description: "Retainer Dec 10–31, 22/31 of $310.00", quantity: 1, amountCents: 22_000 }]);
  });

  it("prorates the last month of a client deactivated mid-month to the day it was paused", async () => {
    clock.set("2027-02-10T17:00:00Z");
    const s = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000 }) });
    await t.deps.clients.update(SYSTEM, { id: s.client.id, status: "paused" });
    // the audit log dates the deactivation; put it where this test's clock is (Feb 10, 12:00 in New York)
    await t.deps.db.execute(sql`update audit_events set created_at = '2027-02-10T17:00:00Z' where entity_id = ${s.client.id} and action = 'client.updated'`);
    clock.set("2027-03-02T12:00:00Z");

    const { invoice } = await t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id, period: "2027-02" });
    const march = await (async () => {
      clock.set("2027-04-02T12:00:00Z");
      return (await t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id, period: "2027-03" })).invoice;
    })();

    expect(await lines(invoice.id)).toEqual([{ kind: "retainer", description: "Retainer Feb 1–10, 10/28 of $500.00", quantity: 1, amountCents: 17_857 }]); // 17 857.14
    expect(march.totalCents).toBe(0);
    expect(await retainerEntries(s.client.id)).toHaveLength(1);
  });

  it('bills a whole retainer for a partial month under retainerProration "none", and for a stored version published before the field existed', async () => {
    clock.set("2027-01-05T12:00:00Z");
    const none = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000, retainerProration: "none" }), createdAt: "2026-12-06T15:00:00Z" });
    const legacy = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000 }), createdAt: "2026-12-06T15:00:00Z" });
    await t.deps.db.execute(sql`update contract_versions set document = document #- '{pricing,retainerProration}' where id = ${legacy.version.id}`);

    const a = (await t.deps.billing.closePeriod(SYSTEM, { clientId: none.client.id, period: "2026-12" })).invoice;
    const b = (await t.deps.billing.closePeriod(SYSTEM, { clientId: legacy.client.id, period: "2026-12" })).invoice;

    expect(await lines(a.id)).toEqual([{ kind: "retainer", description: "Monthly retainer — 2026-12", quantity: 1, amountCents: 50_000 }]);
    expect(await lines(b.id)).toEqual([{ kind: "retainer", description: "Monthly retainer — 2026-12", quantity: 1, amountCents: 50_000 }]);
  });

  it("lets the sweep skip, by the same rule, a month before the client existed, and close the next one issued", async () => {
    // every other client of this file is paused so the sweep only sees this one
    await t.deps.db.execute(sql`update clients set status = 'paused'`);
    clock.set("2027-05-01T12:00:00Z");
    const s = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000 }), createdAt: "2027-05-01T12:00:00Z" });
    const run = () => closePeriodsJob.handler(t.deps, {}, { now: async () => {}, schedule: async () => {}, attempt: 1 });

    await run(); // April 2027 ended before the client existed
    clock.set("2027-06-01T12:00:00Z");
    await run();

    const rows = (await t.deps.db.execute(sql`select period, status, total_cents::int as total from invoices where client_id = ${s.client.id}`)).rows;
    expect(rows).toEqual([{ period: "2027-05", status: "issued", total: 50_000 }]); // created 08:00 on May 1 in New York: a whole May
  });
});
