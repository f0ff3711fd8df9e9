import { createHash } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { Deps } from "../deps";
import { DomainError } from "../domain/errors";
import { leadPayloadSchema } from "../domain/leads/inputs";
import { parseInput } from "../domain/shared/parse";
import { sendError } from "./errors";

/**
 * REST intake (docs/architecture.md flow 1): web forms post to /api/forms/:publicKey, vendors to /api/v1/leads.
 * Thin: authenticate the source → validate the body shape → call the intake use case → answer.
 */

function isJson(req: Request): boolean {
  return Boolean(req.is(["application/json", "application/*+json"]));
}
function isUrlencoded(req: Request): boolean {
  return Boolean(req.is("application/x-www-form-urlencoded"));
}

function originOf(req: Request): string | null {
  const o = req.headers.origin;
  return typeof o === "string" && o !== "null" ? o.toLowerCase().replace(/\/+$/, "") : null;
}

function bodyObject(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (!b || typeof b !== "object" || Array.isArray(b)) {
    throw new DomainError("VALIDATION_FAILED", "The body must be an object of lead fields.", { issues: [{ path: [], message: "must be an object" }] });
  }
  return parseInput(leadPayloadSchema, b) as Record<string, unknown>;
}

function stableHash(v: unknown): string {
  const canon = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(canon) : x && typeof x === "object" ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, canon((x as Record<string, unknown>)[k])])) : x;
  return createHash("sha256").update(JSON.stringify(canon(v))).digest("hex");
}

const thankYouPage = (url: string | null) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Thank you</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:560px;margin:60px auto;padding:0 16px"><h1>Thank you!</h1><p>We received your request and will be in touch shortly.</p>` +
  (url ? `<p><a href="${url.replace(/"/g, "&quot;")}">Continue</a></p>` : "") +
  `</body></html>`;

// eslint-disable-next-line max-lines-per-function -- one short handler per route
export function intakeRouter(deps: Deps): Router {
  const router = express.Router();
  const jsonError = (res: Response, status: number, code: string, message: string) => sendError(res, status, code, message);

  const formLimiter = rateLimit({
    windowMs: 60_000,
    limit: 60,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => `${req.params.publicKey ?? ""}|${ipKeyGenerator(req.ip ?? "")}`,
    handler: (_req, res) => jsonError(res, 429, "RATE_LIMITED", "Too many submissions from your address. Try again in a minute."),
  });
  const apiLimiter = rateLimit({
    windowMs: 60_000,
    limit: 1_200,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => (typeof req.headers.authorization === "string" ? createHash("sha256").update(req.headers.authorization).digest("hex") : ipKeyGenerator(req.ip ?? "")),
    handler: (_req, res) => jsonError(res, 429, "RATE_LIMITED", "Rate limit reached for this API key. Slow down and retry."),
  });

  // CORS for the form's allowed origins (preflight and actual requests).
  router.options("/forms/:publicKey", async (req, res, next) => {
    try {
      const form = await deps.intake.findForm(req.params.publicKey!);
      const origin = originOf(req);
      if (!form || !origin || !form.allowedOrigins.includes(origin)) {
        res.status(204).end();
        return;
      }
      res.set({
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "Content-Type, Idempotency-Key",
        "Access-Control-Max-Age": "600",
        Vary: "Origin",
      });
      res.status(204).end();
    } catch (e) {
      next(e);
    }
  });

  router.post("/forms/:publicKey", formLimiter, async (req, res, next) => {
    try {
      const form = await deps.intake.findForm(req.params.publicKey!);
      if (!form || form.status !== "active") return jsonError(res, 404, "FORM_NOT_FOUND", "No active form has this key.");
      const origin = originOf(req);
      // "Origin: null" (a sandboxed frame, a file:// page) is no origin on the list.
      if (req.headers.origin === "null" && form.allowedOrigins.length > 0) {
        return jsonError(res, 403, "ORIGIN_NOT_ALLOWED", "Posting from a page without an origin (Origin: null) is not allowed for this form.");
      }
      if (origin && form.allowedOrigins.length > 0 && !form.allowedOrigins.includes(origin)) {
        return jsonError(res, 403, "ORIGIN_NOT_ALLOWED", `Posting from ${origin} is not allowed for this form.`);
      }
      if (origin) res.set({ "Access-Control-Allow-Origin": origin, Vary: "Origin" });
      const json = isJson(req);
      if (!json && !isUrlencoded(req)) {
        return jsonError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the form as application/x-www-form-urlencoded or application/json.");
      }
      const payload = bodyObject(req);
      const client = form.client;
      if (!client) return jsonError(res, 404, "FORM_NOT_FOUND", "No active form has this key.");
      const ua = req.headers["user-agent"];
      const referer = req.headers.referer;
      const result = await deps.intake.submit({
        client,
        source: "form",
        campaignId: form.campaignId,
        formId: form.id,
        payload,
        fieldMapping: form.fieldMapping,
        honeypotField: form.honeypotField,
        consent: { text: form.consentText, ip: req.ip ?? null, userAgent: typeof ua === "string" ? ua : null, pageUrl: typeof referer === "string" ? referer : null },
        actor: `form:${form.id}`,
        isTest: form.isTest,
      });
      const wantsHtml = !json && req.accepts(["html", "json"]) === "html";
      if (wantsHtml) {
        if (form.thankYouUrl) return res.redirect(303, form.thankYouUrl);
        return res.status(200).type("html").send(thankYouPage(null));
      }
      res.status(result.status).json(result.answer);
    } catch (e) {
      next(e);
    }
  });

  router.post("/v1/leads", apiLimiter, async (req, res, next) => {
    try {
      const auth = await authenticate(deps, req);
      if (!auth) {
        res.set("WWW-Authenticate", 'Bearer realm="leadledger"');
        return jsonError(res, 401, "UNAUTHENTICATED", "Send a valid API key as `Authorization: Bearer <key>`.");
      }
      if (!isJson(req)) return jsonError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the lead as application/json.");
      const payload = bodyObject(req);
      const idemKey = req.headers["idempotency-key"];
      if (idemKey !== undefined && (typeof idemKey !== "string" || !/^[\x21-\x7e]{1,200}$/.test(idemKey))) {
        return jsonError(res, 400, "BAD_IDEMPOTENCY_KEY", "Idempotency-Key must be 1–200 visible ASCII characters.");
      }
      const client = auth.client;
      const result = await deps.intake.submit({
        client,
        source: "api",
        campaignId: null,
        apiKeyId: auth.apiKeyId,
        payload,
        idempotency: typeof idemKey === "string" ? { scope: `api:${auth.apiKeyId}`, key: idemKey, requestHash: stableHash(payload) } : null,
        actor: `api_key:${auth.apiKeyId}`,
        isTest: auth.isTest,
      });
      if (result.replayed) res.set("Idempotent-Replayed", "true");
      res.status(result.status).json(result.answer);
    } catch (e) {
      next(e);
    }
  });

  return router;
}

/** The API key of a request's `Authorization: Bearer` header, or null; intake and conversions both use it. */
export async function authenticate(deps: Deps, req: Request): ReturnType<Deps["apiKeys"]["authenticateApiKey"]> {
  const h = req.headers.authorization;
  const m = typeof h === "string" ? /^Bearer\s+(\S{10,200})$/i.exec(h.trim()) : null;
  if (!m) return null;
  return deps.apiKeys.authenticateApiKey(m[1]!);
}
