import { actorId, type Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { describeContract, diffContracts } from "../qualification/describe";
import { parseInput } from "../shared/parse";
import { contractDocumentSchema, type ContractDocument, type ContractVersion } from "./contract-document";
import { publishContractInput, type PublishContractInput } from "./inputs";
import type { ContractDeps } from "./ports";
import { requireAgency } from "../auth/scope";

/** A version as returned to people: the stored version plus its plain-English rendering. */
export interface PublishedContractVersion extends ContractVersion {
  /** describeContract(document): one line per rule or term. */
  description: string[];
  /** diffContracts(previous, this): what changed; for the first version a single line saying so. */
  changes: string[];
}

export const FIRST_VERSION_CHANGES = ["First version of the contract."] as const;

/** Parses a whole contract document; every failing field becomes an issue with its document path. */
export function parseContractDocument(raw: unknown): ContractDocument {
  const r = contractDocumentSchema.safeParse(raw);
  if (r.success) return r.data;
  throw new DomainError("VALIDATION_FAILED", "The contract document is not valid.", {
    issues: r.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message })),
  });
}

/**
 * Publishes a new immutable version of the client's contract (agency staff and operators only).
 * The contract row is created on first publish and locked for the rest of the transaction, so
 * concurrent publishes number their versions 1, 2, 3 … without gaps or duplicates. A version may
 * not take effect before the latest one: history stays a single line.
 */
export async function publishContract(deps: ContractDeps, actor: Actor, raw: PublishContractInput): Promise<PublishedContractVersion> {
  requireAgency(actor, "Only agency staff can publish a contract.");
  const { clientId, document: rawDocument } = parseInput(publishContractInput, raw);
  const parsed = parseContractDocument(rawDocument);

  return deps.transaction(async (tx) => {
    const client = await tx.clients.findById(clientId);
    if (!client) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
    const contract = await tx.contracts.lockContractForClient(clientId);
    const latest = await tx.contracts.findLatestVersion(contract.id);
    // "now" is read after the lock, so a publish that waited for another never lands before it.
    const now = deps.clock.now();
    const effectiveFrom = parsed.effectiveFrom ? new Date(parsed.effectiveFrom) : now;
    if (latest && effectiveFrom.getTime() < latest.effectiveFrom.getTime()) {
      throw new DomainError(
        "CONFLICT",
        `Version ${latest.version} takes effect at ${latest.effectiveFrom.toISOString()}; a new version cannot take effect earlier (requested ${effectiveFrom.toISOString()}). Publish it with an effectiveFrom at or after ${latest.effectiveFrom.toISOString()}.`,
        {
          issues: [{ path: ["effectiveFrom"], message: `must not be before ${latest.effectiveFrom.toISOString()} (version ${latest.version})` }],
          details: { latestVersion: latest.version, latestEffectiveFrom: latest.effectiveFrom.toISOString() },
        },
      );
    }
    // The stored document records when it takes effect, so it reads the same on its own.
    const document: ContractDocument = { ...parsed, effectiveFrom: parsed.effectiveFrom ?? now.toISOString() };
    const version = await tx.contracts.insertVersion({
      contractId: contract.id,
      clientId,
      version: (latest?.version ?? 0) + 1,
      effectiveFrom,
      document,
      createdBy: actorId(actor),
    });
    await tx.audit.record(actor, {
      clientId,
      action: "contract.published",
      entityType: "contract_version",
      entityId: version.id,
      before: latest ? { id: latest.id, version: latest.version, effectiveFrom: latest.effectiveFrom } : null,
      after: version,
    });
    const opts = { currency: client.currency };
    return {
      ...version,
      description: describeContract(version.document, opts),
      changes: latest ? diffContracts(latest.document, version.document, opts) : [...FIRST_VERSION_CHANGES],
    };
  });
}
