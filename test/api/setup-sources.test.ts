import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import supertest from "supertest";
import { createTestContext, fixedClock, loginAgent, seedTenants, trpc, type TestContext } from "../support/app";

type Agent = Awaited<ReturnType<typeof loginAgent>>;
const data = (res: supertest.Response) => res.body.result.data;

describe("lead sources: campaigns, forms and API keys", () => {
  const clock = fixedClock("2026-11-20T10:00:00.000Z");
  let t: TestContext;
  let s: Awaited<ReturnType<typeof seedTenants>>;
  let staff: Agent;
  let rep: Agent;
  beforeAll(async () => {
    t = await createTestContext({ clock });
    s = await seedTenants(t.deps);
    staff = await loginAgent(t.app, "staff@agency.test");
    rep = await loginAgent(t.app, "rep@acme.test");
  });
  afterAll(() => t.close());

  describe("campaigns", () => {
    it("lets agency staff create a campaign with attribution, which the client's users then see next to the default one", async () => {
      const res = await trpc(staff, "mutation", "campaigns.create", {
        clientId: s.acme.id,
        name: "Google Search – Roof repair",
        channel: "google_ads",
        utmSource: "google",
        utmMedium: "cpc",
        utmCampaign: "roof-repair",
      });
      expect(res.status).toBe(200);
      expect(data(res)).toMatchObject({ clientId: s.acme.id, name: "Google Search – Roof repair", utmMedium: "cpc", isDefault: false, status: "active" });

      const list = await trpc(rep, "query", "campaigns.list");
      expect(list.status).toBe(200);
      expect(data(list).map((c: { name: string }) => c.name)).toEqual(["Default", "Google Search – Roof repair"]);
      expect((await trpc(rep, "query", "campaigns.get", { id: data(res).id })).status).toBe(200);
    });

    it("updates a campaign and records before/after in the audit log", async () => {
      const created = data(await trpc(staff, "mutation", "campaigns.create", { clientId: s.acme.id, name: "Facebook – Spring" }));
      const res = await trpc(staff, "mutation", "campaigns.update", { id: created.id, status: "paused", utmSource: "facebook" });
      expect(res.status).toBe(200);
      expect(data(res)).toMatchObject({ status: "paused", utmSource: "facebook", name: "Facebook – Spring" });
      const audit = await t.deps.db.execute(sql`select action, before->>'status' as before, after->>'status' as after from audit_events where entity_id = ${created.id} order by created_at`);
      expect(audit.rows).toEqual([
        { action: "campaign.created", before: null, after: "active" },
        { action: "campaign.updated", before: "active", after: "paused" },
      ]);
    });

    it("refuses archiving the default campaign", async () => {
      const [def] = data(await trpc(staff, "query", "campaigns.list", { clientId: s.acme.id })).filter((c: { isDefault: boolean }) => c.isDefault);
      const res = await trpc(staff, "mutation", "campaigns.update", { id: def.id, status: "archived" });
      expect(res.status).toBe(409);
    });

    it("keeps client users to reading their own client's campaigns", async () => {
      const foreign = data(await trpc(staff, "mutation", "campaigns.create", { clientId: s.other.id, name: "Other's campaign" }));
      expect((await trpc(rep, "query", "campaigns.get", { id: foreign.id })).status).toBe(404);
      expect((await trpc(rep, "query", "campaigns.list", { clientId: s.other.id })).status).toBe(404);
      expect((await trpc(rep, "mutation", "campaigns.create", { clientId: s.acme.id, name: "Sneaky" })).status).toBe(403);
      expect((await trpc(rep, "mutation", "campaigns.update", { id: foreign.id, name: "Hijacked" })).status).toBe(403);
    });
  });

  describe("forms", () => {
    let campaignId: string;
    beforeAll(async () => {
      campaignId = data(await trpc(staff, "mutation", "campaigns.create", { clientId: s.acme.id, name: "Landing pages" })).id;
    });

    it("creates a form with a public key and normalized allowed origins", async () => {
      const res = await trpc(staff, "mutation", "forms.create", {
        campaignId,
        name: "Roof repair landing page",
        allowedOrigins: ["https://Roofs.Example.com/", "http://localhost:8080", "https://roofs.example.com:443"],
        thankYouUrl: "https://roofs.example.com/thanks",
        fieldMapping: { your_phone: "phone", budget_usd: "budget" },
        consentText: "I agree to be contacted about my roof.",
      });
      expect(res.status).toBe(200);
      const form = data(res);
      expect(form).toMatchObject({
        clientId: s.acme.id,
        campaignId,
        allowedOrigins: ["https://roofs.example.com", "http://localhost:8080"],
        honeypotField: "website",
        status: "active",
      });
      expect(form.publicKey).toMatch(/^pk_[A-Za-z0-9_-]{24}$/);
      const found = await t.deps.intake.findForm(form.publicKey);
      expect(found?.id).toBe(form.id);
    });

    it("rejects origins with a path, non-http thank-you URLs and a honeypot that is a real field, naming each field", async () => {
      const res = await trpc(staff, "mutation", "forms.create", {
        campaignId,
        allowedOrigins: ["https://ok.example.com", "https://example.com/landing"],
        thankYouUrl: "javascript:alert(1)",
        honeypotField: "phone",
      });
      expect(res.status).toBe(400);
      const paths = res.body.error.data.issues.map((i: { path: unknown[] }) => i.path.join("."));
      expect(paths).toEqual(expect.arrayContaining(["allowedOrigins.1", "thankYouUrl", "honeypotField"]));
    });

    it("gives an embed snippet that posts to the form's public key with a hidden honeypot and consent", async () => {
      const form = data(await trpc(staff, "mutation", "forms.create", { campaignId, name: "Snippet form", consentText: 'Yes, call me "soon" & text me.' }));
      const res = await trpc(rep, "query", "forms.embedSnippet", { id: form.id });
      expect(res.status).toBe(200);
      const { html } = data(res);
      expect(html).toContain(`<form method="post" action="http://leadledger.test/api/forms/${form.publicKey}"`);
      for (const field of ["name", "phone", "email", "zip"]) expect(html).toMatch(new RegExp(`<input [^>]*name="${field}"`));
      const honeypot = /<div aria-hidden="true" style="position:absolute;left:-10000px[^"]*">[\s\S]*?<input [^>]*name="website"[^>]*>/.exec(html)?.[0];
      expect(honeypot).toBeDefined();
      expect(honeypot).toContain('tabindex="-1"');
      expect(honeypot).toContain('autocomplete="off"');
      expect(html).toContain('<input type="checkbox" name="consent" value="yes" required> Yes, call me &quot;soon&quot; &amp; text me.');
      expect(html).toContain('<input type="hidden" name="consent_text" value="Yes, call me &quot;soon&quot; &amp; text me.">');
      expect(html).toMatch(/<button type="submit">/);
    });

    it("accepts a lead posted with the snippet's fields and redirects to the thank-you page", async () => {
      await t.deps.contracts.publish({ kind: "system", label: "test" }, { clientId: s.acme.id, document: { effectiveFrom: "2026-01-01T00:00:00Z", qualification: { requiredFields: ["phone"] } } });
      const form = data(await trpc(staff, "mutation", "forms.create", { campaignId, allowedOrigins: ["https://roofs.example.com"], thankYouUrl: "https://roofs.example.com/thanks" }));
      const { html } = data(await trpc(staff, "query", "forms.embedSnippet", { id: form.id }));
      const action = /action="([^"]+)"/.exec(html)![1]!;
      const consentText = /name="consent_text" value="([^"]+)"/.exec(html)![1]!;
      const res = await supertest(t.app)
        .post(new URL(action).pathname)
        .set("origin", "https://roofs.example.com")
        .set("accept", "text/html")
        .type("form")
        .send({ name: "Ann Smith", phone: "(212) 555-0142", email: "ann@example.com", zip: "10001", website: "", consent: "yes", consent_text: consentText });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe("https://roofs.example.com/thanks");
      const lead = await t.deps.db.execute(sql`select status, phone, consent->>'text' as consent from leads where form_id = ${form.id}`);
      expect(lead.rows).toEqual([{ status: "qualified", phone: "+12125550142", consent: consentText }]);
    });

    it("updates and disables a form; client users read but cannot change their forms, and never another client's", async () => {
      const form = data(await trpc(staff, "mutation", "forms.create", { campaignId, name: "To disable" }));
      const updated = await trpc(staff, "mutation", "forms.update", { id: form.id, allowedOrigins: ["https://new.example.com/"], thankYouUrl: null });
      expect(updated.status).toBe(200);
      expect(data(updated)).toMatchObject({ allowedOrigins: ["https://new.example.com"], thankYouUrl: null });

      const disabled = await trpc(staff, "mutation", "forms.disable", { id: form.id });
      expect(data(disabled).status).toBe("disabled");
      expect(data(await trpc(staff, "mutation", "forms.disable", { id: form.id })).status).toBe("disabled");

      const listed = data(await trpc(rep, "query", "forms.list", { campaignId }));
      expect(listed.map((f: { id: string }) => f.id)).toContain(form.id);
      expect((await trpc(rep, "mutation", "forms.disable", { id: form.id })).status).toBe(403);

      const foreignCampaign = data(await trpc(staff, "query", "campaigns.list", { clientId: s.other.id }))[0];
      const foreign = data(await trpc(staff, "mutation", "forms.create", { campaignId: foreignCampaign.id, name: "Other's form" }));
      expect((await trpc(rep, "query", "forms.get", { id: foreign.id })).status).toBe(404);
      expect((await trpc(rep, "query", "forms.embedSnippet", { id: foreign.id })).status).toBe(404);
      expect((await trpc(rep, "query", "forms.list", { campaignId: foreignCampaign.id })).status).toBe(404);
    });
  });

  describe("API keys", () => {
    it("shows the key once, stores only its hash, authenticates with it and stops after revoke", async () => {
      const res = await trpc(staff, "mutation", "apiKeys.create", { clientId: s.acme.id, name: "Lead vendor A" });
      expect(res.status).toBe(200);
      const { id, key, prefix } = data(res);
      expect(key).toMatch(/^ll_live_[A-Za-z0-9_-]{32}$/);
      expect(prefix).toBe(key.slice(0, 12));

      const row = (await t.deps.db.execute(sql`select * from api_keys where id = ${id}`)).rows[0] as Record<string, unknown>;
      expect(JSON.stringify(row)).not.toContain(key);
      expect(row.key_hash).toBe(createHash("sha256").update(key).digest("hex"));

      const list = await trpc(staff, "query", "apiKeys.list", { clientId: s.acme.id });
      expect(data(list)).toEqual([expect.objectContaining({ id, name: "Lead vendor A", prefix, revokedAt: null })]);
      expect(JSON.stringify(list.body)).not.toContain(key);
      expect(JSON.stringify(list.body)).not.toContain(row.key_hash as string);

      expect(await t.deps.apiKeys.authenticateApiKey(key)).toEqual({ apiKeyId: id, clientId: s.acme.id, isTest: false, client: expect.objectContaining({ id: s.acme.id }) });
      expect(await t.deps.apiKeys.authenticateApiKey(`${key}x`)).toBeNull();

      const revoked = await trpc(staff, "mutation", "apiKeys.revoke", { id });
      expect(revoked.status).toBe(200);
      expect(data(revoked).revokedAt).toBe("2026-11-20T10:00:00.000Z");
      expect(await t.deps.apiKeys.authenticateApiKey(key)).toBeNull();

      const again = await trpc(staff, "mutation", "apiKeys.revoke", { id });
      expect(again.status).toBe(200);
      expect(data(again).revokedAt).toBe("2026-11-20T10:00:00.000Z");
      const audit = await t.deps.db.execute(sql`select action from audit_events where entity_id = ${id} order by created_at`);
      expect(audit.rows.map((r) => r.action)).toEqual(["api_key.created", "api_key.revoked"]);
    });

    it("records lastUsedAt at most once a minute", async () => {
      const { id, key } = data(await trpc(staff, "mutation", "apiKeys.create", { clientId: s.acme.id, name: "Busy vendor" }));
      const lastUsed = async () => {
        const row = (await t.deps.db.execute(sql`select last_used_at from api_keys where id = ${id}`)).rows[0] as { last_used_at: string | null };
        return row.last_used_at === null ? null : new Date(row.last_used_at);
      };
      expect(await lastUsed()).toBeNull();
      clock.set("2026-11-20T11:00:00.000Z");
      await t.deps.apiKeys.authenticateApiKey(key);
      expect((await lastUsed())?.toISOString()).toBe("2026-11-20T11:00:00.000Z");
      clock.set("2026-11-20T11:00:45.000Z");
      await t.deps.apiKeys.authenticateApiKey(key);
      expect((await lastUsed())?.toISOString()).toBe("2026-11-20T11:00:00.000Z");
      clock.set("2026-11-20T11:01:30.000Z");
      await t.deps.apiKeys.authenticateApiKey(key);
      expect((await lastUsed())?.toISOString()).toBe("2026-11-20T11:01:30.000Z");
      clock.set("2026-11-20T10:00:00.000Z");
    });

    it("lets only agency staff create and revoke keys", async () => {
      const boss = await loginAgent(t.app, "boss@acme.test");
      expect((await trpc(boss, "mutation", "apiKeys.create", { clientId: s.acme.id, name: "Mine" })).status).toBe(403);
      const { id } = data(await trpc(staff, "mutation", "apiKeys.create", { clientId: s.acme.id, name: "Agency made" }));
      expect((await trpc(boss, "mutation", "apiKeys.revoke", { id })).status).toBe(403);
      expect((await trpc(rep, "query", "apiKeys.list", { clientId: s.other.id })).status).toBe(404);
    });
  });
});

describe("the embed snippet follows the contract in force", () => {
  const clock = fixedClock("2026-11-20T10:00:00.000Z");
  let t: TestContext;
  let s: Awaited<ReturnType<typeof seedTenants>>;
  beforeAll(async () => {
    t = await createTestContext({ clock });
    s = await seedTenants(t.deps);
  });
  afterAll(() => t.close());

  it("adds the fields a new version tests, warns that pasted copies lack them, and a lead posted with the new fields qualifies", async () => {
    const staff = await loginAgent(t.app, "staff@agency.test");
    const system = { kind: "system", label: "test" } as const;
    await t.deps.contracts.publish(system, { clientId: s.other.id, document: { effectiveFrom: "2026-01-01T00:00:00Z", qualification: { requiredFields: ["phone"] } } });
    const campaignId = data(await trpc(staff, "query", "campaigns.list", { clientId: s.other.id }))[0].id as string;
    const form = data(await trpc(staff, "mutation", "forms.create", { campaignId, name: "Estimate" }));
    const before = data(await trpc(staff, "query", "forms.embedSnippet", { id: form.id }));
    expect(before).toMatchObject({ contractVersion: 1, contractFields: [], changed: null });
    expect(before.html).not.toContain('name="budget"');

    await t.deps.contracts.publish(system, {
      clientId: s.other.id,
      document: { effectiveFrom: "2026-11-01T00:00:00Z", qualification: { requiredFields: ["phone"], custom: [{ field: "budget", op: "min", value: 2000 }] } },
    });
    const after = data(await trpc(staff, "query", "forms.embedSnippet", { id: form.id }));
    expect(after).toMatchObject({ contractVersion: 2, contractFields: [{ field: "budget", label: "Budget (at least 2,000)" }], changed: { sinceVersion: 2, newFields: ["budget"] } });
    expect(after.html).toMatch(/<input [^>]*name="budget"[^>]*min="2000" required>/);

    const page = await staff.get(`/agency/clients/${s.other.id}/campaigns?form=${form.id}`);
    const text = page.text.replace(/<!-- -->/g, "");
    expect(text).toContain("Replace pasted copies of this snippet.");
    expect(text).toContain("Contract version 2, in force since Oct 31, 2026, also asks for budget.");

    const post = (fields: Record<string, string>) =>
      supertest(t.app).post(`/api/forms/${form.publicKey}`).type("form").send({ name: "Ann", phone: "(212) 555-0160", email: "", zip: "10001", website: "", consent: "yes", ...fields });
    await post({ budget: "2500" });
    const leads = await t.deps.db.execute(sql`select status from leads where form_id = ${form.id}`);
    expect(leads.rows).toEqual([{ status: "qualified" }]);
  });
});
