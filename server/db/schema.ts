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
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("clients_name_unique").on(sql`lower(${t.name})`)],
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
    createdAt: createdAt(),
  },
  (t) => [
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
    /**
     * The invoice that billed the entry. No declared foreign key: the set-based trigger of migration
     * 0009 checks it once per statement (a per-row check cost a large share of a period close), and
     * invoices are never deleted (docs/decisions/015-period-close-at-scale.md).
     */
    invoiceId: uuid("invoice_id"),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    actor: text("actor").notNull(),
    memo: text("memo"),
    createdAt: createdAt(),
  },
  (t) => [
    index("ledger_entries_client_created_idx").on(t.clientId, t.createdAt),
    index("ledger_entries_uninvoiced_idx").on(t.clientId).where(sql`${t.invoiceId} is null`),
    index("ledger_entries_lead_idx").on(t.leadId),
    index("ledger_entries_client_period_kind_idx").on(t.clientId, t.period, t.kind),
  ],
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
