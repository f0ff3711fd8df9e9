import express, { type Router } from "express";
import type { Deps } from "../deps";

/** What a process reports as ready: each named part must be up (e.g. "outbox listener"). */
export type ReadinessProbe = () => Record<string, boolean>;

/**
 * `GET /healthz` — liveness: the process answers and its database does (503 otherwise).
 * `GET /readyz` — readiness: migrations ran (they run before a process listens), the database
 * answers, and every part the process runs is up (the outbox listener and job worker where
 * JOBS=true). A load balancer sends traffic only to ready processes.
 */
export function healthRouter(deps: Pick<Deps, "platform">, readiness: ReadinessProbe = () => ({})): Router {
  const router = express.Router();
  const databaseAnswers = async (): Promise<boolean> => {
    try {
      await Promise.race([
        deps.platform.pingDatabase(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("database timeout")), 2000).unref()),
      ]);
      return true;
    } catch {
      return false;
    }
  };
  router.get("/healthz", async (_req, res) => {
    if (await databaseAnswers()) res.json({ status: "ok" });
    else res.status(503).json({ status: "unavailable", error: { code: "DATABASE_UNAVAILABLE", message: "The database does not answer." } });
  });
  router.get("/readyz", async (_req, res) => {
    const checks = { database: await databaseAnswers(), ...readiness() };
    const waiting = Object.entries(checks)
      .filter(([, up]) => !up)
      .map(([name]) => name);
    if (waiting.length === 0) res.json({ status: "ready", checks });
    else res.status(503).json({ status: "not_ready", checks, error: { code: "NOT_READY", message: `Not ready yet: ${waiting.join(", ")}.` } });
  });
  return router;
}
