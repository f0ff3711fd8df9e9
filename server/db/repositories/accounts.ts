import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { AccountRepository } from "../../domain/auth/ports";
import type { DbOrTx } from "../client";
import { passwordResets, recoveryCodes, users } from "../schema";

/** Two-factor enrolment and password-reset links (server/domain/auth/second-factor.ts, password-reset.ts). */
export function accountRepository(db: DbOrTx): AccountRepository {
  return {
    async setTotpSecret(userId, secret) {
      await db.update(users).set({ totpSecret: secret, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, userId));
    },
    async enableTotp(userId, r) {
      await db.update(users).set({ totpEnabledAt: r.at, totpLastStep: r.step }).where(eq(users.id, userId));
      await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await db.insert(recoveryCodes).values(r.recoveryCodeHashes.map((codeHash) => ({ userId, codeHash })));
    },
    async disableTotp(userId) {
      await db.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, userId));
      await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    },
    async unusedRecoveryCodes(userId) {
      const [r] = await db.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
      return r?.n ?? 0;
    },
    async createReset(r) {
      await db.insert(passwordResets).values({ tokenHash: r.tokenHash, userId: r.userId, expiresAt: r.expiresAt, ip: r.ip, createdAt: r.at });
    },
    async consumeReset(tokenHash, at) {
      const [row] = await db
        .update(passwordResets)
        .set({ usedAt: at })
        .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, at)))
        .returning({ userId: passwordResets.userId });
      return row?.userId ?? null;
    },
    async resetIsOpen(tokenHash, at) {
      const [row] = await db
        .select({ id: passwordResets.id })
        .from(passwordResets)
        .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, at)))
        .limit(1);
      return Boolean(row);
    },
    async setPassword(userId, passwordHash, at) {
      await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
      await db.update(passwordResets).set({ usedAt: at }).where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
    },
  };
}
