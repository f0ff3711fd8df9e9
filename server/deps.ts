/**
 * The composition root: wires the database, clock, hashing and (later) Twilio into the use cases.
 * Entry points (tRPC, REST, Remix, jobs, CLI) receive `Deps` and call these bound use cases.
 */
import type { Logger } from "pino";
import { alertLeaseMs, type Config } from "./config";
import type { Database, DbOrTx } from "./db/client";
import { auditLog } from "./db/repositories/audit";
import { authRepository } from "./db/repositories/auth";
import { clientRepository } from "./db/repositories/clients";
import { userRepository } from "./db/repositories/users";
import { login } from "./domain/auth/login";
import type { PasswordHasher } from "./domain/auth/ports";
import type { Actor } from "./domain/auth/roles";
import { logout, purgeExpiredSessions, resolveSession } from "./domain/auth/session";
import { createClient, getClient, listClients, updateClient, type ClientDeps } from "./domain/clients/clients";
import type { CreateClientInput, UpdateClientInput } from "./domain/clients/inputs";
import { offsetClock, systemClock, type Clock } from "./domain/shared/clock";
import type { CreateUserInput } from "./domain/users/inputs";
import { createUser, listUsers } from "./domain/users/users";
import { argon2Hasher, tokenService } from "./security/crypto";
import { intakeStore } from "./db/repositories/intake";
import { intakeSources } from "./db/repositories/intake-sources";
import { submitLead, type SubmitLeadInput } from "./domain/leads/submit-lead";
import { randomUUID } from "node:crypto";
import { twilioRuntime } from "./integrations/twilio/runtime";
import { twilioVoiceNumbers } from "./integrations/twilio/voice-numbers";
import { leadReadRepository } from "./db/repositories/leads";
import { explainLead, getLead, listLeads, type ListLeadsInput } from "./domain/leads/read-leads";
import { disputeStore, evidenceFiles } from "./db/repositories/disputes";
import { disputeUseCases } from "./domain/disputes/use-cases";
import { apiKeyRepository } from "./db/repositories/api-keys";
import { campaignRepository } from "./db/repositories/campaigns";
import { contractRepository, findVersionById, findVersionInForce } from "./db/repositories/contracts";
import { formRepository } from "./db/repositories/forms";
import { API_KEY_PREFIXES, authenticateApiKey, createApiKey, listApiKeys, revokeApiKey, type ApiKeyDeps } from "./domain/api-keys/api-keys";
import type { CreateApiKeyInput, ListApiKeysInput } from "./domain/api-keys/inputs";
import { createCampaign, getCampaign, listCampaigns, updateCampaign, type CampaignDeps } from "./domain/campaigns/campaigns";
import type { CreateCampaignInput, ListCampaignsInput, UpdateCampaignInput } from "./domain/campaigns/inputs";
import type { PublishContractInput } from "./domain/contracts/inputs";
import type { ContractDeps } from "./domain/contracts/ports";
import { publishContract } from "./domain/contracts/publish-contract";
import { contractHistory, getContract } from "./domain/contracts/read-contracts";
import { createForm, disableForm, formEmbedSnippet, getForm, listForms, setFormTestKey, updateForm, type FormDeps } from "./domain/forms/forms";
import { postingSpecRepository } from "./db/repositories/posting-specs";
import { getPostingSpec, publicPostingSpec, sharePostingSpec, type PostingSpecDeps, type SpecRef } from "./domain/posting-specs/posting-specs";
import { purgeTestLeads } from "./domain/leads/purge-test-leads";
import { leadPurgeRepository } from "./db/repositories/leads";
import type { CreateFormInput, ListFormsInput, UpdateFormInput } from "./domain/forms/inputs";
import { randomSecret, sha256Hex } from "./security/crypto";
import { callReadRepository, callWebhooks, missedCallTextStore } from "./db/repositories/calls";
import { trackingNumberRepository } from "./db/repositories/tracking-numbers";
import { completeDial, screenCall, type CompleteDialOutcome, type MissedCallText, type ScreenCallOutcome } from "./domain/calls/complete-dial";
import { sendMissedCallText } from "./domain/calls/missed-call-text";
import type {
  CreateTrackingNumberInput,
  DialCompleteInput,
  IncomingCallInput,
  ListTrackingNumbersInput,
  RecordingInput,
  ReleaseTrackingNumberInput,
  ScreenCallInput,
  UpdateTrackingNumberInput,
} from "./domain/calls/inputs";
import type { CallDeps, TrackingNumberDeps, VoiceNumberConfigurator } from "./domain/calls/ports";
import { findRecording, whisperText } from "./domain/calls/read-calls";
import { receiveCall, type ReceiveCallOutcome } from "./domain/calls/receive-call";
import { storeRecording, type StoreRecordingOutcome } from "./domain/calls/store-recording";
import { createTrackingNumber, listTrackingNumbers, releaseTrackingNumber, updateTrackingNumber } from "./domain/calls/tracking-numbers";

import { billingReadRepository } from "./db/repositories/ledger";
import { invoicingStore } from "./db/repositories/invoices";
import { outcomeStore } from "./db/repositories/outcomes";
import { closablePeriod, closeDuePeriods, closePeriod, type ClosePeriodInput } from "./domain/billing/close-period";
import { issueInvoice, markInvoicePaid, voidInvoice, type VoidInvoiceInput } from "./domain/billing/invoice-actions";
import { getInvoice, invoiceCsv, ledgerBalance, listInvoices, listLedger, type ListInvoicesInput, type ListLedgerInput } from "./domain/billing/ledger-queries";
import { markOutcome, type MarkOutcomeInput, type OutcomeCaller } from "./domain/billing/mark-outcome";
import { markOutcomes, type MarkOutcomesInput } from "./domain/billing/mark-outcomes";
import { exportLeadsCsv, type ExportLeadsInput } from "./domain/leads/export-leads";

import { alertReadRepository, alertSendRepository, overdueAlertIds, smsWebhooks } from "./db/repositories/alerts";
import { recordEventFailure, unprocessedEventIds } from "./db/repositories/outbox";
import { recipientRepository } from "./db/repositories/alert-recipients";
import { dispatchStore } from "./db/repositories/outbox";
import { receiveInboundSms, receiveStatusCallback, type InboundSmsInput, type InboundSmsOutcome, type SmsWebhookDeps, type StatusCallbackInput, type StatusCallbackOutcome } from "./domain/alerts/callbacks";
import { dispatchLeadQualified } from "./domain/alerts/dispatch-lead-alerts";
import type { AlertSettingsInput, CreateRecipientInput, ListAlertsInput, ListRecipientsInput, SpeedToLeadInput, UpdateAlertSettingsInput, UpdateRecipientInput } from "./domain/alerts/inputs";
import type { RecipientDeps } from "./domain/alerts/ports";
import { listAlerts, pageAlerts, speedToLead } from "./domain/alerts/read-alerts";
import { createRecipient, getAlertSettings, listRecipients, removeRecipient, updateAlertSettings, updateRecipient } from "./domain/alerts/recipients";
import { sendAlert, type SendAlertDeps } from "./domain/alerts/send-alert";
import { reportsRepository } from "./db/repositories/reports";
import { listAuditEvents } from "./domain/reports/audit-log";
import { clientOverview, type ClientOverviewInput } from "./domain/reports/client-overview";
import { deliveryReport, leadsPerDay } from "./domain/reports/delivery";
import type { AuditListInput, DeliveryInput, LeadsPerDayInput, SummaryInput } from "./domain/reports/inputs";
import { summaryReport, summaryReportCsv } from "./domain/reports/summary";
import { emailStore } from "./db/repositories/emails";
import { dueDeliveries, overdueDeliveries, pendingDeliveriesOfEvent, webhookStore, withEventFactsCache } from "./db/repositories/webhooks";
import { createEmailRecipient, listEmailRecipients, listEmails, removeEmailRecipient, sendEmail, type EmailDeps } from "./domain/notifications/email-notifications";
import { deliverWebhook, type DeliverWebhookDeps } from "./domain/webhooks/deliver-webhook";
import {
  createEndpoint,
  disabledEndpoints,
  getDelivery,
  listDeliveries,
  listEndpoints,
  replayDelivery,
  replayFailed,
  rotateSecret,
  sendTestEvent,
  updateEndpoint,
  type EndpointDeps,
} from "./domain/webhooks/endpoints";
import type { CreateEmailRecipientInput, CreateEndpointInput, ListDeliveriesInput, ListEmailsInput, ListEndpointsInput, ReplayFailedInput, UpdateEndpointInput } from "./domain/webhooks/inputs";
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from "./domain/webhooks/retry";
import { createMailer } from "./integrations/email/mailer";
import { httpWebhookSender, type HttpSenderOptions } from "./integrations/webhooks/http-sender";

export interface DepsOptions {
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
  /** Webhook retry schedule, time limit and disable rule (tests shorten them). */
  deliveryPolicy?: DeliveryPolicy;
  /** Name resolution for webhook URLs (tests point a name at 127.0.0.1); default: the system's. */
  webhookLookup?: HttpSenderOptions["lookup"];
  /** Refuse private and loopback webhook addresses; default: NODE_ENV=production. */
  webhookBlockPrivateAddresses?: boolean;
}

export function createDeps(opts: DepsOptions) {
  const { config, database, logger } = opts;
  const db = database.db;
  const clock = opts.clock ?? offsetClock(systemClock, config.CLOCK_OFFSET_DAYS * 86_400_000);
  const hasher = opts.hasher ?? argon2Hasher;
  const tokens = tokenService;
  const authRepo = authRepository(db);
  const twilio = twilioRuntime(config, { apiBase: opts.twilioApiBase, fakeAuthToken: opts.fakeTwilioAuthToken });

  const clientDeps = (conn: DbOrTx) => ({ clients: clientRepository(conn), audit: auditLog(conn) });
  const clientsDeps: ClientDeps = {
    ...clientDeps(db),
    transaction: (fn) => db.transaction((tx) => fn(clientDeps(tx))),
  };
  const userDeps = () => ({ users: userRepository(db), clients: clientRepository(db), hasher, audit: auditLog(db) });

  // Set-up of a client's lead sources: contracts, campaigns, forms, API keys.
  const contractTx = (conn: DbOrTx) => ({ contracts: contractRepository(conn), clients: clientRepository(conn), audit: auditLog(conn) });
  const contractsDeps: ContractDeps = { ...contractTx(db), clock, transaction: (fn) => db.transaction((tx) => fn(contractTx(tx))) };
  const campaignTx = (conn: DbOrTx) => ({ campaigns: campaignRepository(conn), clients: clientRepository(conn), audit: auditLog(conn) });
  const campaignsDeps: CampaignDeps = { ...campaignTx(db), transaction: (fn) => db.transaction((tx) => fn(campaignTx(tx))) };
  const formTx = (conn: DbOrTx) => ({ forms: formRepository(conn), campaigns: campaignRepository(conn), clients: clientRepository(conn), audit: auditLog(conn) });
  const formsDeps: FormDeps = {
    ...formTx(db),
    newPublicKey: () => randomSecret("pk_", 18),
    newTestKey: () => randomSecret("pk_test_", 18),
    publicUrl: config.publicUrl,
    contractVersions: (clientId) => contractRepository(db).listVersions(clientId),
    clock,
    transaction: (fn) => db.transaction((tx) => fn(formTx(tx))),
  };
  const apiKeyTx = (conn: DbOrTx) => ({ apiKeys: apiKeyRepository(conn), clients: clientRepository(conn), audit: auditLog(conn) });
  const apiKeysDeps: ApiKeyDeps = {
    ...apiKeyTx(db),
    secrets: { newKey: (mode) => randomSecret(API_KEY_PREFIXES[mode], 24), hash: sha256Hex },
    clock,
    transaction: (fn) => db.transaction((tx) => fn(apiKeyTx(tx))),
  };

  const postingSpecDeps: PostingSpecDeps = {
    repo: postingSpecRepository(db),
    contractVersions: (clientId) => contractRepository(db).listVersions(clientId),
    clock,
    publicUrl: config.publicUrl,
    newToken: () => randomSecret("sp_", 24),
    audit: auditLog(db),
  };

  // Call tracking: tracking numbers pointed at /twilio/voice, calls stored, judged and billed like leads.
  const voiceNumbers: VoiceNumberConfigurator = {
    async pointVoiceWebhook(phoneNumber) {
      if (twilio.mode === "not-configured") return { twilioSid: null, warning: "Twilio is not configured (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN), so the number's voice URL was not set." };
      if (twilio.fake && !twilio.apiBase) return { twilioSid: null, warning: "No Twilio credentials are configured, so the number's voice URL was not set." };
      return twilioVoiceNumbers({ client: twilio.client, accountSid: twilio.accountSid, voiceUrl: `${config.publicUrl}/twilio/voice` }).pointVoiceWebhook(phoneNumber);
    },
  };
  const numberTx = (conn: DbOrTx) => ({ numbers: trackingNumberRepository(conn), audit: auditLog(conn) });
  const trackingNumbersDeps: TrackingNumberDeps = { ...numberTx(db), voice: voiceNumbers, transaction: (fn) => db.transaction((tx) => fn(numberTx(tx))) };
  const callDeps: CallDeps = { webhooks: callWebhooks(db), clock, newId: randomUUID };

  // SMS alerts to the client's sales team: recipients, dispatch from the outbox, sending, webhooks.
  const recipientTx = (conn: DbOrTx) => ({ recipients: recipientRepository(conn), audit: auditLog(conn) });
  const recipientDeps: RecipientDeps = { ...recipientTx(db), publicUrl: config.publicUrl, transaction: (fn) => db.transaction((tx) => fn(recipientTx(tx))) };
  const sendAlertDeps: SendAlertDeps = {
    alerts: alertSendRepository(db),
    sms: twilio.sms,
    clock,
    statusCallbackUrl: (alertId) => `${config.publicUrl}/twilio/sms/status?alertId=${alertId}`,
    leaseMs: alertLeaseMs(config),
  };
  const smsWebhookDeps: SmsWebhookDeps = { webhooks: smsWebhooks(db), clock, agencyName: config.AGENCY_NAME, supportPhone: config.AGENCY_SUPPORT_PHONE, helpReply: config.SMS_HELP_REPLY };

  // Delivering events into the client's own systems: signed webhooks and e-mail (decision 014).
  const deliveryPolicy = opts.deliveryPolicy ?? DEFAULT_DELIVERY_POLICY;
  const leadUrl = (leadId: string) => `${config.publicUrl}/portal/leads/${leadId}`;
  const webhookHttp = httpWebhookSender({ blockPrivateAddresses: opts.webhookBlockPrivateAddresses ?? config.NODE_ENV === "production", lookup: opts.webhookLookup });
  const deliverDeps: DeliverWebhookDeps = { store: withEventFactsCache(webhookStore(db)), http: webhookHttp, clock, leadUrl, policy: deliveryPolicy };
  const endpointDeps: EndpointDeps = {
    store: webhookStore(db),
    clock,
    production: config.NODE_ENV === "production",
    newMessageId: () => `msg_${randomUUID().replace(/-/g, "")}`,
    leadUrl,
  };
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const emailDeps: EmailDeps = { store: emailStore(db), mailer, clock, publicUrl: config.publicUrl, policy: deliveryPolicy };

  return {
    config,
    database,
    db,
    logger,
    clock,
    twilio,
    auth: {
      login: (input: { email: string; password: string; ip: string | null; userAgent: string | null }) =>
        login({ repo: authRepo, hasher, tokens, clock, sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000 }, input),
      resolveSession: (token: string | null | undefined) => resolveSession({ repo: authRepo, tokens, clock }, token),
      logout: (token: string | null | undefined) => logout({ repo: authRepo, tokens, clock }, token),
      revokeUserSessions: (userId: string) => authRepo.revokeUserSessions(userId, clock.now()),
      /** The hourly housekeeping job. */
      purgeExpired: () => purgeExpiredSessions({ repo: authRepo, clock }),
    },
    clients: {
      create: (actor: Actor, input: CreateClientInput) => createClient(clientsDeps, actor, input),
      list: (actor: Actor) => listClients(clientsDeps, actor),
      get: (actor: Actor, id: string) => getClient(clientsDeps, actor, id),
      update: (actor: Actor, input: UpdateClientInput) => updateClient(clientsDeps, actor, input),
    },
    intake: {
      submit: (input: SubmitLeadInput) => submitLead({ store: intakeStore(db), clock, newId: randomUUID }, input),
    },
    intakeSources: intakeSources(db),
    leads: {
      list: (actor: Actor, input: ListLeadsInput) => listLeads(leadReadRepository(db), actor, input),
      get: (actor: Actor, id: string) => getLead(leadReadRepository(db), actor, id),
      explain: (actor: Actor, id: string) => explainLead(leadReadRepository(db), actor, id),
      /** The inbox's filtered leads as CSV. */
      csv: (actor: Actor, input: ExportLeadsInput) => exportLeadsCsv(leadReadRepository(db), actor, input, clock.now()),
      /** The purge job: deletes test leads older than 7 days. */
      purgeTestLeads: () => purgeTestLeads({ repo: leadPurgeRepository(db), clock }),
    },
    /** Posting specs per form and API key, and their public links (/spec/:token). */
    postingSpecs: {
      get: (actor: Actor, ref: SpecRef) => getPostingSpec(postingSpecDeps, actor, ref),
      share: (actor: Actor, input: SpecRef & { share: boolean }) => sharePostingSpec(postingSpecDeps, actor, input),
      public: (token: string) => publicPostingSpec(postingSpecDeps, token),
    },
    disputes: disputeUseCases({ store: disputeStore(db), leads: leadReadRepository(db), files: evidenceFiles(config.DATA_DIR), clock }),
    users: {
      create: (actor: Actor, input: CreateUserInput) => createUser(userDeps(), actor, input),
      list: (actor: Actor, clientId?: string | null) => listUsers(userDeps(), actor, clientId),
    },
    contracts: {
      publish: (actor: Actor, input: PublishContractInput) => publishContract(contractsDeps, actor, input),
      get: (actor: Actor, clientId: string, at?: Date) => getContract(contractsDeps, actor, clientId, at),
      history: (actor: Actor, clientId: string) => contractHistory(contractsDeps, actor, clientId),
      /** For intake and replay: the version judging a lead received at `at` (no actor check). */
      findVersionInForce: (clientId: string, at: Date) => findVersionInForce(db, clientId, at),
      findVersionById: (id: string) => findVersionById(db, id),
    },
    campaigns: {
      create: (actor: Actor, input: CreateCampaignInput) => createCampaign(campaignsDeps, actor, input),
      list: (actor: Actor, input: ListCampaignsInput) => listCampaigns(campaignsDeps, actor, input),
      get: (actor: Actor, id: string) => getCampaign(campaignsDeps, actor, id),
      update: (actor: Actor, input: UpdateCampaignInput) => updateCampaign(campaignsDeps, actor, input),
    },
    forms: {
      create: (actor: Actor, input: CreateFormInput) => createForm(formsDeps, actor, input),
      list: (actor: Actor, input: ListFormsInput) => listForms(formsDeps, actor, input),
      get: (actor: Actor, id: string) => getForm(formsDeps, actor, id),
      update: (actor: Actor, input: UpdateFormInput) => updateForm(formsDeps, actor, input),
      disable: (actor: Actor, id: string) => disableForm(formsDeps, actor, id),
      embedSnippet: (actor: Actor, id: string) => formEmbedSnippet(formsDeps, actor, id),
      setTestKey: (actor: Actor, input: { id: string; enabled: boolean }) => setFormTestKey(formsDeps, actor, input),
    },
    apiKeys: {
      create: (actor: Actor, input: CreateApiKeyInput) => createApiKey(apiKeysDeps, actor, input),
      list: (actor: Actor, input: ListApiKeysInput) => listApiKeys(apiKeysDeps, actor, input),
      revoke: (actor: Actor, id: string) => revokeApiKey(apiKeysDeps, actor, id),
      /** For intake and conversions: the key's id, client and mode, or null; touches lastUsedAt at most once a minute. */
      authenticateApiKey: (plainKey: string) => authenticateApiKey(apiKeysDeps, plainKey),
    },
    trackingNumbers: {
      list: (actor: Actor, input: ListTrackingNumbersInput) => listTrackingNumbers(trackingNumbersDeps, actor, input),
      create: (actor: Actor, input: CreateTrackingNumberInput) => createTrackingNumber(trackingNumbersDeps, actor, input),
      update: (actor: Actor, input: UpdateTrackingNumberInput) => updateTrackingNumber(trackingNumbersDeps, actor, input),
      release: (actor: Actor, input: ReleaseTrackingNumberInput) => releaseTrackingNumber(trackingNumbersDeps, actor, input),
    },
    /** Twilio voice webhooks (each exactly once per SID; `render` makes the stored TwiML answer) and call reads. */
    calls: {
      receive: (input: IncomingCallInput, render: (o: ReceiveCallOutcome) => string) => receiveCall(callDeps, input, render),
      completeDial: (input: DialCompleteInput, render: (o: CompleteDialOutcome) => string) => completeDial(callDeps, input, render),
      storeRecording: (input: RecordingInput, render: (o: StoreRecordingOutcome) => string) => storeRecording(callDeps, input, render),
      screen: (input: ScreenCallInput, render: (o: ScreenCallOutcome) => string) => screenCall(callDeps, input, render),
      sendMissedCallText: (text: MissedCallText) => sendMissedCallText({ sms: twilio.sms, store: missedCallTextStore(db) }, text),
      whisperText: (query: { campaign?: unknown; number?: unknown }) => whisperText(callReadRepository(db), query),
      leadOfCall: (callSid: string) => callReadRepository(db).leadOfCall(callSid),
      findRecording: (actor: Actor, leadId: string) => findRecording(callReadRepository(db), actor, leadId),
    },
    /** Outcomes (won/lost), period close, invoice actions and the ledger read side. */
    billing: {
      markOutcome: (caller: OutcomeCaller, input: MarkOutcomeInput) => markOutcome({ store: outcomeStore(db), clock }, caller, input),
      /** The inbox's bulk won/lost: markOutcome per lead. */
      markOutcomes: (caller: OutcomeCaller, input: MarkOutcomesInput) => markOutcomes({ store: outcomeStore(db), clock }, caller, input),
      closePeriod: (actor: Actor, input: ClosePeriodInput) => closePeriod({ store: invoicingStore(db), clock }, actor, input),
      closeDuePeriods: (actor: Actor) => closeDuePeriods({ store: invoicingStore(db), clock }, actor),
      closablePeriod: (actor: Actor, clientId: string) => closablePeriod({ store: invoicingStore(db), clock }, actor, { clientId }),
      issueInvoice: (actor: Actor, id: string) => issueInvoice({ store: invoicingStore(db), clock }, actor, { id }),
      markInvoicePaid: (actor: Actor, id: string) => markInvoicePaid({ store: invoicingStore(db), clock }, actor, { id }),
      voidInvoice: (actor: Actor, input: VoidInvoiceInput) => voidInvoice({ store: invoicingStore(db), clock }, actor, input),
      listInvoices: (actor: Actor, input: ListInvoicesInput) => listInvoices(billingReadRepository(db), actor, input),
      getInvoice: (actor: Actor, id: string) => getInvoice(billingReadRepository(db), actor, id),
      invoiceCsv: (actor: Actor, id: string) => invoiceCsv(billingReadRepository(db), actor, id),
      listLedger: (actor: Actor, input: ListLedgerInput) => listLedger(billingReadRepository(db), actor, input),
      ledgerBalance: (actor: Actor, input: { clientId?: string }) => ledgerBalance(billingReadRepository(db), actor, input, clock.now()),
    },
    alertRecipients: {
      list: (actor: Actor, input: ListRecipientsInput) => listRecipients(recipientDeps, actor, input),
      create: (actor: Actor, input: CreateRecipientInput) => createRecipient(recipientDeps, actor, input),
      update: (actor: Actor, input: UpdateRecipientInput) => updateRecipient(recipientDeps, actor, input),
      remove: (actor: Actor, id: string) => removeRecipient(recipientDeps, actor, { id }),
      getSettings: (actor: Actor, input: AlertSettingsInput) => getAlertSettings(recipientDeps, actor, input),
      updateSettings: (actor: Actor, input: UpdateAlertSettingsInput) => updateAlertSettings(recipientDeps, actor, input),
    },
    /** Lead alerts: outbox dispatch, the send job's use case, Twilio SMS webhooks (inside their transaction) and reads. */
    alerts: {
      dispatch: (eventId: number) => dispatchLeadQualified({ store: dispatchStore(db), clock, publicUrl: config.publicUrl }, eventId),
      send: (alertId: string) => sendAlert(sendAlertDeps, alertId),
      sendDeps: sendAlertDeps,
      /** POST /twilio/sms/status and /twilio/sms/inbound, each exactly once per message (`render` makes the stored answer). */
      statusCallback: (input: StatusCallbackInput & { payload: unknown }, render: (o: StatusCallbackOutcome) => string) => receiveStatusCallback(smsWebhookDeps, input, render),
      inbound: (input: InboundSmsInput & { messageSid: string; payload: unknown }, render: (o: InboundSmsOutcome) => string) => receiveInboundSms(smsWebhookDeps, input, render),
      /** The outbox sweep: unfinished alerts due for longer than `graceMs` (a lost job, a crashed sender). */
      overdue: (graceMs: number, limit: number) => overdueAlertIds(db, clock.now(), graceMs, limit),
      list: (actor: Actor, input: ListAlertsInput) => listAlerts(alertReadRepository(db), actor, input),
      page: (actor: Actor, input: ListAlertsInput) => pageAlerts(alertReadRepository(db), actor, input),
      speedToLead: (actor: Actor, input: SpeedToLeadInput) => speedToLead(alertReadRepository(db), actor, input),
    },
    /** The outbox's own bookkeeping, for the listener and its sweep. */
    outbox: {
      unprocessed: (types: readonly string[], limit: number) => unprocessedEventIds(db, types, { limit }),
      recordFailure: (eventId: number, error: string) => recordEventFailure(db, eventId, error),
    },
    /** Agency reports (delivery dashboard, leads per day, date-range summary + CSV) and the audit log; read-only SQL aggregates. */
    reports: {
      delivery: (actor: Actor, input: DeliveryInput) => deliveryReport({ repo: reportsRepository(db), clock }, actor, input),
      leadsPerDay: (actor: Actor, input: LeadsPerDayInput) => leadsPerDay({ repo: reportsRepository(db), clock }, actor, input),
      summary: (actor: Actor, input: SummaryInput) => summaryReport({ repo: reportsRepository(db), clock }, actor, input),
      summaryCsv: (actor: Actor, input: SummaryInput) => summaryReportCsv({ repo: reportsRepository(db), clock }, actor, input),
      /** A client's home page (client users: their own; agency: the named client). */
      overview: (actor: Actor, input: ClientOverviewInput) =>
        clientOverview({ repo: reportsRepository(db), clock, balance: (clientId) => ledgerBalance(billingReadRepository(db), actor, { clientId }, clock.now()) }, actor, input),
    },
    audit: {
      list: (actor: Actor, input: AuditListInput) => listAuditEvents({ repo: reportsRepository(db), clock }, actor, input),
    },
    /** Webhook endpoints, their delivery log, replays and the delivery job's use case. */
    webhooks: {
      create: (actor: Actor, input: CreateEndpointInput) => createEndpoint(endpointDeps, actor, input),
      list: (actor: Actor, input: ListEndpointsInput) => listEndpoints(endpointDeps, actor, input),
      disabled: (actor: Actor, input: ListEndpointsInput) => disabledEndpoints(endpointDeps, actor, input),
      update: (actor: Actor, input: UpdateEndpointInput) => updateEndpoint(endpointDeps, actor, input),
      rotateSecret: (actor: Actor, id: string) => rotateSecret(endpointDeps, actor, { id }),
      deliveries: (actor: Actor, input: ListDeliveriesInput) => listDeliveries(endpointDeps, actor, input),
      delivery: (actor: Actor, id: string) => getDelivery(endpointDeps, actor, { id }),
      replay: (actor: Actor, id: string) => replayDelivery(endpointDeps, actor, { id }),
      replayFailed: (actor: Actor, input: ReplayFailedInput) => replayFailed(endpointDeps, actor, input),
      sendTest: (actor: Actor, id: string) => sendTestEvent(endpointDeps, actor, { id }),
      deliver: (deliveryId: string) => deliverWebhook(deliverDeps, deliveryId),
      /** The runner's inputs: an event's deliveries awaiting their first attempt, what is due now, what a sweep should re-queue. */
      firstAttemptsOf: (eventId: number) => pendingDeliveriesOfEvent(db, eventId),
      due: (limits: { perEndpoint: number; emails: number }) => dueDeliveries(db, clock.now(), limits),
      overdue: (graceMs: number, limit: number) => overdueDeliveries(db, clock.now(), graceMs, limit),
      policy: deliveryPolicy,
      close: () => webhookHttp.close(),
    },
    /** E-mail notifications: recipients per client, the sent/captured log, and the send job's use case. */
    emails: {
      addRecipient: (actor: Actor, input: CreateEmailRecipientInput) => createEmailRecipient(emailDeps, actor, input),
      recipients: (actor: Actor, input: { clientId?: string }) => listEmailRecipients(emailDeps, actor, input),
      removeRecipient: (actor: Actor, id: string) => removeEmailRecipient(emailDeps, actor, { id }),
      list: (actor: Actor, input: ListEmailsInput) => listEmails(emailDeps, actor, input),
      send: (id: string) => sendEmail(emailDeps, id),
      captures: mailer.captures,
    },
  };
}

export type Deps = ReturnType<typeof createDeps>;
