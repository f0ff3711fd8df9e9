import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Deps } from "../deps";
import { actorFromUser } from "../domain/auth/roles";
import { fetchRecordingAudio, RecordingFetchError } from "../integrations/twilio/recordings";
import { TWILIO_NOT_CONFIGURED } from "../integrations/twilio/runtime";
import { sendError } from "./errors";

/** "bytes=a-b" / "bytes=a-" / "bytes=-n" against a body of `size` bytes; null when absent or not satisfiable. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null; // several ranges or nonsense: answer the whole body
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

/**
 * GET /recordings/:leadId — the call recording, streamed through this server so the portal never
 * sees a Twilio URL or credential. Needs a session (mount after the session middleware): agency users
 * reach any lead, client users only their own client's (else 404). Supports single byte ranges so the
 * browser's <audio> can seek.
 */
export function recordingHandler(deps: Deps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!req.user) return sendError(res, 401, "UNAUTHENTICATED", "Sign in to listen to call recordings.");
      const { recordingSid } = await deps.calls.findRecording(actorFromUser(req.user), String(req.params.leadId ?? ""));
      if (deps.twilio.mode === "not-configured") return sendError(res, 503, "TWILIO_NOT_CONFIGURED", TWILIO_NOT_CONFIGURED);
      let audio;
      try {
        audio = await fetchRecordingAudio({
          accountSid: deps.twilio.accountSid,
          authToken: deps.twilio.authToken,
          apiBase: deps.twilio.apiBase,
          recordingSid,
          timeoutMs: 15_000,
        });
      } catch (e) {
        if (!(e instanceof RecordingFetchError)) throw e;
        req.log?.warn({ err: e, recordingSid }, "could not fetch a call recording from Twilio");
        if (e.httpStatus === 404) return sendError(res, 404, "NOT_FOUND", "The recording is no longer available at Twilio.");
        return sendError(res, 502, "RECORDING_UNAVAILABLE", "The recording could not be fetched from Twilio right now. Try again shortly.");
      }
      const size = audio.body.length;
      res.set({
        "Content-Type": audio.contentType,
        "Cache-Control": "private, max-age=300",
        "Accept-Ranges": "bytes",
        "Content-Disposition": `inline; filename="call-${req.params.leadId}.${audio.contentType.includes("mpeg") ? "mp3" : "wav"}"`,
      });
      const range = byteRange(req.header("range"), size);
      if (range === "unsatisfiable") {
        res.status(416).set("Content-Range", `bytes */${size}`).end();
        return;
      }
      if (range) {
        res.status(206).set("Content-Range", `bytes ${range.start}-${range.end}/${size}`).send(audio.body.subarray(range.start, range.end + 1));
        return;
      }
      res.status(200).send(audio.body);
    } catch (e) {
      next(e);
    }
  };
}
