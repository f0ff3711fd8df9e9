/**
 * The port through which alert use cases send SMS. Pure interface: the Twilio adapter lives in
 * server/integrations/twilio/sms-sender.ts, tests may pass any object of this shape.
 */

export interface SmsMessage {
  /** Recipient in E.164. */
  to: string;
  body: string;
  /** Absolute URL that receives delivery status callbacks for this message. */
  statusCallback?: string;
}

export interface SentSms {
  /** Provider message id (Twilio MessageSid, "SM…"). */
  sid: string;
  /** Provider status at the time of the answer, e.g. "queued", "accepted", "sent" — or "failed" / "canceled". */
  status: string;
  /** The provider's error code when the answer already says the message failed. */
  errorCode?: number | null;
}

export interface SmsSender {
  /**
   * Hands one message to the provider. Resolves once the provider accepted it; rejects with
   * SmsSendError (never anything else) when it did not, or when the outcome is unknown.
   */
  send(msg: SmsMessage): Promise<SentSms>;
  /**
   * Every message to `to` with exactly `body` created at or after `sinceMs` (epoch milliseconds, a
   * point in time — not a duration), oldest first; [] when there is none. It must look at *all* of
   * them (paging as far back as `sinceMs`), because an empty answer is taken as proof that the
   * message was never created and may be sent; when it cannot look that far it rejects with a
   * transient, outcome-unknown SmsSendError instead. Used before retrying a send whose outcome is
   * unknown (`SmsSendError.outcomeUnknown`), because the provider has no idempotency key for sends.
   */
  findSent?(to: string, body: string, sinceMs: number): Promise<SentSms[]>;
}

export interface SmsSendErrorOptions {
  code?: number | null;
  httpStatus?: number | null;
  permanent: boolean;
  retryAfterMs?: number;
  outcomeUnknown?: boolean;
  /** The error came from looking messages up (findSent), not from sending. */
  lookup?: boolean;
  cause?: unknown;
}

/**
 * Why a send failed, in terms the alert policy can act on:
 * - `permanent`: the same request will fail again (opted out, invalid number, …) — stop retrying.
 * - otherwise transient: retry with backoff, after `retryAfterMs` when given.
 * - `outcomeUnknown`: the request may have reached the provider (timeout, dropped connection,
 *   5xx) — call `findSent` before sending again.
 */
export class SmsSendError extends Error {
  /** Provider error code (Twilio: 21610, 21211, 20429, …) or null when there was none. */
  readonly code: number | null;
  /** HTTP status of the provider's answer, or null when there was no answer. */
  readonly httpStatus: number | null;
  readonly permanent: boolean;
  readonly retryAfterMs?: number;
  readonly outcomeUnknown: boolean;
  /**
   * From findSent, not send: it says nothing about the message. Never permanent, and never a reason
   * to give up on the alert — the attempt is tried again (docs/decisions/013-twilio-as-it-behaves.md).
   */
  readonly lookup: boolean;

  constructor(message: string, opts: SmsSendErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "SmsSendError";
    this.code = opts.code ?? null;
    this.httpStatus = opts.httpStatus ?? null;
    this.permanent = opts.permanent;
    this.retryAfterMs = opts.retryAfterMs;
    this.outcomeUnknown = opts.outcomeUnknown ?? false;
    this.lookup = opts.lookup ?? false;
  }
}

export function isSmsSendError(e: unknown): e is SmsSendError {
  return e instanceof SmsSendError;
}
