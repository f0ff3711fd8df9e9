import { sql } from "drizzle-orm";
import { alerts } from "../../server/db/schema";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, type TestContext } from "../support/app";
import { addAlertRecipient, billingLead, GOOD_LEAD, setupIntakeClient, submitTestLead } from "../support/fixtures";

/**
 * The lead-alert pages rendered by the Remix build: recipients management in the portal (admins
 * change, members read) and in the agency console, the template check, and the agency's alert log.
 */

type Agent = Awaited<ReturnType<typeof loginAgent>>;
type Setup = Awaited<ReturnType<typeof setupIntakeClient>>;

/** The text of each cell of a table row's HTML. */
function cells(rowHtml: string): string[] {
  return [...rowHtml.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "").trim());
}

describe("lead alert pages in the portal and the console", () => {
  let t: TestContext;
  let a: Setup;
  let b: Setup;
  const as = {} as Record<"aAdmin" | "aMember" | "staff", Agent>;
  const recipients = async (clientId: string) =>
    (await t.deps.db.execute(sql`select name, phone, active, active_hours from alert_recipients where client_id = ${clientId} order by created_at`)).rows;

  /** A failed (21211) and a delivered alert for the lead: sent 4 s and delivered 9 s after it arrived. */
  async function failedAndDeliveredAlerts(leadId: string, n: number) {
    const [row] = (await t.deps.db.execute(sql`select received_at from leads where id = ${leadId}`)).rows as { received_at: string }[];
    const received = new Date(row!.received_at);
    const phoneNo = (k: number) => `+1212555${String(170 + 2 * n + k).padStart(4, "0")}`;
    const good = await addAlertRecipient(t.deps, a.client.id, { name: "Dana Delivered", phone: phoneNo(0) });
    const bad = await addAlertRecipient(t.deps, a.client.id, { name: "Evan Broken", phone: phoneNo(1) });
    const at = (s: number) => new Date(received.getTime() + s * 1000);
    const base = { clientId: a.client.id, leadId, body: "x", attempts: 1, queuedAt: at(1) };
    await t.deps.db.insert(alerts).values({
      ...base,
      recipientId: bad.id,
      toPhone: bad.phone,
      status: "failed",
      errorCode: 21211,
      errorMessage: "invalid phone number (Twilio 21211)",
      failedAt: at(2),
      createdAt: at(1),
    });
    await t.deps.db.insert(alerts).values({
      ...base,
      recipientId: good.id,
      toPhone: good.phone,
      status: "delivered",
      messageSid: `SM${String(n + 1).padStart(32, "0")}`,
      sentAt: at(4),
      deliveredAt: at(9),
      createdAt: at(3),
    });
  }

  beforeAll(async () => {
    t = await createTestContext();
    a = await setupIntakeClient(t.deps, { name: "Alpha Roofing" });
    b = await setupIntakeClient(t.deps, { name: "Beta Plumbing" });
    await t.deps.users.create(SYSTEM, { email: "boss@alpha.test", password: PASSWORD, role: "client_admin", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "rep@alpha.test", password: PASSWORD, role: "client_member", clientId: a.client.id });
    await t.deps.users.create(SYSTEM, { email: "staff@agency.test", password: PASSWORD, role: "agency_staff" });
    as.aAdmin = await loginAgent(t.app, "boss@alpha.test");
    as.aMember = await loginAgent(t.app, "rep@alpha.test");
    as.staff = await loginAgent(t.app, "staff@agency.test");
  });
  afterAll(() => t.close());

  describe("recipients in the portal", () => {
    it("lets a client admin add a rep; the phone is stored as E.164 and shown formatted", async () => {
      const res = await as.aAdmin.post("/portal/alerts").type("form").send({ intent: "add-recipient", name: "Alice Rep", phone: "212.555.0150", active: "on", mode: "always" });

      expect(res.status).toBe(200);
      expect(res.text).toContain("Alice Rep (+12125550150) now gets lead alerts.");
      expect(res.text).toContain("(212) 555-0150");
      expect(await recipients(a.client.id)).toEqual([{ name: "Alice Rep", phone: "+12125550150", active: true, active_hours: null }]);
    });

    it("saves active hours per weekday in the client's time zone, midnight included", async () => {
      const res = await as.aAdmin.post("/portal/alerts").type("form").send({
        intent: "add-recipient",
        name: "Bob Nights",
        phone: "(212) 555-0151",
        active: "on",
        mode: "hours",
        "on-mon": "on",
        "from-mon": "08:00",
        "to-mon": "18:00",
        "on-sat": "on",
        "from-sat": "18:00",
        "to-sat": "00:00",
        "from-tue": "08:00",
        "to-tue": "18:00",
      });

      expect(res.status).toBe(200);
      expect(res.text).toContain("Mon 08:00–18:00, Sat 18:00–24:00");
      const bob = (await recipients(a.client.id)).find((r) => (r as { name: string }).name === "Bob Nights");
      expect(bob).toMatchObject({ active_hours: { mon: [["08:00", "18:00"]], sat: [["18:00", "24:00"]] } });
    });

    it("shows an invalid phone inline and keeps what was typed", async () => {
      const res = await as.aAdmin.post("/portal/alerts").type("form").send({ intent: "add-recipient", name: "Carol Typo", phone: "555-01", mode: "always" });

      expect(res.status).toBe(400);
      expect(res.text).toMatch(/<span class="field-error" id="new-phone-error">is not a valid phone number/);
      expect(res.text).toContain('value="Carol Typo"');
    });

    it("shows a client member the reps without any form, and refuses a forged post", async () => {
      const page = await as.aMember.get("/portal/alerts");
      const forged = await as.aMember.post("/portal/alerts").type("form").send({ intent: "add-recipient", name: "Sneaky", phone: "212-555-0159", mode: "always" });

      expect(page.status).toBe(200);
      expect(page.text).toContain("Alice Rep");
      expect(page.text).toContain("Only an admin of your account can change them.");
      expect(page.text).not.toContain('value="add-recipient"');
      expect(page.text).not.toContain('name="template"');
      expect(forged.status).toBe(403);
      expect((await recipients(a.client.id)).map((r) => (r as { name: string }).name)).not.toContain("Sneaky");
    });

    it("switches a rep off", async () => {
      const [alice] = (await t.deps.db.execute(sql`select id from alert_recipients where phone = '+12125550150'`)).rows as { id: string }[];

      const off = await as.aAdmin.post("/portal/alerts").type("form").send({ intent: "toggle-recipient", id: alice!.id, active: "false" });

      expect(off.text).toContain("Alice Rep is switched off");
      expect((await t.deps.db.execute(sql`select active from alert_recipients where id = ${alice!.id}`)).rows).toEqual([{ active: false }]);
    });

    it("answers 404 when a client admin names another client's rep", async () => {
      const other = await addAlertRecipient(t.deps, b.client.id, { name: "Beta Rep", phone: "+14155550100" });

      const res = await as.aAdmin.post("/portal/alerts").type("form").send({ intent: "toggle-recipient", id: other.id, active: "false" });

      expect(res.status).toBe(404);
      expect((await t.deps.db.execute(sql`select active from alert_recipients where id = ${other.id}`)).rows).toEqual([{ active: true }]);
    });
  });

  describe("the message template", () => {
    it("shows the template with its live preview, placeholders and character count", async () => {
      const page = await as.aAdmin.get("/portal/alerts");

      expect(page.text).toContain('name="template"');
      // The sample lead carries the client's own campaign ("Default" here) and a ZIP it serves, not another trade's.
      expect(page.text).toContain("New lead: Jane Doe +12125550142 (form, Default, ZIP 10001). Details: http://leadledger.test/r/");
      expect(page.text).not.toContain("Roof repair");
      // The segment counter: the example is one GSM-7 segment; nothing forces UCS-2.
      expect(page.text).toMatch(/This example: <strong>1 segment \(GSM-7, \d+ of 160 characters\)<\/strong>/);
      expect(page.text).not.toContain("not in the GSM-7 alphabet");
      expect(page.text).toMatch(/characters in this example · up to <!-- -->\d+<!-- --> of <!-- -->320/);
      expect(page.text).toContain("{link}");
    });

    it("refuses a template that can grow past 320 characters, with the error under the field", async () => {
      const long = `${"Call this lead right away please. ".repeat(9)}{name} {link}`;

      const res = await as.aAdmin.post("/portal/alerts").type("form").send({ intent: "save-settings", routing: "everyone", template: long });

      expect(res.status).toBe(400);
      expect(res.text).toMatch(/<span class="field-error" id="template-error">can render to \d+ characters/);
      expect(res.text).toMatch(/<textarea id="alert-template" name="template"[^>]*aria-invalid="true"/);
      expect((await t.deps.db.execute(sql`select alert_template from clients where id = ${a.client.id}`)).rows).toEqual([{ alert_template: null }]);
    });

    it("saves round robin and a short template, and goes back to the default", async () => {
      const saved = await as.aAdmin.post("/portal/alerts").type("form").send({ intent: "save-settings", routing: "round_robin", template: "Lead {name} {phone}: {link}" });
      const stored = (await t.deps.db.execute(sql`select alert_routing, alert_template from clients where id = ${a.client.id}`)).rows;
      const reset = await as.aAdmin.post("/portal/alerts").type("form").send({ intent: "reset-template", routing: "round_robin", template: "ignored" });

      expect(saved.text).toContain("Routing and message are saved.");
      expect(stored).toEqual([{ alert_routing: "round_robin", alert_template: "Lead {name} {phone}: {link}" }]);
      expect(reset.text).toContain("Alerts use the default message again.");
      expect((await t.deps.db.execute(sql`select alert_template from clients where id = ${a.client.id}`)).rows).toEqual([{ alert_template: null }]);
    });
  });

  describe("in the agency console", () => {
    it("lets agency staff add a rep for a client from its alerts page", async () => {
      const res = await as.staff.post(`/agency/clients/${b.client.id}/alerts`).type("form").send({ intent: "add-recipient", name: "Bea Rep", phone: "415 555 0101", active: "on", mode: "always" });

      expect(res.status).toBe(200);
      expect(res.text).toContain("(415) 555-0101");
      expect((await recipients(b.client.id)).map((r) => (r as { phone: string }).phone)).toContain("+14155550101");
    });

    it("refuses the agency alerts pages to client users", async () => {
      expect((await as.aAdmin.get("/agency/alerts")).status).toBe(403);
      expect((await as.aAdmin.get(`/agency/clients/${a.client.id}/alerts`)).status).toBe(403);
    });

    it("lists a failed alert first with its readable reason and code, and speed to lead per client", async () => {
      const lead = await submitTestLead(t.deps, a, billingLead(1));
      await failedAndDeliveredAlerts(lead.leadId, 0);

      const page = await as.staff.get("/agency/alerts");
      const delivered = await as.staff.get("/agency/alerts?status=delivered");

      expect(page.status).toBe(200);
      const log = page.text.slice(page.text.indexOf('id="log-heading"'));
      expect(log).toContain("invalid phone number (Twilio 21211)");
      expect(log).toMatch(/Code <span class="mono">21211<\/span>/);
      expect(log.indexOf("Evan Broken")).toBeLessThan(log.indexOf("Dana Delivered"));
      expect(log).toContain("Alpha Roofing");
      const speed = page.text.slice(page.text.indexOf('id="speed-heading"'), page.text.indexOf('id="log-heading"'));
      const alphaRow = [...speed.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => cells(m[1]!)).find((c) => c[0] === "Alpha Roofing");
      expect(alphaRow).toEqual(["Alpha Roofing", "1", "1", "4 s", "4 s", "9 s", "9 s"]);
      expect(delivered.text).toContain("Dana Delivered");
      expect(delivered.text).not.toContain("Evan Broken");
    });

    it("shows each lead's alerts on its lead page, in the portal and the console, with the failure reason", async () => {
      const lead = await submitTestLead(t.deps, a, billingLead(3));
      await failedAndDeliveredAlerts(lead.leadId, 1);
      const rejected = await submitTestLead(t.deps, a, billingLead(2));
      const quiet = await submitTestLead(t.deps, a, { ...GOOD_LEAD, phone: "+12125550333" });

      const portal = await as.aMember.get(`/portal/leads/${lead.leadId}`);
      const agency = await as.staff.get(`/agency/leads/${lead.leadId}`);
      const none = await as.aMember.get(`/portal/leads/${quiet.leadId}`);
      const notTexted = await as.aMember.get(`/portal/leads/${rejected.leadId}`);

      for (const page of [portal, agency]) {
        expect(page.status).toBe(200);
        const card = page.text.slice(page.text.indexOf('id="lead-alerts"'));
        expect(card).toContain("SMS alerts");
        expect(card).toContain("Evan Broken");
        expect(card).toContain("invalid phone number (Twilio 21211)");
        expect(card).toContain("Dana Delivered");
        expect(card).toMatch(/Delivered<\/span>/);
        // The text that was sent, with what it cost.
        expect(card).toContain("Text sent<!-- -->: <!-- -->1 segment (GSM-7, 1 of 160 characters)");
      }
      expect(none.status).toBe(200);
      expect(none.text.slice(none.text.indexOf('id="lead-alerts"'))).toContain("No alerts for this lead");
      expect(none.text).not.toContain("Evan Broken");
      expect(quiet.status).toBe("qualified");
      expect(rejected.status).toBe("rejected");
      expect(notTexted.text.slice(notTexted.text.indexOf('id="lead-alerts"'))).toContain("No alerts: only qualified leads are texted");
    });
  });
});
