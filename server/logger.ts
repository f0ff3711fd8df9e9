import pino, { type Logger } from "pino";

const SAFE_DB_FIELDS = ["code", "severity", "routine", "constraint", "table", "column", "schema", "query"] as const;

/**
 * An error as it may be logged: no bound query parameters and no PostgreSQL `detail` (both carry lead
 * data, e.g. "Key (phone)=(+12125550100) already exists"), through the `cause` chain.
 */
export function errorForLog(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & Record<string, unknown>;
  // Drizzle's DrizzleQueryError message is "Failed query: <sql>\nparams: <values>".
  const message = e.message.replace(/\nparams: [\s\S]*$/, "");
  const out: Record<string, unknown> = {
    type: e.name,
    message,
    stack: typeof e.stack === "string" ? e.stack.replace(e.message, message) : undefined,
  };
  for (const k of SAFE_DB_FIELDS) if (typeof e[k] === "string") out[k] = e[k];
  if (e.cause !== undefined && depth < 4) out.cause = errorForLog(e.cause, depth + 1);
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
    level,
    base: { service: "leadledger" },
    serializers: { err: errorForLog },
    redact: { paths: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]', "password", "*.password"], remove: true },
    },
    destination,
  );
}
