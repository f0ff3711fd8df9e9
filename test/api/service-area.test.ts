import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import supertest from "supertest";
import type { ServiceAreaMatch } from "../../server/domain/contracts/contract-document";
import type { FakeTwilio } from "../../server/integrations/twilio/fake-twilio-server";
import { startFakeTwilio } from "../support/twilio";
import { createTestContext, loginAgent, PASSWORD, SYSTEM, TEST_TWILIO_AUTH_TOKEN, trpc, type TestContext } from "../support/app";
import { CALL_CONTRACT, setupIntakeClient, twilioPost } from "../support/fixtures";

/**
 * Issue #13.2: a call from Buffalo, NY (14201) and a form lead from the same ZIP are judged alike.
 * The contract is the demo's — Brooklyn ZIPs, or the state NY — under each `serviceArea.match`.
 * The call carries Twilio's FromZip/FromState; the form carries only the ZIP, and its state comes
 * from the ZIP dataset.
 */

const MODES: ServiceAreaMatch[] = ["zip_or_state", "zip_and_state", "zip_only"];
const TRACKED = ["+12125550161", "+12125550162", "+12125550163"];

type LeadRow = { status: string; state: string | null; city: string | null; verdict: { reasons: { code: string; message: string }[]; location?: { text: string; from: string } } };

describe("the same ZIP gets the same verdict by form and by call", () => {
  let t: TestContext;
  let fake: FakeTwilio;
  const setups = new Map<ServiceAreaMatch, Awaited<ReturnType<typeof setupIntakeClient>>>();
  let caller = 0;

  function contractFor(match: ServiceAreaMatch) {
    const zips = ["11201", "11205", "11238"];
    return {
      ...CALL_CONTRACT,
      qualification: { ...CALL_CONTRACT.qualification, custom: [], serviceArea: match === "zip_only" ? { match, zips } : { match, zips, states: ["NY"] } },
    };
  }

  async function buffaloCall(tracked: string) {
    const callSid = `CA${randomBytes(16).toString("hex")}`;
    const from = `+1716555${String(100 + caller++).padStart(4, "0")}`;
    const base = { AccountSid: t.deps.twilio.accountSid, CallSid: callSid, From: from, To: tracked, Direction: "inbound" };
    const voice = await twilioPost(t, "/twilio/voice", { ...base, CallStatus: "ringing", FromZip: "14201", FromState: "NY", FromCity: "BUFFALO", FromCountry: "US" });
    expect(voice.status).toBe(200);
    const dial = await twilioPost(t, "/twilio/voice/dial-complete", { ...base, CallStatus: "in-progress", DialCallStatus: "completed", DialCallDuration: "150" });
    expect(dial.status).toBe(200);
    const r = await t.deps.db.execute(sql`select status, state, city, verdict from leads where call_sid = ${callSid}`);
    return r.rows[0] as LeadRow;
  }

  async function buffaloForm(publicKey: string) {
    const phone = `716-555-${String(200 + caller++).padStart(4, "0")}`;
    const res = await supertest(t.app)
      .post(`/api/forms/${publicKey}`)
      .set("Origin", "https://roofs.example.com")
      .send({ name: "Bea Buffalo", phone, email: `bea${caller}@example.com`, zip: "14201" });
    expect(res.status).toBe(201);
    const r = await t.deps.db.execute(sql`select status, state, city, verdict from leads where id = ${res.body.leadId}`);
    return { answer: res.body as { status: string; reasons: { message: string }[] }, row: r.rows[0] as LeadRow };
  }

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: "AC00000000000000000000000000000000", authToken: TEST_TWILIO_AUTH_TOKEN, numbers: TRACKED });
    t = await createTestContext({ twilioApiBase: fake.url });
    await t.deps.users.create(SYSTEM, { email: "admin@area.test", password: PASSWORD, role: "agency_admin" });
    const admin = await loginAgent(t.app, "admin@area.test");
    for (const [i, match] of MODES.entries()) {
      const s = await setupIntakeClient(t.deps, { name: `Area ${match}`, contract: contractFor(match) });
      const created = await trpc(admin, "mutation", "trackingNumbers.create", { campaignId: s.campaign.id, phoneNumber: TRACKED[i], forwardTo: "+12125550111", record: false });
      expect(created.status).toBe(200);
      setups.set(match, s);
    }
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it.each<[ServiceAreaMatch, string, string[]]>([
    ["zip_or_state", "qualified", []],
    ["zip_and_state", "rejected", ["ZIP 14201 (Buffalo, NY) is outside the service area (11201, 11205, 11238 in NY)"]],
    ["zip_only", "rejected", ["ZIP 14201 (Buffalo, NY) is outside the service area (11201, 11205, 11238)"]],
  ])("under %s both are %s, for the same reason", async (match, status, messages) => {
    const s = setups.get(match)!;
    const callLead = await buffaloCall(TRACKED[MODES.indexOf(match)]!);
    const form = await buffaloForm(s.publicKey);

    expect(callLead.status).toBe(status);
    expect(form.row.status).toBe(status);
    expect(form.answer.status).toBe(status);
    expect(callLead.verdict.reasons.map((r) => r.message)).toEqual(messages);
    expect(form.row.verdict.reasons.map((r) => r.message)).toEqual(messages);
    // Both say where they were placed, and both are stored in Buffalo, NY.
    expect(form.row.verdict.location).toMatchObject({ from: "zip", text: "ZIP 14201 is in NY (Buffalo)" });
    expect(callLead.verdict.location).toMatchObject({ from: "zip", text: "ZIP 14201 is in NY (Buffalo)" });
    expect(form.row).toMatchObject({ state: "NY", city: "Buffalo" });
    expect(callLead).toMatchObject({ state: "NY", city: "BUFFALO" });
  });

  it("keeps a lead's location as given when its ZIP is not a known US ZIP", async () => {
    const s = setups.get("zip_or_state")!;
    const res = await supertest(t.app)
      .post(`/api/v1/leads`)
      .set("Authorization", `Bearer ${s.key}`)
      .send({ name: "Nowhere", phone: "716-555-0999", zip: "00000", state: "NY" });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("qualified");
    const r = await t.deps.db.execute(sql`select state, city, verdict from leads where id = ${res.body.leadId}`);
    expect(r.rows[0]).toMatchObject({ state: "NY", city: null, verdict: { location: { from: "lead", text: "ZIP 00000 is not a known US ZIP; state NY as given" } } });
  });
});
