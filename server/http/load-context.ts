import { ipKeyGenerator } from "express-rate-limit";
import type { Deps } from "../deps";
import type { UserRecord } from "../domain/auth/ports";
import { isDomainError } from "../domain/errors";
import { toPublicUser, type PublicUser } from "../domain/users/users";
import { createCaller, type AppCaller } from "../trpc/router";
import { challengeCookieHeader, clearSessionCookieHeader, readChallengeToken, sessionCookieHeader } from "./session-cookie";

/**
 * What Remix loaders and actions receive as `context`. Route modules import only the *type*,
 * so the server code (and its pool) is never bundled into the Remix build.
 */
export interface LeadLedgerLoadContext {
  user: PublicUser | null;
  /** tRPC server-side caller with the same session: loaders call routers, not HTTP. */
  caller: AppCaller;
  agencyName: string;
  publicUrl: string;
  /** The nonce the page's inline scripts carry (the CSP allows scripts from 'self' and with this nonce). */
  cspNonce: string;
  /** The server's "now" for this request (deps.clock: follows CLOCK_OFFSET_DAYS); pages use it, never `new Date()`. */
  now: Date;
  session: {
    /**
     * Signs in; on success returns the Set-Cookie header value. An account with two-factor on
     * answers `code: true` with the cookie of the code step instead of a session.
     */
    login(email: string, password: string): Promise<SignInAnswer>;
    /** The code step: the challenge cookie of this request and a TOTP or recovery code. `restart`: back to the password. */
    verifyCode(code: string): Promise<SignInAnswer & { restart?: boolean }>;
    /** Whether this request carries an open code step. */
    codeStepOpen: boolean;
    /** Always the same answer whether or not the address has an account (RATE_LIMITED aside). */
    requestPasswordReset(email: string): Promise<{ ok: true } | { ok: false; status: number; message: string }>;
    resetLinkIsOpen(token: string): Promise<boolean>;
    resetPassword(token: string, password: string): Promise<{ ok: true; email: string } | { ok: false; status: number; message: string; fieldErrors: Record<string, string> }>;
    /** Revokes the current session and returns the Set-Cookie header that clears it. */
    logout(): Promise<string>;
  };
}

type SignInAnswer =
  | { ok: true; setCookie: string[]; role: PublicUser["role"] }
  | { ok: false; code: true; setCookie: string[] }
  | { ok: false; code?: false; status: number; message: string; setCookie?: string[] };

/** A domain refusal of a sign-in or reset as the page shows it; anything else is rethrown. */
function refusal(e: unknown): { ok: false; status: number; message: string } {
  if (isDomainError(e) && e.code === "RATE_LIMITED") return { ok: false, status: 429, message: e.message };
  if (isDomainError(e) && e.code === "UNAUTHENTICATED") return { ok: false, status: 401, message: e.message };
  if (isDomainError(e) && e.code === "NOT_FOUND") return { ok: false, status: 404, message: e.message };
  if (isDomainError(e) && e.code === "VALIDATION_FAILED") return { ok: false, status: 400, message: e.message };
  throw e;
}

export function buildLoadContext(
  deps: Deps,
  req: { ip?: string; headers: Record<string, string | string[] | undefined>; cookies?: Record<string, string> },
  user: UserRecord | null,
  token: string | null,
  cspNonce = "",
): LeadLedgerLoadContext {
  const secure = deps.config.publicUrl.startsWith("https://");
  const ua = req.headers["user-agent"];
  const userAgent = typeof ua === "string" ? ua : null;
  // IPv6 addresses are throttled by their /56 network (one host can hold many of its addresses).
  const ip = req.ip ? ipKeyGenerator(req.ip) : null;
  const challenge = readChallengeToken(req.cookies);
  const signedIn = (r: { token: string; expiresAt: Date; user: UserRecord }): SignInAnswer => {
    const maxAgeSeconds = Math.floor((r.expiresAt.getTime() - deps.clock.now().getTime()) / 1000);
    return { ok: true, setCookie: [sessionCookieHeader(r.token, { secure, maxAgeSeconds }), challengeCookieHeader(null, { secure, maxAgeSeconds: 0 })], role: r.user.role };
  };
  return {
    user: user ? toPublicUser(user) : null,
    caller: createCaller({ deps, user }),
    agencyName: deps.config.AGENCY_NAME,
    publicUrl: deps.config.publicUrl,
    now: deps.clock.now(),
    cspNonce,
    session: {
      async login(email, password) {
        try {
          const r = await deps.auth.login({ email, password, ip, userAgent });
          if (r.kind === "second_factor") {
            const maxAgeSeconds = Math.floor((r.expiresAt.getTime() - deps.clock.now().getTime()) / 1000);
            return { ok: false, code: true, setCookie: [challengeCookieHeader(r.challenge, { secure, maxAgeSeconds })] };
          }
          return signedIn(r);
        } catch (e) {
          return refusal(e);
        }
      },
      codeStepOpen: challenge !== null,
      async verifyCode(code) {
        try {
          return signedIn(await deps.auth.verifySecondFactor({ challenge, code, ip, userAgent }));
        } catch (e) {
          const restart = isDomainError(e) && e.details?.restart === true;
          return { ...refusal(e), restart, setCookie: restart ? [challengeCookieHeader(null, { secure, maxAgeSeconds: 0 })] : undefined };
        }
      },
      async requestPasswordReset(email) {
        try {
          await deps.auth.requestPasswordReset({ email, ip });
          return { ok: true };
        } catch (e) {
          return refusal(e);
        }
      },
      resetLinkIsOpen: (token) => deps.auth.resetLinkIsOpen(token),
      async resetPassword(token, password) {
        try {
          const r = await deps.auth.resetPassword({ token, password });
          return { ok: true, email: r.email };
        } catch (e) {
          const issues = isDomainError(e) ? (e.issues ?? []) : [];
          return { ...refusal(e), fieldErrors: Object.fromEntries(issues.map((i) => [i.path.join("."), i.message])) };
        }
      },
      async logout() {
        await deps.auth.logout(token);
        return clearSessionCookieHeader({ secure });
      },
    },
  };
}
