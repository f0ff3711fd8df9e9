import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { describeContract, diffContracts } from "../qualification/describe";
import type { ContractVersion } from "./contract-document";
import type { ContractTxDeps } from "./ports";
import { FIRST_VERSION_CHANGES } from "./publish-contract";
import { canReach } from "../auth/scope";

export interface ContractVersionView extends ContractVersion {
  /** describeContract(document) in the client's currency. */
  description: string[];
}

export interface ContractInForce {
  clientId: string;
  contractId: string;
  at: Date;
  /** The version judging leads at `at`; null when the first version only takes effect later. */
  current: ContractVersionView | null;
  /** The next version already scheduled after `at`, if any. */
  next: ContractVersionView | null;
}

export interface ContractHistoryEntry extends ContractVersion {
  /** What changed from the previous version, one plain-English line per change. */
  changes: string[];
}

type ReadDeps = Pick<ContractTxDeps, "contracts" | "clients">;

/** Client users only ever reach their own client; a foreign (or unknown) id is CLIENT_NOT_FOUND. */
async function visibleClient(deps: ReadDeps, actor: Actor, clientId: string) {
  if (!canReach(actor, clientId)) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  const client = await deps.clients.findById(clientId);
  if (!client) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  return client;
}

/** The version in force at `at` (default now) and the next scheduled one; null when the client has no contract. */
export async function getContract(deps: ReadDeps & { clock: { now(): Date } }, actor: Actor, clientId: string, at?: Date): Promise<ContractInForce | null> {
  const client = await visibleClient(deps, actor, clientId);
  const when = at ?? deps.clock.now();
  if (Number.isNaN(when.getTime())) {
    throw new DomainError("VALIDATION_FAILED", "The time is not valid.", { issues: [{ path: ["at"], message: "must be a valid date-time" }] });
  }
  const [current, next] = await Promise.all([deps.contracts.findVersionInForce(clientId, when), deps.contracts.findNextScheduled(clientId, when)]);
  const any = current ?? next;
  if (!any) return null;
  const view = (v: ContractVersion | null): ContractVersionView | null => (v ? { ...v, description: describeContract(v.document, { currency: client.currency }) } : null);
  return { clientId, contractId: any.contractId, at: when, current: view(current), next: view(next) };
}

/** Every version, newest first, each with the changes from the version before it. */
export async function contractHistory(deps: ReadDeps, actor: Actor, clientId: string): Promise<ContractHistoryEntry[]> {
  const client = await visibleClient(deps, actor, clientId);
  const versions = await deps.contracts.listVersions(clientId);
  return versions.map((v, i) => {
    const previous = versions[i + 1];
    return { ...v, changes: previous ? diffContracts(previous.document, v.document, { currency: client.currency }) : [...FIRST_VERSION_CHANGES] };
  });
}
