import express, { type Request, type Response, type Router } from "express";
import type { Deps } from "../deps";
import {
  emptyTwiml,
  fallbackDialTwiml,
  forwardCallTwiml,
  hangupTwiml,
  screeningResultTwiml,
  screeningWhisperTwiml,
  unknownNumberTwiml,
  voicemailTwiml,
  whisperTwiml,
} from "../integrations/twilio/twiml";
import { param, requireTwilioSignature, sendTwiml } from "./twilio-webhooks";

/**
 * Twilio voice webhooks (docs/architecture.md flow 2), mounted at /twilio after the body parsers. Every route
 * checks X-Twilio-Signature first (403, nothing stored), then runs one use case exactly once per SID
 * and answers the TwiML stored with the first delivery.
 *
 * Responses carry `X-Lead-Id` / `X-Lead-Status` (the call's lead as it stands after this request) so
 * the simulator and operators can follow a call; Twilio ignores them.
 */
// eslint-disable-next-line max-lines-per-function -- one short handler per route
export function twilioVoiceRouter(deps: Deps): Router {
  const router = express.Router();
  const signed = requireTwilioSignature(deps);
  const base = deps.config.publicUrl;
  const urls = {
    dialComplete: `${base}/twilio/voice/dial-complete`,
    fallbackComplete: `${base}/twilio/voice/dial-complete?leg=fallback`,
    recording: `${base}/twilio/voice/recording`,
    voicemailDone: `${base}/twilio/voice/voicemail-done`,
    screen: (callSid: string) => `${base}/twilio/voice/screen?call=${encodeURIComponent(callSid)}`,
    whisper: (campaignId: string, trackingNumberId: string, screenCallSid: string | null) =>
      `${base}/twilio/voice/whisper?campaign=${encodeURIComponent(campaignId)}&number=${encodeURIComponent(trackingNumberId)}${screenCallSid ? `&screen=${encodeURIComponent(screenCallSid)}` : ""}`,
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
                whisperUrl: urls.whisper(o.campaignId, o.trackingNumberId, o.screen ? (param(req, "CallSid") ?? null) : null),
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
          leg: req.query.leg === "fallback" ? "fallback" : "first",
          dialCallStatus: param(req, "DialCallStatus"),
          dialCallDuration: param(req, "DialCallDuration"),
          params: params(req),
        },
        (o) => {
          if (o.kind === "fallback") return fallbackDialTwiml({ to: o.to, actionUrl: urls.fallbackComplete, record: true, recordingStatusCallbackUrl: urls.recording });
          if (o.kind === "judged" && o.next?.kind === "voicemail") return voicemailTwiml({ actionUrl: urls.voicemailDone, recordingStatusCallbackUrl: urls.recording });
          if (o.kind === "judged" && o.next?.kind === "hang_up") return hangupTwiml();
          return emptyTwiml();
        },
      );
      const o = r.outcome;
      if (o?.kind === "unknown_call") req.log?.warn({ callSid: o.callSid }, "dial-complete for a call without a lead");
      else if (o?.kind === "judged") req.log?.info({ leadId: o.leadId, status: o.status, chargedCents: o.chargedCents, next: o.next?.kind }, "call judged");
      else if (o?.kind === "fallback") req.log?.info({ leadId: o.leadId }, "call missed; dialling the fallback number");
      else if (o?.kind === "no_contract") req.log?.info({ leadId: o.leadId }, "call kept unjudged: no contract in force");
      await answer(res, param(req, "CallSid"), r.response);
      // After the commit and the answer: the missed-call text (claimed once per caller and day).
      if (o?.kind === "judged" && o.textBack) {
        const sent = await deps.calls.sendMissedCallText(o.textBack);
        req.log?.info({ leadId: o.leadId, sent: sent.sent, reason: sent.reason }, "missed-call text");
      }
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
          errorCode: param(req, "ErrorCode"),
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
  // With screening, the query names the caller's CallSid and the business must press 1.
  router.all("/voice/whisper", signed, async (req, res, next) => {
    try {
      const text = await deps.calls.whisperText({ campaign: req.query.campaign, number: req.query.number });
      const screen = typeof req.query.screen === "string" && /^CA[0-9a-zA-Z]{8,64}$/.test(req.query.screen) ? req.query.screen : null;
      sendTwiml(res, screen ? screeningWhisperTwiml(text, urls.screen(screen)) : whisperTwiml(text));
    } catch (e) {
      next(e);
    }
  });

  // The screening <Gather>'s answer, posted from the business's leg; the caller's CallSid is in the query.
  router.post("/voice/screen", signed, async (req, res, next) => {
    try {
      const r = await deps.calls.screen(
        { callSid: typeof req.query.call === "string" ? req.query.call : "", legSid: param(req, "CallSid") ?? "", digits: param(req, "Digits"), params: params(req) },
        (o) => screeningResultTwiml(o.kind === "accepted"),
      );
      if (r.outcome) req.log?.info({ outcome: r.outcome }, "call screening");
      sendTwiml(res, r.response);
    } catch (e) {
      next(e);
    }
  });

  // The voicemail's <Record> ended: nothing more to say.
  router.post("/voice/voicemail-done", signed, (_req, res) => sendTwiml(res, hangupTwiml()));

  return router;
}
