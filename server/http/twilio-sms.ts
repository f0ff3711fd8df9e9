import express, { type Request, type Response, type NextFunction, type Router } from "express";
import type { Deps } from "../deps";
import { messagingReplyTwiml } from "../integrations/twilio/twiml";
import { sendError } from "./errors";
import { param, requireTwilioSignature, sendTwiml } from "./twilio-webhooks";

/**
 * Twilio's SMS webhooks, mounted under /twilio (docs/architecture.md "Public surface"):
 * - POST /twilio/sms/status  — delivery status of an alert we sent (statusCallback of each send);
 * - POST /twilio/sms/inbound — an SMS to our number: STOP / START / HELP from a sales rep (or the
 *   messaging service's own words, with Twilio's OptOutType under Advanced Opt-Out).
 * Signature checked first (403, nothing stored), then processed exactly once per (MessageSid, type)
 * with the same answer for repeats. Thin: parse → one use case → TwiML.
 */
export function twilioSmsRouter(deps: Deps): Router {
  const router = express.Router();
  const verify = requireTwilioSignature(deps);

  router.post("/sms/status", verify, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const messageSid = param(req, "MessageSid") ?? param(req, "SmsSid");
      const messageStatus = param(req, "MessageStatus") ?? param(req, "SmsStatus");
      if (!messageSid || !messageStatus) return sendError(res, 400, "VALIDATION_FAILED", "MessageSid and MessageStatus are required.");
      const code = Number(param(req, "ErrorCode"));
      const errorCode = Number.isInteger(code) && code > 0 ? code : null;
      const alertId = typeof req.query.alertId === "string" ? req.query.alertId : null;
      const { response, outcome } = await deps.alerts.statusCallback({ messageSid, messageStatus, errorCode, alertId, payload: req.body }, () => messagingReplyTwiml(null));
      if (outcome) req.log?.info({ messageSid, messageStatus, outcome }, "sms status callback");
      sendTwiml(res, response);
    } catch (e) {
      next(e);
    }
  });

  router.post("/sms/inbound", verify, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const messageSid = param(req, "MessageSid") ?? param(req, "SmsSid");
      const from = param(req, "From");
      if (!messageSid || !from) return sendError(res, 400, "VALIDATION_FAILED", "MessageSid and From are required.");
      const body = param(req, "Body") ?? "";
      // Advanced Opt-Out: Twilio says which kind of keyword the service's own words matched.
      const optOutType = param(req, "OptOutType");
      const { response, outcome } = await deps.alerts.inbound({ messageSid, from, body, optOutType, payload: req.body }, (o) => messagingReplyTwiml(o.reply));
      if (outcome?.keyword) req.log?.info({ from, keyword: outcome.keyword, optOutType, recipientsChanged: outcome.recipientsChanged, alertsSkipped: outcome.alertsSkipped }, "inbound SMS keyword");
      sendTwiml(res, response);
    } catch (e) {
      next(e);
    }
  });

  return router;
}
