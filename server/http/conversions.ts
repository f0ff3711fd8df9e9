import { createHash } from "node:crypto";
import express, { type Router } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { Deps } from "../deps";
import { apiKeyActor } from "../domain/api-keys/api-keys";
import { outcomeCaller } from "../domain/billing/mark-outcome";
import { conversionInput } from "../domain/leads/inputs";
import { parseInput } from "../domain/shared/parse";
import { sendError } from "./errors";
import { authenticate } from "./intake";

/**
 * `POST /api/v1/leads/:leadId/conversion` `{ "outcome": "won"|"lost", "valueCents"?: int }` — the
 * client's CRM reports a sale (docs/architecture.md flow 3) with a client API key. Thin: authenticate →
 * validate → `billing.markOutcome` scoped to the key's client → 200 with what changed.
 * 401 bad key, 415 not JSON, 422 bad body or a lead that is not qualified, 404 unknown or foreign lead.
 */
export function conversionsRouter(deps: Deps): Router {
  const router = express.Router();
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: 600,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => (typeof req.headers.authorization === "string" ? createHash("sha256").update(req.headers.authorization).digest("hex") : ipKeyGenerator(req.ip ?? "")),
    handler: (_req, res) => sendError(res, 429, "RATE_LIMITED", "Rate limit reached for this API key. Slow down and retry."),
  });

  router.post("/v1/leads/:leadId/conversion", limiter, async (req, res, next) => {
    try {
      const auth = await authenticate(deps, req);
      if (!auth) {
        res.set("WWW-Authenticate", 'Bearer realm="leadledger"');
        return sendError(res, 401, "UNAUTHENTICATED", "Send a valid API key as `Authorization: Bearer <key>`.");
      }
      if (auth.isTest) return sendError(res, 403, "TEST_KEY_NOT_ALLOWED", "A test API key sends test leads only; report conversions with a live key.");
      if (!req.is(["application/json", "application/*+json"])) return sendError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Send the conversion as application/json.");
      const body = parseInput(conversionInput, req.body);
      const result = await deps.billing.markOutcome(outcomeCaller(apiKeyActor(auth)), { leadId: req.params.leadId!, outcome: body.outcome, valueCents: body.valueCents });
      res.status(200).json(result);
    } catch (e) {
      next(e);
    }
  });
  return router;
}
