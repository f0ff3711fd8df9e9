import { createRequire } from "node:module";
import express, { type Router } from "express";
import type { Deps } from "../deps";
import { openApiDocument } from "./openapi";

/**
 * GET /api/openapi.json — the OpenAPI 3.1 description (openapi.ts), for code generators and viewers.
 * GET /docs/api — the same, rendered by Redoc (its standalone bundle, served from node_modules by
 * this process: nothing loads from a CDN).
 */
const requireHere = createRequire(__filename);
const REDOC_BUNDLE = requireHere.resolve("redoc/bundles/redoc.standalone.js");
const VERSION = (requireHere("../../package.json") as { version: string }).version;

export function apiDocsRouter(deps: Deps): Router {
  const router = express.Router();
  let doc: string | null = null;
  router.get("/api/openapi.json", (_req, res) => {
    doc ??= JSON.stringify(openApiDocument({ publicUrl: deps.config.publicUrl, version: VERSION }), null, 2);
    res.type("application/json").set("Cache-Control", "no-cache").send(doc);
  });
  router.get("/docs/api/redoc.standalone.js", (_req, res) => {
    res.set("Cache-Control", "public, max-age=86400").sendFile(REDOC_BUNDLE);
  });
  router.get("/docs/api", (_req, res) => {
    // Redoc runs its search in a worker made from a blob URL and injects its styles.
    res.set(
      "Content-Security-Policy",
      "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'none'",
    );
    res.type("html").send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>LeadLedger API</title></head>` +
        `<body style="margin:0"><noscript><p style="font-family:system-ui,sans-serif;padding:16px">The API reference needs JavaScript. The description itself is at <a href="/api/openapi.json">/api/openapi.json</a>.</p></noscript>` +
        `<redoc spec-url="/api/openapi.json" hide-download-button="false"></redoc><script src="/docs/api/redoc.standalone.js"></script></body></html>`,
    );
  });
  return router;
}
