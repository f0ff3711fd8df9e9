import { and, asc, desc, eq, gt } from "drizzle-orm";
import type { ContractDocument, ContractVersion } from "../../domain/contracts/contract-document";
import type { ContractRepository } from "../../domain/contracts/ports";
import type { DbOrTx } from "../client";
import { contracts, contractVersions } from "../schema";
import { isUuid } from "../../domain/shared/formats";
import { intakeTx } from "./intake";

const cols = {
  id: contractVersions.id,
  contractId: contractVersions.contractId,
  clientId: contractVersions.clientId,
  version: contractVersions.version,
  effectiveFrom: contractVersions.effectiveFrom,
  document: contractVersions.document,
  createdAt: contractVersions.createdAt,
};

type Row = { [K in keyof typeof cols]: unknown };

function toVersion(r: Row): ContractVersion {
  return {
    id: r.id as string,
    contractId: r.contractId as string,
    clientId: r.clientId as string,
    version: Number(r.version),
    effectiveFrom: r.effectiveFrom as Date,
    document: r.document as ContractDocument,
    createdAt: r.createdAt as Date,
  };
}

const one = (rows: Row[]): ContractVersion | null => (rows[0] ? toVersion(rows[0]) : null);

export function contractRepository(db: DbOrTx): ContractRepository {
  return {
    async lockContractForClient(clientId) {
      // Insert-if-missing, then lock: a concurrent first publish waits on the unique client_id and
      // then finds the row; every publish for the client serializes on the FOR UPDATE lock.
      await db.insert(contracts).values({ clientId }).onConflictDoNothing({ target: contracts.clientId });
      const [row] = await db.select({ id: contracts.id, clientId: contracts.clientId }).from(contracts).where(eq(contracts.clientId, clientId)).for("update");
      if (!row) throw new Error(`contract row for client ${clientId} vanished`);
      return row;
    },
    async findLatestVersion(contractId) {
      return one(await db.select(cols).from(contractVersions).where(eq(contractVersions.contractId, contractId)).orderBy(desc(contractVersions.version)).limit(1));
    },
    async insertVersion(v) {
      const [row] = await db.insert(contractVersions).values(v).returning(cols);
      return toVersion(row!);
    },
    findVersionInForce: (clientId, at) => findVersionInForce(db, clientId, at),
    async findNextScheduled(clientId, at) {
      return one(
        await db
          .select(cols)
          .from(contractVersions)
          .where(and(eq(contractVersions.clientId, clientId), gt(contractVersions.effectiveFrom, at)))
          .orderBy(asc(contractVersions.effectiveFrom), asc(contractVersions.version))
          .limit(1),
      );
    },
    findVersionById: (id) => findVersionById(db, id),
    async listVersions(clientId) {
      const rows = await db.select(cols).from(contractVersions).where(eq(contractVersions.clientId, clientId)).orderBy(desc(contractVersions.version));
      return rows.map(toVersion);
    },
  };
}

/**
 * The contract version that judges a lead received at `at`: the latest with effectiveFrom <= at
 * (ties go to the higher version). Null when the client has no version in force yet. The one
 * lookup: the intake's (a prepared statement, versions cached by id), for every caller.
 */
export async function findVersionInForce(db: DbOrTx, clientId: string, at: Date): Promise<ContractVersion | null> {
  if (!isUuid(clientId)) return null;
  return intakeTx(db).findVersionInForce(clientId, at);
}

/** One version by id (e.g. the version a stored verdict names); null for an unknown or malformed id. */
export async function findVersionById(db: DbOrTx, id: string): Promise<ContractVersion | null> {
  if (!isUuid(id)) return null;
  return intakeTx(db).findVersionById(id);
}

