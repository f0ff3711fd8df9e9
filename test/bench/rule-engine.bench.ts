import { contractDocumentSchema } from "../../server/domain/contracts/contract-document";
import { compileContract, evaluate } from "../../server/domain/qualification/evaluate";
import type { JudgementFacts, LeadForJudgement } from "../../server/domain/qualification/lead-input";
import { runAlone } from "./run-alone";

/**
 * Rule engine throughput: a realistic contract (200 ZIPs, two states, duplicates, blocked lists,
 * 3 custom predicates, business hours in America/New_York) against 10 000 varied leads, evaluated
 * repeatedly for about two seconds; plus a baseline (one Set lookup per lead) in the same run.
 * Prints figures and a ratio; never fails on speed.
 */

const LEADS = 10_000;
const RUN_MS = 2_000;
const BASELINE_MS = 500;

/** Small deterministic PRNG (mulberry32) so every run judges the same leads. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function buildContract() {
  const zips: string[] = [];
  for (let z = 10001; zips.length < 150; z++) zips.push(String(z)); // a consecutive run
  for (let z = 11201; zips.length < 200; z += 3) zips.push(String(z)); // and scattered ZIPs
  const weekday: [string, string][] = [["08:00", "18:00"]];
  const document = contractDocumentSchema.parse({
    qualification: {
      requiredFields: ["phone", "zip"],
      serviceArea: { zips, states: ["NY", "NJ"] },
      minCallSeconds: 90,
      businessHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [["09:00", "13:00"]] },
      duplicate: { windowDays: 30, fields: ["phone", "email"] },
      blocked: { phones: ["+12125550100", "+12125550101"], emails: ["spam@example.com"], emailDomains: ["mailinator.com", "guerrillamail.com"] },
      custom: [
        { field: "budget", op: "min", value: 5000 },
        { field: "service", op: "in", value: ["roof", "siding", "gutters", "windows"] },
        { field: "permit", op: "matches", value: "^P-\\d{4}$" },
      ],
    },
    pricing: { leadPriceCents: 7500, monthlyCap: { leads: 200 } },
  });
  return { id: "cv_bench", document, zips };
}

function buildLeads(zips: readonly string[]): { lead: LeadForJudgement; facts: JudgementFacts }[] {
  const rnd = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = Date.UTC(2026, 11, 1, 5, 0); // 1 Dec 2026 00:00 in New York
  const services = ["roof", "Siding", "gutters", "windows", "roof", "siding", "gutters", "windows", "solar"];
  const domains = ["example.com", "gmail.com", "yahoo.com", "outlook.com", "icloud.com", "gmail.com", "example.com", "yahoo.com", "gmail.com", "mailinator.com", "eu.mailinator.com"];
  const out: { lead: LeadForJudgement; facts: JudgementFacts }[] = [];
  for (let i = 0; i < LEADS; i++) {
    const isCall = rnd() < 0.3;
    const inArea = rnd() < 0.85;
    const phoneValid = rnd() < 0.95;
    const phone = `+1212555${String(Math.floor(rnd() * 10_000)).padStart(4, "0")}`;
    // Two weeks; three leads in four arrive on a weekday between 08:00 and 18:00 New York time.
    const day = Math.floor(rnd() * 14);
    const offHours = rnd() < 0.25 || day % 7 === 5 || day % 7 === 6; // 5 and 6 December 2026 are a weekend
    const minuteOfDay = offHours ? Math.floor(rnd() * 1440) : 480 + Math.floor(rnd() * 600);
    const receivedAt = new Date(start + day * 86_400_000 + minuteOfDay * 60_000);
    const lead: LeadForJudgement = {
      source: isCall ? "call" : rnd() < 0.7 ? "form" : "api",
      name: rnd() < 0.9 ? `Lead ${i}` : null,
      phone: phoneValid ? phone : null,
      rawPhone: phoneValid ? phone : "555-CALL",
      phoneValid,
      email: isCall ? null : `person${i}@${pick(domains)}`,
      zip: isCall && rnd() < 0.5 ? null : inArea ? pick(zips) : String(90_000 + Math.floor(rnd() * 9_999)),
      state: rnd() < 0.5 ? pick(["NY", "NJ", "CA", "ny"]) : null,
      fields: isCall
        ? {}
        : {
            budget: rnd() < 0.05 ? undefined : String(Math.floor(rnd() * 25_000)),
            service: pick(services),
            permit: rnd() < 0.9 ? `P-${String(Math.floor(rnd() * 10_000)).padStart(4, "0")}` : "none",
          },
      receivedAt,
      honeypotFilled: rnd() < 0.01,
      call: isCall ? { conversationSeconds: Math.floor(rnd() * 600), dialStatus: rnd() < 0.95 ? "completed" : "busy" } : null,
    };
    const duplicate = rnd() < 0.08;
    const facts: JudgementFacts = {
      timezone: "America/New_York",
      earlierDuplicate: duplicate
        ? { leadId: `lead_${i - 1}`, matchedOn: rnd() < 0.5 ? "phone" : "email", receivedAt: new Date(receivedAt.getTime() - Math.floor(rnd() * 60) * 86_400_000) }
        : null,
    };
    out.push({ lead, facts });
  }
  return out;
}

/** Runs `pass` over all leads until `ms` have passed; returns leads per second. */
function measure(ms: number, pass: () => number): { perSecond: number; sink: number } {
  let sink = 0;
  let count = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms) {
    sink += pass();
    count += LEADS;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return { perSecond: (count / elapsed) * 1000, sink };
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

export async function benchRuleEngine(): Promise<{ name: string; lines: string[] }> {
  const version = buildContract();
  const inputs = buildLeads(version.zips);
  const zipSet = new Set(version.zips);
  const compiled = compileContract(version);

  // Warm up the JIT and the compiled-contract and time-zone caches.
  let qualified = 0;
  let reasons = 0;
  const byCode = new Map<string, number>();
  for (const { lead, facts } of inputs) {
    const v = evaluate(version, lead, facts);
    if (v.qualified) qualified++;
    reasons += v.reasons.length;
    for (const r of v.reasons) byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1);
  }
  const mix = [...byCode.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${((n / LEADS) * 100).toFixed(0)}%`)
    .join(", ");
  measure(200, () => inputs.reduce((n, { lead, facts }) => n + compiled.evaluate(lead, facts).reasons.length, 0));

  const engine = measure(RUN_MS, () => {
    let n = 0;
    for (let i = 0; i < inputs.length; i++) {
      const { lead, facts } = inputs[i]!;
      if (evaluate(version, lead, facts).qualified) n++;
    }
    return n;
  });
  const baseline = measure(BASELINE_MS, () => {
    let n = 0;
    for (let i = 0; i < inputs.length; i++) {
      const zip = inputs[i]!.lead.zip;
      if (zip != null && zipSet.has(zip)) n++;
    }
    return n;
  });

  return {
    name: "rule engine",
    lines: [
      `contract: 200 ZIPs + 2 states, duplicates, blocked lists, 3 custom predicates, business hours (America/New_York)`,
      `leads: ${fmt(LEADS)} varied (${fmt(qualified)} qualified, ${(reasons / LEADS).toFixed(2)} reasons per lead on average)`,
      `reasons seen: ${mix}`,
      `evaluate(): ${fmt(engine.perSecond)} evaluations/s (${(1e6 / engine.perSecond).toFixed(2)} µs each)`,
      `baseline, one Set lookup per lead: ${fmt(baseline.perSecond)} lookups/s`,
      `ratio: the engine costs ${(baseline.perSecond / engine.perSecond).toFixed(1)}× a bare Set lookup`,
      `checksum: ${engine.sink + baseline.sink}`,
    ],
  };
}

runAlone(module, benchRuleEngine);
