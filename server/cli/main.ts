/**
 * Operator CLI: `npm run cli -- <command> [--json]`. Works against the same database as the
 * server (DATABASE_URL, or the embedded PostgreSQL, shared when the server is already running).
 */
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config";
import { openDatabase } from "../db/open";
import { createDeps, type Deps } from "../deps";
import { isDomainError } from "../domain/errors";
import { createLogger } from "../logger";
import { commands, type CliCommand } from "./commands";

export class UsageError extends Error {}

function usage(): string {
  const lines = ["Usage: npm run cli -- <command> [options] [--json]", "", "Commands:"];
  for (const c of Object.values(commands)) lines.push(`  ${c.usage}`);
  return lines.join("\n");
}

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes("--json");
  const out = (human: string, obj: unknown) => process.stdout.write(json ? `${JSON.stringify(obj)}\n` : `${human}\n`);
  const fail = (code: string, message: string, issues?: unknown) => {
    if (json) process.stdout.write(`${JSON.stringify({ error: { code, message, ...(issues ? { issues } : {}) } })}\n`);
    else process.stderr.write(`error: ${message}${issues ? `\n${(issues as { path: unknown[]; message: string }[]).map((i) => `  --${i.path.join(".")}: ${i.message}`).join("\n")}` : ""}\n`);
  };
  if (!name || name === "help" || name === "--help") {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command: CliCommand | undefined = commands[name];
  if (!command) {
    fail("UNKNOWN_COMMAND", `unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: { ...command.options, json: { type: "boolean" } }, strict: true, allowPositionals: false }));
  } catch (e) {
    fail("BAD_ARGUMENTS", `${(e as Error).message}\nusage: ${command.usage}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig({ ...process.env, JOBS: "false" });
  } catch (e) {
    if (e instanceof ConfigError) {
      fail("CONFIG", e.message);
      return 2;
    }
    throw e;
  }
  const database = await openDatabase(config, { poolMax: 4 });
  const deps: Deps = createDeps({ config, database, logger: createLogger("warn") });
  try {
    const result = await command.run(deps, values);
    out(result.human, result.json);
    return 0;
  } catch (e) {
    if (isDomainError(e)) {
      fail(e.code, e.message, e.issues);
      return 1;
    }
    if (e instanceof UsageError) {
      fail("BAD_ARGUMENTS", `${e.message}\nusage: ${command.usage}`);
      return 2;
    }
    throw e;
  } finally {
    await database.shutdown();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
