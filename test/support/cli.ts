import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
/** The repository's root: scripts run from there, as a user runs them. */
export const ROOT = path.resolve(__dirname, "../..");
const tsx = path.join(ROOT, "node_modules/.bin/tsx");

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript entry point (e.g. server/cli/main.ts) through tsx; a failing exit is a result, not a throw. */
export async function runScript(script: string, args: string[], env: Record<string, string | undefined>): Promise<ScriptResult> {
  try {
    const r = await exec(tsx, [script, ...args], { cwd: ROOT, env: env as NodeJS.ProcessEnv });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as ScriptResult;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The operator CLI against one database, logs off. */
export function runCli(databaseUrl: string, args: string[]): Promise<ScriptResult> {
  return runScript("server/cli/main.ts", args, { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" });
}
