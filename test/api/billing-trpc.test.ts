import { sql } from "drizzle-orm";
import type supertest from "supertest";
import { outcomeCaller } from "../../server/domain/billing/mark-outcome";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { billingContract, billingLead, count, setupIntakeClient, submitTestLead } from "../support/fixtures";

type Agent = supertest.Agent;

/** leads.markOutcome, invoices.* and ledger.* over HTTP with real sessions: roles and tenant isolation. */
describe("billing through tRPC", () => {
  const clock = fixedClock("2026-12-10T15:00:00Z");
  let t: TestContext;
  let acme: Awaited<ReturnType<typeof setupIntakeClient>>;
  let other: Awaited<ReturnType<typeof setupIntakeClient>>;
  const leads = { won: "", open: "", spare: "", rejected: "", foreign: "" };
  const agents = {} as Record<"agency" | "acmeAdmin" | "acmeMember" | "otherAdmin", Agent>;
  let decemberInvoiceId = "";
  let n = 0;

  const errorOf = (res: supertest.Response) => ({ status: res.status, code: res.body.error?.data?.code, domainCode: res.body.error?.data?.domainCode });

  beforeAll(async () => {
    t = await createTestContext({ clock });
    acme = await setupIntakeClient(t.deps, { name: "Acme Billing", contract: billingContract({ retainerCents: 50_000, leadPriceCents: 7500, acquisitionPriceCents: 20_000, revshareBps: 1000 }) });
    other = await setupIntakeClient(t.deps, { name: "Other Billing", contract: billingContract({ leadPriceCents: 5000 }) });
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "boss@acme.test", password: PASSWORD, role: "client_admin", clientId: acme.client.id });
    await t.deps.users.create(SYSTEM, { email: "rep@acme.test", password: PASSWORD, role: "client_member", clientId: acme.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@other.test", password: PASSWORD, role: "client_admin", clientId: other.client.id });
    leads.won = (await submitTestLead(t.deps, acme, billingLead(++n))).leadId;
    leads.open = (await submitTestLead(t.deps, acme, billingLead(++n))).leadId;
    leads.spare = (await submitTestLead(t.deps, acme, billingLead(++n))).leadId;
    leads.rejected = (await submitTestLead(t.deps, acme, { ...billingLead(++n), zip: "94105" })).leadId;
    leads.foreign = (await submitTestLead(t.deps, other, billingLead(++n))).leadId;
    await t.deps.billing.markOutcome(outcomeCaller(SYSTEM), { leadId: leads.won, outcome: "won", valueCents: 300_000 });
    clock.set("2027-01-02T12:00:00Z");
    agents.agency = await loginAgent(t.app, "admin@agency.test");
    agents.acmeAdmin = await loginAgent(t.app, "boss@acme.test");
    agents.acmeMember = await loginAgent(t.app, "rep@acme.test");
    agents.otherAdmin = await loginAgent(t.app, "boss@other.test");
  });
  afterAll(() => t.close());

  describe("leads.markOutcome", () => {
    it("lets a client member mark an own lead won with its value and returns the charges written", async () => {
      const res = await trpc(agents.acmeMember, "mutation", "leads.markOutcome", { leadId: leads.open, outcome: "won", valueCents: 125_055 });
      expect(res.status).toBe(200);
      expect(res.body.result.data).toMatchObject({
        leadId: leads.open,
        outcome: "won",
        valueCents: 125_055,
        changed: true,
        entries: [
          { kind: "acquisition_charge", amountCents: 20_000 },
          { kind: "revshare_charge", amountCents: 12_506 },
        ],
      });
      const audit = await t.deps.db.execute(sql`select actor_label from audit_events where action = 'lead.outcome_marked' and entity_id = ${leads.open}`);
      expect(audit.rows).toEqual([{ actor_label: "rep@acme.test" }]);
    });

    it("answers NOT_FOUND for another client's lead and charges nothing", async () => {
      const res = await trpc(agents.otherAdmin, "mutation", "leads.markOutcome", { leadId: leads.won, outcome: "lost" });
      expect(errorOf(res)).toMatchObject({ status: 404, code: "NOT_FOUND" });
      expect(await count(t.deps, "ledger_entries", sql`lead_id = ${leads.won} and kind = 'adjustment'`)).toBe(0);
    });

    it("refuses to win a rejected lead with LEAD_NOT_QUALIFIED", async () => {
      const res = await trpc(agents.acmeAdmin, "mutation", "leads.markOutcome", { leadId: leads.rejected, outcome: "won", valueCents: 100 });
      expect(errorOf(res)).toEqual({ status: 422, code: "UNPROCESSABLE_CONTENT", domainCode: "LEAD_NOT_QUALIFIED" });
    });

    it("is for client users only: agency staff get FORBIDDEN", async () => {
      const res = await trpc(agents.agency, "mutation", "leads.markOutcome", { leadId: leads.spare, outcome: "lost" });
      expect(errorOf(res)).toMatchObject({ status: 403, code: "FORBIDDEN" });
    });
  });

  describe("invoices", () => {
    it("closes a period into a draft for agency staff only, and a repeat returns the same invoice", async () => {
      const denied = await trpc(agents.acmeAdmin, "mutation", "invoices.close", { clientId: acme.client.id, period: "2026-12" });
      expect(errorOf(denied)).toMatchObject({ status: 403, code: "FORBIDDEN" });
      const res = await trpc(agents.agency, "mutation", "invoices.close", { clientId: acme.client.id });
      expect(res.status).toBe(200);
      const { invoice, created } = res.body.result.data;
      expect(created).toBe(true);
      // retainer 50 000 + 3 leads × 7 500 + acquisition 20 000 + 10 % of $3,000 = 30 000 (January's win waits for January)
      expect(invoice).toMatchObject({ period: "2026-12", number: 1, displayNumber: "INV-0001", status: "draft", issuedAt: null, totalCents: 122_500 });
      decemberInvoiceId = invoice.id;
      const again = await trpc(agents.agency, "mutation", "invoices.close", { clientId: acme.client.id, period: "2026-12" });
      expect(again.body.result.data).toMatchObject({ created: false, invoice: { id: decemberInvoiceId } });
      const early = await trpc(agents.agency, "mutation", "invoices.close", { clientId: acme.client.id, period: "2027-01" });
      expect(errorOf(early)).toMatchObject({ status: 422, domainCode: "PERIOD_NOT_ENDED" });
    });

    it("keeps the draft from the client's users — list, get, CSV and balance — until the agency issues it", async () => {
      const hidden = {
        list: await trpc(agents.acmeAdmin, "query", "invoices.list", {}),
        drafts: await trpc(agents.acmeAdmin, "query", "invoices.list", { status: "draft" }),
        get: await trpc(agents.acmeMember, "query", "invoices.get", { id: decemberInvoiceId }),
        csv: await trpc(agents.acmeAdmin, "query", "invoices.csv", { id: decemberInvoiceId }),
        balance: await trpc(agents.acmeAdmin, "query", "ledger.balance", {}),
      };
      const agencyView = await trpc(agents.agency, "query", "invoices.list", { clientId: acme.client.id });
      const issued = await trpc(agents.agency, "mutation", "invoices.issue", { id: decemberInvoiceId });
      const shown = await trpc(agents.acmeAdmin, "query", "invoices.list", {});

      expect(hidden.list.body.result.data.items).toEqual([]);
      expect(hidden.drafts.body.result.data.items).toEqual([]);
      expect(errorOf(hidden.get)).toMatchObject({ status: 404, domainCode: "INVOICE_NOT_FOUND" });
      expect(errorOf(hidden.csv)).toMatchObject({ status: 404, domainCode: "INVOICE_NOT_FOUND" });
      // the draft's entries still count as not yet invoiced for the client: December's 122 500 plus January's win (32 506)
      expect(hidden.balance.body.result.data).toMatchObject({ uninvoicedCents: 155_006, uninvoicedEntries: 8, creditBalanceCents: 0 });
      expect(agencyView.body.result.data.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[decemberInvoiceId, "draft"]]);
      expect(issued.body.result.data).toMatchObject({ status: "issued", issuedAt: "2027-01-02T12:00:00.000Z" });
      expect(shown.body.result.data.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[decemberInvoiceId, "issued"]]);
    });

    it("shows client users their own invoices with lines and the leads behind them, and nothing of other clients", async () => {
      const list = await trpc(agents.acmeMember, "query", "invoices.list", {});
      expect(list.body.result.data.items.map((i: { id: string }) => i.id)).toEqual([decemberInvoiceId]);
      expect(errorOf(await trpc(agents.acmeMember, "query", "invoices.list", { clientId: other.client.id }))).toMatchObject({ status: 404, domainCode: "CLIENT_NOT_FOUND" });
      const get = await trpc(agents.acmeMember, "query", "invoices.get", { id: decemberInvoiceId });
      const lines = get.body.result.data.lines as { kind: string; quantity: number; amountCents: number; leadIds: string[]; entries: unknown[] }[];
      expect(lines.map((l) => [l.kind, l.quantity, l.amountCents])).toEqual([
        ["retainer", 1, 50_000],
        ["lead_charge", 3, 22_500],
        ["acquisition_charge", 1, 20_000],
        ["revshare_charge", 1, 30_000],
      ]);
      expect(lines[1]!.leadIds.sort()).toEqual([leads.won, leads.open, leads.spare].sort());
      expect(lines[3]!.leadIds).toEqual([leads.won]);
      const foreign = await trpc(agents.otherAdmin, "query", "invoices.get", { id: decemberInvoiceId });
      expect(errorOf(foreign)).toMatchObject({ status: 404, code: "NOT_FOUND", domainCode: "INVOICE_NOT_FOUND" });
      expect(JSON.stringify(foreign.body)).not.toContain("Acme");
      const otherList = await trpc(agents.otherAdmin, "query", "invoices.list", { clientId: acme.client.id });
      expect(errorOf(otherList)).toMatchObject({ status: 404, domainCode: "CLIENT_NOT_FOUND" });
      expect(JSON.stringify(otherList.body)).not.toContain(decemberInvoiceId);
    });

    it("exports an invoice as CSV whose entry rows add up to the total, for its own client only", async () => {
      const res = await trpc(agents.acmeAdmin, "query", "invoices.csv", { id: decemberInvoiceId });
      const { filename, csv } = res.body.result.data as { filename: string; csv: string };
      expect(filename).toBe("INV-0001-2026-12.csv");
      const rows = csv.trim().split("\n");
      expect(rows[0]).toBe("invoice,period,line,description,kind,quantity,unit_amount,line_amount,entry_id,lead_id,dispute_id,entry_created_at,entry_amount,entry_amount_cents");
      const entryRows = rows.slice(1).filter((r) => /,\d+\s*$/.test(r) || /,-\d+\s*$/.test(r));
      expect(entryRows).toHaveLength(6);
      expect(entryRows.reduce((s, r) => s + Number(r.split(",").pop()), 0)).toBe(122_500);
      expect(rows).toContain('INV-0001,2026-12,,"Total due (USD, issued)",,,,1225.00,,,,,,');
      const foreign = await trpc(agents.otherAdmin, "query", "invoices.csv", { id: decemberInvoiceId });
      expect(foreign.status).toBe(404);
    });

    it("moves invoices through issue, markPaid and void for agency staff only", async () => {
      const denied = await trpc(agents.acmeAdmin, "mutation", "invoices.markPaid", { id: decemberInvoiceId, reference: "ACH 77" });
      expect(errorOf(denied)).toMatchObject({ status: 403 });
      const issueAgain = await trpc(agents.agency, "mutation", "invoices.issue", { id: decemberInvoiceId });
      expect(errorOf(issueAgain)).toMatchObject({ status: 409, domainCode: "INVALID_TRANSITION" });
      const noReason = await trpc(agents.agency, "mutation", "invoices.void", { id: decemberInvoiceId, reason: "" });
      expect(errorOf(noReason)).toMatchObject({ status: 400, code: "BAD_REQUEST" });
      const paid = await trpc(agents.agency, "mutation", "invoices.markPaid", { id: decemberInvoiceId, reference: "ACH 77" });
      expect(paid.body.result.data).toMatchObject({ status: "paid", paidAt: "2027-01-02T12:00:00.000Z" });
      const voidPaid = await trpc(agents.agency, "mutation", "invoices.void", { id: decemberInvoiceId, reason: "customer disputes it" });
      expect(errorOf(voidPaid)).toMatchObject({ status: 409, domainCode: "INVALID_TRANSITION" });
      const missing = await trpc(agents.agency, "mutation", "invoices.markPaid", { id: "00000000-0000-4000-8000-000000000000", reference: "ACH 78" });
      expect(errorOf(missing)).toMatchObject({ status: 404, domainCode: "INVOICE_NOT_FOUND" });
    });
  });

  describe("ledger", () => {
    it("lists a client's entries for agency staff, filtered and paged, and refuses client users", async () => {
      const denied = await trpc(agents.acmeAdmin, "query", "ledger.list", { clientId: acme.client.id });
      expect(errorOf(denied)).toMatchObject({ status: 403 });
      const open = await trpc(agents.agency, "query", "ledger.list", { clientId: acme.client.id, uninvoicedOnly: true });
      expect(open.body.result.data.items.map((e: { kind: string; amountCents: number }) => [e.kind, e.amountCents])).toEqual([
        ["revshare_charge", 12_506],
        ["acquisition_charge", 20_000],
      ]);
      const leadCharges = await trpc(agents.agency, "query", "ledger.list", { clientId: acme.client.id, kind: "lead_charge", limit: 2 });
      const page1 = leadCharges.body.result.data;
      expect(page1.items).toHaveLength(2);
      const page2 = (await trpc(agents.agency, "query", "ledger.list", { clientId: acme.client.id, kind: "lead_charge", limit: 2, cursor: page1.nextCursor })).body.result.data;
      expect(page2.items).toHaveLength(1);
      expect(page2.nextCursor).toBeNull();
      expect(new Set([...page1.items, ...page2.items].map((e: { leadId: string }) => e.leadId)).size).toBe(3);
    });

    it("refuses to change the currency of a client that has ledger entries, and lets it change before the first", async () => {
      const refused = await trpc(agents.agency, "mutation", "clients.update", { id: acme.client.id, currency: "EUR" });
      expect(errorOf(refused)).toMatchObject({ status: 409, domainCode: "CONFLICT" });
      expect(refused.body.error.data.issues).toEqual([{ path: ["currency"], message: "cannot change once the client has ledger entries (they are in USD)" }]);
      expect((await trpc(agents.agency, "mutation", "clients.update", { id: acme.client.id, currency: "USD" })).status).toBe(200);
      const fresh = await trpc(agents.agency, "mutation", "clients.create", { name: "Fresh Currency Co" });
      const changed = await trpc(agents.agency, "mutation", "clients.update", { id: fresh.body.result.data.id, currency: "EUR" });
      expect(changed.status).toBe(200);
      expect(changed.body.result.data.currency).toBe("EUR");
    });

    it("gives each client its own balance, and a 404 for another client's", async () => {
      const own = await trpc(agents.acmeMember, "query", "ledger.balance", {});
      expect(errorOf(await trpc(agents.acmeMember, "query", "ledger.balance", { clientId: other.client.id }))).toMatchObject({ status: 404, domainCode: "CLIENT_NOT_FOUND" });
      // January's retainer is not written until January closes, but the next invoice will carry it.
      expect(own.body.result.data).toEqual({
        clientId: acme.client.id,
        uninvoicedCents: 32_506,
        uninvoicedEntries: 2,
        creditBalanceCents: 0,
        pendingRetainers: [{ period: "2027-01", amountCents: 50_000, prorated: false, days: 31, daysInMonth: 31 }],
        pendingRetainerCents: 50_000,
        netCents: 82_506,
      });
      const agency = await trpc(agents.agency, "query", "ledger.balance", { clientId: other.client.id });
      expect(agency.body.result.data).toMatchObject({ clientId: other.client.id, uninvoicedCents: 5000 });
      const missing = await trpc(agents.agency, "query", "ledger.balance", {});
      expect(errorOf(missing)).toMatchObject({ status: 400 });
    });
  });
});
