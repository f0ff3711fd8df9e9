import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from "express";
import type { Deps } from "../deps";
import { actorFromUser } from "../domain/auth/roles";
import { evidenceContentType, MAX_EVIDENCE_BYTES, unsupportedTypeError } from "../domain/disputes/evidence-file";
import { domainErrorResponse, sendError } from "./errors";
import { isUuid } from "../domain/shared/formats";

/**
 * Dispute evidence files (session-authenticated):
 * - POST /api/disputes/:id/evidence — the raw file as the body (image/png|jpeg|webp, audio/mpeg|wav,
 *   application/pdf; at most 5 MB → 413, another type → 415), by a user of the dispute's client;
 * - GET  /api/disputes/:id/evidence — the file, to the agency and that client only (others 404),
 *   with its stored type, `Content-Disposition: inline` and `X-Content-Type-Options: nosniff`.
 * `withSession` is the app's session middleware (cookie → req.user).
 */

const requireUser: RequestHandler = (req, res, next) => {
  if (!req.user) return sendError(res, 401, "UNAUTHENTICATED", "Sign in first.");
  if (!isUuid(req.params.id ?? "")) return sendError(res, 404, "NOT_FOUND", "Dispute not found.");
  next();
};

/** Refuses other types before reading the body. */
const acceptEvidenceType: RequestHandler = (req, res, next) => {
  if (!evidenceContentType(req.headers["content-type"])) {
    const { status, body } = domainErrorResponse(unsupportedTypeError(req.headers["content-type"]));
    res.status(status).json(body);
    return;
  }
  next();
};

export function evidenceRouter(deps: Deps, withSession: RequestHandler): Router {
  const router = express.Router();

  router.post(
    "/disputes/:id/evidence",
    withSession,
    requireUser,
    acceptEvidenceType,
    express.raw({ type: () => true, limit: MAX_EVIDENCE_BYTES }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const dispute = await deps.disputes.attachEvidence(actorFromUser(req.user!), {
          disputeId: req.params.id!,
          contentType: req.headers["content-type"],
          body,
          filename: req.get("x-file-name") ?? null,
        });
        res.status(201).json({ dispute });
      } catch (e) {
        next(e);
      }
    },
  );

  router.get("/disputes/:id/evidence", withSession, requireUser, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const file = await deps.disputes.readEvidence(actorFromUser(req.user!), { id: req.params.id! });
      // Uploaded bytes never run as a page of ours: a sandbox CSP with nothing allowed, and a PDF
      // (which browsers render with scripting) is downloaded rather than opened on our origin.
      const name = (file.filename ?? "evidence").replace(/[^\w.\- ]+/g, "_");
      res.set({
        "Content-Type": file.contentType,
        "Content-Disposition": file.contentType === "application/pdf" ? `attachment; filename="${name}"` : "inline",
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
      });
      res.send(file.body);
    } catch (e) {
      next(e);
    }
  });

  return router;
}
