import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { parseInput } from "../shared/parse";
import { alreadyDecidedError } from "./decide";
import { checkEvidenceFile, safeFilename } from "./evidence-file";
import { disputeIdInput } from "./inputs";
import { STATUS_LABEL } from "./policy";
import type { DisputeDeps, DisputeView } from "./ports";
import { canReach } from "../auth/scope";

/**
 * Evidence files of a dispute (optional, one per dispute; a new upload replaces the earlier one).
 * The client's users attach it while the dispute is open; the agency and that client read it.
 */
export async function attachEvidence(
  deps: DisputeDeps,
  actor: Actor,
  input: { disputeId: string; contentType: string | null | undefined; body: Uint8Array; filename?: string | null },
): Promise<DisputeView> {
  const { id } = parseInput(disputeIdInput, { id: input.disputeId });
  if (actor.kind === "system") throw new DomainError("FORBIDDEN", "Evidence is attached by the client's users.");
  const dispute = await deps.store.reads.get(id);
  if (!dispute || !canReach(actor, dispute.clientId)) throw new DomainError("NOT_FOUND", "Dispute not found.");
  if (actor.kind !== "client") throw new DomainError("FORBIDDEN", "Evidence is attached by the client's users who opened the dispute.");
  if (dispute.status !== "open") {
    throw new DomainError("INVALID_TRANSITION", `Evidence can only be added while the dispute is open; it is ${STATUS_LABEL[dispute.status]}.`);
  }
  const contentType = checkEvidenceFile(input.contentType, input.body);
  const filename = safeFilename(input.filename);

  const path = await deps.files.save(id, input.body);
  let previous: string | null = null;
  try {
    await deps.store.transaction(async (tx) => {
      const locked = await tx.lockForDecision(id);
      if (!locked) throw new DomainError("NOT_FOUND", "Dispute not found.");
      if (locked.status !== "open") throw alreadyDecidedError(locked, deps.clock.now(), "UTC");
      previous = locked.evidencePath;
      const updated = await tx.setEvidence(id, { path, contentType, filename });
      if (!updated) throw alreadyDecidedError(locked, deps.clock.now(), "UTC");
      await tx.audit.record(actor, {
        clientId: locked.clientId,
        action: "dispute.evidence_attached",
        entityType: "dispute",
        entityId: id,
        before: locked.evidencePath ? { contentType: locked.evidenceContentType, filename: locked.evidenceFilename } : null,
        after: { contentType, filename, bytes: input.body.length },
      });
    });
  } catch (e) {
    await deps.files.remove(path);
    throw e;
  }
  if (previous && previous !== path) await deps.files.remove(previous);
  const view = await deps.store.reads.get(id);
  if (!view) throw new DomainError("NOT_FOUND", "Dispute not found.");
  return view;
}

/** The evidence bytes for the agency or the dispute's client; everyone else gets NOT_FOUND. */
export async function readEvidence(deps: DisputeDeps, actor: Actor, raw: { id: string }): Promise<{ contentType: string; filename: string | null; body: Buffer }> {
  const { id } = parseInput(disputeIdInput, raw);
  const dispute = await deps.store.reads.get(id);
  if (!dispute || !canReach(actor, dispute.clientId)) throw new DomainError("NOT_FOUND", "Dispute not found.");
  const file = await deps.store.reads.evidenceFile(id);
  const body = file ? await deps.files.read(file.path) : null;
  if (!file || !body) throw new DomainError("NOT_FOUND", "This dispute has no evidence file.");
  return { contentType: file.contentType, filename: file.filename, body };
}
