import type { Clock } from "../shared/clock";
import { placeOfZip } from "../leads/zip-places";
import { checkEmail } from "./email";
import type { SignalInputs } from "./inputs";
import type { ConsentVerifier, IpLocator, PhoneLineInfo, PhoneLookup, PhoneLookupCache } from "./ports";
import type { ConsentClaim, ConsentSignal, EmailSignal, IpSignal, LeadSignals, PhoneSignal, VelocitySignal } from "./signals";

/**
 * The intake checks that run before the lead's transaction (docs/decisions/021-intake-signals.md):
 * the phone lookup (cached, budgeted, bounded by `budgetMs`), the e-mail checks, the IP's place and
 * the consent certificate claim. Velocity is counted inside the transaction (VelocityCounter).
 * Never throws for a failing outside service: the signal says "unavailable" instead, so a lead is
 * never lost and never waits beyond the budget.
 */
export interface SignalDeps {
  phoneLookup: PhoneLookup | null;
  cache: PhoneLookupCache;
  ipLocator: IpLocator;
  consent: ConsentVerifier | null;
  clock: Clock;
  /** The most the checks may add to an intake request (phone lookup and certificate claim run side by side). */
  budgetMs: number;
  cacheDays: number;
}

/** Everything but velocity, gathered before the transaction. */
export interface GatheredSignals {
  phone: PhoneSignal;
  email: EmailSignal;
  ip: Omit<IpSignal, "matchesZipState">;
  consent: ConsentSignal;
}

const UNAVAILABLE: PhoneSignal = { status: "unavailable", valid: null, lineType: null, carrier: null };

function checked(info: PhoneLineInfo, cached: boolean): PhoneSignal {
  return { status: "checked", valid: info.valid, lineType: info.valid ? info.lineType : null, carrier: info.valid ? info.carrier : null, ...(cached ? { cached: true } : {}) };
}

/** Resolves with `fallback` when `p` has not settled within `ms` (or rejects). */
function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    timer.unref?.();
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

async function phoneSignal(deps: SignalDeps, clientId: string, phone: string, deadline: number): Promise<PhoneSignal> {
  const now = deps.clock.now();
  const hit = await deps.cache.get(phone, new Date(now.getTime() - deps.cacheDays * 86_400_000));
  if (hit) return checked(hit, true);
  if (!deps.phoneLookup) return UNAVAILABLE;
  const grant = await deps.cache.takeBudget(clientId, now.toISOString().slice(0, 10));
  if (grant !== "granted") return { status: grant, valid: null, lineType: null, carrier: null };
  const info = await deps.phoneLookup.lookup(phone, Math.max(1, deadline - Date.now()));
  // Cached even when the lead has already been judged without it: the next lead with this number gains.
  await deps.cache.put(phone, info, now).catch(() => undefined);
  return checked(info, false);
}

export async function gatherSignals(
  deps: SignalDeps,
  input: { clientId: string; phone: string | null; rawPhone: string | null; phoneValid: boolean; email: string | null; inputs: SignalInputs },
): Promise<GatheredSignals> {
  const deadline = Date.now() + deps.budgetMs;
  const phone: Promise<PhoneSignal> = input.phone
    ? within(phoneSignal(deps, input.clientId, input.phone, deadline), deps.budgetMs, UNAVAILABLE)
    : Promise.resolve(
        input.rawPhone && !input.phoneValid
          ? { status: "not_dialable", valid: false, lineType: null, carrier: null }
          : { status: "no_phone", valid: null, lineType: null, carrier: null },
      );
  const certUrl = input.inputs.trustedFormCertUrl;
  const claim: Promise<ConsentClaim | null> = !certUrl
    ? Promise.resolve(null)
    : deps.consent
      ? within(deps.consent.claim(certUrl, deps.budgetMs), deps.budgetMs, { status: "unavailable" })
      : Promise.resolve({ status: "not_configured" });
  const ip = input.inputs.ip;
  const place = ip ? deps.ipLocator.locate(ip) : null;
  const [phoneResult, claimResult] = await Promise.all([phone, claim]);
  return {
    phone: phoneResult,
    email: checkEmail(input.email),
    ip: { address: ip, status: !ip ? "no_ip" : place ? "located" : "unknown", country: place?.country ?? null, region: place?.region ?? null, city: place?.city ?? null },
    consent: { trustedFormCertUrl: certUrl, jornayaLeadId: input.inputs.jornayaLeadId, claim: claimResult },
  };
}

/** The full signals once velocity is counted: the IP's state compared with the lead's ZIP. */
export function completeSignals(g: GatheredSignals, velocity: VelocitySignal, zip: string | null): LeadSignals {
  const zipState = placeOfZip(zip)?.state ?? null;
  const matchesZipState =
    g.ip.status !== "located" || g.ip.country === null ? null : g.ip.country !== "US" ? false : g.ip.region && zipState ? g.ip.region === zipState : null;
  return { ...g, ip: { ...g.ip, matchesZipState }, velocity };
}
