import { sql } from "drizzle-orm";
import type { Actor } from "../../server/domain/auth/roles";
import { createTestContext, fixedClock, loginAgent, PASSWORD, SYSTEM, type TestContext } from "../support/app";
import { billingLead, count, DISPUTE_CONTRACT, setupIntakeClient, submitTestLead } from "../support/fixtures";

/**
 * The invoice pages of the portal and the agency's billing page, rendered by the Remix build:
 * October's leads are charged on a fixed clock, a dispute credit is approved, the month ends and
 * the period is closed; then each side reads, downloads and acts on the invoice.
 */

type Agent = Awaited<ReturnType<typeof loginAgent>>;
type Setup = Awaited<ReturnType<typeof setupIntakeClient>>;

/** A small RFC 4180 reader (quoted fields with commas, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") endField();
    else if (ch === "\n") {
      endField();
      rows.push(row);
      row = [];
    } else if (ch !== "\r") field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** The text of each cell of a table row's HTML. */
function cells(rowHtml: string): string[] {
  return [...rowHtml.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "").trim());
}

describe("invoice pages in the portal and billing in the agency console", () => {
  const clock = fixedClock("2026-10-14T15:00:00Z");
  let t: TestContext;
  let a: Setup;
  let b: Setup;
  let c: Setup;
  let invoiceId = "";
  let disputeId = "";
  let disputedLead = "";
  let zetaLead = "";
  let d: Awaited<ReturnType<typeof setupIntakeClient>>;
  const as = {} as Record<"aAdmin" | "bAdmin" | "agency", Agent>;
  const contract = { ...DISPUTE_CONTRACT, pricing: { leadPriceCents: 7500, retainerCents: 25000 } };

  beforeAll(async () => {
    t = await createTestContext({ clock });
    a = await setupIntakeClient(t.deps, { name: "Alpha Roofing", contract });
    b = await setupIntakeClient(t.deps, { name: "Beta Plumbing", contract });
    c = await setupIntakeClient(t.deps, { name: "Gamma Gutters", contract });
    const aUser = await t.deps.users.create(SYSTEM, { email: "boss@alpha.test", password: PASSWORD, role: "client_admin", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "boss@beta.test", password: PASSWORD, role: "client_admin", clientId: b.client.id });
    await t.deps.users.create(SYSTEM, { email: "admin@agency.test", password: PASSWORD, role: "agency_admin" });

    // October: three charged leads for Alpha ($75 each), one of them credited back as spam; one lead for Beta.
    const leads: string[] = [];
    for (let n = 1; n <= 3; n++) leads.push((await submitTestLead(t.deps, a, billingLead(n))).leadId);
    await submitTestLead(t.deps, b, billingLead(9));
    await submitTestLead(t.deps, c, billingLead(8));
    // Zeta's October stays open until the last test closes it as a draft.
    d = await setupIntakeClient(t.deps, { name: "Zeta Zinc Roofing", contract });
    await t.deps.users.create(SYSTEM, { email: "boss@zeta.test", password: PASSWORD, role: "client_admin", clientId: d.client.id });
    zetaLead = (await submitTestLead(t.deps, d, billingLead(7))).leadId;
    clock.set("2026-10-15T15:00:00Z");
    disputedLead = leads[2]!;
    const alphaAdmin: Actor = { kind: "client", userId: aUser.id, email: aUser.email, role: "client_admin", clientId: a.client.id };
    disputeId = (await t.deps.disputes.open(alphaAdmin, { leadId: disputedLead, reason: "spam" })).dispute.id;

    // November 2nd: October is over; the agency closes Alpha's October.
    clock.set("2026-11-02T15:00:00Z");
    invoiceId = (await t.deps.billing.closePeriod(SYSTEM, { clientId: a.client.id, period: "2026-10", draft: false })).invoice.id;

    as.aAdmin = await loginAgent(t.app, "boss@alpha.test");
    as.bAdmin = await loginAgent(t.app, "boss@beta.test");
    as.agency = await loginAgent(t.app, "admin@agency.test");
  });
  afterAll(() => t.close());

  describe("the client's side", () => {
    it("shows the invoice's lines, the dispute credit as a negative line and the exact total", async () => {
      const page = await as.aAdmin.get(`/portal/invoices/${invoiceId}`);

      expect(page.status).toBe(200);
      const html = page.text;
      expect(html).toContain("INV-0001");
      expect(html).toContain("October 2026");
      expect(html).toContain("Issued — due");
      expect(html).toContain("Monthly retainer — 2026-10");
      expect(html).toContain("Qualified leads");
      expect(html).toContain("$75.00");
      expect(html).toContain("$225.00");
      expect(html).toContain("Dispute credit");
      expect(html).toContain("−$75.00");
      expect(html).toContain(`href="/portal/disputes/${disputeId}"`);
      expect(html).toContain(`href="/portal/leads/${disputedLead}"`);
      // 250 + 3 × 75 − 75 = 400
      expect(html).toMatch(/Total <!-- -->due<\/dt><dd class="grand">\$400\.00<\/dd>/);
      expect(html).toContain("Credit carried forward");
      expect(html).toContain(`href="/portal/invoices/${invoiceId}.csv"`);
      expect(html).toContain(">Print</button>");
    });

    it("lists the invoices with their totals, the running balance and the credit balance", async () => {
      const page = await as.aAdmin.get("/portal/invoices");

      expect(page.status).toBe(200);
      expect(page.text).toContain(`href="/portal/invoices/${invoiceId}"`);
      expect(page.text).toContain("Due on issued invoices");
      expect(page.text).toContain("Running balance");
      expect(page.text.match(/\$400\.00/g)?.length).toBeGreaterThanOrEqual(3); // due, total, running balance
    });

    it("downloads the invoice as CSV: a header row, the entries of each line in dollars and cents, then the totals", async () => {
      const res = await as.aAdmin.get(`/portal/invoices/${invoiceId}.csv`);

      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/csv/);
      expect(res.headers["content-disposition"]).toBe('attachment; filename="invoice-INV-0001.csv"');
      const [header, ...rows] = parseCsv(res.text);
      expect(header).toEqual(expect.arrayContaining(["invoice", "period", "line", "description", "quantity", "unit_amount", "line_amount", "entry_amount"]));
      const col = (name: string) => header!.indexOf(name);
      const lineRows = rows.filter((r) => r[col("line")] !== "");
      // one row per ledger entry: the retainer, three lead charges and the credit
      expect(lineRows.map((r) => [r[col("description")], r[col("line_amount")], r[col("entry_amount")]])).toEqual([
        ["Monthly retainer — 2026-10", "250.00", "250.00"],
        [expect.stringContaining("Qualified leads"), "225.00", "75.00"],
        [expect.stringContaining("Qualified leads"), "225.00", "75.00"],
        [expect.stringContaining("Qualified leads"), "225.00", "75.00"],
        [expect.stringContaining("Dispute credit"), "-75.00", "-75.00"],
      ]);
      const totals = Object.fromEntries(rows.filter((r) => r[col("line")] === "").map((r) => [r[col("description")], r[col("line_amount")]]));
      expect(totals).toEqual({ Subtotal: "400.00", "Credit applied": "0.00", "Total due (USD, issued)": "400.00", "Credit carried forward": "0.00" });
    });

    it("answers 404 for another client's invoice, its CSV and ids that are not invoices", async () => {
      expect((await as.bAdmin.get(`/portal/invoices/${invoiceId}`)).status).toBe(404);
      expect((await as.bAdmin.get(`/portal/invoices/${invoiceId}.csv`)).status).toBe(404);
      expect((await as.aAdmin.get("/portal/invoices/not-an-invoice")).status).toBe(404);
    });

    it("refuses the agency billing page to a client user with 403", async () => {
      const res = await as.aAdmin.get(`/agency/clients/${a.client.id}/billing`);

      expect(res.status).toBe(403);
    });
  });

  describe("the agency's billing page", () => {
    const billing = () => `/agency/clients/${b.client.id}/billing`;

    it("offers the previous month in the client's time zone and closes it through the form into a draft the client does not see until it is issued", async () => {
      const page = await as.agency.get(billing());
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/<input type="month" name="period" required="" value="2026-10"/);

      const res = await as.agency.post(billing()).type("form").send({ intent: "close-period", period: "2026-10" });
      const [row] = (await t.deps.db.execute(sql`select id, number, status, total_cents::int as total from invoices where client_id = ${b.client.id}`)).rows as {
        id: string;
        number: number;
        status: string;
        total: number;
      }[];
      const before = {
        list: await as.bAdmin.get("/portal/invoices"),
        page: await as.bAdmin.get(`/portal/invoices/${row!.id}`),
        csv: await as.bAdmin.get(`/portal/invoices/${row!.id}.csv`),
      };
      const issued = await as.agency.post(billing()).type("form").send({ intent: "issue", id: row!.id });
      const after = { list: await as.bAdmin.get("/portal/invoices"), page: await as.bAdmin.get(`/portal/invoices/${row!.id}`) };

      expect(res.status).toBe(200);
      expect(res.text).toContain("Closed October 2026: invoice INV-0001 for October 2026 (draft), total $325.00. Review it and press Issue");
      expect(row).toMatchObject({ number: 1, status: "draft", total: 32500 });
      expect(before.list.status).toBe(200);
      expect(before.list.text).not.toContain(row!.id);
      expect(before.list.text).toContain("No invoices yet");
      expect(before.list.text).toContain("$325.00"); // the draft's charges still read as not yet invoiced
      expect(before.page.status).toBe(404);
      expect(before.csv.status).toBe(404);
      expect(issued.text).toContain("Invoice INV-0001 is issued");
      expect(after.list.text).toContain(`href="/portal/invoices/${row!.id}"`);
      expect(after.page.status).toBe(200);
      expect(after.page.text).toContain("Issued — due");
    });

    it("says there is no month to close yet for a client created this month, and refuses an earlier month with the reason", async () => {
      const d = await setupIntakeClient(t.deps, { name: "Delta Decks", contract, createdAt: "2026-11-01T16:00:00Z" });
      const page = `/agency/clients/${d.client.id}/billing`;

      const view = await as.agency.get(page);
      const refused = await as.agency.post(page).type("form").send({ intent: "close-period", period: "2026-10" });

      expect(view.status).toBe(200);
      expect(view.text).toContain("There is no month to close yet.");
      expect(view.text).toContain("The client was created on Nov 1, 2026; there is nothing to bill for 2026-10.");
      expect(view.text).toContain("The first one, November 2026, can be closed from Dec 1, 2026");
      expect(view.text).not.toContain('name="period"');
      expect(refused.status).toBe(400);
      expect(refused.text).toContain("The client was created on Nov 1, 2026; there is nothing to bill for 2026-10.");
      expect(await count(t.deps, "invoices", sql`client_id = ${d.client.id}`)).toBe(0);
    });

    it("says so instead of closing a month twice, and shows why a month that has not ended cannot be closed", async () => {
      const again = await as.agency.post(billing()).type("form").send({ intent: "close-period", period: "2026-10" });
      const current = await as.agency.post(billing()).type("form").send({ intent: "close-period", period: "2026-11" });

      expect(again.status).toBe(200);
      expect(again.text).toContain("October 2026 is already closed");
      expect(current.status).toBe(400);
      expect(current.text).toContain("has not ended yet");
    });

    it("shows the ledger with invoice numbers and a running balance, filtered by kind", async () => {
      const all = await as.agency.get(`/agency/clients/${a.client.id}/billing`);
      const credits = await as.agency.get(`/agency/clients/${a.client.id}/billing?kind=dispute_credit`);
      const open = await as.agency.get(`/agency/clients/${a.client.id}/billing?uninvoiced=1`);

      expect(all.status).toBe(200);
      expect(all.text.match(/class="badge ">Lead charge</g)?.length).toBe(3);
      expect(all.text).toContain(">Running balance<");
      // newest first: the retainer written at the close carries the whole sum, 250 + 3 × 75 − 75
      const firstRow = cells(/<table class="ledger-table[^"]*">.*?<tbody><tr>(.*?)<\/tr>/.exec(all.text)?.[1] ?? "");
      expect(firstRow.slice(1)).toEqual(["Retainer", "retainer 2026-10", "2026-10", "INV-0001", "$250.00", "$400.00"]);
      expect(credits.text.match(/class="badge ">Lead charge</g)).toBeNull();
      expect(credits.text).toContain('class="badge ok">Dispute credit<');
      expect(open.text).toContain("Nothing matches these filters.");
    });

    it("asks for a reason before voiding, then voids the invoice through the form", async () => {
      const [row] = (await t.deps.db.execute(sql`select id from invoices where client_id = ${b.client.id}`)).rows as { id: string }[];
      const confirm = await as.agency.get(`${billing()}?void=${row!.id}`);
      expect(confirm.text).toContain("Void invoice INV-0001?");
      expect(confirm.text).toContain("cannot be undone");

      const noReason = await as.agency.post(billing()).type("form").send({ intent: "void", id: row!.id, reason: "" });
      expect(noReason.status).toBe(400);
      expect(noReason.text).toContain("give a reason of at least 3 characters");

      const res = await as.agency.post(billing()).type("form").send({ intent: "void", id: row!.id, reason: "Wrong retainer amount" });
      expect(res.status).toBe(200);
      expect(res.text).toContain("Invoice INV-0001 is void.");
      const after = await t.deps.db.execute(sql`select status, void_reason from invoices where id = ${row!.id}`);
      expect(after.rows).toEqual([{ status: "void", void_reason: "Wrong retainer amount" }]);
      expect((await as.agency.get(billing())).text).toContain("Wrong retainer amount");
    });

    it("refuses to act on another client's invoice from this client's page", async () => {
      const res = await as.agency.post(billing()).type("form").send({ intent: "mark-paid", id: invoiceId, reference: "ACH 501" });
      const view = await as.agency.get(`${billing()}?invoice=${invoiceId}`);

      expect(res.status).toBe(404);
      expect(view.status).toBe(404);
      const [row] = (await t.deps.db.execute(sql`select status from invoices where id = ${invoiceId}`)).rows;
      expect(row).toEqual({ status: "issued" });
    });

    it("issues the invoice at once when the form asks for it", async () => {
      const page = `/agency/clients/${c.client.id}/billing`;

      const res = await as.agency.post(page).type("form").send({ intent: "close-period", period: "2026-10", issue: "on" });
      const rows = (await t.deps.db.execute(sql`select status from invoices where client_id = ${c.client.id}`)).rows;

      expect(res.text).toContain("Closed October 2026: invoice INV-0001 for October 2026 (issued), total $325.00.");
      expect(res.text).not.toContain('aria-label="Issue INV-0001"');
      expect(rows).toEqual([{ status: "issued" }]);
    });

    it("marks an issued invoice paid, and the client sees it paid", async () => {
      const res = await as.agency.post(`/agency/clients/${a.client.id}/billing`).type("form").send({ intent: "mark-paid", id: invoiceId, reference: "ACH 502" });

      expect(res.status).toBe(200);
      expect(res.text).toContain("Invoice INV-0001 is marked paid (reference ACH 502).");
      const page = await as.aAdmin.get(`/portal/invoices/${invoiceId}`);
      expect(page.text).toContain(">Paid</span>");
      expect(page.text).toContain("Nov 2, 2026");
    });
  });

  it("says on a lead's page which invoice holds its charge: a draft only to the agency (the client sees 'next invoice' until it is issued)", async () => {
    const badge = (html: string) => /badge[^"]*">((?:invoiced|draft invoice|voided invoice|next invoice)[^<]*)</.exec(html.replace(/<!-- -->/g, ""))?.[1]?.trim();
    const alphaLead = (await t.deps.db.execute(sql`select e.lead_id from invoice_entries ie join ledger_entries e on e.id = ie.ledger_entry_id where ie.invoice_id = ${invoiceId} and e.kind = 'lead_charge' limit 1`)).rows[0] as { lead_id: string };
    expect(badge((await as.aAdmin.get(`/portal/leads/${alphaLead.lead_id}`)).text)).toBe("invoiced INV-0001");

    const zetaAdmin = await loginAgent(t.app, "boss@zeta.test");
    expect(badge((await as.agency.get(`/agency/leads/${zetaLead}`)).text)).toBe("next invoice");
    const draft = (await t.deps.billing.closePeriod(SYSTEM, { clientId: d.client.id, period: "2026-10" })).invoice;
    expect(draft.status).toBe("draft");
    expect(badge((await as.agency.get(`/agency/leads/${zetaLead}`)).text)).toBe(`draft invoice ${draft.displayNumber}`);
    expect(badge((await zetaAdmin.get(`/portal/leads/${zetaLead}`)).text)).toBe("next invoice");

    await t.deps.billing.issueInvoice(SYSTEM, draft.id);
    expect(badge((await zetaAdmin.get(`/portal/leads/${zetaLead}`)).text)).toBe(`invoiced ${draft.displayNumber}`);
  });
});
