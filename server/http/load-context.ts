import { ipKeyGenerator } from "express-rate-limit";
import type { Deps } from "../deps";
import type { UserRecord } from "../domain/auth/ports";
import { isDomainError } from "../domain/errors";
import { toPublicUser, type PublicUser } from "../domain/users/users";
import { createCaller, type AppCaller } from "../trpc/router";
import { clearSessionCookieHeader, sessionCookieHeader } from "./session-cookie";

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
    /** Signs in; on success returns the Set-Cookie header value. */
    login(email: string, password: string): Promise<{ ok: true; setCookie: string; role: PublicUser["role"] } | { ok: false; status: number; message: string }>;
    /** Revokes the current session and returns the Set-Cookie header that clears it. */
    logout(): Promise<string>;
  };
}

export function buildLoadContext(
  deps: Deps,
  req: { ip?: string; headers: Record<string, string | string[] | undefined> },
  user: UserRecord | null,
  token: string | null,
  cspNonce = "",
): LeadLedgerLoadContext {
  const secure = deps.config.publicUrl.startsWith("https://");
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
          const ua = req.headers["user-agent"];
          // IPv6 addresses are throttled by their /56 network (one host can hold many of its addresses).
          const ip = req.ip ? ipKeyGenerator(req.ip) : null;
          const r = await deps.auth.login({ email, password, ip, userAgent: typeof ua === "string" ? ua : null });
          const maxAgeSeconds = Math.floor((r.expiresAt.getTime() - deps.clock.now().getTime()) / 1000);
          return { ok: true, setCookie: sessionCookieHeader(r.token, { secure, maxAgeSeconds }), role: r.user.role };
        } catch (e) {
          if (isDomainError(e) && e.code === "RATE_LIMITED") return { ok: false, status: 429, message: e.message };
          if (isDomainError(e) && e.code === "UNAUTHENTICATED") return { ok: false, status: 401, message: e.message };
          throw e;
        }
      },
      async logout() {
        await deps.auth.logout(token);
        return clearSessionCookieHeader({ secure });
      },
    },
  };
}
