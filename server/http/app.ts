import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import cookieParser from "cookie-parser";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pinoHttp, type Options as HttpLoggerOptions } from "pino-http";
import type { Deps } from "../deps";
import type { UserRecord } from "../domain/auth/ports";
import { appRouter } from "../trpc/router";
import { errorHandler, sendError } from "./errors";
import { intakeRouter } from "./intake";
import { conversionsRouter } from "./conversions";
import { attributionRouter } from "./attribution";
import { apiDocsRouter } from "./api-docs";
import { evidenceRouter } from "./evidence";
import { recordingHandler } from "./recordings";
import { twilioVoiceRouter } from "./twilio-voice";
import { twilioSmsRouter } from "./twilio-sms";
import { buildLoadContext } from "./load-context";
import { healthRouter, type ReadinessProbe } from "./health";
import { createMetrics } from "./metrics";
import { readSessionToken } from "./session-cookie";
import { cspNonce, metricsAccess, pageBodyLimit, sameOriginGuard, trustedOrigins } from "./edge-guards";

/** Paths that authenticate without a browser's cookie (own origin allow-list, API keys, Twilio signatures). */
const OWN_AUTH_PATHS = /^\/(api\/forms\/|api\/v1\/|api\/dni\/|twilio\/)/;
/** What a page's form may post: ample for any form, far below what would strain memory. */
export const PAGE_BODY_LIMIT_BYTES = 1024 * 1024;

declare module "express-serve-static-core" {
  interface Request {
    user?: UserRecord | null;
    sessionToken?: string | null;
  }
}

export interface AppOptions {
  /** The Remix server build; omitted in API-only tests. Loaded from build/ when "auto". */
  remixBuild?: ServerBuild | "auto" | null;
  /** What /readyz checks beyond the database (server/main.ts: the outbox listener and job worker). */
  readiness?: ReadinessProbe;
  /** Extra routers mounted before Remix (REST intake, Twilio webhooks). */
  mount?: (app: express.Express) => void;
}

export function loadRemixBuild(): ServerBuild {
  const buildPath = path.resolve(process.cwd(), "build/index.js");
  return require(buildPath) as ServerBuild;
}

/**
 * One short line per request ("GET /portal 200 12 ms", with the request id); the request's and the
 * response's headers only at debug level (cookies and authorization are redacted there too).
 */
function requestLogShape(debug: boolean): Partial<HttpLoggerOptions> {
  const line = (req: IncomingMessage, res: ServerResponse, ms: number) =>
    `${req.method} ${((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? "").split("?")[0]} ${res.statusCode} ${Math.round(ms)} ms`;
  return {
    customSuccessMessage: line,
    // pino-http passes the response time as a 4th argument its types do not declare.
    customErrorMessage: (req: IncomingMessage, res: ServerResponse, ...rest: unknown[]) => line(req, res, Number(rest[1] ?? 0)),
    ...(debug ? {} : { quietReqLogger: true, quietResLogger: true, serializers: { res: () => undefined } }),
  };
}

// eslint-disable-next-line max-lines-per-function -- the middleware stack in its order, read top to bottom
export function createApp(deps: Deps, opts: AppOptions = {}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Who may tell us the client's address (X-Forwarded-For): TRUST_PROXY, default loopback. Throttles and rate limits key on it.
  app.set("trust proxy", deps.config.trustProxy);
  const metrics = createMetrics();

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers["x-request-id"];
        const id = typeof incoming === "string" && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" || req.url === "/metrics" || (req.url ?? "").startsWith("/build/") },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
      ...requestLogShape(deps.logger.isLevelEnabled("debug")),
    }),
  );
  app.use(cspNonce);
  app.use(
    helmet({
      // Same-origin requests carry the full referrer (and a real Origin on form posts); other sites get none.
      referrerPolicy: { policy: "same-origin" },
      contentSecurityPolicy: {
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:"],
          "media-src": ["'self'", "blob:"],
          "connect-src": ["'self'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "upgrade-insecure-requests": null,
        },
      },
      strictTransportSecurity: deps.config.publicUrl.startsWith("https://"),
    }),
  );
  app.use(metrics.middleware);
  app.use(sameOriginGuard(trustedOrigins(deps.config), (p) => OWN_AUTH_PATHS.test(p)));

  app.use(healthRouter(deps, opts.readiness));
  app.get("/metrics", metricsAccess(deps.config), async (_req, res) => {
    res.set("Content-Type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  // REST and webhook bodies: small limits, parse errors become 400/413/415 JSON in errorHandler.
  app.use(
    ["/api", "/twilio"],
    express.json({
      limit: "100kb",
      type: ["application/json", "application/*+json"],
      // Twilio signs a JSON webhook's raw bytes (bodySHA256): keep them for the signature check.
      verify: (req, _res, buf) => {
        if ((req as Request).originalUrl?.startsWith("/twilio/")) (req as Request & { rawBody?: Buffer }).rawBody = buf;
      },
    }),
    express.urlencoded({ extended: false, limit: "100kb", parameterLimit: 300 }),
  );
  app.use(apiDocsRouter(deps));
  app.use(attributionRouter(deps));
  app.use("/api", intakeRouter(deps));
  app.use("/api", conversionsRouter(deps));
  app.use("/twilio", twilioVoiceRouter(deps));
  app.use("/twilio", twilioSmsRouter(deps));
  opts.mount?.(app);

  app.use(cookieParser());
  const withSession = async (req: Request, _res: Response, next: NextFunction) => {
    try {
      req.sessionToken = readSessionToken(req);
      req.user = await deps.auth.resolveSession(req.sessionToken);
      next();
    } catch (e) {
      next(e);
    }
  };

  app.get("/recordings/:leadId", withSession, recordingHandler(deps));
  app.use("/api", evidenceRouter(deps, withSession));
  app.use(
    "/trpc",
    withSession,
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req }) => ({ deps, user: req.user ?? null }),
      maxBodySize: 512 * 1024,
      maxBatchSize: 10,
      onError: ({ error, path: p }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") deps.logger.error({ err: error, path: p }, "tRPC internal error");
      },
    }),
  );

  app.use("/api", (_req, res) => sendError(res, 404, "NOT_FOUND", "No such API endpoint."));


  const build = opts.remixBuild === "auto" ? loadRemixBuild() : opts.remixBuild;
  if (build) {
    app.use("/build", express.static(path.resolve(process.cwd(), "public/build"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.resolve(process.cwd(), "public"), { maxAge: "1h", index: false }));
    app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
    app.all(
      "*",
      pageBodyLimit(PAGE_BODY_LIMIT_BYTES),
      withSession,
      createRequestHandler({
        build,
        mode: deps.config.NODE_ENV === "production" ? "production" : "development",
        getLoadContext: (req, res) => buildLoadContext(deps, req, req.user ?? null, req.sessionToken ?? null, res.locals.cspNonce as string) as never,
      }),
    );
  } else {
    app.use((_req, res) => sendError(res, 404, "NOT_FOUND", "Not found."));
  }

  app.use(errorHandler(deps.logger));
  return app;
}
