import { execFileSync } from "node:child_process";
import { sql } from "drizzle-orm";
import type supertest from "supertest";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, trpc, type TestContext } from "../support/app";
import { billingContract, billingLead, count, setupIntakeClient, submitTestLead } from "../support/fixtures";

type Agent = supertest.Agent;

/**
 * Issue #18 item 6 over HTTP with real sessions: payment terms and due dates, overdue, "mark paid"
 * with a reference (agency only, idempotent, audited, money and ledger untouched), and the PDF.
 */
describe("invoices people can pay", () => {
  const clock = fixedClock("2026-12-10T15:00:00Z");
  let t: TestContext;
  let acme: Awaited<ReturnType<typeof setupIntakeClient>>;
  let other: Awaited<ReturnType<typeof setupIntakeClient>>;
  const agents = {} as Record<"agency" | "acmeAdmin" | "otherAdmin", Agent>;
  let invoiceId = "";
  let otherInvoiceId = "";

  const errorOf = (res: supertest.Response) => ({ status: res.status, code: res.body.error?.data?.code, domainCode: res.body.error?.data?.domainCode });
  const ledgerSnapshot = async () => (await t.deps.db.execute(sql`select e.id, e.amount_cents, ie.invoice_id from ledger_entries e left join invoice_entries ie on ie.ledger_entry_id = e.id order by e.id`)).rows;

  beforeAll(async () => {
    t = await createTestContext({ clock });
    acme = await setupIntakeClient(t.deps, { name: "Acme Pay", contract: billingContract({ leadPriceCents: 7500 }) });
    other = await setupIntakeClient(t.deps, { name: "Other Pay", contract: billingContract({ leadPriceCents: 5000 }) });
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });
    await t.deps.users.create(SYSTEM, { email: "boss@acme.test", password: PASSWORD, role: "client_admin", clientId: acme.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@other.test", password: PASSWORD, role: "client_admin", clientId: other.client.id });
    await t.deps.clients.update(SYSTEM, {
      id: acme.client.id,
      legalName: "Acme Pay Holdings LLC",
      billingAddress: "12 Main St\nBrooklyn, NY 11201",
      taxId: "12-3456789",
      paymentTermsDays: 30,
    });
    await submitTestLead(t.deps, acme, billingLead(1));
    await submitTestLead(t.deps, acme, billingLead(2));
    await submitTestLead(t.deps, other, billingLead(3));
    clock.set("2027-01-02T12:00:00Z");
    invoiceId = (await t.deps.billing.closePeriod(SYSTEM, { clientId: acme.client.id, period: "2026-12", draft: false })).invoice.id;
    otherInvoiceId = (await t.deps.billing.closePeriod(SYSTEM, { clientId: other.client.id, period: "2026-12", draft: false })).invoice.id;
    await signIn();
  });
  /** Sessions last a week of the test clock: sign in again after moving it further. */
  const signIn = async () => {
    agents.agency = await loginAgent(t.app, "admin@agency.test");
    agents.acmeAdmin = await loginAgent(t.app, "boss@acme.test");
    agents.otherAdmin = await loginAgent(t.app, "boss@other.test");
  };
  afterAll(() => t.close());

  it("issues with the client's terms, due date and bill-to details; net 15 by default", async () => {
    const own = (await trpc(agents.acmeAdmin, "query", "invoices.get", { id: invoiceId })).body.result.data;
    expect(own).toMatchObject({
      status: "issued",
      paymentTermsDays: 30,
      dueDate: "2027-02-01", // issued Jan 2 (New York), net 30
      billTo: { name: "Acme Pay", legalName: "Acme Pay Holdings LLC", address: "12 Main St\nBrooklyn, NY 11201", taxId: "12-3456789" },
      overdue: false,
      payment: null,
    });
    const theirs = (await trpc(agents.otherAdmin, "query", "invoices.get", { id: otherInvoiceId })).body.result.data;
    expect(theirs).toMatchObject({ paymentTermsDays: 15, dueDate: "2027-01-17" });
  });

  it("marks an invoice overdue from the day after its due date, in the client's calendar", async () => {
    clock.set("2027-01-18T04:30:00Z"); // Jan 17, 11:30 PM in New York: still the due date
    await signIn();
    expect((await trpc(agents.otherAdmin, "query", "invoices.list", {})).body.result.data.items[0]).toMatchObject({ overdue: false, daysOverdue: 0 });
    clock.set("2027-01-20T15:00:00Z");
    expect((await trpc(agents.otherAdmin, "query", "invoices.list", {})).body.result.data.items[0]).toMatchObject({ dueDate: "2027-01-17", overdue: true, daysOverdue: 3 });
  });

  it("refuses mark paid to client users, and answers 404 for another client's or an unknown invoice", async () => {
    const own = await trpc(agents.acmeAdmin, "mutation", "invoices.markPaid", { id: invoiceId, reference: "ACH 1" });
    expect(errorOf(own)).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const foreignRead = await trpc(agents.acmeAdmin, "query", "invoices.get", { id: otherInvoiceId });
    expect(errorOf(foreignRead)).toMatchObject({ status: 404 });
    const foreignPdf = await trpc(agents.acmeAdmin, "query", "invoices.pdf", { id: otherInvoiceId });
    expect(errorOf(foreignPdf)).toMatchObject({ status: 404 });
    const foreignPage = await agents.acmeAdmin.get(`/portal/invoices/${otherInvoiceId}.pdf`);
    expect(foreignPage.status).toBe(404);
    const unknown = await trpc(agents.agency, "mutation", "invoices.markPaid", { id: "00000000-0000-4000-8000-000000000000", reference: "ACH 1" });
    expect(errorOf(unknown)).toMatchObject({ status: 404, domainCode: "INVOICE_NOT_FOUND" });
    const noReference = await trpc(agents.agency, "mutation", "invoices.markPaid", { id: invoiceId, reference: "  " });
    expect(errorOf(noReference)).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect(await count(t.deps, "invoice_payments", sql`true`)).toBe(0);
  });

  it("records the payment once with its reference, changes no money and no ledger entry, and a repeat changes nothing", async () => {
    const before = await ledgerSnapshot();
    const total = (await trpc(agents.agency, "query", "invoices.get", { id: invoiceId })).body.result.data.totalCents;

    const paid = await trpc(agents.agency, "mutation", "invoices.markPaid", { id: invoiceId, reference: "ACH 2027-0117" });
    expect(paid.status).toBe(200);
    expect(paid.body.result.data).toMatchObject({ status: "paid", totalCents: total, changed: true, payment: { reference: "ACH 2027-0117", amountCents: total, recordedBy: "admin@agency.test" } });

    const again = await trpc(agents.agency, "mutation", "invoices.markPaid", { id: invoiceId, reference: "ACH 2027-0117" });
    expect(again.body.result.data).toMatchObject({ status: "paid", changed: false });
    const otherRef = await trpc(agents.agency, "mutation", "invoices.markPaid", { id: invoiceId, reference: "CHEQUE 9" });
    expect(errorOf(otherRef)).toMatchObject({ status: 409, domainCode: "CONFLICT" });

    expect(await ledgerSnapshot()).toEqual(before);
    expect(await count(t.deps, "invoice_payments", sql`invoice_id = ${invoiceId}`)).toBe(1);
    expect(await count(t.deps, "audit_events", sql`entity_id = ${invoiceId} and action = 'invoice.paid'`)).toBe(1);
    const client = (await trpc(agents.acmeAdmin, "query", "invoices.get", { id: invoiceId })).body.result.data;
    expect(client).toMatchObject({ status: "paid", totalCents: total, overdue: false, payment: { reference: "ACH 2027-0117" } });
  });

  it("shows the client what is due and when, and the agency edits the bill-to details and terms on the Billing page", async () => {
    const list = await agents.otherAdmin.get("/portal/invoices");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Jan 17, 2027");
    expect(list.text).toMatch(/Overdue <!-- -->3<!-- --> day<!-- -->s/);
    const page = await agents.otherAdmin.get(`/portal/invoices/${otherInvoiceId}`);
    expect(page.text).toContain("Download PDF");
    expect(page.text).toContain("net 15");

    const billing = `/agency/clients/${other.client.id}/billing`;
    const denied = await agents.otherAdmin.post(billing).type("form").send({ intent: "save-bill-to", legalName: "Sneaky", billingAddress: "", taxId: "", paymentTermsDays: "0" });
    expect(denied.status).toBe(403);
    const bad = await agents.agency.post(billing).type("form").send({ intent: "save-bill-to", legalName: "Other Pay Ltd", billingAddress: "", taxId: "", paymentTermsDays: "365" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("must be at most 120 days");
    const saved = await agents.agency.post(billing).type("form").send({ intent: "save-bill-to", legalName: "Other Pay Ltd", billingAddress: "1 Side St | Newark, NJ 07102", taxId: "", paymentTermsDays: "7" });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain("Billing details saved.");
    const row = (await t.deps.db.execute(sql`select legal_name, billing_address, tax_id, payment_terms_days from clients where id = ${other.client.id}`)).rows[0];
    expect(row).toEqual({ legal_name: "Other Pay Ltd", billing_address: "1 Side St | Newark, NJ 07102", tax_id: null, payment_terms_days: 7 });
    // The issued invoice keeps the details it was issued with.
    expect((await trpc(agents.otherAdmin, "query", "invoices.get", { id: otherInvoiceId })).body.result.data).toMatchObject({ paymentTermsDays: 15, billTo: { legalName: null } });

    const noRef = await agents.agency.post(billing).type("form").send({ intent: "mark-paid", id: otherInvoiceId, reference: "" });
    expect(noRef.status).toBe(400);
    expect(noRef.text).toContain("is required: the payment&#x27;s reference from your bank statement");
  });

  it("serves the invoice PDF to its client with both parties' details in extractable text", async () => {
    const res = await agents.acmeAdmin.get(`/portal/invoices/${invoiceId}.pdf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-layout", "-", "-"], { input: pdf }).toString();
    expect(text).toContain("Acme Pay Holdings LLC");
    expect(text).toContain("Tax ID: 12-3456789");
    expect(text).toContain("INV-0001");
    expect(text).toContain("PAID");
    expect(text).toContain("reference ACH 2027-0117");
    expect(text).toMatch(/Total paid\s+\$150\.00/);
  });
});
