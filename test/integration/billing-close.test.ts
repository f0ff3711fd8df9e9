import { sql } from "drizzle-orm";
import { closePeriodsJob } from "../../jobs/close-periods";
import { outcomeCaller } from "../../server/domain/billing/mark-outcome";
import { createTestContext, fixedClock, SYSTEM, type TestContext } from "../support/app";
import { billingContract, billingLead, count, setupIntakeClient, submitTestLead } from "../support/fixtures";

type Setup = Awaited<ReturnType<typeof setupIntakeClient>>;

/** Period close, invoice numbering, carried credit, reversals after invoicing, void and the sweep job. */
describe("billing period close", () => {
  const clock = fixedClock("2026-12-05T15:00:00Z");
  let t: TestContext;
  let n = 0;
  const at = (iso: string) => clock.set(iso);
  const close = (s: Setup, period?: string, opts: { draft?: boolean } = {}) => t.deps.billing.closePeriod(SYSTEM, { clientId: s.client.id, period, ...opts });
  const qualify = async (s: Setup) => {
    const a = await submitTestLead(t.deps, s, billingLead(++n));
    expect(a.status).toBe("qualified");
    return a.leadId as string;
  };
  const outcome = (leadId: string, o: "won" | "lost", valueCents?: number) => t.deps.billing.markOutcome(outcomeCaller(SYSTEM), { leadId, outcome: o, valueCents });
  const newClient = (pricing: Parameters<typeof billingContract>[0]) => setupIntakeClient(t.deps, { contract: billingContract(pricing) });
  const uninvoiced = async (clientId: string) => {
    const r = await t.deps.db.execute(sql`select count(*)::int as n, coalesce(sum(amount_cents), 0)::int as cents from uninvoiced_entries u join ledger_entries e on e.id = u.ledger_entry_id where u.client_id = ${clientId}`);
    return r.rows[0] as { n: number; cents: number };
  };

  beforeAll(async () => {
    t = await createTestContext({ remix: false, clock });
  });
  afterAll(() => t.close());

  it("refuses to close a month that has not ended in the client's time zone", async () => {
    const s = await newClient({ leadPriceCents: 7500 });
    at("2027-01-01T04:59:00Z"); // 23:59 on Dec 31 in New York
    await expect(close(s, "2026-12")).rejects.toMatchObject({ code: "PERIOD_NOT_ENDED" });
    expect(await count(t.deps, "invoices", sql`client_id = ${s.client.id}`)).toBe(0);
  });

  it("closes a month into a draft invoice with the retainer and every entry of the month, each stamped once", async () => {
    const s = await newClient({ retainerCents: 50_000, leadPriceCents: 7500 });
    at("2026-12-10T15:00:00Z");
    const leads = [await qualify(s), await qualify(s), await qualify(s)];
    at("2027-01-01T05:30:00Z"); // 00:30 on Jan 1 in New York: the default period is December
    const { invoice, created } = await close(s);
    expect(created).toBe(true);
    expect(invoice).toMatchObject({ number: 1, displayNumber: "INV-0001", period: "2026-12", status: "draft", issuedAt: null, subtotalCents: 72_500, creditAppliedCents: 0, totalCents: 72_500, creditCarriedForwardCents: 0 });
    const detail = await t.deps.billing.getInvoice(SYSTEM, invoice.id);
    expect(detail.lines.map((l) => [l.kind, l.quantity, l.unitAmountCents, l.amountCents])).toEqual([
      ["retainer", 1, 50_000, 50_000],
      ["lead_charge", 3, 7500, 22_500],
    ]);
    expect(detail.lines[1]!.leadIds.sort()).toEqual([...leads].sort());
    expect(await count(t.deps, "invoice_entries", sql`invoice_id = ${invoice.id}`)).toBe(4);
    expect(await uninvoiced(s.client.id)).toEqual({ n: 0, cents: 0 });
    expect(await count(t.deps, "audit_events", sql`action = 'invoice.closed' and entity_id = ${invoice.id}`)).toBe(1);
  });

  it("bills exactly the entries it stamps while leads keep being charged during the close", async () => {
    const s = await newClient({ leadPriceCents: 7500 });
    at("2026-12-10T15:00:00Z");
    for (let i = 0; i < 5; i++) await qualify(s);
    at("2027-01-02T12:00:00Z");
    // A December adjustment written by other connections while the close runs: each one either makes
    // it onto the invoice (stamped and on a line) or stays uninvoiced, never stamped without a line.
    const writes = Array.from({ length: 40 }, (_, i) =>
      t.deps.db.execute(sql`insert into ledger_entries (client_id, kind, amount_cents, period, idempotency_key, actor)
        values (${s.client.id}, 'adjustment', 100, '2026-12', ${`adjustment:race:${s.client.id}:${i}`}, 'test')`),
    );
    const [{ invoice }] = await Promise.all([close(s, "2026-12"), ...writes]);
    const detail = await t.deps.billing.getInvoice(SYSTEM, invoice.id);
    const stamped = await t.deps.db.execute(sql`select count(*)::int as n, coalesce(sum(amount_cents), 0)::int as cents from invoice_entries ie join ledger_entries e on e.id = ie.ledger_entry_id where ie.invoice_id = ${invoice.id}`);
    const onLines = detail.lines.reduce((n, l) => n + l.quantity, 0);
    expect(stamped.rows[0]).toEqual({ n: onLines, cents: invoice.subtotalCents });
    expect((await uninvoiced(s.client.id)).n + onLines).toBe(45);
  });

  it("returns the existing invoice when a period is closed again, also when five closes race", async () => {
    const s = await newClient({ retainerCents: 10_000, leadPriceCents: 7500 });
    at("2026-12-10T15:00:00Z");
    await qualify(s);
    at("2027-01-02T12:00:00Z");
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => close(s, "2026-12")));
    expect(new Set(results.map((r) => r.invoice.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const again = await close(s, "2026-12");
    expect(again).toMatchObject({ created: false, invoice: { id: results[0]!.invoice.id, totalCents: 17_500 } });
    expect(await count(t.deps, "invoices", sql`client_id = ${s.client.id}`)).toBe(1);
    expect(await count(t.deps, "ledger_entries", sql`client_id = ${s.client.id} and kind = 'retainer'`)).toBe(1);
  });

  it("leaves entries of the next month for the next close, and picks up late entries of earlier months", async () => {
    const s = await newClient({ leadPriceCents: 7500 });
    at("2026-11-20T15:00:00Z");
    await qualify(s); // November, never closed on its own
    at("2026-12-20T15:00:00Z");
    await qualify(s);
    at("2027-01-01T07:00:00Z"); // 02:00 on Jan 1 in New York: a January lead before December is closed
    const january = await qualify(s);
    const { invoice } = await close(s, "2026-12");
    expect(invoice.totalCents).toBe(15_000);
    const left = await t.deps.db.execute(sql`select e.lead_id, e.period from uninvoiced_entries u join ledger_entries e on e.id = u.ledger_entry_id where u.client_id = ${s.client.id}`);
    expect(left.rows).toEqual([{ lead_id: january, period: "2027-01" }]);
  });

  it("nets a win reversed before invoicing out on the same invoice, showing both lines", async () => {
    const s = await newClient({ leadPriceCents: 7500, acquisitionPriceCents: 20_000 });
    at("2026-12-10T15:00:00Z");
    const lead = await qualify(s);
    await outcome(lead, "won");
    at("2026-12-12T15:00:00Z");
    await outcome(lead, "lost");
    at("2027-01-01T12:00:00Z");
    const { invoice } = await close(s, "2026-12");
    expect(invoice.totalCents).toBe(7500);
    const lines = (await t.deps.billing.getInvoice(SYSTEM, invoice.id)).lines;
    expect(lines.map((l) => [l.description.split(" — ")[0], l.amountCents])).toEqual([
      ["Qualified leads", 7500],
      ["Acquisitions", 20_000],
      ["Reversals", -20_000],
    ]);
  });

  it("credits a reversal of an invoiced win on the next invoice, carries the excess credit forward and numbers invoices in order", async () => {
    const s = await newClient({ leadPriceCents: 7500, acquisitionPriceCents: 20_000 });
    at("2026-12-10T15:00:00Z");
    const winner = await qualify(s);
    await outcome(winner, "won");
    at("2027-01-01T12:00:00Z");
    const dec = (await close(s, "2026-12")).invoice;
    expect(dec.totalCents).toBe(27_500);

    at("2027-01-15T12:00:00Z");
    await outcome(winner, "lost"); // the acquisition was invoiced in December: the reversal goes on January's invoice
    at("2027-02-01T12:00:00Z");
    const jan = (await close(s, "2027-01")).invoice;
    expect(jan).toMatchObject({ number: 2, subtotalCents: -20_000, totalCents: 0, creditCarriedForwardCents: 20_000 });
    const janLines = (await t.deps.billing.getInvoice(SYSTEM, jan.id)).lines;
    expect(janLines.map((l) => [l.kind, l.description.split(" — ")[0], l.amountCents, l.leadIds])).toEqual([["adjustment", "Reversals", -20_000, [winner]]]);

    at("2027-02-10T12:00:00Z");
    for (let i = 0; i < 3; i++) await qualify(s);
    at("2027-03-01T12:00:00Z");
    const feb = (await close(s, "2027-02")).invoice;
    expect(feb).toMatchObject({ number: 3, subtotalCents: 22_500, creditAppliedCents: 20_000, totalCents: 2_500, creditCarriedForwardCents: 0 });
    expect(await t.deps.billing.ledgerBalance(SYSTEM, { clientId: s.client.id })).toEqual({
      clientId: s.client.id,
      uninvoicedCents: 0,
      uninvoicedEntries: 0,
      creditBalanceCents: 0,
      pendingRetainers: [],
      pendingRetainerCents: 0,
      netCents: 0,
    });
  });

  it("counts the retainer the next close will add in the balance, prorated as the close prorates it", async () => {
    const s = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 50_000, leadPriceCents: 7500 }), createdAt: "2026-12-06T15:00:00Z" });
    at("2026-12-20T15:00:00Z");
    await qualify(s);
    await qualify(s);

    const before = await t.deps.billing.ledgerBalance(SYSTEM, { clientId: s.client.id });
    // December 6–31 is 26 of 31 days: round(50,000 × 26 / 31) = 41,935.
    expect(before).toMatchObject({
      uninvoicedCents: 15_000,
      pendingRetainers: [{ period: "2026-12", amountCents: 41_935, prorated: true, days: 26, daysInMonth: 31 }],
      pendingRetainerCents: 41_935,
      netCents: 56_935,
    });

    at("2027-01-01T05:30:00Z");
    const { invoice } = await close(s, "2026-12");
    expect(invoice.totalCents).toBe(before.netCents);
    // December is invoiced now; January, the month in progress, will carry a whole retainer.
    expect(await t.deps.billing.ledgerBalance(SYSTEM, { clientId: s.client.id })).toMatchObject({
      uninvoicedCents: 0,
      pendingRetainers: [{ period: "2027-01", amountCents: 50_000, prorated: false }],
      netCents: 50_000,
    });
  });

  it("voids an invoice by reversing its entries onto it and re-billing them, so closing the period again bills the same", async () => {
    const s = await newClient({ retainerCents: 50_000, leadPriceCents: 7500 });
    at("2026-12-10T15:00:00Z");
    await qualify(s);
    await qualify(s);
    at("2027-01-01T12:00:00Z");
    const first = (await close(s, "2026-12")).invoice;
    const ledgerBefore = await t.deps.db.execute(sql`select sum(amount_cents)::int as s from ledger_entries where client_id = ${s.client.id}`);

    const voided = await t.deps.billing.voidInvoice(SYSTEM, { id: first.id, reason: "wrong billing address" });
    expect(voided).toMatchObject({ status: "void", voidReason: "wrong billing address", reversedCents: -65_000, rebilledCents: 65_000 });
    // the void invoice nets to zero in the ledger; nothing was deleted or un-stamped
    const onVoid = await t.deps.db.execute(sql`select count(*)::int as n, sum(amount_cents)::int as s from invoice_entries ie join ledger_entries e on e.id = ie.ledger_entry_id where ie.invoice_id = ${first.id}`);
    expect(onVoid.rows[0]).toEqual({ n: 6, s: 0 });
    const ledgerAfter = await t.deps.db.execute(sql`select sum(amount_cents)::int as s from ledger_entries where client_id = ${s.client.id}`);
    expect(ledgerAfter.rows[0]).toEqual(ledgerBefore.rows[0]);
    expect(await uninvoiced(s.client.id)).toEqual({ n: 3, cents: 65_000 });

    const again = await close(s, "2026-12");
    expect(again.created).toBe(true);
    expect(again.invoice).toMatchObject({ number: 2, period: "2026-12", totalCents: 65_000, status: "draft" });
    const lines = (await t.deps.billing.getInvoice(SYSTEM, again.invoice.id)).lines;
    expect(lines.map((l) => [l.description.split(" — ")[0], l.quantity, l.amountCents]).sort()).toEqual([
      ["Re-billed from a voided invoice", 1, 50_000],
      ["Re-billed from a voided invoice", 2, 15_000],
    ]);
    await expect(t.deps.billing.voidInvoice(SYSTEM, { id: first.id, reason: "again" })).rejects.toMatchObject({ code: "INVALID_TRANSITION" });
    expect(await count(t.deps, "audit_events", sql`action = 'invoice.voided' and entity_id = ${first.id}`)).toBe(1);
  });

  it("refuses to void an older invoice that carried credit into later ones, and never voids a paid invoice", async () => {
    const s = await newClient({ leadPriceCents: 7500, acquisitionPriceCents: 20_000 });
    at("2026-12-10T15:00:00Z");
    const winner = await qualify(s);
    await outcome(winner, "won");
    at("2027-01-01T12:00:00Z");
    const dec = (await close(s, "2026-12", { draft: false })).invoice;
    await outcome(winner, "lost");
    at("2027-02-01T12:00:00Z");
    const jan = (await close(s, "2027-01")).invoice; // carries 20 000 of credit
    at("2027-03-01T12:00:00Z");
    const feb = (await close(s, "2027-02")).invoice; // empty, carries the credit on
    await expect(t.deps.billing.voidInvoice(SYSTEM, { id: jan.id, reason: "test" })).rejects.toMatchObject({ code: "CONFLICT" });
    await t.deps.billing.markInvoicePaid(SYSTEM, { id: dec.id, reference: "ACH 1001" });
    await expect(t.deps.billing.voidInvoice(SYSTEM, { id: dec.id, reason: "test" })).rejects.toMatchObject({ code: "INVALID_TRANSITION" });
    expect((await t.deps.billing.voidInvoice(SYSTEM, { id: feb.id, reason: "test" })).status).toBe("void");
  });

  it("leaves a draft by default that reserves its entries until it is issued; draft: false issues at once", async () => {
    const s = await newClient({ leadPriceCents: 7500 });
    at("2026-12-10T15:00:00Z");
    await qualify(s);
    at("2027-01-01T12:00:00Z");
    const { invoice } = await close(s, "2026-12");
    expect(invoice).toMatchObject({ status: "draft", issuedAt: null, totalCents: 7500 });
    expect(await uninvoiced(s.client.id)).toEqual({ n: 0, cents: 0 });
    await expect(t.deps.billing.markInvoicePaid(SYSTEM, { id: invoice.id, reference: "ACH 1002" })).rejects.toMatchObject({ code: "INVALID_TRANSITION" });
    const issued = await t.deps.billing.issueInvoice(SYSTEM, invoice.id);
    expect(issued).toMatchObject({ status: "issued", issuedAt: new Date("2027-01-01T12:00:00Z") });
    expect((await t.deps.billing.markInvoicePaid(SYSTEM, { id: invoice.id, reference: "ACH 1002" })).status).toBe("paid");
    expect(await count(t.deps, "audit_events", sql`entity_id = ${invoice.id} and action in ('invoice.issued', 'invoice.paid')`)).toBe(2);

    const other = await newClient({ leadPriceCents: 7500 });
    at("2026-12-10T15:00:00Z");
    await qualify(other);
    at("2027-01-01T12:00:00Z");
    expect((await close(other, "2026-12", { draft: false })).invoice).toMatchObject({ status: "issued", issuedAt: new Date("2027-01-01T12:00:00Z"), totalCents: 7500 });
  });

  describe("the billing.close-periods sweep", () => {
    const runJob = () => closePeriodsJob.handler(t.deps, {}, { now: async () => {}, schedule: async () => {}, attempt: 1 });

    it("closes last month once the client's local time has passed 00:00 on the 1st, once", async () => {
      const ny = await newClient({ retainerCents: 30_000 });
      const la = await setupIntakeClient(t.deps, { contract: billingContract({ retainerCents: 40_000 }) });
      await t.deps.clients.update(SYSTEM, { id: la.client.id, timezone: "America/Los_Angeles" });

      at("2040-04-01T06:00:00Z"); // 02:00 in New York, 23:00 on Mar 31 in Los Angeles
      await runJob();
      const invoices = async (clientId: string) =>
        (await t.deps.db.execute(sql`select period, total_cents from invoices where client_id = ${clientId} order by number`)).rows;
      expect(await invoices(ny.client.id)).toEqual([{ period: "2040-03", total_cents: 30_000 }]);
      expect(await invoices(la.client.id)).toEqual([{ period: "2040-02", total_cents: 40_000 }]);

      at("2040-04-01T08:00:00Z"); // now past midnight in Los Angeles too; runs again are harmless
      await runJob();
      await runJob();
      expect(await invoices(ny.client.id)).toEqual([{ period: "2040-03", total_cents: 30_000 }]);
      expect(await invoices(la.client.id)).toEqual([
        { period: "2040-02", total_cents: 40_000 },
        { period: "2040-03", total_cents: 40_000 },
      ]);
    });

    it("does not re-close a month whose invoice was voided: that is a person's call", async () => {
      const s = await newClient({ retainerCents: 30_000 });
      at("2040-05-01T12:00:00Z");
      await runJob();
      const [inv] = (await t.deps.billing.listInvoices(SYSTEM, { clientId: s.client.id })).items;
      await t.deps.billing.voidInvoice(SYSTEM, { id: inv!.id, reason: "retainer waived" });
      await runJob();
      expect(await count(t.deps, "invoices", sql`client_id = ${s.client.id}`)).toBe(1);
    });

    it("skips paused clients and months that ended before the client existed", async () => {
      const paused = await newClient({ retainerCents: 30_000 });
      await t.deps.clients.update(SYSTEM, { id: paused.client.id, status: "paused" });
      const fresh = await newClient({ retainerCents: 30_000 });
      at("2020-11-01T12:00:00Z"); // October 2020 ended before these clients were created (today, in real time)
      await runJob();
      at("2040-06-01T12:00:00Z");
      await runJob();
      expect(await count(t.deps, "invoices", sql`client_id = ${paused.client.id}`)).toBe(0);
      expect(await count(t.deps, "invoices", sql`client_id = ${fresh.client.id} and period = '2020-10'`)).toBe(0);
      expect(await count(t.deps, "invoices", sql`client_id = ${fresh.client.id} and period = '2040-05'`)).toBe(1);
    });
  });
});
