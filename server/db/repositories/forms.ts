import { and, asc, eq, type SQL } from "drizzle-orm";
import type { FormRecord, FormRepository } from "../../domain/forms/forms";
import type { DbOrTx } from "../client";
import { forms } from "../schema";
import { isUuid } from "../../domain/shared/formats";

const cols = {
  id: forms.id,
  clientId: forms.clientId,
  campaignId: forms.campaignId,
  name: forms.name,
  publicKey: forms.publicKey,
  allowedOrigins: forms.allowedOrigins,
  thankYouUrl: forms.thankYouUrl,
  fieldMapping: forms.fieldMapping,
  honeypotField: forms.honeypotField,
  consentText: forms.consentText,
  status: forms.status,
  testPublicKey: forms.testPublicKey,
  createdAt: forms.createdAt,
};

export function formRepository(db: DbOrTx): FormRepository {
  return {
    async insert(f) {
      const [row] = await db.insert(forms).values(f).returning(cols);
      return row as FormRecord;
    },
    async findById(id) {
      if (!isUuid(id)) return null;
      const [row] = await db.select(cols).from(forms).where(eq(forms.id, id)).limit(1);
      return (row as FormRecord | undefined) ?? null;
    },
    async list(filter) {
      const where: SQL[] = [eq(forms.clientId, filter.clientId)];
      if (filter.campaignId) where.push(eq(forms.campaignId, filter.campaignId));
      if (!filter.includeDisabled) where.push(eq(forms.status, "active"));
      return (await db.select(cols).from(forms).where(and(...where)).orderBy(asc(forms.name), asc(forms.createdAt))) as FormRecord[];
    },
    async update(id, patch) {
      const [row] = await db.update(forms).set(patch).where(eq(forms.id, id)).returning(cols);
      return (row as FormRecord | undefined) ?? null;
    },
  };
}
