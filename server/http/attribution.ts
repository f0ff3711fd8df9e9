import express, { type Request, type Response, type Router } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { createHash } from "node:crypto";
import type { Deps } from "../deps";
import { DomainError } from "../domain/errors";
import { domainErrorResponse, sendError } from "./errors";

/**
 * The public attribution surface (docs/decisions/022-attribution.md), called from the client's
 * landing pages on other sites:
 * - `GET /t.js` — the tracking snippet: the same bytes for everyone, cacheable, loadable cross-origin.
 * - `POST /api/dni/:poolKey` — a number from the pool for a visitor session. CORS for any origin
 *   without credentials (no cookies are read or set); the snippet sends text/plain JSON so the
 *   browser needs no preflight; rate-limited per address and pool; bad input is a 4xx, never a 500.
 */

const CROSS_ORIGIN = {
  "Access-Control-Allow-Origin": "*",
  "Cross-Origin-Resource-Policy": "cross-origin",
};

function dniBody(req: Request): unknown {
  const b: unknown = req.body;
  if (typeof b === "string") {
    try {
      return JSON.parse(b) as unknown;
    } catch {
      throw new DomainError("VALIDATION_FAILED", "The body must be JSON: { \"session\": \"…\" }.", { issues: [{ path: [], message: "is not JSON" }] });
    }
  }
  return b;
}

export function attributionRouter(deps: Deps): Router {
  const router = express.Router();
  const script = deps.attribution.script();
  const etag = `"${createHash("sha256").update(script).digest("base64url").slice(0, 22)}"`;

  router.get("/t.js", (req, res) => {
    res.set({
      ...CROSS_ORIGIN,
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=3600, stale-while-revalidate=86400",
      ETag: etag,
    });
    res.removeHeader("Content-Security-Policy");
    if (req.headers["if-none-match"] === etag) {
      res.status(304).end();
      return;
    }
    res.send(script);
  });

  const limiter = rateLimit({
    windowMs: 60_000,
    limit: 120,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => `${String(req.params.poolKey ?? "").slice(0, 64)}|${ipKeyGenerator(req.ip ?? "")}`,
    handler: (_req, res) => {
      res.set(CROSS_ORIGIN);
      sendError(res, 429, "RATE_LIMITED", "Too many number requests from your address. Try again in a minute.");
    },
  });

  router.options("/api/dni/:poolKey", (_req, res) => {
    res.set({ ...CROSS_ORIGIN, "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "86400" });
    res.status(204).end();
  });

  router.post("/api/dni/:poolKey", limiter, express.text({ type: ["text/plain"], limit: "32kb" }), async (req: Request, res: Response) => {
    res.set({ ...CROSS_ORIGIN, "Cache-Control": "no-store" });
    try {
      if (!req.is(["text/plain", "application/json"])) {
        sendError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the request as text/plain or application/json.");
        return;
      }
      res.json(await deps.attribution.reserveNumber(req.params.poolKey!, dniBody(req)));
    } catch (e) {
      if (e instanceof DomainError) {
        const { status, body } = domainErrorResponse(e);
        res.status(status).json(body);
        return;
      }
      deps.logger.error({ err: e }, "number pool request failed");
      sendError(res, 503, "UNAVAILABLE", "No number could be given just now. Try again.");
    }
  });

  return router;
}
