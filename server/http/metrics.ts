import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route group and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by route group",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const routeGroup = (url: string) => {
    const p = url.split("?")[0] ?? "/";
    if (p.startsWith("/api/forms/")) return "/api/forms/:publicKey";
    if (/^\/api\/v1\/leads\/[^/]+\/conversion$/.test(p)) return "/api/v1/leads/:leadId/conversion";
    if (p.startsWith("/api/v1/leads")) return "/api/v1/leads";
    if (p.startsWith("/twilio/")) return p;
    if (p.startsWith("/trpc/")) return "/trpc";
    if (p.startsWith("/build/")) return "/build";
    if (p === "/healthz" || p === "/metrics") return p;
    return "remix";
  };
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer({ method: req.method, route: routeGroup(req.originalUrl) });
    res.on("finish", () => {
      end();
      requests.inc({ method: req.method, route: routeGroup(req.originalUrl), status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}
