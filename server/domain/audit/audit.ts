import { actorId, actorLabel, type Actor } from "../auth/roles";

export interface AuditEventInput {
  clientId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Port: appends to the audit log (in the caller's transaction when there is one). */
export interface AuditLog {
  record(actor: Actor, event: AuditEventInput): Promise<void>;
}

export function auditRow(actor: Actor, e: AuditEventInput) {
  return {
    actorId: actorId(actor),
    actorLabel: actorLabel(actor),
    clientId: e.clientId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
  };
}
