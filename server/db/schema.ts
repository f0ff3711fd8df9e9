/**
 * The whole LeadLedger data model (docs/architecture.md "Domain model"). Money is bigint cents (read as JS
 * numbers; amounts stay far below 2^53), percentages are basis points. Idempotency lives in unique
 * keys: ledger_entries.idempotency_key, webhook_events (sid, type), alerts (lead_id, recipient_id),
 * invoices (client_id, period) while not void, idempotency_records (scope, key), disputes one open per lead.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  primaryKey,
  jsonb,
  smallint,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { ALERT_STATUSES } from "../domain/alerts/status";
import { API_KEY_MODES } from "../domain/api-keys/api-keys";
import { ROLES } from "../domain/auth/roles";
import { DISPUTE_STATUSES } from "../domain/billing/credit";
import { INVOICE_STATUSES } from "../domain/billing/invoice";
import { LEDGER_KINDS } from "../domain/billing/ledger";
import { sqlTextList } from "./sql-values";

const id = () => uuid("id").primaryKey().defaultRandom();
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true });
const cents = (name: string) => bigint(name, { mode: "number" });

export const clients = pgTable(
  "clients",
  {
    id: id(),
    name: text("name").notNull(),
    timezone: text("timezone").notNull().default("America/New_York"),
    currency: text("currency").notNull().default("USD"),
    /** ISO country used to parse national phone numbers (E.164 normalization). */
    phoneCountry: text("phone_country").notNull().default("US"),
    status: text("status", { enum: ["active", "paused", "archived"] }).notNull().default("active"),
    alertRouting: text("alert_routing", { enum: ["everyone", "round_robin"] }).notNull().default("everyone"),
    alertTemplate: text("alert_template"),
    alertRoundRobinCursor: integer("alert_round_robin_cursor").notNull().default(0),
    /** Bill-to details printed on invoices (null: the client's name only). */
    legalName: text("legal_name"),
    billingAddress: text("billing_address"),
    taxId: text("tax_id"),
    /** Days from issue to due date ("net 15"). */
    paymentTermsDays: integer("payment_terms_days").notNull().default(15),
    /** Twilio Lookup for this client's leads (docs/decisions/021-intake-signals.md), and how many it may pay for per day (UTC). */
    phoneLookupEnabled: boolean("phone_lookup_enabled").notNull().default(true),
    phoneLookupDailyBudget: integer("phone_lookup_daily_budget").notNull().default(1000),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("clients_name_unique").on(sql`lower(${t.name})`),
    check("clients_payment_terms_range", sql`${t.paymentTermsDays} between 0 and 120`),
  ],
);

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    clientId: uuid("client_id").references(() => clients.id, { onDelete: "restrict" }),
    disabledAt: ts("disabled_at"),
    /** The IANA time zone an agency user reads times in; null: UTC. */
    timeZone: text("time_zone"),
    /** TOTP (RFC 6238) shared secret, base32; set while enrolling, used once totp_enabled_at is set. */
    totpSecret: text("totp_secret"),
    totpEnabledAt: ts("totp_enabled_at"),
    /** The last 30-second step a code was accepted for: a code is never accepted twice. */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    index("users_client_idx").on(t.clientId),
    check(
      "users_role_client_check",
      sql`(${t.role} in ('client_admin','client_member')) = (${t.clientId} is not null)`,
    ),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: id(),
    /** sha256 of the cookie token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    lastSeenAt: ts("last_seen_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Failed and successful logins, for per-account throttling that holds across processes. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: id(),
    email: text("email").notNull(),
    ip: text("ip"),
    succeeded: boolean("succeeded").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("login_attempts_email_created_idx").on(t.email, t.createdAt)],
);

/**
 * Sign-in throttle counters (docs/decisions/007-login-throttling.md): one row per bucket
 * ("pair:<email>|<ip>", "account:<email>", "ip:<ip>") and fixed window, incremented atomically
 * before a password is verified, so parallel guesses and several server processes share the count.
 */
export const loginThrottle = pgTable(
  "login_throttle",
  {
    bucket: text("bucket").notNull(),
    windowStart: ts("window_start").notNull(),
    attempts: integer("attempts").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] }), index("login_throttle_window_idx").on(t.windowStart)],
);

/** Password-reset links: the sha256 of the token (the token is only in the e-mail), one use, one hour. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: id(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);

/**
 * The second step of a sign-in with two-factor: the password was right, the code is still owed.
 * A short-lived token in its own cookie; it becomes a session only with a valid code.
 */
export const loginChallenges = pgTable(
  "login_challenges",
  {
    id: id(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    failures: integer("failures").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("login_challenges_user_idx").on(t.userId)],
);

/** Two-factor recovery codes: sha256 of each code, each usable once instead of a TOTP code. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("recovery_codes_user_code_unique").on(t.userId, t.codeHash)],
);

export const campaigns = pgTable(
  "campaigns",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    name: text("name").notNull(),
    channel: text("channel"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    isDefault: boolean("is_default").notNull().default(false),
    status: text("status", { enum: ["active", "paused", "archived"] }).notNull().default("active"),
    createdAt: createdAt(),
  },
  (t) => [
    index("campaigns_client_idx").on(t.clientId),
    uniqueIndex("campaigns_one_default_per_client").on(t.clientId).where(sql`${t.isDefault}`),
  ],
);

export const forms = pgTable(
  "forms",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    name: text("name").notNull(),
    publicKey: text("public_key").notNull().unique(),
    allowedOrigins: text("allowed_origins").array().notNull().default(sql`'{}'::text[]`),
    thankYouUrl: text("thank_you_url"),
    /** Maps posted field names to lead fields, e.g. { "your_phone": "phone" }. */
    fieldMapping: jsonb("field_mapping").$type<Record<string, string>>().notNull().default({}),
    honeypotField: text("honeypot_field").notNull().default("website"),
    consentText: text("consent_text"),
    status: text("status", { enum: ["active", "disabled"] }).notNull().default("active"),
    /** A second key for vendors' tests: its posts are judged and stored as test leads (docs/decisions/012-test-mode.md). */
    testPublicKey: text("test_public_key").unique(),
    /** Token of the public posting-spec link (/spec/:token); null until the agency shares one. */
    specToken: text("spec_token").unique(),
    createdAt: createdAt(),
  },
  (t) => [index("forms_campaign_idx").on(t.campaignId), index("forms_client_idx").on(t.clientId)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    name: text("name").notNull(),
    /** First characters of the key, shown in lists so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    /** "test" keys (ll_test_…) send test leads: judged, never billed, alerted or reported. */
    mode: text("mode", { enum: API_KEY_MODES }).notNull().default("live"),
    /** Token of the public posting-spec link (/spec/:token); null until the agency shares one. */
    specToken: text("spec_token").unique(),
    createdAt: createdAt(),
    revokedAt: ts("revoked_at"),
    lastUsedAt: ts("last_used_at"),
  },
  (t) => [index("api_keys_client_idx").on(t.clientId), check("api_keys_mode_check", sql`${t.mode} in (${sqlTextList(API_KEY_MODES)})`)],
);

export const trackingNumbers = pgTable(
  "tracking_numbers",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    phoneNumber: text("phone_number").notNull().unique(),
    forwardTo: text("forward_to").notNull(),
    record: boolean("record").notNull().default(true),
    disclosureText: text("disclosure_text"),
    whisperText: text("whisper_text"),
    /** The business presses 1 to accept a call; one not accepted is not billed and the caller goes to the fallback. */
    screenCalls: boolean("screen_calls").notNull().default(false),
    /** A second number dialled when the first does not answer, is busy or does not accept. */
    fallbackNumber: text("fallback_number"),
    /** Without a fallback number (or after it): the caller may leave a voicemail, recorded on the lead. */
    voicemail: boolean("voicemail").notNull().default(false),
    /** Text the caller of a missed call "Sorry we missed you — we'll call you back", once a day. */
    textBack: boolean("text_back").notNull().default(false),
    twilioSid: text("twilio_sid"),
    status: text("status", { enum: ["active", "released"] }).notNull().default("active"),
    createdAt: createdAt(),
  },
  (t) => [index("tracking_numbers_campaign_idx").on(t.campaignId)],
);

/** A recording callback whose call has no lead yet: attached when the call arrives. */
export const callRecordingEvents = pgTable(
  "call_recording_events",
  {
    recordingSid: text("recording_sid").primaryKey(),
    callSid: text("call_sid").notNull(),
    status: text("status").notNull(),
    recordingUrl: text("recording_url"),
    durationSeconds: integer("duration_seconds"),
    note: text("note"),
    receivedAt: ts("received_at").notNull().defaultNow(),
    attachedAt: ts("attached_at"),
  },
  (t) => [index("call_recording_events_waiting_idx").on(t.callSid).where(sql`${t.attachedAt} is null`)],
);

/** The missed-call text to a caller: one per client, phone and (client's) day. */
export const missedCallTexts = pgTable(
  "missed_call_texts",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id),
    phone: text("phone").notNull(),
    day: date("day").notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull().default("pending"),
    messageSid: text("message_sid"),
    errorMessage: text("error_message"),
    createdAt: createdAt(),
  },
  (t) => [unique("missed_call_texts_once_a_day").on(t.clientId, t.phone, t.day)],
);

export const contracts = pgTable("contracts", {
  id: id(),
  clientId: uuid("client_id")
    .notNull()
    .unique()
    .references(() => clients.id),
  createdAt: createdAt(),
});

export const contractVersions = pgTable(
  "contract_versions",
  {
    id: id(),
    contractId: uuid("contract_id")
      .notNull()
      .references(() => contracts.id),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    version: integer("version").notNull(),
    effectiveFrom: ts("effective_from").notNull(),
    document: jsonb("document").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("contract_versions_contract_version_unique").on(t.contractId, t.version),
    index("contract_versions_client_effective_idx").on(t.clientId, t.effectiveFrom),
  ],
);

export const leads = pgTable(
  "leads",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    formId: uuid("form_id").references(() => forms.id),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id),
    trackingNumberId: uuid("tracking_number_id").references(() => trackingNumbers.id),
    source: text("source", { enum: ["form", "api", "call"] }).notNull(),
    status: text("status", { enum: ["received", "qualified", "rejected"] }).notNull().default("received"),
    /** Independent of status: the sales outcome reported later (CPA / revenue share). */
    outcome: text("outcome", { enum: ["won", "lost"] }),
    outcomeValueCents: cents("outcome_value_cents"),
    outcomeAt: ts("outcome_at"),
    name: text("name"),
    phone: text("phone"),
    email: text("email"),
    zip: text("zip"),
    state: text("state"),
    city: text("city"),
    fields: jsonb("fields").$type<Record<string, unknown>>().notNull().default({}),
    rawPayload: jsonb("raw_payload").notNull(),
    consent: jsonb("consent"),
    callSid: text("call_sid").unique(),
    callFrom: text("call_from"),
    callConversationSeconds: integer("call_conversation_seconds"),
    callDialStatus: text("call_dial_status"),
    recordingSid: text("recording_sid"),
    recordingUrl: text("recording_url"),
    recordingDurationSeconds: integer("recording_duration_seconds"),
    /** "completed", or "absent" (Twilio recorded no audio); recordingNote says why there is none. */
    recordingStatus: text("recording_status"),
    recordingNote: text("recording_note"),
    /** With call screening: 'pending' until the business presses 1 ('accepted') or does not ('not_accepted'). */
    callScreening: text("call_screening", { enum: ["pending", "accepted", "not_accepted"] }),
    contractVersionId: uuid("contract_version_id").references(() => contractVersions.id),
    verdict: jsonb("verdict"),
    /** What the verdict was computed from (normalized input, facts, month-to-date), for replay. */
    judgementEvidence: jsonb("judgement_evidence"),
    qualified: boolean("qualified"),
    billable: boolean("billable"),
    receivedAt: ts("received_at").notNull().defaultNow(),
    judgedAt: ts("judged_at"),
    /** A test lead (test API key or form test key): never billed, alerted or reported; purged after 7 days. */
    isTest: boolean("is_test").notNull().default(false),
    /** The verdict's quality score (0–100) from the intake signals, for filters and reports; null when not checked. */
    qualityScore: smallint("quality_score").generatedAlwaysAs(sql`((verdict -> 'quality' ->> 'score')::smallint)`),
    createdAt: createdAt(),
  },
  (t) => [
    index("leads_client_quality_idx").on(t.clientId, t.qualityScore, t.receivedAt),
    index("leads_test_received_idx").on(t.receivedAt).where(sql`${t.isTest}`),
    index("leads_client_received_idx").on(t.clientId, t.receivedAt.desc(), t.id.desc()),
    /** The agency's all-clients inbox, newest first (keyset paging like the per-client index). */
    index("leads_received_idx").on(t.receivedAt.desc(), t.id.desc()),
    index("leads_client_phone_idx").on(t.clientId, t.phone, t.receivedAt),
    index("leads_client_email_idx").on(t.clientId, t.email, t.receivedAt),
    index("leads_campaign_idx").on(t.campaignId, t.receivedAt),
    index("leads_client_status_idx").on(t.clientId, t.status, t.receivedAt),
  ],
);

/** Stored first answers for `Idempotency-Key` retries, per caller scope (api key / form). */
export const idempotencyRecords = pgTable(
  "idempotency_records",
  {
    id: id(),
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    responseStatus: integer("response_status").notNull(),
    responseBody: jsonb("response_body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("idempotency_records_scope_key_unique").on(t.scope, t.key)],
);

/** Domain events committed with the state change that caused them (transactional outbox). */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    type: text("type").notNull(),
    aggregateId: uuid("aggregate_id").notNull(),
    clientId: uuid("client_id").references(() => clients.id),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
    processedAt: ts("processed_at"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [
    index("outbox_events_unprocessed_idx").on(t.id).where(sql`${t.processedAt} is null`),
    uniqueIndex("outbox_events_type_aggregate_unique").on(t.type, t.aggregateId),
  ],
);

export const invoices = pgTable(
  "invoices",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    number: integer("number").notNull(),
    period: text("period").notNull(),
    status: text("status", { enum: INVOICE_STATUSES }).notNull().default("draft"),
    currency: text("currency").notNull().default("USD"),
    subtotalCents: cents("subtotal_cents").notNull(),
    creditAppliedCents: cents("credit_applied_cents").notNull().default(0),
    totalCents: cents("total_cents").notNull(),
    creditCarriedForwardCents: cents("credit_carried_forward_cents").notNull().default(0),
    issuedAt: ts("issued_at"),
    paidAt: ts("paid_at"),
    voidedAt: ts("voided_at"),
    voidReason: text("void_reason"),
    /** Set when issued: the client's terms then, the due date (client's calendar), the bill-to details then. */
    paymentTermsDays: integer("payment_terms_days"),
    dueDate: date("due_date", { mode: "string" }),
    billTo: jsonb("bill_to").$type<{ name: string; legalName: string | null; address: string | null; taxId: string | null }>(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invoices_client_number_unique").on(t.clientId, t.number),
    uniqueIndex("invoices_client_period_unique").on(t.clientId, t.period).where(sql`${t.status} <> 'void'`),
    check("invoices_total_not_negative", sql`${t.totalCents} >= 0`),
  ],
);

export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: id(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id),
    position: integer("position").notNull(),
    kind: text("kind").notNull(),
    campaignId: uuid("campaign_id").references(() => campaigns.id),
    disputeId: uuid("dispute_id"),
    description: text("description").notNull(),
    quantity: integer("quantity").notNull(),
    unitAmountCents: cents("unit_amount_cents"),
    amountCents: cents("amount_cents").notNull(),
    ledgerEntryIds: uuid("ledger_entry_ids").array().notNull(),
  },
  (t) => [uniqueIndex("invoice_lines_invoice_position_unique").on(t.invoiceId, t.position)],
);

/** The payment that settled an invoice: its own record, never an edit of ledger entries; one per invoice. */
export const invoicePayments = pgTable(
  "invoice_payments",
  {
    id: id(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    amountCents: cents("amount_cents").notNull(),
    /** The bank transfer / cheque / card reference the agency recorded. */
    reference: text("reference").notNull(),
    recordedBy: text("recorded_by").notNull(),
    paidAt: ts("paid_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("invoice_payments_invoice_unique").on(t.invoiceId), check("invoice_payments_amount_not_negative", sql`${t.amountCents} >= 0`)],
);

export const disputes = pgTable(
  "disputes",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id),
    contractVersionId: uuid("contract_version_id").references(() => contractVersions.id),
    reason: text("reason").notNull(),
    note: text("note"),
    evidencePath: text("evidence_path"),
    evidenceContentType: text("evidence_content_type"),
    evidenceFilename: text("evidence_filename"),
    status: text("status", { enum: DISPUTE_STATUSES })
      .notNull()
      .default("open"),
    openedBy: uuid("opened_by").references(() => users.id),
    openedAt: ts("opened_at").notNull().defaultNow(),
    dueAt: ts("due_at").notNull(),
    decision: jsonb("decision"),
    resolutionNote: text("resolution_note"),
    resolvedBy: text("resolved_by"),
    resolvedAt: ts("resolved_at"),
    creditCents: cents("credit_cents"),
    creditEntryId: uuid("credit_entry_id"),
    /** Client-supplied key so a double submit creates one dispute. */
    requestKey: text("request_key"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("disputes_one_open_per_lead").on(t.leadId).where(sql`${t.status} = 'open'`),
    uniqueIndex("disputes_request_key_unique").on(t.clientId, t.requestKey),
    index("disputes_client_status_idx").on(t.clientId, t.status, t.dueAt),
    index("disputes_open_due_idx").on(t.dueAt).where(sql`${t.status} = 'open'`),
    /** A lead's disputes, latest first (the inbox's dispute badge and filter). */
    index("disputes_lead_opened_idx").on(t.leadId, t.openedAt),
  ],
);

export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    kind: text("kind", { enum: LEDGER_KINDS }).notNull(),
    amountCents: cents("amount_cents").notNull(),
    leadId: uuid("lead_id").references(() => leads.id),
    campaignId: uuid("campaign_id").references(() => campaigns.id),
    disputeId: uuid("dispute_id").references(() => disputes.id),
    contractVersionId: uuid("contract_version_id").references(() => contractVersions.id),
    /** The client's billing month (YYYY-MM, client time zone) the entry counts towards. */
    period: text("period").notNull(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    actor: text("actor").notNull(),
    memo: text("memo"),
    createdAt: createdAt(),
  },
  (t) => [
    index("ledger_entries_client_created_idx").on(t.clientId, t.createdAt),
    index("ledger_entries_lead_idx").on(t.leadId),
    index("ledger_entries_client_period_kind_idx").on(t.clientId, t.period, t.kind),
  ],
);

/**
 * Invoice membership lives beside the ledger, not in it (docs/decisions/027-invoice-membership-by-queue-and-link.md):
 * a ledger entry is never updated. Every new entry gets a row in `uninvoiced_entries` (a statement
 * trigger of migration 0018, so no writer can forget it); the close that bills it deletes that row
 * and adds one to `invoice_entries` in the same statement. No declared foreign keys: a per-row check
 * cost as much as the rest of a close; a statement trigger checks `invoice_id`.
 */
export const uninvoicedEntries = pgTable(
  "uninvoiced_entries",
  {
    ledgerEntryId: uuid("ledger_entry_id").notNull(),
    clientId: uuid("client_id").notNull(),
    period: text("period").notNull(),
  },
  (t) => [index("uninvoiced_entries_client_period_idx").on(t.clientId, t.period)],
);

/** The invoice that billed each invoiced entry; the primary key keeps an entry on at most one invoice. */
export const invoiceEntries = pgTable(
  "invoice_entries",
  {
    ledgerEntryId: uuid("ledger_entry_id").primaryKey(),
    invoiceId: uuid("invoice_id").notNull(),
  },
  (t) => [index("invoice_entries_invoice_idx").on(t.invoiceId)],
);

/**
 * Month-to-date figures that tiered pricing and monthly caps read, per client and billing month
 * (YYYY-MM in the client's time zone), so pricing a lead reads at most 256 rows instead of counting
 * the month (docs/decisions/016-tier-counter.md). Written only by intake, in the transaction that
 * stores the lead and its charge: summed over the shards, `billable_leads` counts the client's
 * billable, non-test leads received in the month and `lead_charges_cents` sums its `lead_charge`
 * entries. Reversals, dispute credits and voids are other ledger kinds and change neither figure,
 * exactly as a recount from leads and ledger_entries would not. A lead adds to the shard named by
 * the first two hex digits of its id, so leads of one client that take no billing lock (flat
 * price) rarely wait for each other's commit on the same row.
 */
export const billingMonthCounters = pgTable(
  "billing_month_counters",
  {
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    period: text("period").notNull(),
    shard: smallint("shard").notNull(),
    billableLeads: integer("billable_leads").notNull().default(0),
    leadChargesCents: cents("lead_charges_cents").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.period, t.shard] }),
    check("billing_month_counters_shard", sql`${t.shard} between 0 and 255`),
    check("billing_month_counters_non_negative", sql`${t.billableLeads} >= 0 and ${t.leadChargesCents} >= 0`),
  ],
);

export const alertRecipients = pgTable(
  "alert_recipients",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    name: text("name").notNull(),
    phone: text("phone").notNull(),
    active: boolean("active").notNull().default(true),
    /** Same shape as contract businessHours; null means always on duty. */
    activeHours: jsonb("active_hours"),
    optedOutAt: ts("opted_out_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("alert_recipients_client_phone_unique").on(t.clientId, t.phone)],
);

export const alerts = pgTable(
  "alerts",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id),
    recipientId: uuid("recipient_id")
      .notNull()
      .references(() => alertRecipients.id),
    toPhone: text("to_phone").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ALERT_STATUSES })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    messageSid: text("message_sid").unique(),
    errorCode: integer("error_code"),
    errorMessage: text("error_message"),
    queuedAt: ts("queued_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
    deliveredAt: ts("delivered_at"),
    failedAt: ts("failed_at"),
    nextAttemptAt: ts("next_attempt_at"),
    /** Failed by us without knowing whether Twilio had the message (gave up, or could not ask): a later delivery receipt wins. */
    outcomeUnknown: boolean("outcome_unknown").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("alerts_lead_recipient_unique").on(t.leadId, t.recipientId),
    index("alerts_client_status_idx").on(t.clientId, t.status, t.createdAt),
    // The outbox sweep's overdue pass (overdueAlertIds): only unfinished alerts, by when they are due.
    index("alerts_unfinished_due_idx")
      .on(sql`coalesce(${t.nextAttemptAt}, ${t.queuedAt})`)
      .where(sql`${t.status} in ('pending', 'sending')`),
  ],
);

/**
 * A sales rep's link to one lead's read-only card, sent in that rep's alert (decision 024). Only
 * the SHA-256 of the token is stored; the link stops working at `expires_at` or once revoked.
 */
export const repLinks = pgTable(
  "rep_links",
  {
    id: id(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    tokenHash: text("token_hash").notNull(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    revokedBy: text("revoked_by"),
    lastOpenedAt: ts("last_opened_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("rep_links_token_hash_unique").on(t.tokenHash), uniqueIndex("rep_links_alert_unique").on(t.alertId), index("rep_links_lead_idx").on(t.leadId)],
);

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: id(),
    sid: text("sid").notNull(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    receivedAt: ts("received_at").notNull().defaultNow(),
    processedAt: ts("processed_at"),
    response: text("response"),
  },
  (t) => [uniqueIndex("webhook_events_sid_type_unique").on(t.sid, t.type)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: id(),
    actorId: uuid("actor_id"),
    actorLabel: text("actor_label").notNull(),
    clientId: uuid("client_id"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_events_client_created_idx").on(t.clientId, t.createdAt),
    index("audit_events_entity_idx").on(t.entityType, t.entityId),
    index("audit_events_actor_idx").on(t.actorId, t.createdAt),
  ],
);

/**
 * Delivering events into the client's own systems (migration 0008, docs/decisions/014-webhook-delivery.md).
 * Delivery rows and e-mails are created by the `deliveries_fan_out` trigger on outbox_events in the
 * transaction that commits the event; `outbox_from_change` triggers on leads, disputes and invoices
 * write the events no use case writes itself (lead.rejected, lead.outcome, dispute.*, invoice.issued).
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    url: text("url").notNull(),
    description: text("description"),
    events: text("events").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    disabledAt: ts("disabled_at"),
    /** `whsec_<base64>`; shown once at creation and rotation. */
    secret: text("secret").notNull(),
    /** After a rotation the old secret keeps signing (a second signature) until it expires. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: ts("previous_secret_expires_at"),
    fieldMapping: jsonb("field_mapping"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    failingSince: ts("failing_since"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_client_idx").on(t.clientId)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    /** The outbox event; null for a test event. */
    eventId: bigint("event_id", { mode: "number" }),
    eventType: text("event_type").notNull(),
    /** `webhook-id`: the same on every attempt and replay, so the receiver can deduplicate. */
    messageId: text("message_id").notNull(),
    leadId: uuid("lead_id"),
    status: text("status", { enum: ["pending", "sending", "delivered", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    leaseUntil: ts("lease_until"),
    /** The versioned event body, frozen at the first attempt so every retry sends the same bytes. */
    payload: jsonb("payload"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint_unique").on(t.eventId, t.endpointId),
    uniqueIndex("webhook_deliveries_message_id_unique").on(t.messageId),
    index("webhook_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt.desc()),
    index("webhook_deliveries_lead_idx").on(t.leadId).where(sql`${t.leadId} is not null`),
    index("webhook_deliveries_unfinished_idx")
      .on(sql`coalesce(${t.leaseUntil}, ${t.nextAttemptAt})`)
      .where(sql`${t.status} in ('pending', 'sending')`),
    // The runner's due pass (dueDeliveries): the oldest due deliveries of each endpoint, a few at a time.
    index("webhook_deliveries_endpoint_due_idx")
      .on(t.endpointId, sql`coalesce(${t.leaseUntil}, ${t.nextAttemptAt})`)
      .where(sql`${t.status} in ('pending', 'sending')`),
    check("webhook_deliveries_status_check", sql`${t.status} in ('pending', 'sending', 'delivered', 'failed')`),
  ],
);

/** One row per HTTP attempt: what was sent and what came back (the delivery log). */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: id(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id),
    attempt: integer("attempt").notNull(),
    startedAt: ts("started_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    url: text("url").notNull(),
    requestHeaders: jsonb("request_headers").notNull(),
    requestBody: text("request_body").notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    error: text("error"),
    nextRetryAt: ts("next_retry_at"),
  },
  (t) => [uniqueIndex("webhook_attempts_delivery_attempt_unique").on(t.deliveryId, t.attempt)],
);

export const emailRecipients = pgTable(
  "email_recipients",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    email: text("email").notNull(),
    events: text("events").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("email_recipients_client_email_unique").on(t.clientId, t.email)],
);

/** One e-mail per (event, address); without SMTP_URL it is kept here as `captured` instead of sent. */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: id(),
    clientId: uuid("client_id").references(() => clients.id),
    eventId: bigint("event_id", { mode: "number" }).notNull(),
    eventType: text("event_type").notNull(),
    leadId: uuid("lead_id"),
    toAddress: text("to_address").notNull(),
    status: text("status", { enum: ["pending", "sending", "sent", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    leaseUntil: ts("lease_until"),
    subject: text("subject"),
    textBody: text("text_body"),
    htmlBody: text("html_body"),
    captured: boolean("captured").notNull().default(false),
    transportMessageId: text("transport_message_id"),
    lastError: text("last_error"),
    sentAt: ts("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("email_messages_event_to_unique").on(t.eventId, t.toAddress),
    index("email_messages_client_created_idx").on(t.clientId, t.createdAt.desc()),
    index("email_messages_unfinished_idx")
      .on(sql`coalesce(${t.leaseUntil}, ${t.nextAttemptAt})`)
      .where(sql`${t.status} in ('pending', 'sending')`),
    check("email_messages_status_check", sql`${t.status} in ('pending', 'sending', 'sent', 'failed')`),
  ],
);

/**
 * Twilio Lookup answers per number, reused for 30 days (docs/decisions/021-intake-signals.md): a
 * line type is no client's data, so one lookup serves every client.
 */
export const phoneLookups = pgTable("phone_lookups", {
  phone: text("phone").primaryKey(),
  valid: boolean("valid").notNull(),
  lineType: text("line_type"),
  carrier: text("carrier"),
  lookedUpAt: ts("looked_up_at").notNull(),
});

/** Lookups paid for per client and UTC day; the daily budget is checked and taken in one upsert. */
export const phoneLookupUsage = pgTable(
  "phone_lookup_usage",
  {
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    day: date("day").notNull(),
    used: integer("used").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.day] })],
);

/**
 * Leads per key (client + IP, phone or device) and time bucket: a minute bucket for hourly windows,
 * an hour bucket for daily ones. A lead adds one to its buckets and reads at most 60 (or 24) rows,
 * whatever the volume; concurrent leads with one key queue on the bucket row, so counts are exact.
 */
export const velocityCounters = pgTable(
  "velocity_counters",
  {
    key: text("key").notNull(),
    bucket: ts("bucket").notNull(),
    leads: integer("leads").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.bucket] }), index("velocity_counters_bucket_idx").on(t.bucket)],
);

/**
 * Where a lead came from (docs/decisions/022-attribution.md): one row per lead, written in the
 * lead's own intake transaction. The flat columns are the last touch (what converted); the first
 * touch is kept with its time and values. Values are length-capped text; unknown utm_* and click
 * parameters are kept in `extra`.
 */
export const leadAttributions = pgTable(
  "lead_attributions",
  {
    leadId: uuid("lead_id")
      .primaryKey()
      .references(() => leads.id, { onDelete: "cascade" }),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    gclid: text("gclid"),
    gbraid: text("gbraid"),
    wbraid: text("wbraid"),
    fbclid: text("fbclid"),
    msclkid: text("msclkid"),
    ttclid: text("ttclid"),
    landingPage: text("landing_page"),
    referrer: text("referrer"),
    firstTouchAt: ts("first_touch_at"),
    firstTouch: jsonb("first_touch"),
    lastTouchAt: ts("last_touch_at"),
    lastTouch: jsonb("last_touch"),
    sessionId: text("session_id"),
    extra: jsonb("extra").$type<Record<string, string>>().notNull().default({}),
    /** Calls: 'session' (a pool number reserved by a visitor at ring time), 'expired' (campaign only), 'number' (a fixed number). */
    callMatch: text("call_match"),
    createdAt: createdAt(),
  },
  (t) => [
    index("lead_attributions_client_source_idx").on(t.clientId, t.utmSource),
    index("lead_attributions_client_campaign_idx").on(t.clientId, t.utmCampaign),
    index("lead_attributions_client_term_idx").on(t.clientId, t.utmTerm),
  ],
);

/** A campaign's pool of tracking numbers for dynamic number insertion (POST /api/dni/:poolKey). */
export const dniPools = pgTable(
  "dni_pools",
  {
    id: id(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    name: text("name").notNull(),
    /** Public, safe to embed in a landing page. */
    poolKey: text("pool_key").notNull().unique(),
    /** Shown when every pool number is reserved (and what the page shows without the snippet). */
    defaultNumber: text("default_number").notNull(),
    reservationSeconds: integer("reservation_seconds").notNull().default(1200),
    /** Requests answered with the default number because the pool was exhausted. */
    overflowCount: bigint("overflow_count", { mode: "number" }).notNull().default(0),
    lastOverflowAt: ts("last_overflow_at"),
    createdAt: createdAt(),
  },
  (t) => [index("dni_pools_client_idx").on(t.clientId)],
);

/** One tracking number in a pool and the visitor session holding it, if any. */
export const dniPoolNumbers = pgTable(
  "dni_pool_numbers",
  {
    id: id(),
    poolId: uuid("pool_id")
      .notNull()
      .references(() => dniPools.id),
    trackingNumberId: uuid("tracking_number_id")
      .notNull()
      .unique()
      .references(() => trackingNumbers.id),
    sessionId: text("session_id"),
    reservedUntil: ts("reserved_until"),
    lastUsedAt: ts("last_used_at"),
    /** The holding session's attribution (the values a call during the reservation is attributed to). */
    attribution: jsonb("attribution"),
  },
  (t) => [
    index("dni_pool_numbers_lru_idx").on(t.poolId, t.lastUsedAt),
    index("dni_pool_numbers_session_idx").on(t.poolId, t.sessionId),
  ],
);

/** Per client: the conversion names the ad platforms know and the snippet's cookie lifetime. */
export const attributionSettings = pgTable("attribution_settings", {
  clientId: uuid("client_id")
    .primaryKey()
    .references(() => clients.id),
  googleConversionName: text("google_conversion_name").notNull().default("Closed deal"),
  microsoftConversionName: text("microsoft_conversion_name").notNull().default("Closed deal"),
  cookieDays: integer("cookie_days").notNull().default(90),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** A won lead's conversion exported to an ad platform: once per platform; a re-export counts up and is flagged. */
export const conversionExports = pgTable(
  "conversion_exports",
  {
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: ["google", "microsoft", "csv"] }).notNull(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    firstExportedAt: ts("first_exported_at").notNull().defaultNow(),
    lastExportedAt: ts("last_exported_at").notNull().defaultNow(),
    exportCount: integer("export_count").notNull().default(1),
    lastActor: text("last_actor"),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.platform] }), index("conversion_exports_client_idx").on(t.clientId)],
);
