/**
 * The composition root: builds the adapters (database, clock, password hashing, Twilio) and hands
 * them to each area's wiring in server/wiring/, which binds that area's use cases to its ports.
 * Entry points (tRPC, REST, Remix, jobs, CLI) receive `Deps` and call these use cases; none of
 * them reaches the database itself.
 */
import type { Logger } from "pino";
import type { Config } from "./config";
import type { Database } from "./db/client";
import type { PasswordHasher } from "./domain/auth/ports";
import { offsetClock, systemClock, type Clock } from "./domain/shared/clock";
import { twilioRuntime } from "./integrations/twilio/runtime";
import { argon2Hasher } from "./security/crypto";
import { accountUseCases } from "./wiring/accounts";
import { alertUseCases } from "./wiring/alerts";
import { attributionUseCases } from "./wiring/attribution";
import { billingUseCases } from "./wiring/billing";
import { callUseCases } from "./wiring/calls";
import type { Wiring } from "./wiring/context";
import { deliveryUseCases, type DeliveryOptions } from "./wiring/delivery";
import { leadSourceUseCases } from "./wiring/lead-sources";
import { leadUseCases } from "./wiring/leads";
import { platformUseCases } from "./wiring/platform";
import { reportUseCases } from "./wiring/reports";

export interface DepsOptions extends DeliveryOptions {
  config: Config;
  database: Database;
  logger: Logger;
  clock?: Clock;
  hasher?: PasswordHasher;
  /** Where Twilio SDK requests go when it is not TWILIO_API_BASE (the local fake in demo mode and tests). */
  twilioApiBase?: string;
  /**
   * Without Twilio credentials (outside production): the local fake's auth token, instead of the
   * install's own stored under DATA_DIR (server/main.ts passes the one it started the fake with;
   * tests pass one of their own).
   */
  fakeTwilioAuthToken?: string;
}

export function createDeps(opts: DepsOptions) {
  const { config, database, logger } = opts;
  const clock = opts.clock ?? offsetClock(systemClock, config.CLOCK_OFFSET_DAYS * 86_400_000);
  const twilio = twilioRuntime(config, { apiBase: opts.twilioApiBase, fakeAuthToken: opts.fakeTwilioAuthToken });
  const w: Wiring = { config, db: database.db, clock, hasher: opts.hasher ?? argon2Hasher, twilio, logger };
  return {
    config,
    logger,
    clock,
    twilio,
    platform: platformUseCases(database),
    ...accountUseCases(w),
    ...leadSourceUseCases(w),
    ...leadUseCases(w),
    ...callUseCases(w),
    billing: billingUseCases(w),
    ...alertUseCases(w),
    ...reportUseCases(w),
    ...attributionUseCases(w),
    ...deliveryUseCases(w, opts),
  };
}

export type Deps = ReturnType<typeof createDeps>;
