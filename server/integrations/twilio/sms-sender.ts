import { SmsSendError, type SentSms, type SmsMessage, type SmsSender } from "../../domain/alerts/sms-sender";
import { smsErrorPermanence } from "../../domain/alerts/status";
import type { TwilioClient } from "./client";

/** Errors where the request provably never reached Twilio (no message can have been created). */
const NOT_DELIVERED_NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ECONNABORTED", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

function errorCodeOf(err: unknown): string | undefined {
  // fetch wraps the socket error: TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/**
 * Maps what messages.create threw (RestException, TwilioServiceException, network error, timeout)
 * to an SmsSendError: Twilio's error code decides through the one classification of SMS errors
 * (smsErrorPermanence), else the HTTP status (429, 408 and 5xx transient, other 4xx permanent).
 * Only a send is "rejected": a failed look-up goes through classifyTwilioLookupError.
 */
export function classifyTwilioError(err: unknown): SmsSendError {
  if (err instanceof SmsSendError) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown } | null;
  if (e && typeof e === "object" && typeof e.status === "number") {
    // A Twilio answer: RestException { status, code, message, moreInfo } or its RFC 9457 sibling.
    const httpStatus = e.status;
    const code = typeof e.code === "number" ? e.code : null;
    const text = typeof e.message === "string" && e.message ? e.message : `HTTP ${httpStatus}`;
    const kind = smsErrorPermanence(code);
    const permanent = kind !== null ? kind === "permanent" : !(httpStatus === 429 || httpStatus === 408 || httpStatus >= 500) && httpStatus >= 400;
    return new SmsSendError(`Twilio rejected the message: ${text}${code !== null ? ` (code ${code})` : ""}`, {
      code,
      httpStatus,
      permanent,
      // A 5xx may have been answered after the message was created.
      outcomeUnknown: httpStatus >= 500,
      cause: err,
    });
  }
  const sysCode = errorCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (sysCode && TIMEOUT_CODES.has(sysCode)) {
    return new SmsSendError(`Twilio request timed out: ${message}`, { permanent: false, outcomeUnknown: true, cause: err });
  }
  return new SmsSendError(`Twilio request failed: ${message}`, {
    permanent: false,
    outcomeUnknown: !(sysCode && NOT_DELIVERED_NETWORK_CODES.has(sysCode)),
    cause: err,
  });
}

/**
 * A failed messages.list (findSent): it says nothing about the message, whatever Twilio answered —
 * never permanent, never "rejected", and the outcome of the send it was checking stays unknown.
 */
export function classifyTwilioLookupError(err: unknown): SmsSendError {
  if (err instanceof SmsSendError && err.lookup) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown } | null;
  const httpStatus = e && typeof e === "object" && typeof e.status === "number" ? e.status : null;
  const code = e && typeof e === "object" && typeof e.code === "number" ? e.code : null;
  const text = err instanceof Error ? err.message : String(err);
  const detail = httpStatus !== null ? `Twilio answered HTTP ${httpStatus}${code !== null ? `, code ${code}` : ""}: ${text}` : text;
  return new SmsSendError(`could not look up earlier messages at Twilio (${detail})`, { code, httpStatus, permanent: false, outcomeUnknown: true, lookup: true, cause: err });
}

export interface TwilioSmsSenderOptions {
  client: TwilioClient;
  /** TWILIO_FROM_NUMBER (E.164). Used when no messaging service is configured. */
  from?: string;
  /** TWILIO_MESSAGING_SERVICE_SID ("MG…"); takes precedence over `from`. */
  messagingServiceSid?: string;
  /** Upper bound for one Twilio call made by this adapter, in ms (default 10 000). */
  timeoutMs?: number;
  /** Messages per page when findSent pages through the recipient's messages (default 200, Twilio allows 1000). */
  findSentPageSize?: number;
  /** Pages findSent reads at most before it gives up proving a message absent (default 50). */
  findSentMaxPages?: number;
}

/** The part of the SDK's MessagePage that findSent reads. */
interface MessagesPage {
  instances: { sid: string; status: string; body: string; dateCreated: Date }[];
  nextPageUrl?: string;
  nextPage(): Promise<MessagesPage> | undefined;
}

class AdapterTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(what: string, ms: number) {
    super(`${what} took longer than ${ms} ms`);
    this.name = "AdapterTimeoutError";
  }
}

export class TwilioSmsSender implements SmsSender {
  private readonly client: TwilioClient;
  private readonly from?: string;
  private readonly messagingServiceSid?: string;
  private readonly timeoutMs: number;
  private readonly findSentPageSize: number;
  private readonly findSentMaxPages: number;

  constructor(opts: TwilioSmsSenderOptions) {
    if (!opts.from && !opts.messagingServiceSid) {
      throw new Error("TwilioSmsSender needs `from` (TWILIO_FROM_NUMBER) or `messagingServiceSid` (TWILIO_MESSAGING_SERVICE_SID)");
    }
    this.client = opts.client;
    this.from = opts.from;
    this.messagingServiceSid = opts.messagingServiceSid;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.findSentPageSize = opts.findSentPageSize ?? 200;
    this.findSentMaxPages = opts.findSentMaxPages ?? 50;
  }

  async send(msg: SmsMessage): Promise<SentSms> {
    try {
      const created = await this.withTimeout(
        this.client.messages.create({
          to: msg.to,
          body: msg.body,
          ...(this.messagingServiceSid ? { messagingServiceSid: this.messagingServiceSid } : { from: this.from }),
          ...(msg.statusCallback ? { statusCallback: msg.statusCallback } : {}),
        }),
        "messages.create",
      );
      // Twilio may answer with a message that is already final: `failed` with an error code, or
      // `canceled`; a messaging service answers `accepted` (or `scheduled`) before it has a sender.
      return { sid: created.sid, status: created.status, errorCode: created.errorCode ?? null };
    } catch (err) {
      throw classifyTwilioError(err);
    }
  }

  /**
   * Pages through the messages to `to`, newest first (Twilio's order), until one was created before
   * `sinceMs`; returns the ones with exactly `body`, oldest first. No page cap is taken as an answer:
   * reading `findSentMaxPages` pages without reaching `sinceMs` rejects (outcome unknown), so the
   * caller waits rather than resends. Twilio's date_created has whole-second resolution (RFC 2822),
   * so the comparison is on seconds.
   */
  async findSent(to: string, body: string, sinceMs: number): Promise<SentSms[]> {
    const sinceSecondMs = Math.floor(sinceMs / 1000) * 1000;
    const found: { sid: string; status: string; created: number }[] = [];
    try {
      let page: MessagesPage = await this.withTimeout(this.client.messages.page({ to, pageSize: this.findSentPageSize }), "messages.list");
      for (let read = 1; ; read++) {
        let reachedSince = false;
        for (const m of page.instances) {
          const created = m.dateCreated instanceof Date ? m.dateCreated.getTime() : Number.NaN;
          if (created < sinceSecondMs) {
            reachedSince = true;
            continue;
          }
          if (m.body === body) found.push({ sid: m.sid, status: m.status, created });
        }
        if (reachedSince || !page.nextPageUrl) break;
        if (read >= this.findSentMaxPages) {
          throw new SmsSendError(`more than ${read * this.findSentPageSize} messages to ${to} since the alert was queued; cannot prove the alert was not sent`, {
            permanent: false,
            outcomeUnknown: true,
            lookup: true,
          });
        }
        const next = page.nextPage();
        if (!next) break;
        page = await this.withTimeout(next, "messages.list");
      }
    } catch (err) {
      throw classifyTwilioLookupError(err);
    }
    // Pages come newest first; reversed, a stable sort keeps same-second messages oldest first.
    return found
      .reverse()
      .sort((a, b) => a.created - b.created)
      .map(({ sid, status }) => ({ sid, status }));
  }

  private withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AdapterTimeoutError(what, this.timeoutMs)), this.timeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

export function createTwilioSmsSender(opts: TwilioSmsSenderOptions): SmsSender {
  return new TwilioSmsSender(opts);
}
