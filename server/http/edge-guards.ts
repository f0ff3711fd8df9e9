import { randomBytes, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Config } from "../config";
import { sendError } from "./errors";

/**
 * Guards at the public edge, in front of Remix and tRPC (docs/decisions/007-login-throttling.md and
 * the README's "Security" section): same-origin for state-changing requests, a body limit for pages,
 * a CSP nonce per response, and the metrics token.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origins a browser may post from: PUBLIC_URL's, plus loopback spellings when PUBLIC_URL is unset outside production. */
export function trustedOrigins(config: Pick<Config, "publicUrl" | "PUBLIC_URL" | "PORT" | "NODE_ENV">): Set<string> {
  const origins = new Set([new URL(config.publicUrl).origin]);
  if (!config.PUBLIC_URL && config.NODE_ENV !== "production") {
    for (const host of ["localhost", "127.0.0.1", "[::1]"]) origins.add(`http://${host}:${config.PORT}`);
  }
  return origins;
}

/**
 * Refuses a state-changing request that a browser sent from another origin (403 CROSS_SITE_REQUEST).
 * Browsers send `Origin` on every non-GET request (`null` from opaque origins, which is refused);
 * `Sec-Fetch-Site` covers those that do not. A request with neither is not from a browser page and
 * carries no ambient authority a site could borrow. Paths that authenticate otherwise (public intake
 * with its own origin allow-list, API keys, Twilio signatures) are exempt.
 */
export function sameOriginGuard(origins: Set<string>, exempt: (path: string) => boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method) || exempt(req.path)) return next();
    const origin = req.headers.origin;
    const site = req.headers["sec-fetch-site"];
    const fromBrowserElsewhere =
      typeof origin === "string" ? !origins.has(origin.toLowerCase()) : site === "cross-site" || site === "same-site";
    if (!fromBrowserElsewhere) return next();
    sendError(
      res,
      403,
      "CROSS_SITE_REQUEST",
      `This request came from another site (${typeof origin === "string" ? origin : `Sec-Fetch-Site: ${String(site)}`}) and was refused. Open LeadLedger at ${[...origins][0]} (PUBLIC_URL) and try again.`,
    );
  };
}

/**
 * A body limit for requests that reach Remix, which would otherwise read any body into memory.
 * `Content-Length` is checked before a byte is read, and a body without one is refused: Node's
 * parser never hands over more bytes than the declared length, so the limit holds for the stream.
 */
export function pageBodyLimit(maxBytes: number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const raw = req.headers["content-length"];
    if (raw === undefined) {
      if (req.headers["transfer-encoding"] === undefined) return next();
      res.set("Connection", "close");
      return sendError(res, 411, "LENGTH_REQUIRED", "Send the form with a Content-Length header.");
    }
    if (!/^\d{1,15}$/.test(raw) || Number(raw) > maxBytes) {
      res.set("Connection", "close");
      return sendError(res, 413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${Math.round(maxBytes / 1024)} KB.`);
    }
    next();
  };
}

/** A fresh nonce per response for the page's inline scripts (`res.locals.cspNonce`). */
export const cspNonce: RequestHandler = (_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * `/metrics` access: with METRICS_TOKEN set, a bearer token is required; without it the endpoint is
 * open in development and tests and off in production.
 */
export function metricsAccess(config: Pick<Config, "METRICS_TOKEN" | "NODE_ENV">): RequestHandler {
  return (req, res, next) => {
    if (config.METRICS_TOKEN) {
      const auth = req.headers.authorization ?? "";
      const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
      if (token && sameSecret(token, config.METRICS_TOKEN)) return next();
      res.set("WWW-Authenticate", 'Bearer realm="metrics"');
      return sendError(res, 401, "UNAUTHENTICATED", "Send the METRICS_TOKEN as a bearer token.");
    }
    if (config.NODE_ENV === "production") return sendError(res, 404, "METRICS_DISABLED", "Metrics are off: set METRICS_TOKEN to scrape /metrics with a bearer token.");
    next();
  };
}
