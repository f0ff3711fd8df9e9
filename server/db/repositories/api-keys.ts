import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { ApiKeyMode, ApiKeyRecord, ApiKeyRepository } from "../../domain/api-keys/api-keys";
import { executePrepared, type DbOrTx } from "../client";
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
      // On every API lead: one prepared statement that also brings the client intake needs.
      const r = await executePrepared(
        db,
        sql`select k.id, k.client_id, k.last_used_at, k.mode, c.timezone, c.phone_country from api_keys k join clients c on c.id = k.client_id
            where k.key_hash = ${keyHash} and k.revoked_at is null and c.status <> 'archived'`,
      );
      const k = r.rows[0];
      if (!k) return null;
      const clientId = k.client_id as string;
      return {
        id: k.id as string,
        clientId,
        mode: k.mode as ApiKeyMode,
        lastUsedAt: k.last_used_at ? new Date(k.last_used_at as string) : null,
        client: { id: clientId, timezone: k.timezone as string, phoneCountry: k.phone_country as string },
      };
    },
    async touchLastUsed(id, at, staleBefore) {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: at })
        .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
    },
  };
}
