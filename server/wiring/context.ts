import type { Logger } from "pino";
import type { Config } from "../config";
import type { Db, DbOrTx } from "../db/client";
import type { PasswordHasher } from "../domain/auth/ports";
import type { Clock } from "../domain/shared/clock";
import type { TwilioRuntime } from "../integrations/twilio/runtime";

/** What every area's wiring receives from the composition root (server/deps.ts). */
export interface Wiring {
  config: Config;
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  twilio: TwilioRuntime;
  logger: Logger;
}

/**
 * The `{ ...ports, transaction }` shape the set-up use cases take: the ports on the pool, and
 * `transaction(fn)` handing `fn` the same ports on one transaction.
 */
export function withTransaction<P extends object>(db: Db, ports: (conn: DbOrTx) => P): P & { transaction<T>(fn: (tx: P) => Promise<T>): Promise<T> } {
  return { ...ports(db), transaction: (fn) => db.transaction((tx) => fn(ports(tx))) };
}
