import express, { type Request, type Response, type Router } from "express";
import type { Deps } from "../deps";
import { emptyTwiml, forwardCallTwiml, unknownNumberTwiml, whisperTwiml } from "../integrations/twilio/twiml";
import { param, requireTwilioSignature, sendTwiml } from "./twilio-webhooks";

/**
 * Twilio voice webhooks (docs/architecture.md flow 2), mounted at /twilio after the body parsers. Every route
 * checks X-Twilio-Signature first (403, nothing stored), then runs one use case exactly once per SID
 * and answers the TwiML stored with the first delivery.
 *
 * Responses carry `X-Lead-Id` / `X-Lead-Status` (the call's lead as it stands after this request) so
 * the simulator and operators can follow a call; Twilio ignores them.
 */
export function twilioVoiceRouter(deps: Deps): Router {
  const router = express.Router();
  const signed = requireTwilioSignature(deps);
  const base = deps.config.publicUrl;
  const urls = {
    dialComplete: `${base}/twilio/voice/dial-complete`,
    recording: `${base}/twilio/voice/recording`,
    whisper: (campaignId: string, trackingNumberId: string) =>
      `${base}/twilio/voice/whisper?campaign=${encodeURIComponent(campaignId)}&number=${encodeURIComponent(trackingNumberId)}`,
  };
  const params = (req: Request): Record<string, unknown> => (req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>) : {});

  async function answer(res: Response, callSid: string | null, twiml: string): Promise<void> {
    const lead = callSid ? await deps.calls.leadOfCall(callSid) : null;
    if (lead) res.set({ "X-Lead-Id": lead.id, "X-Lead-Status": lead.status });
    sendTwiml(res, twiml);
  }

  router.post("/voice", signed, async (req, res, next) => {
    try {
      const r = await deps.calls.receive(
        {
          callSid: param(req, "CallSid") ?? "",
          to: param(req, "To") ?? param(req, "Called") ?? "",
          from: param(req, "From") ?? param(req, "Caller"),
          callerName: param(req, "CallerName"),
          fromCity: param(req, "FromCity") ?? param(req, "CallerCity"),
          fromState: param(req, "FromState") ?? param(req, "CallerState"),
          fromZip: param(req, "FromZip") ?? param(req, "CallerZip"),
          params: params(req),
        },
        (o) =>
          o.kind === "unknown_number"
            ? unknownNumberTwiml()
            : forwardCallTwiml({
                disclosure: o.disclosure,
                forwardTo: o.forwardTo,
                record: o.record,
                whisperUrl: urls.whisper(o.campaignId, o.trackingNumberId),
                actionUrl: urls.dialComplete,
                recordingStatusCallbackUrl: urls.recording,
              }),
      );
      if (r.outcome?.kind === "unknown_number") req.log?.warn({ to: r.outcome.to, callSid: param(req, "CallSid") }, "call to a number that is not a tracking number; answered with a polite hang-up");
      else if (r.outcome?.kind === "forward") req.log?.info({ leadId: r.outcome.leadId, callSid: param(req, "CallSid") }, "call lead received; forwarding");
      await answer(res, param(req, "CallSid"), r.response);
    } catch (e) {
      next(e);
    }
  });

  router.post("/voice/dial-complete", signed, async (req, res, next) => {
    try {
      const r = await deps.calls.completeDial(
        {
          callSid: param(req, "CallSid") ?? "",
          dialCallStatus: param(req, "DialCallStatus"),
          dialCallDuration: param(req, "DialCallDuration"),
          params: params(req),
        },
        () => emptyTwiml(),
      );
      const o = r.outcome;
      if (o?.kind === "unknown_call") req.log?.warn({ callSid: o.callSid }, "dial-complete for a call without a lead");
      else if (o?.kind === "judged") req.log?.info({ leadId: o.leadId, status: o.status, chargedCents: o.chargedCents }, "call judged");
      else if (o?.kind === "no_contract") req.log?.info({ leadId: o.leadId }, "call kept unjudged: no contract in force");
      await answer(res, param(req, "CallSid"), r.response);
    } catch (e) {
      next(e);
    }
  });

  router.post("/voice/recording", signed, async (req, res, next) => {
    try {
      const r = await deps.calls.storeRecording(
        {
          callSid: param(req, "CallSid") ?? "",
          recordingSid: param(req, "RecordingSid") ?? "",
          recordingUrl: param(req, "RecordingUrl"),
          recordingStatus: param(req, "RecordingStatus"),
          recordingDuration: param(req, "RecordingDuration"),
          params: params(req),
        },
        () => emptyTwiml(),
      );
      if (r.outcome && r.outcome.kind !== "stored") req.log?.warn({ outcome: r.outcome }, "recording callback not stored");
      await answer(res, param(req, "CallSid"), r.response);
    } catch (e) {
      next(e);
    }
  });

  // Played to the business when it answers; Twilio fetches it (POST by default) with the query we gave.
  router.all("/voice/whisper", signed, async (req, res, next) => {
    try {
      sendTwiml(res, whisperTwiml(await deps.calls.whisperText({ campaign: req.query.campaign, number: req.query.number })));
    } catch (e) {
      next(e);
    }
  });

  return router;
}
