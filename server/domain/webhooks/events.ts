/**
 * What LeadLedger delivers into a client's own systems (docs/decisions/014-webhook-delivery.md).
 * The names are public: endpoints subscribe to them and receivers switch on them.
 */
export const WEBHOOK_EVENT_TYPES = ["lead.qualified", "lead.rejected", "lead.outcome", "dispute.opened", "dispute.resolved", "invoice.issued"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The body of "Send test event". */
export const TEST_EVENT_TYPE = "webhook.test";

/** Written by us when an endpoint is switched off; e-mails the client's and the agency's admins. */
export const ENDPOINT_DISABLED_EVENT = "webhook_endpoint.disabled";

/** What an e-mail recipient can ask for. */
export const EMAIL_EVENT_TYPES = ["lead.qualified", "dispute.resolved", "invoice.issued", ENDPOINT_DISABLED_EVENT] as const;
export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];

export const EMAIL_EVENT_LABELS: Record<EmailEventType, string> = {
  "lead.qualified": "New qualified lead",
  "dispute.resolved": "Dispute decided",
  "invoice.issued": "Invoice issued",
  [ENDPOINT_DISABLED_EVENT]: "Webhook endpoint disabled",
};

/** The version of the JSON shape (`type`, `id`, `createdAt`, `data`) receivers can rely on. */
export const PAYLOAD_VERSION = "2026-12-07";
