import { randomUUID } from "node:crypto";
import { emailStore } from "../db/repositories/emails";
import { dueDeliveries, overdueDeliveries, pendingDeliveriesOfEvent, webhookStore, withEventFactsCache } from "../db/repositories/webhooks";
import type { Actor } from "../domain/auth/roles";
import { createEmailRecipient, listEmailRecipients, listEmails, removeEmailRecipient, sendEmail, type EmailDeps } from "../domain/notifications/email-notifications";
import { deliverWebhook, type DeliverWebhookDeps } from "../domain/webhooks/deliver-webhook";
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
} from "../domain/webhooks/endpoints";
import type { CreateEmailRecipientInput, CreateEndpointInput, ListDeliveriesInput, ListEmailsInput, ListEndpointsInput, ReplayFailedInput, UpdateEndpointInput } from "../domain/webhooks/inputs";
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from "../domain/webhooks/retry";
import { createMailer } from "../integrations/email/mailer";
import { httpWebhookSender, type HttpSenderOptions } from "../integrations/webhooks/http-sender";
import type { Wiring } from "./context";

export interface DeliveryOptions {
  /** Webhook retry schedule, time limit and disable rule (tests shorten them). */
  deliveryPolicy?: DeliveryPolicy;
  /** Name resolution for webhook URLs (tests point a name at 127.0.0.1); default: the system's. */
  webhookLookup?: HttpSenderOptions["lookup"];
  /** Refuse private and loopback webhook addresses; default: NODE_ENV=production. */
  webhookBlockPrivateAddresses?: boolean;
}

/** Delivering events into the client's own systems: signed webhooks and e-mail (decision 014). */
export function deliveryUseCases({ config, db, clock }: Wiring, opts: DeliveryOptions) {
  const policy = opts.deliveryPolicy ?? DEFAULT_DELIVERY_POLICY;
  const leadUrl = (leadId: string) => `${config.publicUrl}/portal/leads/${leadId}`;
  const http = httpWebhookSender({ blockPrivateAddresses: opts.webhookBlockPrivateAddresses ?? config.NODE_ENV === "production", lookup: opts.webhookLookup });
  const deliverDeps: DeliverWebhookDeps = { store: withEventFactsCache(webhookStore(db)), http, clock, leadUrl, policy };
  const endpointDeps: EndpointDeps = {
    store: webhookStore(db),
    clock,
    production: config.NODE_ENV === "production",
    newMessageId: () => `msg_${randomUUID().replace(/-/g, "")}`,
    leadUrl,
  };
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const emailDeps: EmailDeps = { store: emailStore(db), mailer, clock, publicUrl: config.publicUrl, policy };
  return {
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
      policy,
      close: () => http.close(),
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
