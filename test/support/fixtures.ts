import { eq, sql } from "drizzle-orm";
import type { Deps } from "../../server/deps";
import type { TestDeps } from "./app";
import { alertRecipients, apiKeys, campaigns, contractVersions, contracts, forms } from "../../server/db/schema";
import { contractDocumentSchema, type ContractDocumentInput } from "../../server/domain/contracts/contract-document";
import { randomSecret, sha256Hex } from "../../server/security/crypto";
import { SYSTEM } from "./app";
import type { Express } from "express";
import supertest from "supertest";
import { signTwilioRequest } from "../../server/integrations/twilio/signature";

/** The contract from the intake issue's "Done when": ZIPs 10001–10005, phone required, 30-day duplicates on phone, budget ≥ 5000. */
export const DEMO_CONTRACT: ContractDocumentInput = {
  effectiveFrom: "2026-01-01T00:00:00Z",
  qualification: {
    requiredFields: ["phone", "zip"],
    serviceArea: { zips: ["10001", "10002", "10003", "10004", "10005"] },
    duplicate: { windowDays: 30, fields: ["phone"] },
    custom: [{ field: "budget", op: "min", value: 5000 }],
  },
  pricing: { leadPriceCents: 7500 },
  disputes: { windowDays: 7, autoApprove: ["duplicate"] },
};

/**
 * Inserts a client with a contract version, a form and an API key straight into the database.
 * The client's created_at is set to `createdAt` (default: the contract's effectiveFrom), not the
 * real time the test runs at, so which months can be billed, and for how many days, never depends
 * on the day the suite runs.
 */
export async function setupIntakeClient(
  deps: TestDeps,
  opts: { name?: string; contract?: ContractDocumentInput; origins?: string[]; thankYouUrl?: string | null; createdAt?: Date | string } = {},
) {
  const created = await deps.clients.create(SYSTEM, { name: opts.name ?? `Intake Co ${Math.random().toString(36).slice(2, 8)}` });
  const [campaign] = await deps.db.select().from(campaigns).where(eq(campaigns.clientId, created.id));
  const doc = contractDocumentSchema.parse(opts.contract ?? DEMO_CONTRACT);
  const createdAt = new Date(opts.createdAt ?? doc.effectiveFrom ?? "2026-01-01T00:00:00Z");
  await deps.db.execute(sql`update clients set created_at = ${createdAt.toISOString()} where id = ${created.id}`);
  const client = { ...created, createdAt };
  const [contract] = await deps.db.insert(contracts).values({ clientId: client.id }).returning();
  const [version] = await deps.db
    .insert(contractVersions)
    .values({ contractId: contract!.id, clientId: client.id, version: 1, effectiveFrom: new Date(doc.effectiveFrom ?? "2026-01-01T00:00:00Z"), document: doc })
    .returning();
  const publicKey = randomSecret("pk_", 18);
  const [form] = await deps.db
    .insert(forms)
    .values({
      clientId: client.id,
      campaignId: campaign!.id,
      name: "Landing page",
      publicKey,
      allowedOrigins: opts.origins ?? ["https://roofs.example.com"],
      thankYouUrl: opts.thankYouUrl === undefined ? "https://roofs.example.com/thanks" : opts.thankYouUrl,
      consentText: "I agree to be contacted about my request.",
    })
    .returning();
  const key = randomSecret("ll_live_", 24);
  const [apiKey] = await deps.db.insert(apiKeys).values({ clientId: client.id, name: "Vendor", prefix: key.slice(0, 12), keyHash: sha256Hex(key) }).returning();
  return { client, campaign: campaign!, version: version!, form: form!, publicKey, apiKey: apiKey!, key };
}

export async function count(deps: TestDeps, table: string, where: ReturnType<typeof sql>): Promise<number> {
  const r = await deps.db.execute(sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`);
  return (r.rows[0] as { n: number }).n;
}

export const GOOD_LEAD = { name: "Ann Smith", phone: "(212) 555-0142", email: "Ann@Example.com ", zip: "10001", budget: "7500" };

/** A contract for dispute tests: $75 per lead, 7-day window, `spam` approved automatically, 3-day agency SLA. */
export const DISPUTE_CONTRACT: ContractDocumentInput = {
  effectiveFrom: "2026-01-01T00:00:00Z",
  qualification: {
    requiredFields: ["phone", "zip"],
    serviceArea: { zips: ["10001", "10002", "10003", "10004", "10005"] },
    duplicate: { windowDays: 30, fields: ["phone"] },
  },
  pricing: { leadPriceCents: 7500 },
  disputes: { windowDays: 7, autoApprove: ["spam"], agencyResponseDays: 3 },
};

/** Posts a lead through intake as the client's vendor (or its form, with a consent record); returns the intake answer. */
export async function submitTestLead(
  deps: Deps,
  s: Awaited<ReturnType<typeof setupIntakeClient>>,
  payload: Record<string, unknown>,
  opts: { via?: "api" | "form" } = {},
) {
  const client = { id: s.client.id, timezone: s.client.timezone, phoneCountry: s.client.phoneCountry };
  const r =
    opts.via === "form"
      ? await deps.intake.submit({
          client,
          source: "form",
          campaignId: s.campaign.id,
          formId: s.form.id,
          payload,
          consent: { text: s.form.consentText, ip: "203.0.113.7", userAgent: "Mozilla/5.0 (test)", pageUrl: "https://roofs.example.com/quote" },
          actor: "test",
        })
      : await deps.intake.submit({ client, source: "api", campaignId: null, apiKeyId: s.apiKey.id, payload, actor: "test" });
  return r.answer;
}

/** A billing contract: ZIP 10001–10005, phone required, no duplicate rule, the given pricing. */
export function billingContract(pricing: NonNullable<ContractDocumentInput["pricing"]>, effectiveFrom = "2026-01-01T00:00:00Z"): ContractDocumentInput {
  return {
    effectiveFrom,
    qualification: { requiredFields: ["phone", "zip"], serviceArea: { zips: ["10001", "10002", "10003", "10004", "10005"] } },
    pricing,
    disputes: { windowDays: 7 },
  };
}

/** A qualifying lead with a distinct phone per `n` (+1 212 3nn nnnn); `run` keeps runs apart. */
export function billingLead(n: number, run = 0) {
  return { name: `Lead ${run}-${n}`, phone: `+1212${String(3_000_000 + run * 10_000 + n).padStart(7, "0")}`, zip: "10001" };
}

/** DEMO_CONTRACT for calls: ZIPs 10001–10005, phone and ZIP required (calls need only the phone), 90 s minimum, 30-day repeat-caller window, $75 per lead. */
export const CALL_CONTRACT: ContractDocumentInput = {
  ...DEMO_CONTRACT,
  qualification: { ...DEMO_CONTRACT.qualification, minCallSeconds: 90 },
};

/** POSTs a Twilio webhook to the test app signed the way Twilio signs it (auth token over PUBLIC_URL + path). */
export function twilioPost(t: { app: Express; deps: Deps }, path: string, params: Record<string, string>) {
  return supertest(t.app)
    .post(path)
    .type("form")
    .set("X-Twilio-Signature", signTwilioRequest(t.deps.twilio.authToken, t.deps.config.publicUrl + path, params))
    .send(params);
}

/** Adds an SMS alert recipient for a client straight into the database (null activeHours = always on duty). */
export async function addAlertRecipient(
  deps: TestDeps,
  clientId: string,
  r: { name: string; phone: string; activeHours?: Record<string, [string, string][]> | null; active?: boolean; optedOutAt?: Date | null },
) {
  const [row] = await deps.db
    .insert(alertRecipients)
    .values({ clientId, name: r.name, phone: r.phone, activeHours: r.activeHours ?? null, active: r.active ?? true, optedOutAt: r.optedOutAt ?? null })
    .returning();
  return row!;
}

/** A job context for calling JobSpec handlers directly: records what they enqueue. */
export function recordingJobContext(attempt = 1) {
  const enqueued: { name: string; data: unknown; when: Date | null }[] = [];
  return {
    enqueued,
    attempt,
    now: async (name: string, data: unknown) => void enqueued.push({ name, data, when: null }),
    schedule: async (when: Date, name: string, data: unknown) => void enqueued.push({ name, data, when }),
  };
}
