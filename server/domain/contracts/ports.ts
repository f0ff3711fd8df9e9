import type { AuditLog } from "../audit/audit";
import type { ClientRepository } from "../clients/clients";
import type { ContractDocument, ContractVersion } from "./contract-document";

/** Data access for contracts and their immutable versions. There is no update or delete of a version. */
export interface ContractRepository {
  /**
   * The client's contract, created on first use, locked FOR UPDATE until the transaction ends so
   * concurrent publishes for one client take turns (version numbers never collide).
   */
  lockContractForClient(clientId: string): Promise<{ id: string; clientId: string }>;
  /** The highest-numbered version of a contract (also the one with the latest effectiveFrom). */
  findLatestVersion(contractId: string): Promise<ContractVersion | null>;
  insertVersion(v: {
    contractId: string;
    clientId: string;
    version: number;
    effectiveFrom: Date;
    document: ContractDocument;
    createdBy: string | null;
  }): Promise<ContractVersion>;
  /** The version in force at `at`: the latest with effectiveFrom <= at (ties: the higher version). */
  findVersionInForce(clientId: string, at: Date): Promise<ContractVersion | null>;
  /** The first version that takes effect strictly after `at`, if one is scheduled. */
  findNextScheduled(clientId: string, at: Date): Promise<ContractVersion | null>;
  findVersionById(id: string): Promise<ContractVersion | null>;
  /** Every version of the client's contract, newest (highest version) first. */
  listVersions(clientId: string): Promise<ContractVersion[]>;
}

export interface ContractTxDeps {
  contracts: ContractRepository;
  clients: Pick<ClientRepository, "findById">;
  audit: AuditLog;
}

export interface ContractDeps extends ContractTxDeps {
  clock: { now(): Date };
  /** Runs fn in one transaction with repositories bound to it. */
  transaction<T>(fn: (deps: ContractTxDeps) => Promise<T>): Promise<T>;
}
