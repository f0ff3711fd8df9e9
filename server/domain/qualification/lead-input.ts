/**
 * The normalized lead the qualification engine judges, and the facts about the world it needs.
 *
 * Intake (forms, API, Twilio) normalizes into this shape: phone parsed to E.164 with
 * libphonenumber-js, email trimmed and lower-cased, ZIP and state as received (the engine
 * tolerates "10001-1234", " ny " and the like). The engine itself never touches the database or
 * the clock: everything time- or history-dependent arrives in `JudgementFacts`.
 */

import type { LeadSignals } from "../signals/signals";

export type LeadSource = "form" | "api" | "call";

export interface CallFacts {
  /** Twilio DialCallDuration: seconds the two sides talked; null when not (yet) known. */
  conversationSeconds: number | null;
  /** Twilio DialCallStatus ("completed", "answered", "busy", "no-answer", "failed", "canceled"); null when not known. */
  dialStatus: string | null;
}

export interface LeadForJudgement {
  source: LeadSource;
  name?: string | null;
  /** E.164 when the given phone could be parsed, else null. */
  phone?: string | null;
  /** The phone exactly as given, for evidence and for the "invalid phone" reason. */
  rawPhone?: string | null;
  /** False when a phone was given but could not be parsed; true otherwise (also when no phone was given). */
  phoneValid: boolean;
  email?: string | null;
  zip?: string | null;
  /** Two-letter US state code, as the lead gave it (form field, Twilio's FromState). */
  state?: string | null;
  /**
   * Where the ZIP dataset puts `zip`, looked up at intake (server/domain/leads/zip-places.ts); null
   * when the ZIP is not a known US ZIP. When present, its state is the lead's state for the service
   * area and for predicates on `state`. Absent in evidence stored before the lookup existed, so
   * replaying an old verdict reads the lead exactly as it was judged.
   */
  zipPlace?: { state: string; city: string } | null;
  /** Custom fields, e.g. `{ budget: "5000" }`; form values usually arrive as strings. */
  fields: Record<string, unknown>;
  receivedAt: Date;
  /** True when the form's hidden honeypot field came back filled in. */
  honeypotFilled: boolean;
  /** Present for call leads. */
  call?: CallFacts | null;
  /**
   * What the intake checks found (phone, e-mail, IP, velocity, consent); absent for calls and for
   * leads stored before the checks existed, whose replay then reads them as they were judged.
   */
  signals?: LeadSignals | null;
}

export interface EarlierDuplicate {
  leadId: string;
  matchedOn: "phone" | "email";
  receivedAt: Date;
}

export interface JudgementFacts {
  /** The client's IANA time zone, e.g. "America/New_York"; business hours are read in it. */
  timezone: string;
  /**
   * The most recent earlier lead of the same client with the same phone or email, as found by the
   * database layer, or null. The engine turns it into a DUPLICATE reason only when the contract has
   * a duplicate rule naming `matchedOn` and the earlier lead is inside the rule's window.
   */
  earlierDuplicate: EarlierDuplicate | null;
}
