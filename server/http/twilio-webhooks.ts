import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Deps } from "../deps";
import { TWILIO_NOT_CONFIGURED } from "../integrations/twilio/runtime";
import { verifyTwilioJsonSignature, verifyTwilioSignature, type TwilioParams } from "../integrations/twilio/signature";
import { sendError } from "./errors";

/**
 * Every /twilio/* route goes through this first: the X-Twilio-Signature must match PUBLIC_URL + the
 * request path (with query) signed with the auth token, else 403 and nothing is stored. A JSON body is
 * checked with its `bodySHA256` query parameter against the raw bytes (validateRequestWithBody). In production
 * without Twilio credentials there is no token to check against: 503 TWILIO_NOT_CONFIGURED.
 */
export function requireTwilioSignature(deps: Deps): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (deps.twilio.mode === "not-configured") {
      req.log?.warn({ path: req.originalUrl }, "Twilio webhook refused: Twilio is not configured");
      return sendError(res, 503, "TWILIO_NOT_CONFIGURED", TWILIO_NOT_CONFIGURED);
    }
    const body = (req.body && typeof req.body === "object" ? req.body : {}) as TwilioParams;
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    const common = { authToken: deps.twilio.authToken, publicUrl: deps.config.publicUrl, path: req.originalUrl, signature: req.header("x-twilio-signature") };
    const ok = req.is("application/json") ? raw !== undefined && verifyTwilioJsonSignature({ ...common, rawBody: raw }) : verifyTwilioSignature({ ...common, params: body });
    if (!ok) {
      req.log?.warn({ path: req.originalUrl }, "rejected a Twilio webhook with a bad signature");
      return sendError(res, 403, "BAD_SIGNATURE", "The X-Twilio-Signature does not match this request.");
    }
    next();
  };
}

/** A webhook parameter as text: form values are strings; a JSON body may carry numbers and booleans too. */
export function param(req: Request, name: string): string | null {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return typeof v === "string" && v.length > 0 ? v : null;
}

export function sendTwiml(res: Response, xml: string): void {
  res.status(200).type("text/xml").send(xml);
}
