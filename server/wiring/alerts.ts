import { alertLeaseMs } from "../config";
import { recipientRepository } from "../db/repositories/alert-recipients";
import { alertReadRepository, alertSendRepository, overdueAlertIds, smsWebhooks } from "../db/repositories/alerts";
import { auditLog } from "../db/repositories/audit";
import { dispatchStore, recordEventFailure, unprocessedEventIds } from "../db/repositories/outbox";
import type { Actor } from "../domain/auth/roles";
import { receiveInboundSms, receiveStatusCallback, type InboundSmsInput, type InboundSmsOutcome, type SmsWebhookDeps, type StatusCallbackInput, type StatusCallbackOutcome } from "../domain/alerts/callbacks";
import { dispatchLeadQualified, type DispatchDeps } from "../domain/alerts/dispatch-lead-alerts";
import { listLeadRepLinks, openRepLink, revokeLeadRepLinks, revokeRepLink, type RepLinkDeps, type RepLinkTokens } from "../domain/alerts/rep-links";
import { repLinkStore } from "../db/repositories/rep-links";
import { eachAlone, groupCommit, type GroupCommit } from "../db/group-commit";
import { newRepLinkToken, sha256Hex } from "../security/crypto";
import type { AlertSettingsInput, CreateRecipientInput, ListAlertsInput, ListRecipientsInput, SpeedToLeadInput, UpdateAlertSettingsInput, UpdateRecipientInput } from "../domain/alerts/inputs";
import type { RecipientDeps } from "../domain/alerts/ports";
import { listAlerts, pageAlerts, speedToLead } from "../domain/alerts/read-alerts";
import { createRecipient, getAlertSettings, listRecipients, removeRecipient, updateAlertSettings, updateRecipient } from "../domain/alerts/recipients";
import { sendAlert, type SendAlertDeps } from "../domain/alerts/send-alert";
import { withTransaction, type Wiring } from "./context";

/** The send use case's ports: the alert rows, the SMS sender, where Twilio posts status callbacks, the send lease. */
export function sendAlertPorts({ config, db, clock, twilio }: Pick<Wiring, "config" | "db" | "clock" | "twilio">, commits: GroupCommit = eachAlone(db)): SendAlertDeps {
  return {
    alerts: alertSendRepository(db, commits),
    sms: twilio.sms,
    clock,
    statusCallbackUrl: (alertId) => `${config.publicUrl}/twilio/sms/status?alertId=${alertId}`,
    leaseMs: alertLeaseMs(config),
  };
}

/** SMS alerts to the client's sales team: recipients, dispatch from the outbox, sending, Twilio's SMS webhooks, reads. */
export function alertUseCases(w: Wiring) {
  const { config, db, clock } = w;
  const recipientDeps: RecipientDeps = { ...withTransaction(db, (conn) => ({ recipients: recipientRepository(conn), audit: auditLog(conn) })), publicUrl: config.publicUrl };
  // One group committer for the SMS path (decision 029): sent-marks and status callbacks.
  const smsCommits = config.SMS_GROUP_COMMIT ? groupCommit(db) : eachAlone(db);
  const sendDeps = sendAlertPorts(w, smsCommits);
  const repLinkTokens: RepLinkTokens = { newToken: newRepLinkToken, hashToken: sha256Hex };
  const dispatchDeps: DispatchDeps = { store: dispatchStore(db), clock, publicUrl: config.publicUrl, repLinks: repLinkTokens, repLinkTtlHours: config.REP_LINK_TTL_HOURS };
  const repLinkDeps: RepLinkDeps = { ...repLinkStore(db), tokens: repLinkTokens, clock };
  const smsWebhookDeps: SmsWebhookDeps = { webhooks: smsWebhooks(db, smsCommits), clock, agencyName: config.AGENCY_NAME, supportPhone: config.AGENCY_SUPPORT_PHONE, helpReply: config.SMS_HELP_REPLY };
  return {
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
      dispatch: (eventId: number) => dispatchLeadQualified(dispatchDeps, eventId),
      send: (alertId: string) => sendAlert(sendDeps, alertId),
      /** POST /twilio/sms/status and /twilio/sms/inbound, each exactly once per message (`render` makes the stored answer). */
      statusCallback: (input: StatusCallbackInput & { payload: unknown }, render: (o: StatusCallbackOutcome) => string) => receiveStatusCallback(smsWebhookDeps, input, render),
      inbound: (input: InboundSmsInput & { messageSid: string; payload: unknown }, render: (o: InboundSmsOutcome) => string) => receiveInboundSms(smsWebhookDeps, input, render),
      /** The outbox sweep: unfinished alerts due for longer than `graceMs` (a lost job, a crashed sender). */
      overdue: (graceMs: number, limit: number) => overdueAlertIds(db, clock.now(), graceMs, limit),
      list: (actor: Actor, input: ListAlertsInput) => listAlerts(alertReadRepository(db), actor, input),
      page: (actor: Actor, input: ListAlertsInput) => pageAlerts(alertReadRepository(db), actor, input),
      speedToLead: (actor: Actor, input: SpeedToLeadInput) => speedToLead(alertReadRepository(db), actor, input),
      /** Sales reps' links to one lead (decision 024): the public card, and the console's list and revocation. */
      openRepLink: (input: unknown) => openRepLink(repLinkDeps, input),
      repLinks: (actor: Actor, input: unknown) => listLeadRepLinks(repLinkDeps, actor, input),
      revokeRepLink: (actor: Actor, input: unknown) => revokeRepLink(repLinkDeps, actor, input),
      revokeLeadRepLinks: (actor: Actor, input: unknown) => revokeLeadRepLinks(repLinkDeps, actor, input),
    },
    /** The outbox's own bookkeeping, for the listener and its sweep. */
    outbox: {
      unprocessed: (types: readonly string[], limit: number) => unprocessedEventIds(db, types, { limit }),
      recordFailure: (eventId: number, error: string) => recordEventFailure(db, eventId, error),
    },
  };
}
