import { documentToFields, type ContractFields } from "~/lib/contract-form";
import { createTestContext, fixedClock, loginAgent, seedTenants, trpc, visible, type TestContext } from "../support/app";

/**
 * The contract builder without JavaScript: its fields posted as a plain form publish the same
 * version as the equivalent JSON, a mistyped amount publishes nothing, and "Update the reading"
 * reads the posted form back in words on the server.
 */

const NOW = "2026-03-10T15:00:00.000Z";

const CONTRACT = {
  effectiveFrom: "2026-04-01T04:00:00Z",
  qualification: {
    requiredFields: ["phone", "zip"],
    serviceArea: { match: "zip_only", zips: ["10001", "10002", "10003"] },
    businessHours: { mon: [["08:00", "18:00"]], sat: [["09:00", "13:00"]] },
    duplicate: { windowDays: 30, fields: ["phone", "email"] },
    custom: [{ field: "budget", op: "min", value: 2000 }],
  },
  pricing: { leadPriceCents: 7500, retainerCents: 25000, monthlyCap: { spendCents: 300000 } },
  disputes: { windowDays: 7, reasons: ["wrong_number", "duplicate", "spam"], autoApprove: ["duplicate"] },
};

/** The fields as a browser posts them: a name once per value, lists as repeated names. */
function formBody(fields: ContractFields, intent: string): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  body.append("intent", intent);
  return body.toString();
}


describe("the contract builder as a plain form post", () => {
  let t: TestContext;
  let s: Awaited<ReturnType<typeof seedTenants>>;
  let admin: Awaited<ReturnType<typeof loginAgent>>;
  const page = (clientId: string) => `/agency/clients/${clientId}/contract`;
  const latest = async (clientId: string) => {
    const res = await trpc(admin, "query", "contracts.history", { clientId });
    return (res.body.result.data as { version: number; document: unknown }[])[0];
  };

  beforeAll(async () => {
    t = await createTestContext({ clock: fixedClock(NOW) });
    s = await seedTenants(t.deps);
    admin = await loginAgent(t.app, "admin@agency.test");
  });
  afterAll(() => t.close());

  it("reads the posted form back in words without publishing", async () => {
    const fields = documentToFields(CONTRACT, "America/New_York");
    const res = await admin.post(page(s.acme.id)).type("form").send(formBody(fields, "check-form"));
    expect(res.status).toBe(200);
    const text = visible(res.text);
    expect(text).toContain("Service area: ZIPs 10001–10003 only; the state is not considered.");
    expect(text).toContain("$250.00 monthly retainer; a first or last partial month is billed by the day.");
    expect(text).toContain("Monthly cap: $3,000.00 billed.");
    expect(text).toContain("Judges leads received from Apr 1, 2026, 12:00 AM (America/New_York).");
    expect(await latest(s.acme.id)).toBeUndefined();
  });

  it("refuses a mistyped amount, naming it, and publishes nothing", async () => {
    const fields = { ...documentToFields(CONTRACT, "America/New_York"), "price.lead": "seventy-five" };
    const res = await admin.post(page(s.acme.id)).type("form").send(formBody(fields, "publish-form"));
    expect(res.status).toBe(400);
    const text = visible(res.text);
    expect(text).toContain("Nothing was published.");
    expect(text).toContain("Pricing › price per lead (cents): must be an amount like 75.00");
    expect(text).toContain('value="seventy-five"');
    expect(await latest(s.acme.id)).toBeUndefined();
  });

  it("publishes the same version from the form as from the equivalent JSON", async () => {
    const fields = documentToFields(CONTRACT, "America/New_York");
    const res = await admin.post(page(s.acme.id)).type("form").send(formBody(fields, "publish-form"));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/agency/clients/${s.acme.id}/contract?published=1`);
    const json = await admin.post(page(s.other.id)).type("form").send({ intent: "publish", document: JSON.stringify(CONTRACT) });
    expect(json.status).toBe(302);
    const [fromForm, fromJson] = [await latest(s.acme.id), await latest(s.other.id)];
    expect(fromForm!.version).toBe(1);
    expect(fromForm!.document).toEqual(fromJson!.document);
    expect(fromForm!.document).toMatchObject(CONTRACT);
  });

  it("shows the server's refusal beside the form: a version may not take effect before the latest", async () => {
    const fields = { ...documentToFields(CONTRACT, "America/New_York"), takesEffect: "2026-03-20T09:00" };
    const res = await admin.post(page(s.acme.id)).type("form").send(formBody(fields, "publish-form"));
    expect(res.status).toBe(400);
    const text = visible(res.text);
    expect(text).toContain("Nothing was published.");
    expect(text).toContain("Effective from: must not be before");
    expect((await latest(s.acme.id))!.version).toBe(1);
  });
});
