import { asc, eq, isNull } from "drizzle-orm";
import type { UserRecord } from "../../domain/auth/ports";
import type { UserRepository } from "../../domain/users/users";
import type { DbOrTx } from "../client";
import { users } from "../schema";

export function userRepository(db: DbOrTx): UserRepository {
  return {
    async insert(u) {
      const rows = await db.insert(users).values(u).onConflictDoNothing().returning();
      return (rows[0] as UserRecord | undefined) ?? null;
    },
    async listByClient(clientId) {
      const where = clientId === null ? isNull(users.clientId) : eq(users.clientId, clientId);
      return (await db.select().from(users).where(where).orderBy(asc(users.email))) as UserRecord[];
    },
    async listAll() {
      return (await db.select().from(users).orderBy(asc(users.email))) as UserRecord[];
    },
    async findForUpdate(id) {
      const [u] = await db.select().from(users).where(eq(users.id, id)).for("update").limit(1);
      return (u as UserRecord | undefined) ?? null;
    },
    async update(id, changes) {
      const [u] = await db.update(users).set(changes).where(eq(users.id, id)).returning();
      return u as UserRecord;
    },
  };
}
