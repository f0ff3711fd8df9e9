import { and, asc, desc, eq, ne } from "drizzle-orm";
import type { CampaignRecord, CampaignRepository } from "../../domain/campaigns/campaigns";
import type { DbOrTx } from "../client";
import { campaigns } from "../schema";
import { isUuid } from "../../domain/shared/formats";

const cols = {
  id: campaigns.id,
  clientId: campaigns.clientId,
  name: campaigns.name,
  channel: campaigns.channel,
  utmSource: campaigns.utmSource,
  utmMedium: campaigns.utmMedium,
  utmCampaign: campaigns.utmCampaign,
  isDefault: campaigns.isDefault,
  status: campaigns.status,
  createdAt: campaigns.createdAt,
};

export function campaignRepository(db: DbOrTx): CampaignRepository {
  return {
    async insert(c) {
      const [row] = await db.insert(campaigns).values(c).returning(cols);
      return row as CampaignRecord;
    },
    async findById(id) {
      if (!isUuid(id)) return null;
      const [row] = await db.select(cols).from(campaigns).where(eq(campaigns.id, id)).limit(1);
      return (row as CampaignRecord | undefined) ?? null;
    },
    async listByClient(clientId, opts) {
      const where = opts.includeArchived ? eq(campaigns.clientId, clientId) : and(eq(campaigns.clientId, clientId), ne(campaigns.status, "archived"));
      return (await db.select(cols).from(campaigns).where(where).orderBy(desc(campaigns.isDefault), asc(campaigns.name), asc(campaigns.createdAt))) as CampaignRecord[];
    },
    async update(id, patch) {
      const [row] = await db.update(campaigns).set(patch).where(eq(campaigns.id, id)).returning(cols);
      return (row as CampaignRecord | undefined) ?? null;
    },
  };
}
