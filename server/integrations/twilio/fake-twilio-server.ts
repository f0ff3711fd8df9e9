/**
 * A small local stand-in for Twilio's 2010-04-01 REST API, good enough for the real `twilio`
 * SDK (pointed at it with createTwilioClient({ apiBase })) to send and list SMS, configure
 * numbers and download recordings. Used by the tests and by `npm start` when no Twilio
 * credentials are configured (the demo turns on `autoDeliver`).
 *
 * Response bodies follow the shapes of Twilio's OpenAPI description (Message,
 * IncomingPhoneNumber, list pages, error JSON `{ code, message, more_info, status }`).
 *
 * As strict as Twilio where it matters to us: with a `validator` (the tests pass one built from
 * Twilio's OpenAPI description) every request and answer is checked, and a request Twilio would
 * refuse is answered 400 and kept in `violations`. The `PhoneNumber` filter of IncomingPhoneNumbers
 * matches partially, with `*` for any digit, like Twilio's. A message sent through a messaging
 * service starts `accepted` with no `from` until it is sent. Status callbacks can be scripted
 * (`playCallbacks`: repeated, out of order, `read`, `canceled`, `partially_delivered`, a late
 * `delivered` after `failed`).
 *
 * Recordings: `GET …/Recordings/RE….mp3` answers a few frames of MPEG audio silence as audio/mpeg
 * and `GET …/Recordings/RE….wav` a generated one-second 440 Hz tone (8 kHz, 8-bit, mono PCM) as
 * audio/wav, for any RE… SID; `mp3: false` makes mp3 answer 404 (callers' wav fallback).
 *
 * Lookup v2 (`GET /v2/PhoneNumbers/{number}?Fields=line_type_intelligence`, what the SDK's
 * `lookups.v2.phoneNumbers(n).fetch({ fields: "line_type_intelligence" })` sends) answers with
 * Twilio's shapes. Which line comes back is documented and deterministic (`fakeLineOf`): a number
 * ending in 0000 is not valid; toll-free area codes (800, 833, 844, 855, 866, 877, 888) are
 * `tollFree`; ending in 1111 `landline`, 2222 `fixedVoip`, 3333 `nonFixedVoip`; anything else
 * `mobile` with a carrier picked by its last digit. `setLookup` overrides one number,
 * `lookupLatencyMs` delays every answer (a slow Lookup), `lookups` lists the numbers looked up.
 *
 * There is no default auth token: callers pass one (server/main.ts passes the install's random
 * token from `${DATA_DIR}/fake-twilio-token`, tests their own).
 *
 * CLI: `tsx server/integrations/twilio/fake-twilio-server.ts --port 4010 [--account-sid AC…]
 * [--auth-token …] [--no-auto-deliver]` starts it and prints its URL. Without --auth-token it uses
 * TWILIO_AUTH_TOKEN, else the install's stored token (DATA_DIR, default .data), creating it if needed.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadOrCreateFakeTwilioToken, tokenFingerprint } from "./local-token";
import { signTwilioRequest } from "./signature";

export const DEFAULT_FAKE_ACCOUNT_SID = "AC00000000000000000000000000000000";
/** The sender shown on messages sent through a messaging service. */
export const DEFAULT_FAKE_FROM = "+15005550006";

/** Twilio's Message status values (message_enum_status in its OpenAPI description). */
export type FakeMessageStatus =
  | "accepted"
  | "scheduled"
  | "queued"
  | "sending"
  | "sent"
  | "delivered"
  | "undelivered"
  | "failed"
  | "read"
  | "partially_delivered"
  | "canceled"
  | "receiving"
  | "received";

/** Checks requests and answers against Twilio's API description; each returns the problems found. */
export interface FakeTwilioValidator {
  request(r: { method: string; path: string; query: URLSearchParams; form: Record<string, string | string[]> }): string[];
  response(r: { method: string; path: string; status: number; body: unknown }): string[];
}

export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  /** null while a messaging-service message has not been given a sender yet (Twilio's `accepted`). */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  status: FakeMessageStatus;
  errorCode: number | null;
  errorMessage: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

/** What the fake's Lookup says about one number: a line (type, carrier) or not a valid number. */
export type FakeLine = { valid: true; type: string; carrier: string | null } | { valid: false };

const TOLL_FREE_AREA_CODES = new Set(["800", "833", "844", "855", "866", "877", "888"]);
const MOBILE_CARRIERS = ["Verizon Wireless", "T-Mobile USA, Inc.", "AT&T Wireless"];

/** The fake Lookup's documented answer for a number (see the file comment). */
export function fakeLineOf(e164: string): FakeLine {
  const digits = e164.replace(/\D/g, "");
  const national = e164.startsWith("+1") ? digits.slice(1) : digits;
  if (national.endsWith("0000")) return { valid: false };
  if (e164.startsWith("+1") && TOLL_FREE_AREA_CODES.has(national.slice(0, 3))) return { valid: true, type: "tollFree", carrier: null };
  if (national.endsWith("1111")) return { valid: true, type: "landline", carrier: "Verizon New York Inc." };
  if (national.endsWith("2222")) return { valid: true, type: "fixedVoip", carrier: "Vonage America - SVR" };
  if (national.endsWith("3333")) return { valid: true, type: "nonFixedVoip", carrier: "Google (Grand Central) - SVR" };
  return { valid: true, type: "mobile", carrier: MOBILE_CARRIERS[Number(national.slice(-1)) % MOBILE_CARRIERS.length]! };
}

export interface FakeIncomingNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string | null;
  voiceMethod: string;
  smsUrl: string | null;
  smsMethod: string;
  statusCallback: string | null;
  /** A TwiML App that answers the number's calls instead of voice_url. */
  voiceApplicationSid: string | null;
  /** Updates are answered but change nothing (a number whose configuration another system owns). */
  frozen: boolean;
  dateCreated: Date;
  dateUpdated: Date;
}

/** A status callback the fake sent (or tried to send). */
export interface FakeCallback {
  url: string;
  params: Record<string, string>;
  signature: string;
  /** HTTP status the receiver answered, null when the POST failed. */
  responseStatus: number | null;
  error?: string;
}

export type FakeFailure =
  /** Answer Twilio's error JSON with this HTTP status; no message is created. */
  | { code: number; status: number; message?: string }
  /** Create the message as usual but hold the answer for delayMs (a slow Twilio / client timeout). */
  | { delayMs: number }
  /**
   * Hold the request for holdMs before creating anything; then create the message and answer only
   * if the caller is still connected (a caller that gave up or died leaves no message).
   */
  | { holdBeforeCreateMs: number }
  /** Create the message, then answer Twilio's error JSON with this HTTP status (a 5xx after the fact). */
  | { createThenStatus: number; code?: number }
  /** Create the message already final, as Twilio's answer sometimes is: `failed` with an error code, or `canceled`. */
  | { createAs: "failed" | "canceled"; code?: number };

/** One step of a scripted status-callback sequence. */
export type FakeCallbackStep = FakeMessageStatus | { status: FakeMessageStatus; errorCode?: number };

export interface StartFakeTwilioOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  accountSid: string;
  authToken: string;
  /** After ~autoDeliverDelayMs post 'sent' then 'delivered' to each message's statusCallback. */
  autoDeliver?: boolean;
  autoDeliverDelayMs?: number;
  /** Phone numbers (E.164) the account owns from the start. */
  numbers?: string[];
  /** Checks every request and answer (the tests pass one built from Twilio's OpenAPI description). */
  validator?: FakeTwilioValidator;
  /** Serve `.mp3` recording media (default true); false answers 404 so callers fall back to `.wav`. */
  mp3?: boolean;
}

export interface FakeTwilio {
  /** e.g. "http://127.0.0.1:4010" — pass as apiBase / TWILIO_API_BASE. */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Every accepted message, oldest first. */
  readonly messages: FakeMessage[];
  readonly numbers: FakeIncomingNumber[];
  readonly callbacks: FakeCallback[];
  /** Requests Twilio would refuse and answers Twilio would not give, found by the validator. */
  readonly violations: string[];
  autoDeliver: boolean;
  /**
   * How status callbacks reach their URL; default: an HTTP POST. Tests whose app has no port (supertest)
   * hand the signed request to the app here; the answer's HTTP status is returned.
   */
  callbackTransport: ((url: string, request: { headers: Record<string, string>; body: string }) => Promise<number>) | null;
  /** The next `times` sends to `to` (or to anyone with '*') fail or are delayed as described. */
  failNext(to: string, failure: FakeFailure, times?: number): void;
  /** How many message requests the failures armed with failNext are still waiting for. */
  failuresPending(): number;
  /** The next `times` reads of the message list (messages.list / page) answer this error. */
  failNextList(failure: { status: number; code: number; message?: string }, times?: number): void;
  /** Resolves with the messages once at least `n` were accepted; rejects after timeoutMs. */
  waitForMessages(n: number, timeoutMs?: number): Promise<FakeMessage[]>;
  /** Sets the message's status and POSTs a signed status callback to its statusCallback URL. */
  deliver(sid: string, status: FakeMessageStatus, errorCode?: number): Promise<FakeCallback | null>;
  /** Posts the steps' status callbacks one after another, in the order given (repeats and all). */
  playCallbacks(sid: string, steps: FakeCallbackStep[]): Promise<(FakeCallback | null)[]>;
  /** Numbers looked up through Lookup v2, oldest first. */
  readonly lookups: string[];
  /** Every Lookup answer waits this long first (a slow Lookup); default 0. */
  lookupLatencyMs: number;
  /** Overrides the documented answer for one number. */
  setLookup(e164: string, line: FakeLine): void;
  /** Adds an owned phone number (as if bought in the console). */
  addNumber(phoneNumber: string, opts?: AddNumberOptions): FakeIncomingNumber;
  /** Forgets messages, callbacks and pending failures; keeps numbers. */
  reset(): void;
  stop(): Promise<void>;
}

export interface AddNumberOptions {
  voiceUrl?: string;
  smsUrl?: string;
  friendlyName?: string;
  voiceApplicationSid?: string;
  frozen?: boolean;
}

const TWILIO_ERROR_MESSAGES: Record<number, string> = {
  20003: "Authenticate",
  20404: "The requested resource was not found",
  20429: "Too Many Requests",
  21211: "The 'To' number is not a valid phone number.",
  21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.",
  21602: "Message body is required.",
  21604: "A 'To' phone number is required.",
  21606: "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account.",
  21610: "Attempt to send to unsubscribed recipient",
  21612: "The 'To' phone number is not currently reachable via SMS.",
  21614: "'To' number is not a valid mobile number",
  21603: "A 'From' phone number is required.",
  30004: "Message blocked",
  30005: "Unknown destination handset",
  30006: "Landline or unreachable carrier",
  30007: "Message filtered",
};

const E164 = /^\+[1-9]\d{6,14}$/;

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString("hex");
}

/** Twilio's RFC 2822 form: "Thu, 24 Aug 2023 05:01:45 +0000". */
function rfc2822(d: Date | null): string | null {
  return d ? d.toUTCString().replace("GMT", "+0000") : null;
}

/** One second of a 440 Hz sine, 8 kHz, 8-bit unsigned mono PCM, in a RIFF/WAVE container. */
export function generateToneWav(seconds = 1, frequencyHz = 440, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const buf = Buffer.alloc(44 + samples);
  buf.write("RIFF", 0, "ascii");
  buf.writeUInt32LE(36 + samples, 4);
  buf.write("WAVE", 8, "ascii");
  buf.write("fmt ", 12, "ascii");
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate, 28); // byte rate = rate * channels * bytes per sample
  buf.writeUInt16LE(1, 32); // block align
  buf.writeUInt16LE(8, 34); // bits per sample
  buf.write("data", 36, "ascii");
  buf.writeUInt32LE(samples, 40);
  for (let i = 0; i < samples; i++) {
    buf.writeUInt8(128 + Math.round(100 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate)), 44 + i);
  }
  return buf;
}

function twilioError(status: number, code: number, message?: string): Record<string, unknown> {
  return {
    code,
    message: message ?? TWILIO_ERROR_MESSAGES[code] ?? `Error ${code}`,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  };
}

function readBody(req: http.IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function formToObject(sp: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of sp) out[k] = v; // last one wins
  return out;
}

function formToMulti(sp: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(sp.keys())) {
    const all = sp.getAll(k);
    out[k] = all.length > 1 ? all : all[0]!;
  }
  return out;
}

/**
 * Twilio's PhoneNumber filter: "partial numbers, with '*' as a wildcard for any digit". Compared on
 * digits, anywhere in the number.
 */
export function phoneNumberFilterMatches(filter: string, phoneNumber: string): boolean {
  const pattern = filter.replace(/[^0-9*]/g, "");
  if (!pattern) return true;
  const re = new RegExp(pattern.replace(/\*/g, "\\d"));
  return re.test(phoneNumber.replace(/\D/g, ""));
}

/** A few frames of MPEG-1 Layer III silence (128 kbit/s, 44.1 kHz, mono): enough for a player to accept. */
export function generateSilentMp3(frames = 38): Buffer {
  const frameLength = 417; // 144 * 128000 / 44100, no padding
  const buf = Buffer.alloc(frames * frameLength);
  for (let i = 0; i < frames; i++) buf.writeUInt32BE(0xfffb90c4, i * frameLength);
  return buf;
}

interface PendingFailure {
  to: string;
  failure: FakeFailure;
  remaining: number;
}

/** What a route handler of the fake gets: the request, its parsed form, and `reply` (checked against the validator). */
interface RouteContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  path: string;
  form: Record<string, string>;
  reply(status: number, body: unknown, headers?: Record<string, string>): void;
  match: RegExpExecArray;
}

// eslint-disable-next-line max-lines-per-function -- the fake's shared state plus its route table (one named handler per route)
export async function startFakeTwilio(opts: StartFakeTwilioOptions): Promise<FakeTwilio> {
  const { accountSid, authToken } = opts;
  const autoDeliverDelayMs = opts.autoDeliverDelayMs ?? 50;
  const messages: FakeMessage[] = [];
  const numbers: FakeIncomingNumber[] = [];
  const callbacks: FakeCallback[] = [];
  let failures: PendingFailure[] = [];
  let listFailures: { failure: { status: number; code: number; message?: string }; remaining: number }[] = [];
  const violations: string[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let stopped = false;
  let baseUrl = "";
  const lookups: string[] = [];
  const lookupOverrides = new Map<string, FakeLine>();
  let lookupLatencyMs = 0;

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const accountPath = `/2010-04-01/Accounts/${accountSid}`;

  function messageJson(m: FakeMessage): Record<string, unknown> {
    return {
      account_sid: m.accountSid,
      api_version: "2010-04-01",
      body: m.body,
      date_created: rfc2822(m.dateCreated),
      date_sent: rfc2822(m.dateSent),
      date_updated: rfc2822(m.dateUpdated),
      direction: "outbound-api",
      error_code: m.errorCode,
      error_message: m.errorMessage,
      from: m.from,
      messaging_service_sid: m.messagingServiceSid,
      num_media: "0",
      num_segments: String(Math.max(1, Math.ceil(m.body.length / 160))),
      price: null,
      price_unit: "USD",
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: `${accountPath}/Messages/${m.sid}/Media.json` },
      to: m.to,
      uri: `${accountPath}/Messages/${m.sid}.json`,
    };
  }

  function numberJson(n: FakeIncomingNumber): Record<string, unknown> {
    return {
      account_sid: accountSid,
      address_requirements: "none",
      address_sid: null,
      api_version: "2010-04-01",
      beta: false,
      capabilities: { voice: true, sms: true, mms: true, fax: false },
      date_created: rfc2822(n.dateCreated),
      date_updated: rfc2822(n.dateUpdated),
      emergency_status: "Inactive",
      emergency_address_sid: null,
      emergency_address_status: "unregistered",
      friendly_name: n.friendlyName,
      identity_sid: null,
      origin: "twilio",
      phone_number: n.phoneNumber,
      sid: n.sid,
      sms_application_sid: null,
      sms_fallback_method: "POST",
      sms_fallback_url: null,
      sms_method: n.smsMethod,
      sms_url: n.smsUrl,
      status_callback: n.statusCallback,
      status_callback_method: "POST",
      trunk_sid: null,
      uri: `${accountPath}/IncomingPhoneNumbers/${n.sid}.json`,
      voice_application_sid: n.voiceApplicationSid,
      voice_caller_id_lookup: false,
      voice_fallback_method: "POST",
      voice_fallback_url: null,
      voice_method: n.voiceMethod,
      voice_url: n.voiceUrl,
      voice_receive_mode: "voice",
      status: "in-use",
      bundle_sid: null,
      type: "local",
    };
  }

  /** A Twilio list page: `key` array plus the paging fields the SDK reads (next_page_uri …). */
  function page(listPath: string, key: string, items: Record<string, unknown>[], query: URLSearchParams): Record<string, unknown> {
    const pageSize = Math.min(1000, Math.max(1, Number(query.get("PageSize")) || 50));
    const pageNo = Math.max(0, Number(query.get("Page")) || 0);
    const start = pageNo * pageSize;
    const slice = items.slice(start, start + pageSize);
    const filters = new URLSearchParams(query);
    filters.delete("Page");
    filters.delete("PageSize");
    filters.delete("PageToken");
    const uriFor = (p: number) => {
      const q = new URLSearchParams(filters);
      q.set("PageSize", String(pageSize));
      q.set("Page", String(p));
      return `${listPath}?${q.toString()}`;
    };
    return {
      [key]: slice,
      end: start + Math.max(0, slice.length - 1),
      first_page_uri: uriFor(0),
      next_page_uri: start + pageSize < items.length ? uriFor(pageNo + 1) : null,
      page: pageNo,
      page_size: pageSize,
      previous_page_uri: pageNo > 0 ? uriFor(pageNo - 1) : null,
      start,
      uri: uriFor(pageNo),
    };
  }

  function takeFailure(to: string): FakeFailure | null {
    const entry = failures.find((f) => f.to === to) ?? failures.find((f) => f.to === "*");
    if (!entry) return null;
    entry.remaining -= 1;
    if (entry.remaining <= 0) failures = failures.filter((f) => f !== entry);
    return entry.failure;
  }

  async function postCallback(url: string, params: Record<string, string>): Promise<FakeCallback> {
    const signature = signTwilioRequest(authToken, url, params);
    const record: FakeCallback = { url, params, signature, responseStatus: null };
    callbacks.push(record);
    const headers = { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "X-Twilio-Signature": signature, "User-Agent": "TwilioProxy/1.1" };
    const body = new URLSearchParams(params).toString();
    try {
      if (fake.callbackTransport) {
        record.responseStatus = await fake.callbackTransport(url, { headers, body });
        return record;
      }
      const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer().catch(() => undefined);
      record.responseStatus = res.status;
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
    }
    return record;
  }

  async function deliver(messageSid: string, status: FakeMessageStatus, errorCode?: number): Promise<FakeCallback | null> {
    const m = messages.find((x) => x.sid === messageSid);
    if (!m) throw new Error(`fake Twilio: no message ${messageSid}`);
    const now = new Date();
    m.status = status;
    m.dateUpdated = now;
    // A messaging service picks the sender when it hands the message on.
    if (m.from === null && status !== "accepted" && status !== "scheduled" && status !== "canceled") m.from = DEFAULT_FAKE_FROM;
    if (status === "sent" && !m.dateSent) m.dateSent = now;
    if (errorCode !== undefined) {
      m.errorCode = errorCode;
      m.errorMessage = TWILIO_ERROR_MESSAGES[errorCode] ?? null;
    }
    if (!m.statusCallback || stopped) return null;
    const params: Record<string, string> = {
      AccountSid: m.accountSid,
      ApiVersion: "2010-04-01",
      From: m.from ?? DEFAULT_FAKE_FROM,
      MessageSid: m.sid,
      MessageStatus: status,
      SmsSid: m.sid,
      SmsStatus: status,
      To: m.to,
    };
    if (m.messagingServiceSid) params.MessagingServiceSid = m.messagingServiceSid;
    if (errorCode !== undefined) params.ErrorCode = String(errorCode);
    return postCallback(m.statusCallback, params);
  }

  function scheduleAutoDeliver(m: FakeMessage): void {
    later(autoDeliverDelayMs, () => {
      void deliver(m.sid, "sent")
        .then(() => new Promise<void>((resolve) => later(autoDeliverDelayMs, resolve)))
        .then(() => (stopped ? null : deliver(m.sid, "delivered")))
        .catch(() => undefined);
    });
  }

  function addNumber(phoneNumber: string, o: AddNumberOptions = {}): FakeIncomingNumber {
    const now = new Date();
    const n: FakeIncomingNumber = {
      sid: sid("PN"),
      phoneNumber,
      friendlyName: o.friendlyName ?? phoneNumber,
      voiceUrl: o.voiceUrl ?? null,
      voiceMethod: "POST",
      smsUrl: o.smsUrl ?? null,
      smsMethod: "POST",
      statusCallback: null,
      voiceApplicationSid: o.voiceApplicationSid ?? null,
      frozen: o.frozen ?? false,
      dateCreated: now,
      dateUpdated: now,
    };
    numbers.push(n);
    return n;
  }
  for (const n of opts.numbers ?? []) addNumber(n);

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function authorized(req: http.IncomingMessage): boolean {
    const header = req.headers.authorization ?? "";
    const m = /^Basic\s+(.+)$/i.exec(header);
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    return i > 0 && decoded.slice(0, i) === accountSid && decoded.slice(i + 1) === authToken;
  }

  /** POST Messages.json: create (or fail as told), answer now or later, deliver when auto-delivering. */
  async function createMessage(c: RouteContext): Promise<void> {
    const { req, res, form, reply } = c;
      const to = form.To;
      const body = form.Body;
      if (!to) return reply(400, twilioError(400, 21604));
      if (!form.From && !form.MessagingServiceSid) return reply(400, twilioError(400, 21603));
      if (body === undefined || body === "") return reply(400, twilioError(400, 21602));
      const failure = takeFailure(to);
      if (failure && "status" in failure) {
        return reply(failure.status, twilioError(failure.status, failure.code, failure.message));
      }
      if (!E164.test(to)) return reply(400, twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`));
      if (failure && "holdBeforeCreateMs" in failure) {
        await new Promise((r) => later(failure.holdBeforeCreateMs, () => r(null)));
        if (req.socket.destroyed || res.writableEnded || res.destroyed) return;
      }
      const now = new Date();
      const viaService = !form.From && Boolean(form.MessagingServiceSid);
      const final = failure && "createAs" in failure ? failure : null;
      const m: FakeMessage = {
        sid: sid("SM"),
        accountSid,
        to,
        // A messaging service answers `accepted` with no sender yet; a From number `queued`.
        from: form.From ?? null,
        messagingServiceSid: form.MessagingServiceSid ?? null,
        body,
        statusCallback: form.StatusCallback ?? null,
        status: final ? final.createAs : viaService ? "accepted" : "queued",
        errorCode: final?.code ?? null,
        errorMessage: final?.code ? (TWILIO_ERROR_MESSAGES[final.code] ?? null) : null,
        dateCreated: now,
        dateUpdated: now,
        dateSent: null,
      };
      messages.push(m);
      events.emit("message", m);
      if (fake.autoDeliver && !final) scheduleAutoDeliver(m);
      const answer = messageJson(m);
      if (failure && "delayMs" in failure) later(failure.delayMs, () => reply(201, answer));
      else if (failure && "createThenStatus" in failure) reply(failure.createThenStatus, twilioError(failure.createThenStatus, failure.code ?? 20500));
      else reply(201, answer);
      return;
  }

  /** GET Messages.json: newest first, filtered by To/From, paged like Twilio (or a failure as told). */
  async function listMessages(c: RouteContext): Promise<void> {
    const { url, reply } = c;
      const listFailure = listFailures[0];
      if (listFailure) {
        listFailure.remaining -= 1;
        if (listFailure.remaining <= 0) listFailures = listFailures.slice(1);
        return reply(listFailure.failure.status, twilioError(listFailure.failure.status, listFailure.failure.code, listFailure.failure.message));
      }
      const to = url.searchParams.get("To");
      const from = url.searchParams.get("From");
      const items = messages
        .map((m, i) => ({ m, i }))
        .filter(({ m }) => (!to || m.to === to) && (!from || m.from === from))
        // newest first, like Twilio
        .sort((a, b) => b.m.dateCreated.getTime() - a.m.dateCreated.getTime() || b.i - a.i)
        .map(({ m }) => messageJson(m));
      return reply(200, page(`${accountPath}/Messages.json`, "messages", items, url.searchParams));
  }

  /** GET Messages/{Sid}.json. */
  async function fetchMessage(c: RouteContext): Promise<void> {
    const { path, reply } = c;
      const m = messages.find((x) => x.sid === c.match[1]);
      if (!m) return reply(404, twilioError(404, 20404, `The requested resource ${path} was not found`));
      return reply(200, messageJson(m));
  }

  /** GET Recordings/{Sid}.mp3|.wav: a short silent mp3 or a tone wav. */
  async function fetchRecording(c: RouteContext): Promise<void> {
    const { res, path, reply } = c;
      if (c.match[2] === "mp3") {
        if (opts.mp3 === false) return reply(404, twilioError(404, 20404, `The requested resource ${path} was not found`));
        const mp3 = generateSilentMp3();
        res.writeHead(200, { "Content-Type": "audio/mpeg", "Content-Length": mp3.length });
        res.end(mp3);
        return;
      }
      const wav = generateToneWav();
      res.writeHead(200, { "Content-Type": "audio/wav", "Content-Length": wav.length });
      res.end(wav);
      return;
  }

  /** GET IncomingPhoneNumbers.json, filtered by PhoneNumber. */
  async function listNumbers(c: RouteContext): Promise<void> {
    const { url, reply } = c;
      const filter = url.searchParams.get("PhoneNumber");
      const items = numbers.filter((n) => !filter || phoneNumberFilterMatches(filter, n.phoneNumber)).map(numberJson);
      return reply(200, page(`${accountPath}/IncomingPhoneNumbers.json`, "incoming_phone_numbers", items, url.searchParams));
  }

  /** POST IncomingPhoneNumbers.json. */
  async function createNumber(c: RouteContext): Promise<void> {
    const { form, reply } = c;
      if (!form.PhoneNumber || !E164.test(form.PhoneNumber)) {
        return reply(400, twilioError(400, 21421, "PhoneNumber is invalid"));
      }
      const n = addNumber(form.PhoneNumber, { friendlyName: form.FriendlyName, voiceUrl: form.VoiceUrl, smsUrl: form.SmsUrl });
      return reply(201, numberJson(n));
  }

  /** GET IncomingPhoneNumbers/{Sid}.json. */
  async function fetchNumber(c: RouteContext): Promise<void> {
    const n = numbers.find((x) => x.sid === c.match[1]);
    if (!n) return c.reply(404, twilioError(404, 20404, `The requested resource ${c.path} was not found`));
    c.reply(200, numberJson(n));
  }

  /** POST IncomingPhoneNumbers/{Sid}.json: updates the URLs and name (a frozen number keeps them). */
  async function updateNumber(c: RouteContext): Promise<void> {
    const { form, reply } = c;
    const n = numbers.find((x) => x.sid === c.match[1]);
    if (!n) return reply(404, twilioError(404, 20404, `The requested resource ${c.path} was not found`));
    if (n.frozen) return reply(200, numberJson(n));
    if (form.VoiceUrl !== undefined) n.voiceUrl = form.VoiceUrl || null;
    if (form.VoiceMethod !== undefined) n.voiceMethod = form.VoiceMethod;
    if (form.SmsUrl !== undefined) n.smsUrl = form.SmsUrl || null;
    if (form.SmsMethod !== undefined) n.smsMethod = form.SmsMethod;
    if (form.StatusCallback !== undefined) n.statusCallback = form.StatusCallback || null;
    if (form.FriendlyName !== undefined) n.friendlyName = form.FriendlyName;
    n.dateUpdated = new Date();
    reply(200, numberJson(n));
  }

  /** Lookup v2: Twilio's PhoneNumber resource, with line_type_intelligence when asked for. */
  async function lookupNumber(res: http.ServerResponse, number: string, fields: string | null): Promise<void> {
    if (lookupLatencyMs > 0) await new Promise((r) => later(lookupLatencyMs, () => r(undefined)));
    if (stopped || res.destroyed) return;
    lookups.push(number);
    const e164 = E164.test(number) ? number : null;
    const line = e164 ? (lookupOverrides.get(e164) ?? fakeLineOf(e164)) : ({ valid: false } as const);
    const wantsLine = (fields ?? "").split(",").map((f) => f.trim()).includes("line_type_intelligence");
    const national = e164?.startsWith("+1") ? e164.slice(2) : null;
    send(res, 200, {
      calling_country_code: e164?.startsWith("+1") ? "1" : null,
      country_code: e164?.startsWith("+1") ? "US" : null,
      phone_number: e164 ?? number,
      national_format: national ? `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}` : null,
      valid: line.valid,
      validation_errors: line.valid ? [] : ["INVALID_BUT_POSSIBLE"],
      caller_name: null,
      sim_swap: null,
      call_forwarding: null,
      line_status: null,
      line_type_intelligence:
        wantsLine && line.valid ? { mobile_country_code: line.type === "mobile" ? "311" : null, mobile_network_code: line.type === "mobile" ? "480" : null, carrier_name: line.carrier, type: line.type, error_code: null } : null,
      identity_match: null,
      reassigned_number: null,
      sms_pumping_risk: null,
      phone_number_quality_score: null,
      pre_fill: null,
      url: `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(e164 ?? number)}`,
    });
  }

  /** The account's resources this fake serves, by method and path below /Accounts/{Sid}. */
  const routes: { method: string; path: RegExp; handler: (c: RouteContext) => Promise<void> }[] = [
    { method: "POST", path: /^\/Messages\.json$/, handler: createMessage },
    { method: "GET", path: /^\/Messages\.json$/, handler: listMessages },
    { method: "GET", path: /^\/Messages\/([^/]+)\.json$/, handler: fetchMessage },
    { method: "GET", path: /^\/Recordings\/(RE[0-9a-zA-Z]+)\.(mp3|wav)$/, handler: fetchRecording },
    { method: "GET", path: /^\/IncomingPhoneNumbers\.json$/, handler: listNumbers },
    { method: "POST", path: /^\/IncomingPhoneNumbers\.json$/, handler: createNumber },
    { method: "GET", path: /^\/IncomingPhoneNumbers\/([^/]+)\.json$/, handler: fetchNumber },
    { method: "POST", path: /^\/IncomingPhoneNumbers\/([^/]+)\.json$/, handler: updateNumber },
  ];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake.twilio.local");
    const path = url.pathname;
    const method = req.method ?? "GET";

    const lookupMatch = /^\/v2\/PhoneNumbers\/([^/]+)$/.exec(path);
    if (lookupMatch && method === "GET") {
      if (!authorized(req)) return send(res, 401, { ...twilioError(401, 20003), detail: "Your AccountSid or AuthToken was incorrect." });
      return lookupNumber(res, decodeURIComponent(lookupMatch[1]!), url.searchParams.get("Fields"));
    }
    const accountMatch = /^\/2010-04-01\/Accounts\/([^/]+?)(\/.*)?$/.exec(path);
    if (!accountMatch) {
      send(res, 404, twilioError(404, 20404, `The requested resource ${path} was not found`));
      return;
    }
    if (!authorized(req)) {
      send(res, 401, { ...twilioError(401, 20003), detail: "Your AccountSid or AuthToken was incorrect." }, {
        "WWW-Authenticate": 'Basic realm="Twilio API"',
      });
      return;
    }
    const pathSid = accountMatch[1]!.replace(/\.json$/, "");
    const rest = accountMatch[2] ?? "";
    if (pathSid !== accountSid) {
      send(res, 404, twilioError(404, 20404, `The requested resource ${path} was not found`));
      return;
    }
    const raw = method === "POST" ? new URLSearchParams(await readBody(req)) : new URLSearchParams();
    const form = formToObject(raw);
    /** Every answer from here on is checked against the validator's description too. */
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      if (opts.validator) violations.push(...opts.validator.response({ method, path, status, body }));
      send(res, status, body, headers);
    };
    if (opts.validator) {
      // Twilio answers a malformed 'To' of a message with its own 21211 (below), not as a bad request.
      const problems = opts.validator
        .request({ method, path, query: url.searchParams, form: formToMulti(raw) })
        .filter((p) => !(rest === "/Messages.json" && method === "POST" && /: form\/To /.test(p)));
      if (problems.length) {
        violations.push(...problems);
        return reply(400, twilioError(400, 20001, `Invalid request: ${problems.join("; ")}`));
      }
    }

    for (const route of routes) {
      const match = route.method === method ? route.path.exec(rest) : null;
      if (match) return route.handler({ req, res, url, path, form, reply, match });
    }
    reply(404, twilioError(404, 20404, `The requested resource ${path} was not found`));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, 500, twilioError(500, 20500, err instanceof Error ? err.message : "Internal Server Error"));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}`;

  const fake: FakeTwilio = {
    url: baseUrl,
    accountSid,
    authToken,
    messages,
    numbers,
    callbacks,
    autoDeliver: opts.autoDeliver ?? false,
    callbackTransport: null,
    failNext(to, failure, times = 1) {
      failures.push({ to, failure, remaining: times });
    },
    failuresPending: () => failures.reduce((n, f) => n + f.remaining, 0),
    waitForMessages(n, timeoutMs = 5000) {
      if (messages.length >= n) return Promise.resolve([...messages]);
      return new Promise((resolve, reject) => {
        const onMessage = () => {
          if (messages.length >= n) {
            clearTimeout(timer);
            events.off("message", onMessage);
            resolve([...messages]);
          }
        };
        const timer = setTimeout(() => {
          events.off("message", onMessage);
          reject(new Error(`fake Twilio: expected ${n} message(s) within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        events.on("message", onMessage);
      });
    },
    get violations() {
      return violations;
    },
    deliver,
    async playCallbacks(messageSid, steps) {
      const out: (FakeCallback | null)[] = [];
      for (const step of steps) {
        const { status, errorCode } = typeof step === "string" ? { status: step, errorCode: undefined } : step;
        out.push(await deliver(messageSid, status, errorCode));
      }
      return out;
    },
    failNextList(failure, times = 1) {
      listFailures.push({ failure, remaining: times });
    },
    lookups,
    get lookupLatencyMs() {
      return lookupLatencyMs;
    },
    set lookupLatencyMs(ms: number) {
      lookupLatencyMs = ms;
    },
    setLookup(e164, line) {
      lookupOverrides.set(e164, line);
    },
    addNumber,
    reset() {
      messages.length = 0;
      callbacks.length = 0;
      failures = [];
      listFailures = [];
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}

function parseCliArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) continue;
    const [key, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (inline !== undefined) out[key] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) out[key] = argv[++i]!;
    else out[key] = true;
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  const port = Number(args.port ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535 (got ${String(args.port)})`);
  const fake = await startFakeTwilio({
    port,
    host: typeof args.host === "string" ? args.host : "127.0.0.1",
    accountSid: typeof args["account-sid"] === "string" ? args["account-sid"] : (process.env.TWILIO_ACCOUNT_SID ?? DEFAULT_FAKE_ACCOUNT_SID),
    authToken:
      typeof args["auth-token"] === "string" ? args["auth-token"] : (process.env.TWILIO_AUTH_TOKEN || loadOrCreateFakeTwilioToken(process.env.DATA_DIR || ".data")),
    autoDeliver: args["no-auto-deliver"] !== true,
  });
  console.log(
    `Fake Twilio listening on ${fake.url} (account ${fake.accountSid}, auth token fingerprint ${tokenFingerprint(fake.authToken)}, auto-deliver ${fake.autoDeliver ? "on" : "off"})`,
  );
  const shutdown = () => {
    void fake.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
