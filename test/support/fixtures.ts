import { eq, sql } from "drizzle-orm";
import type { Deps } from "../../server/deps";
import { apiKeys, campaigns, contractVersions, contracts, forms } from "../../server/db/schema";
import { contractDocumentSchema, type ContractDocumentInput } from "../../server/domain/contracts/contract-document";
import { randomSecret, sha256Hex } from "../../server/security/crypto";
import { SYSTEM } from "./app";

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

/** Inserts a client with a contract version, a form and an API key straight into the database. */
export async function setupIntakeClient(deps: Deps, opts: { name?: string; contract?: ContractDocumentInput; origins?: string[]; thankYouUrl?: string | null } = {}) {
  const client = await deps.clients.create(SYSTEM, { name: opts.name ?? `Intake Co ${Math.random().toString(36).slice(2, 8)}` });
  const [campaign] = await deps.db.select().from(campaigns).where(eq(campaigns.clientId, client.id));
  const doc = contractDocumentSchema.parse(opts.contract ?? DEMO_CONTRACT);
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

export async function count(deps: Deps, table: string, where: ReturnType<typeof sql>): Promise<number> {
  const r = await deps.db.execute(sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`);
  return (r.rows[0] as { n: number }).n;
}

export const GOOD_LEAD = { name: "Ann Smith", phone: "(212) 555-0142", email: "Ann@Example.com ", zip: "10001", budget: "7500" };
