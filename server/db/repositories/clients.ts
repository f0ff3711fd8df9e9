import { asc, eq, sql } from "drizzle-orm";
import type { ClientRecord, ClientRepository } from "../../domain/clients/clients";
import type { DbOrTx } from "../client";
import { campaigns, clients, ledgerEntries } from "../schema";

const cols = {
  id: clients.id,
  name: clients.name,
  timezone: clients.timezone,
  currency: clients.currency,
  phoneCountry: clients.phoneCountry,
  status: clients.status,
  alertRouting: clients.alertRouting,
  alertTemplate: clients.alertTemplate,
  legalName: clients.legalName,
  billingAddress: clients.billingAddress,
  taxId: clients.taxId,
  paymentTermsDays: clients.paymentTermsDays,
  phoneLookupEnabled: clients.phoneLookupEnabled,
  phoneLookupDailyBudget: clients.phoneLookupDailyBudget,
  createdAt: clients.createdAt,
};

export function clientRepository(db: DbOrTx): ClientRepository {
  return {
    async insert(c) {
      const [row] = await db.insert(clients).values(c).returning(cols);
      return row as ClientRecord;
    },
    async list() {
      return (await db.select(cols).from(clients).orderBy(asc(clients.name))) as ClientRecord[];
    },
    async findById(id) {
      const [row] = await db.select(cols).from(clients).where(eq(clients.id, id)).limit(1);
      return (row as ClientRecord | undefined) ?? null;
    },
    async findByName(name) {
      const [row] = await db.select(cols).from(clients).where(sql`lower(${clients.name}) = ${name.toLowerCase()}`).limit(1);
      return (row as ClientRecord | undefined) ?? null;
    },
    async update(id, patch) {
      const [row] = await db
        .update(clients)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(clients.id, id))
        .returning(cols);
      return (row as ClientRecord | undefined) ?? null;
    },
    async lockAndHasLedgerEntries(clientId) {
      await db.select({ id: clients.id }).from(clients).where(eq(clients.id, clientId)).for("update");
      const [row] = await db.select({ one: sql<number>`1` }).from(ledgerEntries).where(eq(ledgerEntries.clientId, clientId)).limit(1);
      return row !== undefined;
    },
    async ensureDefaultCampaign(clientId) {
      await db.insert(campaigns).values({ clientId, name: "Default", isDefault: true }).onConflictDoNothing();
    },
  };
}
