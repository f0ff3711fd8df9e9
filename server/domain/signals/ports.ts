import type { ConsentClaim, PhoneSignal, VelocitySignal } from "./signals";

/** What a phone lookup found (Twilio Lookup v2 with line type intelligence). */
export interface PhoneLineInfo {
  valid: boolean;
  lineType: string | null;
  carrier: string | null;
}

/** Twilio Lookup; rejects on an error or when `timeoutMs` passes. */
export interface PhoneLookup {
  lookup(e164: string, timeoutMs: number): Promise<PhoneLineInfo>;
}

/** Lookups already paid for, per number (shared by all clients: a line type is no client's data). */
export interface PhoneLookupCache {
  get(e164: string, since: Date): Promise<PhoneLineInfo | null>;
  put(e164: string, info: PhoneLineInfo, at: Date): Promise<void>;
  /**
   * Takes one lookup from the client's daily budget (`day` as YYYY-MM-DD, UTC): "granted", or why
   * not ("off": lookups are off for the client; "budget_spent"). Atomic: concurrent leads never
   * take more than the budget.
   */
  takeBudget(clientId: string, day: string): Promise<"granted" | "off" | "budget_spent">;
}

export interface IpPlace {
  country: string | null;
  region: string | null;
  city: string | null;
}

/** IP to place from data shipped with the install (no network); null when the address is unknown or private. */
export interface IpLocator {
  locate(ip: string): IpPlace | null;
}

/** Claims a TrustedForm certificate (its own API); never rejects: failures come back as a claim status. */
export interface ConsentVerifier {
  claim(certUrl: string, timeoutMs: number): Promise<ConsentClaim>;
}

/** The velocity keys of one lead (all scoped to its client). */
export interface VelocityKeys {
  clientId: string;
  ip: string | null;
  phone: string | null;
  deviceId: string | null;
  isTest: boolean;
}

/** Counts a lead into its velocity buckets and reads the windows, inside the intake transaction. */
export interface VelocityCounter {
  countVelocity(keys: VelocityKeys, at: Date): Promise<VelocitySignal>;
}

export type { PhoneSignal };
