import { auditRow, type AuditLog } from "../../domain/audit/audit";
import type { DbOrTx } from "../client";
import { auditEvents } from "../schema";

export function auditLog(db: DbOrTx): AuditLog {
  return {
    async record(actor, event) {
      await db.insert(auditEvents).values(auditRow(actor, event));
    },
  };
}
