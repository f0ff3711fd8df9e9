/**
 * `npm run simulate -- <scenario> [options]` — sends a running LeadLedger server the same requests
 * Twilio (and, later, landing pages) would, for demos and manual checks. It reads the configuration
 * like the server does (loadConfig): Twilio requests are signed with TWILIO_AUTH_TOKEN — or, when no
 * credentials are set, with the install's local fake token that the server created in
 * `${DATA_DIR}/fake-twilio-token` — over PUBLIC_URL + path, exactly what the server checks.
 *
 *   call     a tracked phone call: voice → whisper → recording → dial-complete   (implemented)
 *   form     web-form posts to /api/forms/:publicKey
 *   traffic  a realistic mix of form leads and calls for every client, for a few minutes
 *   junk     the leads intake checks exist for: fake numbers, disposable e-mails, a visitor abroad, a bot burst from one IP
 *
 * Adding a scenario: write a `Scenario` (usage, parseArgs options, run(ctx, values) → exit code) and
 * register it in `scenarios`. `SimContext` gives the configuration, output, and `post()` which signs
 * a Twilio webhook the way Twilio does and delivers it to --url.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError, loadConfig, type Config } from "../config";
import { DEFAULT_FAKE_ACCOUNT_SID } from "../integrations/twilio/fake-twilio-server";
import { fakeTwilioTokenPath, readFakeTwilioToken } from "../integrations/twilio/local-token";
import { twilioMode } from "../integrations/twilio/runtime";
import { signTwilioRequest } from "../integrations/twilio/signature";
import { signPayload } from "../domain/webhooks/signing";

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
  /** The key requests are signed with (read on first use: scenarios without Twilio requests need none). */
  readonly authToken: string;
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

// --- web forms and mixed traffic -----------------------------------------------------------------

const FIRST = ["Ann", "Luis", "Priya", "Tom", "Keisha", "Wei", "Omar", "Grace", "Ivan", "Sofia", "Jamal", "Hana", "Noah", "Rosa", "Ethan"];
const LAST = ["Smith", "Garcia", "Patel", "Nguyen", "Johnson", "Kim", "Hassan", "Brown", "Lopez", "Chen", "Williams", "Rossi"];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** A plausible person for a client's service area (areaZips), sometimes out of area, spammy or a repeat. */
function fakePerson(areaCode: string, seen: { name: string; phone: string; email: string }[]): { name: string; phone: string; email: string; repeat: boolean } {
  if (seen.length > 3 && Math.random() < 0.08) return { ...pick(seen), repeat: true }; // the same person again: a duplicate
  const first = pick(FIRST);
  const last = pick(LAST);
  const phone = `+1${areaCode}555${String(Math.floor(1000 + Math.random() * 8999))}`;
  const email = Math.random() < 0.04 ? `${first}.${last}@mailinator.com`.toLowerCase() : `${first}.${last}${Math.floor(Math.random() * 900)}@example.com`.toLowerCase();
  const p = { name: `${first} ${last}`, phone, email, repeat: false };
  seen.push({ name: p.name, phone, email });
  return p;
}

/** A visitor's address in the client's own state (geoip data; the demo clients are in NY and CA), one per `n`. */
function localIp(zip: string, n: number): string {
  return /^9[0-6]/.test(zip) ? `73.15.${n % 250}.${1 + (Math.floor(n / 250) % 250)}` : `72.229.${n % 250}.${1 + (Math.floor(n / 250) % 250)}`;
}

/**
 * Posts a form as a visitor's browser would. `ip`: the visitor's address, sent as X-Forwarded-For
 * (the server trusts it from loopback, TRUST_PROXY's default), so the IP checks see a real place.
 */
async function postForm(ctx: SimContext, publicKey: string, fields: Record<string, string>, ip?: string): Promise<{ status: number; json: Record<string, unknown> | null }> {
  const url = `${ctx.target}/api/forms/${encodeURIComponent(publicKey)}`;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
        "User-Agent": "Mozilla/5.0 (LeadLedger simulator)",
        ...(ip ? { "X-Forwarded-For": ip } : {}),
      },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = null;
    }
    return { status: res.status, json };
  } catch (e) {
    throw new SimulationError(`could not reach ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function describeAnswer(r: { status: number; json: Record<string, unknown> | null }): string {
  if (!r.json) return `${r.status}`;
  if (r.json.error) return `${r.status} ${(r.json.error as { code: string }).code}`;
  const reasons = (r.json.reasons as { code: string }[] | undefined)?.map((x) => x.code).join(", ");
  return `${r.status} ${String(r.json.status)}${reasons ? ` (${reasons})` : ""}`;
}

/** An answer in words: status, the reasons' sentences and the quality score with its reading. */
function answerInWords(r: { status: number; json: Record<string, unknown> | null }): string[] {
  if (!r.json || r.json.error) return [describeAnswer(r)];
  const q = r.json.quality as { score: number; band: string; summary: string } | undefined;
  const lines = [`${String(r.json.status)}${q ? ` · quality ${q.score} of 100 (${q.band})` : ""}`];
  for (const reason of (r.json.reasons as { message: string; effect: string }[] | undefined) ?? []) lines.push(`  ${reason.effect === "info" ? "note" : "why"}: ${reason.message}`);
  if (q) lines.push(`  checks: ${q.summary}`);
  return lines;
}

const formScenario: Scenario = {
  summary: "web-form posts to /api/forms/:publicKey, as a landing page would send them",
  usage: "form --key <form public key> [--name N] [--phone P] [--email E] [--zip Z] [--budget 5000] [--count 1] [--url http://localhost:3000]",
  options: { key: { type: "string" }, name: { type: "string" }, phone: { type: "string" }, email: { type: "string" }, zip: { type: "string" }, budget: { type: "string" }, count: { type: "string" } },
  async run(ctx, v) {
    const key = str(v.key);
    if (!key) throw new SimulationUsageError("--key is required (the form's public key, printed at first start and shown in the console)");
    const count = Number(str(v.count) ?? "1");
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw new SimulationUsageError("--count must be 1–1000");
    const seen: { name: string; phone: string; email: string }[] = [];
    for (let i = 0; i < count; i++) {
      const p = fakePerson("212", seen);
      const fields = {
        name: str(v.name) ?? p.name,
        phone: str(v.phone) ?? p.phone,
        email: str(v.email) ?? p.email,
        zip: str(v.zip) ?? "10001",
        budget: str(v.budget) ?? "5000",
      };
      const r = await postForm(ctx, key, fields);
      ctx.io.out(`form ${fields.name} ${fields.phone} ${fields.zip} → ${describeAnswer(r)}${r.json?.leadId ? `  lead ${String(r.json.leadId)}` : ""}`);
      if (r.status >= 400) return 1;
    }
    return 0;
  },
};

/** Ad traffic as agencies run it: several platforms, campaigns and keywords, each with its click id. */
const AD_SOURCES = [
  { weight: 5, source: "google", medium: "cpc", click: "gclid", campaigns: ["roof-repair-nyc", "emergency-repairs", "brand"], terms: ["emergency roof repair", "roof leak repair", "roofer near me", "flat roof repair", "storm damage roof"] },
  { weight: 2, source: "bing", medium: "cpc", click: "msclkid", campaigns: ["roof-repair-bing"], terms: ["roof repair cost", "roof leak repair"] },
  { weight: 2, source: "facebook", medium: "paid_social", click: "fbclid", campaigns: ["spring-promo", "financing-offer"], terms: [] },
  { weight: 1, source: "tiktok", medium: "paid_social", click: "ttclid", campaigns: ["before-after-video"], terms: [] },
] as const;
const PAGES = ["/roof-repair", "/free-estimate", "/storm-damage", "/"];
const ADS = ["video-a", "carousel-b", "headline-1", "headline-2"];

interface SimTouch {
  at: string;
  params: Record<string, string>;
  landingPage: string;
  referrer: string | null;
}

function clickId(): string {
  return `${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`.slice(0, 22);
}

/** One visit as the snippet would record it: an ad click (most), organic search, a referral or a direct visit; sometimes a first visit days earlier. */
function fakeVisit(site: string): { session: string; first: SimTouch; last: SimTouch } {
  const now = Date.now();
  const touch = (daysAgo: number): SimTouch => {
    const at = new Date(now - daysAgo * 86_400_000 - Math.random() * 3_600_000).toISOString();
    const page = pick(PAGES);
    const roll = Math.random();
    if (roll < 0.7) {
      const total = AD_SOURCES.reduce((n, a) => n + a.weight, 0);
      let w = Math.random() * total;
      const ad = AD_SOURCES.find((a) => (w -= a.weight) < 0) ?? AD_SOURCES[0];
      const params: Record<string, string> = { utm_source: ad.source, utm_medium: ad.medium, utm_campaign: pick(ad.campaigns), [ad.click]: clickId() };
      if (ad.terms.length) params.utm_term = pick(ad.terms);
      else params.utm_content = pick(ADS);
      const qs = new URLSearchParams(params).toString();
      return { at, params, landingPage: `${site}${page}?${qs}`, referrer: ad.source === "google" ? "https://www.google.com/" : null };
    }
    if (roll < 0.82) return { at, params: {}, landingPage: `${site}${page}`, referrer: "https://www.google.com/" };
    if (roll < 0.9) return { at, params: {}, landingPage: `${site}${page}`, referrer: pick(["https://www.yelp.com/biz/demo", "https://nextdoor.com/p/demo", "https://www.angi.com/companylist/demo"]) };
    return { at, params: {}, landingPage: `${site}/`, referrer: null };
  };
  const last = touch(0);
  const first = Math.random() < 0.35 ? touch(1 + Math.floor(Math.random() * 10)) : last;
  return { session: clickId() + clickId().slice(0, 6), first, last };
}

function visitLabel(v: { last: SimTouch }): string {
  const p = v.last.params;
  if (p.utm_source) return `${p.utm_source}/${p.utm_medium}${p.utm_term ? ` "${p.utm_term}"` : p.utm_campaign ? ` ${p.utm_campaign}` : ""}`;
  return v.last.referrer ? `from ${new URL(v.last.referrer).hostname}` : "direct";
}

/** What the snippet does on a landing page with a pool: asks for this visitor's number. */
async function askPool(ctx: SimContext, poolKey: string, visit: { session: string; first: SimTouch; last: SimTouch }): Promise<{ number: string; pooled: boolean } | null> {
  try {
    const res = await fetch(`${ctx.target}/api/dni/${encodeURIComponent(poolKey)}`, {
      method: "POST",
      headers: { "Content-Type": "text/plain", Origin: new URL(visit.last.landingPage).origin },
      body: JSON.stringify(visit),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) return null;
    const a = (await res.json()) as { number?: string; pooled?: boolean };
    return a.number ? { number: a.number, pooled: a.pooled === true } : null;
  } catch {
    return null;
  }
}

interface TrafficTarget {
  client: string;
  formKeys: string[];
  numbers: string[];
  /** Number pools the landing pages' snippet asks for a visitor's number (POST /api/dni/:poolKey). */
  poolKeys: string[];
  /** The client's (made-up) landing-page site. */
  site: string;
  zips: string[];
  areaCode: string;
}

/** Reads the active forms and tracking numbers (and each contract's service area) from the database. */
async function discoverTargets(config: Config): Promise<TrafficTarget[]> {
  const { openDatabase } = await import("../db/open");
  const { sql } = await import("drizzle-orm");
  const database = await openDatabase(config, { poolMax: 2 });
  try {
    const r = await database.db.execute(sql`
      select c.id, c.name,
        coalesce((select array_agg(f.public_key) from forms f where f.client_id = c.id and f.status = 'active'), '{}') as form_keys,
        coalesce((select array_agg(t.phone_number) from tracking_numbers t where t.client_id = c.id and t.status = 'active'
          and not exists (select 1 from dni_pool_numbers n where n.tracking_number_id = t.id)), '{}') as numbers,
        coalesce((select array_agg(p.pool_key) from dni_pools p where p.client_id = c.id), '{}') as pool_keys,
        (select v.document->'qualification'->'serviceArea'->'zips' from contract_versions v where v.client_id = c.id order by v.effective_from desc, v.version desc limit 1) as zips
      from clients c where c.status = 'active' order by c.name`);
    return (r.rows as { name: string; form_keys: string[]; numbers: string[]; pool_keys: string[]; zips: string[] | null }[])
      .filter((c) => c.form_keys.length > 0 || c.numbers.length > 0)
      .map((c) => ({
        client: c.name,
        formKeys: c.form_keys,
        numbers: c.numbers,
        poolKeys: c.pool_keys,
        site: `https://www.${c.name.toLowerCase().replace(/[^a-z0-9]+/g, "")}.example`,
        zips: c.zips && c.zips.length ? c.zips : ["10001"],
        areaCode: c.numbers[0]?.slice(2, 5) ?? "212",
      }));
  } finally {
    await database.shutdown();
  }
}

const junkScenario: Scenario = {
  summary: "junk leads for every client with a form: fake numbers, disposable e-mails, a visitor abroad and a bot burst from one IP",
  usage: "junk [--burst 12] [--url http://localhost:3000]",
  options: { burst: { type: "string" } },
  async run(ctx, v) {
    const burst = Number(str(v.burst) ?? "12");
    if (!Number.isInteger(burst) || burst < 1 || burst > 50) throw new SimulationUsageError("--burst must be 1–50");
    const targets = (await discoverTargets(ctx.config)).filter((t) => t.formKeys.length > 0);
    if (targets.length === 0) {
      ctx.io.err("no client has an active form yet: add one in the agency console (or start on an empty database to get the demo clients)");
      return 1;
    }
    const run = randomBytes(2).toString("hex");
    const n = () => String(Math.floor(1000 + Math.random() * 8000));
    // The fake Lookup reads a number ending in 3333 as internet VoIP; the exchange varies per run.
    const exchange = () => String(200 + Math.floor(Math.random() * 700));
    // Each case its own visitor in the client's state, so only the bot burst trips the velocity rule.
    let visitor = Math.floor(Math.random() * 50_000);
    for (const t of targets) {
      const key = t.formKeys[0]!;
      const zip = t.zips[0]!;
      const ac = t.areaCode;
      const cases: { label: string; fields: Record<string, string>; ip: string }[] = [
        { label: "a real person", fields: { name: "Grace Kim", phone: `+1${ac}555${n()}`, email: `grace.kim.${run}@example.com` }, ip: localIp(zip, visitor++) },
        { label: "a fake number (the Lookup says not valid)", fields: { name: "Test Test", phone: `+1${ac}5550000`, email: `test.${run}@example.com` }, ip: localIp(zip, visitor++) },
        { label: "an internet VoIP number", fields: { name: "Vic Oip", phone: `+1${ac}${exchange()}3333`, email: `vic.${run}@example.com` }, ip: localIp(zip, visitor++) },
        {
          label: "a VoIP number, a disposable e-mail and a visitor in another state",
          fields: { name: "Jay Junk", phone: `+1${ac}${exchange()}3333`, email: `jay.${run}@guerrillamail.com` },
          ip: localIp(/^9[0-6]/.test(zip) ? "10001" : "94103", visitor++),
        },
        { label: "a toll-free number", fields: { name: "Toll Free", phone: `+1800555${n()}`, email: `toll.${run}@example.com` }, ip: localIp(zip, visitor++) },
        { label: "a disposable e-mail", fields: { name: "Dee Sposable", phone: `+1${ac}555${n()}`, email: `dee.${run}@mailinator.com` }, ip: localIp(zip, visitor++) },
        { label: "a role address", fields: { name: "Front Desk", phone: `+1${ac}555${n()}`, email: `info@frontdesk-${run}.com` }, ip: localIp(zip, visitor++) },
        { label: "a visitor abroad", fields: { name: "Far Away", phone: `+1${ac}555${n()}`, email: `far.${run}@example.com` }, ip: "81.2.69.142" },
      ];
      ctx.io.out(`— ${t.client} —`);
      for (const c of cases) {
        const r = await postForm(ctx, key, { ...c.fields, zip, budget: "5000" }, c.ip);
        const [head, ...rest] = answerInWords(r);
        ctx.io.out(`${c.label}: ${c.fields.name} ${c.fields.phone} ${c.fields.email} → ${head}`);
        for (const line of rest) ctx.io.out(line);
      }
      // A bot burst: the same address fills the form again and again within seconds.
      const botIp = `5.188.10.${1 + Math.floor(Math.random() * 250)}`;
      const answers = await Promise.all(
        Array.from({ length: burst }, (_, i) => postForm(ctx, key, { name: `Bot ${i + 1}`, phone: `+1${ac}555${n()}`, email: `bot${i}.${run}@example.com`, zip, budget: "5000" }, botIp)),
      );
      const rejected = answers.filter((a) => a.json?.status === "rejected").length;
      ctx.io.out(`a bot burst: ${burst} leads from ${botIp} at once → ${burst - rejected} qualified, ${rejected} rejected`);
      const worst = answers.find((a) => a.json?.status === "rejected") ?? answers[answers.length - 1]!;
      for (const line of answerInWords(worst)) ctx.io.out(`  ${line}`);
    }
    return 0;
  },
};

const trafficScenario: Scenario = {
  summary: "a realistic stream of form leads and calls for every client with a form or tracking number",
  usage: "traffic [--minutes 3] [--every 2] [--count N] [--url http://localhost:3000]   (--every: seconds between leads, on average)",
  options: { minutes: { type: "string" }, every: { type: "string" }, count: { type: "string" } },
  async run(ctx, v) {
    const minutes = Number(str(v.minutes) ?? "3");
    const every = Number(str(v.every) ?? "2");
    const count = str(v.count) ? Number(str(v.count)) : Infinity;
    if (!(minutes > 0 && minutes <= 120)) throw new SimulationUsageError("--minutes must be between 0 and 120");
    if (!(every >= 0.05 && every <= 600)) throw new SimulationUsageError("--every must be between 0.05 and 600 seconds");
    if (!(count > 0)) throw new SimulationUsageError("--count must be a positive number");
    const targets = await discoverTargets(ctx.config);
    if (targets.length === 0) {
      ctx.io.err("no client has an active form or tracking number yet: add one in the agency console (or start on an empty database to get the demo clients)");
      return 1;
    }
    ctx.io.out(`sending traffic for ${minutes} min to ${ctx.target}: ${targets.map((t) => `${t.client} (${t.formKeys.length} form, ${t.numbers.length} number)`).join(", ")}`);
    const seen = new Map<string, { name: string; phone: string; email: string }[]>();
    const deadline = Date.now() + minutes * 60_000;
    const totals: Record<string, number> = {};
    let sent = 0;
    const quietIo: SimulatorIo = { out: () => {}, err: ctx.io.err, env: ctx.io.env };
    const quiet = createContext(ctx.config, quietIo, { url: ctx.target, "public-url": ctx.publicUrl });
    while (Date.now() < deadline && sent < count) {
      const t = pick(targets);
      const people = seen.get(t.client) ?? [];
      seen.set(t.client, people);
      const p = fakePerson(t.areaCode, people);
      const inArea = Math.random() > 0.12;
      const zip = inArea ? pick(t.zips) : pick(["94105", "60601", "73301", "33101"]);
      let line: string;
      if (t.formKeys.length > 0 && (t.numbers.length === 0 || Math.random() < 0.7)) {
        const visit = fakeVisit(t.site);
        const r = await postForm(ctx, pick(t.formKeys), {
          name: p.name,
          phone: p.phone,
          email: p.email,
          zip,
          budget: String(pick([1500, 3000, 5000, 8000, 12000])),
          // What the tracking snippet (/t.js) puts in its hidden field.
          ll_attribution: JSON.stringify(visit),
        }, localIp(t.zips[0]!, Math.floor(Math.random() * 60_000)));
        const outcome = describeAnswer(r);
        line = `form  ${t.client}: ${p.name}${p.repeat ? " (again)" : ""}, ${zip}, ${visitLabel(visit)} → ${outcome}`;
        totals[outcome.split(" ")[1] ?? outcome] = (totals[outcome.split(" ")[1] ?? outcome] ?? 0) + 1;
      } else {
        const answered = Math.random() > 0.12;
        const seconds = answered ? Math.floor(Math.random() < 0.25 ? 15 + Math.random() * 70 : 95 + Math.random() * 400) : 0;
        // Most callers saw a pool number on a landing page: the snippet asked for it first.
        let to = pick(t.numbers.length ? t.numbers : ["+10000000000"]);
        let seenOn = "";
        if (t.poolKeys.length > 0 && (t.numbers.length === 0 || Math.random() < 0.75)) {
          const visit = fakeVisit(t.site);
          const shown = await askPool(ctx, pick(t.poolKeys), visit);
          if (shown) {
            to = shown.number;
            seenOn = `, saw ${shown.pooled ? "pool" : "default"} number after ${visitLabel(visit)}`;
          }
        }
        const code = await callScenario.run(quiet, {
          to,
          from: p.phone,
          seconds: String(seconds),
          zip,
          status: answered ? "completed" : pick(["no-answer", "busy"]),
          name: p.name.toUpperCase(),
        });
        line = `call  ${t.client}: ${p.phone} → ${to}${seenOn}, ${answered ? `${seconds} s` : "not answered"} → ${code === 0 ? "sent" : "failed"}`;
        totals.call = (totals.call ?? 0) + 1;
      }
      sent++;
      ctx.io.out(line);
      const wait = every * 1000 * (0.4 + Math.random() * 1.2);
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(wait, deadline - Date.now()))));
    }
    ctx.io.out(`done: ${sent} leads sent (${Object.entries(totals).map(([k, n]) => `${k} ${n}`).join(", ")})`);
    return 0;
  },
};

/** Checks a Standard Webhooks signature (any of the space-separated `v1,` values) and the timestamp (±5 min). */
function verifyWebhook(secret: string, id: string, timestamp: string, body: string, signatures: string): string | null {
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > 300) return "timestamp missing or more than 5 minutes off";
  const expected = Buffer.from(signPayload(secret, id, ts, body));
  const ok = signatures.split(" ").some((sig) => {
    const got = Buffer.from(sig);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
  return ok ? null : "signature does not match the secret";
}

const receiverScenario: Scenario = {
  summary: "a local webhook receiver: verifies signatures, answers 2xx (or fails some on purpose), prints what it got",
  usage: "receiver [--port 4000] [--secret whsec_…] [--fail-rate 0.3] [--count N]   (--secret or WEBHOOK_SECRET: the endpoint's signing secret)",
  options: { port: { type: "string" }, secret: { type: "string" }, "fail-rate": { type: "string" }, count: { type: "string" } },
  async run(ctx, v) {
    const port = Number(str(v.port) ?? "4000");
    const failRate = Number(str(v["fail-rate"]) ?? "0");
    const count = str(v.count) ? Number(str(v.count)) : Infinity;
    const secret = str(v.secret) ?? ctx.io.env.WEBHOOK_SECRET ?? null;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SimulationUsageError("--port must be a port number");
    if (!(failRate >= 0 && failRate <= 1)) throw new SimulationUsageError("--fail-rate must be between 0 and 1");
    if (!(count > 0)) throw new SimulationUsageError("--count must be a positive number");
    if (secret !== null && !secret.startsWith("whsec_")) throw new SimulationUsageError("--secret must be the endpoint's whsec_… secret");
    const seen = new Set<string>();
    let received = 0;
    return new Promise<number>((resolve) => {
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          received++;
          const body = Buffer.concat(chunks).toString("utf8");
          const id = String(req.headers["webhook-id"] ?? "");
          const problem = secret ? verifyWebhook(secret, id, String(req.headers["webhook-timestamp"] ?? ""), body, String(req.headers["webhook-signature"] ?? "")) : null;
          let type = "?";
          let what = "";
          try {
            const json = JSON.parse(body) as { type?: string; data?: { lead?: { contact?: { name?: string; phone?: string } } } };
            type = json.type ?? "?";
            const c = json.data?.lead?.contact;
            what = c ? ` ${c.name ?? ""} ${c.phone ?? ""}`.trimEnd() : "";
          } catch {
            what = " (not JSON)";
          }
          const fail = !problem && Math.random() < failRate;
          const status = problem ? 401 : fail ? 503 : 200;
          const repeat = seen.has(id);
          if (status === 200) seen.add(id);
          const verdict = problem ? `REFUSED (${problem})` : !secret ? "not verified (no --secret)" : "signature ok";
          ctx.io.out(`${new Date().toISOString()} ${type}${what} webhook-id ${id}${repeat ? " (seen before: a retry or replay)" : ""} · ${verdict} → ${status}${fail ? " (failing on purpose)" : ""}`);
          res.writeHead(status, { "content-type": "text/plain" });
          res.end(status === 200 ? "ok" : problem ?? "try again");
          if (received >= count) server.close(() => resolve(0));
        });
      });
      server.on("error", (e) => {
        ctx.io.err(`receiver: ${e.message}`);
        resolve(1);
      });
      server.listen(port, "127.0.0.1", () => {
        const a = server.address();
        ctx.io.out(`webhook receiver listening on http://127.0.0.1:${typeof a === "object" && a ? a.port : port}/ (fail rate ${failRate}; ${secret ? "verifying signatures" : "not verifying: pass --secret"}). Ctrl-C to stop.`);
      });
      process.once("SIGINT", () => server.close(() => resolve(0)));
    });
  },
};

/** The registry: add a scenario here. */
export const scenarios: Record<string, Scenario> = {
  call: callScenario,
  form: formScenario,
  traffic: trafficScenario,
  junk: junkScenario,
  receiver: receiverScenario,
};

function usage(): string {
  return [
    "Usage: npm run simulate -- <scenario> [options]",
    "",
    ...Object.entries(scenarios).map(([name, s]) => `  ${name.padEnd(8)} ${s.summary}\n           ${s.usage}`),
    "",
    "Requests are signed with TWILIO_AUTH_TOKEN (unset: the local fake's token the server keeps in DATA_DIR/fake-twilio-token)",
    "over --public-url (default PUBLIC_URL, else --url) and sent to --url (default PUBLIC_URL).",
  ].join("\n");
}

/** TWILIO_AUTH_TOKEN, else the token the server keeps for its local fake Twilio under DATA_DIR. */
function signingToken(config: Config): string {
  const mode = twilioMode(config);
  if (mode === "credentials") return config.TWILIO_AUTH_TOKEN!;
  if (mode === "not-configured") throw new SimulationError("Twilio is not configured (NODE_ENV=production without TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN): the server refuses Twilio webhooks");
  const file = fakeTwilioTokenPath(config.DATA_DIR);
  let stored: string | null;
  try {
    stored = readFakeTwilioToken(config.DATA_DIR);
  } catch (e) {
    throw new SimulationError(e instanceof Error ? e.message : String(e));
  }
  if (!stored) throw new SimulationError(`no local fake Twilio token in ${file} yet: start the server first (npm start) with the same DATA_DIR, or set TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN`);
  return stored;
}

function createContext(config: Config, io: SimulatorIo, v: Values): SimContext {
  const trim = (u: string) => u.replace(/\/+$/, "");
  // Without PUBLIC_URL the server checks signatures against its own address, i.e. --url.
  const publicUrl = trim(str(v["public-url"]) ?? (config.PUBLIC_URL === undefined ? (str(v.url) ?? config.publicUrl) : config.publicUrl));
  const target = trim(str(v.url) ?? publicUrl);
  for (const [flag, u] of [["--url", target], ["--public-url", publicUrl]] as const) {
    if (!/^https?:\/\/[^/]+/.test(u)) throw new SimulationUsageError(`${flag} must be an http(s) URL (got ${u})`);
  }
  let token: string | undefined;
  const ctx: SimContext = {
    config,
    io,
    target,
    publicUrl,
    accountSid: config.TWILIO_ACCOUNT_SID ?? DEFAULT_FAKE_ACCOUNT_SID,
    get authToken() {
      token ??= signingToken(config);
      return token;
    },
    async postTwilio(url, params, note) {
      const authToken = ctx.authToken;
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
      if (res.status === 403 && body.includes("BAD_SIGNATURE") && twilioMode(config) === "local-fake") {
        throw new SimulationError(
          `the server refused the signature (403): it uses another fake Twilio token than ${fakeTwilioTokenPath(config.DATA_DIR)} — run the simulator with the server's DATA_DIR`,
        );
      }
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
