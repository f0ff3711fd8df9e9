import type { EventFacts } from "../webhooks/ports";

export interface EmailRecipientRecord {
  id: string;
  clientId: string;
  email: string;
  events: string[];
  enabled: boolean;
  createdAt: Date;
}

export interface EmailMessageRecord {
  id: string;
  clientId: string | null;
  eventId: number;
  eventType: string;
  leadId: string | null;
  toAddress: string;
  status: "pending" | "sending" | "sent" | "failed";
  attempts: number;
  nextAttemptAt: Date;
  subject: string | null;
  textBody: string | null;
  htmlBody: string | null;
  captured: boolean;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one e-mail (SMTP), or keeps it in the table when no SMTP server is configured (`captured`). */
export interface Mailer {
  readonly captures: boolean;
  send(m: OutgoingEmail): Promise<{ messageId: string | null }>;
}

export interface EmailStore {
  createRecipient(r: { clientId: string; email: string; events: string[] }): Promise<EmailRecipientRecord>;
  listRecipients(clientId: string | null): Promise<EmailRecipientRecord[]>;
  findRecipient(id: string): Promise<EmailRecipientRecord | null>;
  removeRecipient(id: string): Promise<void>;
  listMessages(clientId: string | null, limit: number): Promise<EmailMessageRecord[]>;

  claim(id: string, now: Date, leaseUntil: Date): Promise<{ claimed: true; message: EmailMessageRecord } | { claimed: false; message: EmailMessageRecord | null }>;
  eventFacts(eventId: number): Promise<(EventFacts & { payload: Record<string, unknown>; clientName: string | null }) | null>;
  /** Stores the rendered message unless one is stored already; returns the stored one. */
  freeze(id: string, m: { subject: string; text: string; html: string }): Promise<{ subject: string; text: string; html: string }>;
  markSent(id: string, r: { at: Date; messageId: string | null; captured: boolean }): Promise<void>;
  markRetry(id: string, r: { at: Date; nextAttemptAt: Date; error: string }): Promise<void>;
  markFailed(id: string, r: { at: Date; error: string }): Promise<void>;
}
