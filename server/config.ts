import { z } from "zod";

/**
 * Configuration from environment variables, parsed once at start-up. A wrong value stops the
 * process with one line naming the variable (see `loadConfig`). `.env.example` lists every variable.
 */
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);

export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    PUBLIC_URL: z.preprocess(emptyToUndefined, z.url().optional()),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
        .optional(),
    ),
    DATA_DIR: z.string().default(".data"),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    SESSION_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, "must be at least 32 characters").optional()),
    SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
    TWILIO_ACCOUNT_SID: z.preprocess(emptyToUndefined, z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must look like AC followed by 32 hex characters").optional()),
    TWILIO_AUTH_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16).optional()),
    TWILIO_FROM_NUMBER: z.preprocess(emptyToUndefined, z.string().regex(/^\+[1-9]\d{6,14}$/, "must be E.164, e.g. +12125550100").optional()),
    TWILIO_MESSAGING_SERVICE_SID: z.preprocess(emptyToUndefined, z.string().regex(/^MG[0-9a-fA-F]{32}$/).optional()),
    TWILIO_API_BASE: z.preprocess(emptyToUndefined, z.url().optional()),
    /**
     * Longest wait for one Twilio API call. An alert SMS whose send outcome is unknown (timeout, a
     * crash mid-send) is looked up at Twilio again after 6× this (the alert's lease), never resent blind.
     */
    TWILIO_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(500).max(20_000).default(10_000)),
    /** Intake checks (docs/decisions/021-intake-signals.md): off skips phone, e-mail, IP, velocity and consent checks. */
    INTAKE_SIGNALS: z.preprocess(emptyToUndefined, bool.default(true)),
    /** The most the phone lookup and certificate claim may add to an intake request. */
    SIGNALS_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(50).max(5_000).default(800)),
    /** How long a phone lookup is reused. */
    PHONE_LOOKUP_CACHE_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(365).default(30)),
    /** Claims TrustedForm certificates sent with leads when set. */
    TRUSTEDFORM_API_KEY: z.preprocess(emptyToUndefined, z.string().min(8).optional()),
    /** Where TrustedForm claims go (tests point it at a local fake). */
    TRUSTEDFORM_API_BASE: z.preprocess(emptyToUndefined, z.url().optional()),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SEED: z.preprocess(emptyToUndefined, bool.default(true)),
    /** Demo clients, contracts, lead sources and reps with the first admin; default: on, except in production. */
    SEED_DEMO: z.preprocess(emptyToUndefined, bool.optional()),
    SEED_ADMIN_EMAIL: z.preprocess(emptyToUndefined, z.email().default("admin@leadledger.local")),
    SEED_ADMIN_PASSWORD: z.preprocess(emptyToUndefined, z.string().min(8, "must be at least 8 characters").optional()),
    JOBS: z.preprocess(emptyToUndefined, bool.default(true)),
    AGENCY_NAME: z.string().default("LeadLedger Agency"),
    AGENCY_SUPPORT_PHONE: z.preprocess(emptyToUndefined, z.string().optional()),
    /** The agency's details printed on every invoice: legal name (default AGENCY_NAME), address ("\n" or " | " between lines), tax id, e-mail, how to pay. */
    AGENCY_LEGAL_NAME: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
    AGENCY_ADDRESS: z.preprocess(emptyToUndefined, z.string().max(500).optional()),
    AGENCY_TAX_ID: z.preprocess(emptyToUndefined, z.string().max(60).optional()),
    AGENCY_BILLING_EMAIL: z.preprocess(emptyToUndefined, z.email().optional()),
    AGENCY_PAYMENT_INSTRUCTIONS: z.preprocess(emptyToUndefined, z.string().max(500).optional()),
    /** How long a sales rep's link to a lead (in the alert SMS) works, in hours. */
    REP_LINK_TTL_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(24 * 30).default(72)),
    /**
     * Answer HELP/INFO with our own text. Off by default: Twilio already answers HELP on long codes
     * and with Advanced Opt-Out, and a second reply would confuse the rep.
     */
    SMS_HELP_REPLY: z.preprocess(emptyToUndefined, bool.default(false)),
    /** Shifts the server's "now" by whole days (demos and tests: close a month that has not ended yet). Never in production. */
    /**
     * Express "trust proxy": which hops may set X-Forwarded-For. "loopback" (default), "true"/"false",
     * a hop count, or a comma list of addresses/subnets/names ("uniquelocal" for a container network).
     */
    TRUST_PROXY: z.preprocess(emptyToUndefined, z.string().default("loopback")),
    /** Named prepared statements on the hot paths; false for poolers that cannot keep them (PgBouncer < 1.21 in transaction mode). */
    DATABASE_PREPARED_STATEMENTS: z.preprocess(emptyToUndefined, bool.default(true)),
    /** Group commit on the SMS path: sent-marks and status callbacks that arrive together share one transaction (decision 029). */
    SMS_GROUP_COMMIT: z.preprocess(emptyToUndefined, bool.default(true)),
    /** Bearer token for GET /metrics; without it /metrics is open outside production and off in production. */
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, "must be at least 16 characters").optional()),
    /** SMTP server for notification e-mails (smtp:// or smtps://); unset: e-mails are captured in the database and shown in the console. */
    SMTP_URL: z.preprocess(emptyToUndefined, z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional()),
    /** Sender of notification e-mails. */
    MAIL_FROM: z.preprocess(emptyToUndefined, z.string().default("LeadLedger <notifications@leadledger.local>")),
    CLOCK_OFFSET_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int("must be a whole number of days").min(-3650).max(3650).default(0)),
  })
  .superRefine((c, ctx) => {
    const twilioParts = [c.TWILIO_ACCOUNT_SID, c.TWILIO_AUTH_TOKEN].filter(Boolean).length;
    if (twilioParts === 1) {
      ctx.addIssue({
        code: "custom",
        path: [c.TWILIO_ACCOUNT_SID ? "TWILIO_AUTH_TOKEN" : "TWILIO_ACCOUNT_SID"],
        message: "set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or neither (then a local fake Twilio is used)",
      });
    }
    if (c.TWILIO_ACCOUNT_SID && c.TWILIO_AUTH_TOKEN && !c.TWILIO_FROM_NUMBER && !c.TWILIO_MESSAGING_SERVICE_SID && !c.TWILIO_API_BASE) {
      ctx.addIssue({ code: "custom", path: ["TWILIO_FROM_NUMBER"], message: "set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID to send SMS" });
    }
    if (c.NODE_ENV === "production" && !c.SESSION_SECRET) {
      ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: "is required in production (32+ random characters)" });
    }
    if (c.NODE_ENV === "production" && c.CLOCK_OFFSET_DAYS !== 0) {
      ctx.addIssue({ code: "custom", path: ["CLOCK_OFFSET_DAYS"], message: "must be 0 or unset in production: it shifts the server's clock (for demos and tests only)" });
    }
  });

export type Config = z.output<typeof configSchema> & { publicUrl: string; seedDemo: boolean; trustProxy: boolean | number | string[] };

/** TRUST_PROXY as Express reads it: a boolean, a hop count, or a list of addresses, subnets and names. */
export function parseTrustProxy(v: string): boolean | number | string[] {
  const t = v.trim().toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  if (/^\d+$/.test(t)) return Number(t);
  return t.split(",").map((x) => x.trim()).filter(Boolean);
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws ConfigError whose message is one line naming the variable. */
/**
 * How long a claimed alert send may run before another attempt may take over (assuming a crash) and
 * how long an attempt with an unknown outcome waits before asking Twilio: longer than one send plus
 * a few list pages. docs/decisions/011-at-most-one-sms.md.
 */
export function alertLeaseMs(config: Pick<Config, "TWILIO_TIMEOUT_MS">): number {
  return 6 * config.TWILIO_TIMEOUT_MS;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const name = String(first.path[0] ?? "environment");
    const value = env[name];
    const shown = value === undefined ? "unset" : /SECRET|TOKEN|PASSWORD/.test(name) ? "(hidden)" : JSON.stringify(value);
    throw new ConfigError(`Invalid configuration: ${name} ${first.message} (got ${shown})`);
  }
  const c = parsed.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, "");
  return { ...c, publicUrl, seedDemo: c.SEED_DEMO ?? c.NODE_ENV !== "production", trustProxy: parseTrustProxy(c.TRUST_PROXY) };
}
