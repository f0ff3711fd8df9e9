import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import type { Clock } from "../shared/clock";
import { parseInput } from "../shared/parse";
import { createEmailRecipientInput, idInput, listEmailsInput, type CreateEmailRecipientInput, type ListEmailsInput } from "../webhooks/inputs";
import { DEFAULT_DELIVERY_POLICY, retryDelayAfter, type DeliveryPolicy } from "../webhooks/retry";
import type { EmailStore, Mailer } from "./ports";
import { renderEmail } from "./render-email";
import { canReach, clientScope, requireClientAdminOrAgency } from "../auth/scope";

/**
 * E-mail notifications per client: who gets which events (new qualified lead, dispute decided,
 * invoice issued, webhook endpoint disabled), and sending one message at least once with the same
 * retries as webhooks. Agency staff manage any client's; client admins their own; members read.
 */
export interface EmailDeps {
  store: EmailStore;
  mailer: Mailer;
  clock: Clock;
  publicUrl: string;
  policy?: DeliveryPolicy;
  random?: () => number;
}

function scopedClient(actor: Actor, requested: string | undefined): string | null {
  return clientScope(actor, requested) ?? null;
}

export async function createEmailRecipient(deps: EmailDeps, actor: Actor, raw: CreateEmailRecipientInput) {
  requireClientAdminOrAgency(actor, "Only a client admin or agency staff can change e-mail notifications.");
  const input = parseInput(createEmailRecipientInput, raw);
  const clientId = scopedClient(actor, input.clientId);
  if (!clientId) throw new DomainError("VALIDATION_FAILED", "clientId is required.", { issues: [{ path: ["clientId"], message: "is required" }] });
  return deps.store.createRecipient({ clientId, email: input.email.toLowerCase(), events: [...new Set(input.events)] });
}

export async function listEmailRecipients(deps: EmailDeps, actor: Actor, raw: { clientId?: string }) {
  return deps.store.listRecipients(scopedClient(actor, raw?.clientId));
}

export async function removeEmailRecipient(deps: EmailDeps, actor: Actor, raw: { id: string }) {
  requireClientAdminOrAgency(actor, "Only a client admin or agency staff can change e-mail notifications.");
  const { id } = parseInput(idInput, raw);
  const r = await deps.store.findRecipient(id);
  if (!r || !canReach(actor, r.clientId)) throw new DomainError("NOT_FOUND", "E-mail recipient not found.");
  await deps.store.removeRecipient(id);
  return { removed: true };
}

/** Sent and captured e-mails, newest first (the console's outbox; with no SMTP_URL, the local capture). */
export async function listEmails(deps: EmailDeps, actor: Actor, raw: ListEmailsInput) {
  requireClientAdminOrAgency(actor, "Only a client admin or agency staff can read sent e-mails.");
  const input = parseInput(listEmailsInput, raw);
  return deps.store.listMessages(scopedClient(actor, input.clientId), input.limit);
}

export type SendEmailOutcome =
  | { kind: "sent"; attempt: number; captured: boolean }
  | { kind: "retry"; attempt: number; retryAt: Date; error: string }
  | { kind: "failed"; attempt: number; error: string }
  | { kind: "nothing"; reason: "done" | "busy" | "not_due" | "missing" };

/** One attempt at one e-mail: claim (like a webhook delivery), render once, send, record. */
export async function sendEmail(deps: EmailDeps, id: string): Promise<SendEmailOutcome> {
  const policy = deps.policy ?? DEFAULT_DELIVERY_POLICY;
  const now = deps.clock.now();
  const claim = await deps.store.claim(id, now, new Date(now.getTime() + policy.leaseMs));
  if (!claim.claimed) {
    const m = claim.message;
    return { kind: "nothing", reason: !m ? "missing" : m.status === "pending" ? "not_due" : m.status === "sending" ? "busy" : "done" };
  }
  const m = claim.message;
  let rendered = m.subject !== null && m.textBody !== null && m.htmlBody !== null ? { subject: m.subject, text: m.textBody, html: m.htmlBody } : null;
  if (!rendered) {
    const facts = await deps.store.eventFacts(m.eventId);
    if (!facts) {
      await deps.store.markFailed(m.id, { at: deps.clock.now(), error: "the event is gone" });
      return { kind: "failed", attempt: m.attempts, error: "the event is gone" };
    }
    rendered = await deps.store.freeze(m.id, renderEmail(facts, { lead: (leadId) => `${deps.publicUrl}/portal/leads/${leadId}`, console: deps.publicUrl }));
  }
  try {
    const r = await deps.mailer.send({ to: m.toAddress, ...rendered });
    await deps.store.markSent(m.id, { at: deps.clock.now(), messageId: r.messageId, captured: deps.mailer.captures });
    return { kind: "sent", attempt: m.attempts, captured: deps.mailer.captures };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    const at = deps.clock.now();
    const permanent = typeof (e as { responseCode?: unknown }).responseCode === "number" && (e as { responseCode: number }).responseCode >= 500 && (e as { responseCode: number }).responseCode < 600 && /recipient|mailbox|user unknown/i.test(error);
    const delay = permanent ? null : retryDelayAfter(policy, m.attempts, deps.random ?? Math.random);
    if (delay === null) {
      await deps.store.markFailed(m.id, { at, error: permanent ? error : `gave up after ${m.attempts} attempts: ${error}` });
      return { kind: "failed", attempt: m.attempts, error };
    }
    const retryAt = new Date(at.getTime() + delay);
    await deps.store.markRetry(m.id, { at, nextAttemptAt: retryAt, error });
    return { kind: "retry", attempt: m.attempts, retryAt, error };
  }
}
