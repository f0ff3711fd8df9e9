import twilio from "twilio";

/**
 * The real Twilio SDK client. With `apiBase` every request the SDK makes to
 * `https://<anything>.twilio.com/...` goes to `apiBase` instead (a local fake Twilio in tests and
 * in the credential-less demo), through a small fetch-based HTTP client. Without it, the SDK's
 * own axios-based RequestClient is used unchanged.
 */
export interface CreateTwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** e.g. "http://127.0.0.1:4010"; may carry a path prefix ("http://host/twilio-fake"). */
  apiBase?: string;
  /** Per-request timeout in milliseconds (SDK default: 30 000). */
  timeoutMs?: number;
}

export type TwilioClient = twilio.Twilio;

export function createTwilioClient(opts: CreateTwilioClientOptions): TwilioClient {
  const clientOpts: twilio.ClientOpts = {};
  if (opts.timeoutMs !== undefined) clientOpts.timeout = opts.timeoutMs;
  if (opts.apiBase) {
    // The SDK only ever calls `httpClient.request(opts)` (BaseTwilio.request / validateSslCert),
    // but its type is the concrete RequestClient class (axios instance and all), hence the cast.
    clientOpts.httpClient = new RewritingHttpClient(opts.apiBase, opts.timeoutMs) as unknown as twilio.RequestClient;
  }
  return twilio(opts.accountSid, opts.authToken, clientOpts);
}

type RequestOptions = Parameters<twilio.RequestClient["request"]>[0];

/** What the SDK expects back from `httpClient.request` (its own client returns this plain shape). */
export interface TwilioHttpResponse {
  statusCode: number;
  /** Raw text; the SDK JSON-parses string bodies itself. */
  body: string;
  headers: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Replaces the origin of `https://*.twilio.com` URLs with `apiBase` (keeping path and query). */
export function rewriteTwilioUrl(uri: string, apiBase: string): string {
  const target = new URL(uri);
  if (!/(^|\.)twilio\.com$/i.test(target.hostname)) return uri;
  const base = new URL(apiBase);
  const prefix = base.pathname.replace(/\/+$/, "");
  return `${base.origin}${prefix}${target.pathname}${target.search}`;
}

function appendParams(sp: URLSearchParams, params: object): void {
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    // Same as the SDK's qs `arrayFormat: "repeat"`: To=a&To=b
    if (Array.isArray(value)) for (const v of value) sp.append(key, String(v));
    else sp.append(key, String(value));
  }
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

export class TwilioHttpTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(url: string, timeoutMs: number) {
    super(`Twilio request to ${url} timed out after ${timeoutMs} ms`);
    this.name = "TwilioHttpTimeoutError";
  }
}

class RewritingHttpClient {
  constructor(
    private readonly apiBase: string,
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    new URL(apiBase); // fail fast on a malformed base
  }

  async request(opts: RequestOptions): Promise<TwilioHttpResponse> {
    if (!opts.method) throw new Error("http method is required");
    if (!opts.uri) throw new Error("uri is required");

    const url = new URL(rewriteTwilioUrl(opts.uri, this.apiBase));
    if (opts.params) appendParams(url.searchParams, opts.params);

    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    delete headers.Connection;
    delete headers.connection;
    if (opts.username && opts.password) {
      headers.Authorization = "Basic " + Buffer.from(`${opts.username}:${opts.password}`).toString("base64");
    } else if (opts.authStrategy) {
      headers.Authorization = await opts.authStrategy.getAuthString();
    }

    let body: string | undefined;
    if (opts.data !== undefined && opts.data !== null) {
      const contentType = headerValue(opts.headers, "Content-Type") ?? "application/x-www-form-urlencoded";
      if (contentType.startsWith("application/json")) {
        body = JSON.stringify(opts.data);
      } else {
        const sp = new URLSearchParams();
        appendParams(sp, opts.data as object);
        body = sp.toString();
      }
    }

    const timeoutMs = opts.timeout ?? this.defaultTimeoutMs;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: opts.method.toUpperCase(),
        headers,
        body,
        redirect: opts.allowRedirects ? "follow" : "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
        throw new TwilioHttpTimeoutError(url.toString(), timeoutMs);
      }
      throw err;
    }
    const outHeaders: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      outHeaders[key] = value;
    });
    return { statusCode: res.status, body: text, headers: outHeaders };
  }
}
