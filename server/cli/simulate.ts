/**
 * `npm run simulate -- <scenario> [options]` — sends a running LeadLedger server the same requests
 * Twilio (and, later, landing pages) would, for demos and manual checks. It reads the configuration
 * like the server does (loadConfig): Twilio requests are signed with TWILIO_AUTH_TOKEN (the local
 * fake's token when no credentials are set) over PUBLIC_URL + path, exactly what the server checks.
 *
 *   call     a tracked phone call: voice → whisper → recording → dial-complete   (implemented)
 *   form     web-form posts                                                     (not implemented yet)
 *   traffic  a mix of calls and forms over time                                 (not implemented yet)
 *
 * Adding a scenario: write a `Scenario` (usage, parseArgs options, run(ctx, values) → exit code) and
 * register it in `scenarios`. `SimContext` gives the configuration, output, and `post()` which signs
 * a Twilio webhook the way Twilio does and delivers it to --url.
 */
import { randomBytes } from "node:crypto";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError, loadConfig, type Config } from "../config";
import { DEFAULT_FAKE_ACCOUNT_SID, DEFAULT_FAKE_AUTH_TOKEN } from "../integrations/twilio/fake-twilio-server";
import { signTwilioRequest } from "../integrations/twilio/signature";

export interface SimulatorIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface SimResponse {
  status: number;
  body: string;
  headers: Headers;
}

export interface SimContext {
  config: Config;
  io: SimulatorIo;
  /** Base URL requests are sent to (--url; default PUBLIC_URL). */
  target: string;
  /** Base URL the server checks signatures against (--public-url; default PUBLIC_URL). */
  publicUrl: string;
  accountSid: string;
  authToken: string;
  /**
   * POSTs form params to `url` — an absolute URL as Twilio would call it (PUBLIC_URL-based) or a path —
   * signed with X-Twilio-Signature over that public URL, delivered to `target`. Prints one line.
   */
  postTwilio(url: string, params: Record<string, string>, note?: (r: SimResponse) => string): Promise<SimResponse>;
}

export interface Scenario {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run(ctx: SimContext, values: Values): Promise<number>;
}

class SimulationError extends Error {}
/** Bad options for a scenario: exit code 2, like other usage errors. */
class SimulationUsageError extends SimulationError {}

const COMMON_OPTIONS: NonNullable<ParseArgsConfig["options"]> = {
  url: { type: "string" },
  "public-url": { type: "string" },
  help: { type: "boolean" },
};

const str = (v: Values[string]): string | undefined => (typeof v === "string" ? v : undefined);
const sid = (prefix: string) => prefix + randomBytes(16).toString("hex");

// --- TwiML reading (just enough to follow the call like Twilio does) ----------------------------

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e]!);
}

function attrsOf(xml: string, tag: string): Record<string, string> | null {
  const m = new RegExp(`<${tag}\\b([^>]*?)/?>`).exec(xml);
  if (!m) return null;
  const attrs: Record<string, string> = {};
  for (const a of m[1]!.matchAll(/([A-Za-z]+)="([^"]*)"/g)) attrs[a[1]!] = unescapeXml(a[2]!);
  return attrs;
}

function textOf(xml: string, tag: string): string | null {
  const m = new RegExp(`<${tag}\\b[^>]*>([^<]*)</${tag}>`).exec(xml);
  return m ? unescapeXml(m[1]!) : null;
}

// --- scenarios --------------------------------------------------------------------------------

const DIAL_STATUSES = ["completed", "no-answer", "busy", "failed", "canceled"] as const;

const callScenario: Scenario = {
  summary: "a phone call to a tracking number, forwarded and (optionally) recorded",
  usage:
    "call --to <tracking number> --from <caller> [--seconds 120] [--zip 10001] [--state NY] [--city NEW YORK] [--name CALLER NAME] " +
    "[--status completed|no-answer|busy|failed|canceled] [--url http://localhost:3000] [--public-url URL]",
  options: {
    to: { type: "string" },
    from: { type: "string" },
    seconds: { type: "string" },
    zip: { type: "string" },
    state: { type: "string" },
    city: { type: "string" },
    name: { type: "string" },
    status: { type: "string" },
  },
  async run(ctx, v) {
    const to = str(v.to);
    const from = str(v.from);
    if (!to || !from) throw new SimulationUsageError("--to and --from are required");
    const seconds = Number(str(v.seconds) ?? "120");
    if (!Number.isInteger(seconds) || seconds < 0) throw new SimulationUsageError("--seconds must be a whole number ≥ 0");
    const status = (str(v.status) ?? "completed") as (typeof DIAL_STATUSES)[number];
    if (!DIAL_STATUSES.includes(status)) throw new SimulationUsageError(`--status must be one of ${DIAL_STATUSES.join(", ")}`);
    const talked = status === "completed" ? seconds : 0;

    const callSid = sid("CA");
    const base: Record<string, string> = { AccountSid: ctx.accountSid, ApiVersion: "2010-04-01", CallSid: callSid, Direction: "inbound", From: from, Caller: from, To: to, Called: to };
    const where: Record<string, string> = {};
    if (str(v.zip)) where.FromZip = where.CallerZip = str(v.zip)!;
    if (str(v.state)) where.FromState = where.CallerState = str(v.state)!;
    if (str(v.city)) where.FromCity = where.CallerCity = str(v.city)!;
    if (where.FromZip || where.FromState) where.FromCountry = where.CallerCountry = "US";
    ctx.io.out(`call ${callSid} from ${from} to ${to}: ${status}${status === "completed" ? `, ${seconds} s` : ""}`);

    // 1. The call rings: Twilio asks what to do.
    const voice = await ctx.postTwilio(
      "/twilio/voice",
      { ...base, ...where, ...(str(v.name) ? { CallerName: str(v.name)! } : {}), CallStatus: "ringing" },
      (r) => {
        const dial = attrsOf(r.body, "Dial");
        if (!dial) return /<Hangup/.test(r.body) ? `not forwarded: ${textOf(r.body, "Say") ?? "hang-up"}` : "no <Dial> in the answer";
        return `forward to ${textOf(r.body, "Number") ?? "?"}, recording ${dial.record ? "on" : "off"}`;
      },
    );
    const dial = attrsOf(voice.body, "Dial");
    if (!dial) {
      ctx.io.out("no lead: the server did not forward the call (is --to a tracking number?)");
      return 1;
    }

    // 2. The business answers: Twilio fetches the whisper for them.
    const number = attrsOf(voice.body, "Number");
    if (status === "completed" && number?.url) {
      await ctx.postTwilio(number.url, { ...base, CallSid: sid("CA"), ParentCallSid: callSid, Direction: "outbound-dial", CallStatus: "in-progress" }, (r) => `whisper: "${textOf(r.body, "Say") ?? ""}"`);
    }

    // 3. The recording is ready (only for a recorded, connected call).
    if (dial.record && dial.recordingStatusCallback && status === "completed" && seconds > 0) {
      const recordingSid = sid("RE");
      await ctx.postTwilio(dial.recordingStatusCallback, {
        AccountSid: ctx.accountSid,
        CallSid: callSid,
        RecordingSid: recordingSid,
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ctx.accountSid}/Recordings/${recordingSid}`,
        RecordingStatus: "completed",
        RecordingDuration: String(seconds),
        RecordingChannels: "2",
        RecordingSource: "DialVerb",
        RecordingStartTime: new Date().toUTCString(),
      });
    }

    // 4. The forwarded leg ends: Twilio posts the Dial action.
    if (!dial.action) throw new SimulationError("the <Dial> has no action URL");
    const done = await ctx.postTwilio(dial.action, {
      ...base,
      CallStatus: "in-progress",
      DialCallSid: sid("CA"),
      DialCallStatus: status,
      ...(status === "completed" ? { DialCallDuration: String(talked) } : {}),
    });
    const leadId = done.headers.get("x-lead-id");
    ctx.io.out(leadId ? `lead ${leadId}: ${done.headers.get("x-lead-status") ?? "unknown status"}` : "lead: not reported by the server");
    return 0;
  },
};

function notImplemented(name: string, summary: string): Scenario {
  return {
    summary: `${summary} (not implemented yet)`,
    usage: `${name} …`,
    options: {},
    async run(ctx) {
      ctx.io.err(`simulate ${name}: not implemented yet`);
      return 2;
    },
  };
}

/** The registry: add a scenario here. */
export const scenarios: Record<string, Scenario> = {
  call: callScenario,
  form: notImplemented("form", "web-form posts to /api/forms/:publicKey"),
  traffic: notImplemented("traffic", "a stream of calls and form posts"),
};

function usage(): string {
  return [
    "Usage: npm run simulate -- <scenario> [options]",
    "",
    ...Object.entries(scenarios).map(([name, s]) => `  ${name.padEnd(8)} ${s.summary}\n           ${s.usage}`),
    "",
    "Requests are signed with TWILIO_AUTH_TOKEN over PUBLIC_URL (or --public-url) and sent to --url (default PUBLIC_URL).",
  ].join("\n");
}

function createContext(config: Config, io: SimulatorIo, v: Values): SimContext {
  const trim = (u: string) => u.replace(/\/+$/, "");
  const publicUrl = trim(str(v["public-url"]) ?? config.publicUrl);
  const target = trim(str(v.url) ?? publicUrl);
  for (const [flag, u] of [["--url", target], ["--public-url", publicUrl]] as const) {
    if (!/^https?:\/\/[^/]+/.test(u)) throw new SimulationUsageError(`${flag} must be an http(s) URL (got ${u})`);
  }
  const authToken = config.TWILIO_AUTH_TOKEN ?? DEFAULT_FAKE_AUTH_TOKEN;
  const ctx: SimContext = {
    config,
    io,
    target,
    publicUrl,
    accountSid: config.TWILIO_ACCOUNT_SID ?? DEFAULT_FAKE_ACCOUNT_SID,
    authToken,
    async postTwilio(url, params, note) {
      const signedUrl = url.startsWith("/") ? publicUrl + url : url;
      const deliverTo = signedUrl.startsWith(publicUrl) ? target + signedUrl.slice(publicUrl.length) : signedUrl;
      let res: Response;
      let body: string;
      try {
        res = await fetch(deliverTo, {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "X-Twilio-Signature": signTwilioRequest(authToken, signedUrl, params),
            "User-Agent": "TwilioProxy/1.1 (LeadLedger simulator)",
          },
          body: new URLSearchParams(params).toString(),
          signal: AbortSignal.timeout(15_000),
        });
        body = await res.text();
      } catch (e) {
        throw new SimulationError(`could not reach ${deliverTo}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`);
      }
      const r: SimResponse = { status: res.status, body, headers: res.headers };
      const lead = res.headers.get("x-lead-id");
      const extra = [res.ok && note ? note(r) : null, lead ? `lead ${lead} (${res.headers.get("x-lead-status") ?? "?"})` : null].filter(Boolean).join(", ");
      io.out(`  POST ${new URL(deliverTo).pathname}${new URL(deliverTo).search} → ${res.status}${extra ? `  ${extra}` : ""}`);
      if (!res.ok) throw new SimulationError(`the server answered ${res.status}: ${body.slice(0, 300)}`);
      return r;
    },
  };
  return ctx;
}

/** Runs one scenario; resolves to the process exit code (0 ok, 1 failed, 2 usage / not implemented). */
export async function runSimulator(argv: string[], io: SimulatorIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    io.out(usage());
    return name ? 0 : 2;
  }
  const scenario = scenarios[name];
  if (!scenario) {
    io.err(`unknown scenario "${name}"\n\n${usage()}`);
    return 2;
  }
  let values: Values;
  try {
    ({ values } = parseArgs({ args: rest, options: { ...COMMON_OPTIONS, ...scenario.options }, strict: true, allowPositionals: false }));
  } catch (e) {
    io.err(`${(e as Error).message}\nusage: npm run simulate -- ${scenario.usage}`);
    return 2;
  }
  if (values.help) {
    io.out(`usage: npm run simulate -- ${scenario.usage}`);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
  try {
    return await scenario.run(createContext(config, io, values), values);
  } catch (e) {
    if (e instanceof SimulationUsageError) {
      io.err(`simulate ${name}: ${e.message}\nusage: npm run simulate -- ${scenario.usage}`);
      return 2;
    }
    if (e instanceof SimulationError) {
      io.err(`simulate ${name}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
  runSimulator(process.argv.slice(2), { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), env: process.env }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`simulate: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
