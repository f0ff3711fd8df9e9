import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { ApiKeyRecord, ApiKeyRepository } from "../../domain/api-keys/api-keys";
import type { DbOrTx } from "../client";
import { apiKeys } from "../schema";
import { isUuid } from "../../domain/shared/formats";

/** Never the hash: nothing that leaves this module can be used to authenticate. */
const cols = {
  id: apiKeys.id,
  clientId: apiKeys.clientId,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  mode: apiKeys.mode,
  specToken: apiKeys.specToken,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export function apiKeyRepository(db: DbOrTx): ApiKeyRepository {
  return {
    async insert(k) {
      const [row] = await db.insert(apiKeys).values(k).returning(cols);
      return row as ApiKeyRecord;
    },
    async findById(id) {
      if (!isUuid(id)) return null;
      const [row] = await db.select(cols).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
      return (row as ApiKeyRecord | undefined) ?? null;
    },
    async listByClient(clientId) {
      return (await db.select(cols).from(apiKeys).where(eq(apiKeys.clientId, clientId)).orderBy(desc(apiKeys.createdAt))) as ApiKeyRecord[];
    },
    async revoke(id, at) {
      await db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
      const [row] = await db.select(cols).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
      return (row as ApiKeyRecord | undefined) ?? null;
    },
    async findActiveByHash(keyHash) {
      const [row] = await db
        .select({ id: apiKeys.id, clientId: apiKeys.clientId, lastUsedAt: apiKeys.lastUsedAt })
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
        .limit(1);
      return row ?? null;
    },
    async touchLastUsed(id, at, staleBefore) {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: at })
        .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
    },
  };
}
