import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { auditListInput, type AuditListInput } from "./inputs";
import type { AuditEventRow, ReportsDeps } from "./ports";
import { isUuid } from "../shared/formats";
import { requireAgencyAdmin } from "../auth/scope";

/** The audit log for agency admins: who did what to which record, newest first, keyset-paged. */

// The cursor keeps created_at at microsecond precision: a millisecond Date would skip or repeat rows.
function encodeCursor(e: { createdAtExact: string; id: string }): string {
  return Buffer.from(`${e.createdAtExact}|${e.id}`).toString("base64url");
}

function decodeCursor(c: string): { createdAt: string; id: string } {
  const [t, id] = Buffer.from(c, "base64url").toString().split("|");
  if (!id || !isUuid(id) || !t || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(t)) {
    throw new DomainError("VALIDATION_FAILED", "The page cursor is not valid.", { issues: [{ path: ["cursor"], message: "is not a cursor from a previous page" }] });
  }
  return { createdAt: t, id };
}

export async function listAuditEvents(
  deps: ReportsDeps,
  actor: Actor,
  raw: AuditListInput,
): Promise<{ items: AuditEventRow[]; nextCursor: string | null; entityTypes: string[] }> {
  requireAgencyAdmin(actor, "The audit log is for agency admins.");
  const input = parseInput(auditListInput, raw);
  const [rows, entityTypes] = await Promise.all([
    deps.repo.auditEvents({
      actor: input.actor || undefined,
      clientId: input.clientId,
      entityType: input.entityType || undefined,
      entityId: input.entityId || undefined,
      after: input.cursor ? decodeCursor(input.cursor) : undefined,
      limit: input.limit + 1,
    }),
    deps.repo.auditEntityTypes(),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  const items = page.map(({ createdAtExact: _exact, ...row }) => row);
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null, entityTypes };
}
