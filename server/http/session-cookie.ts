import type { Request } from "express";

export const SESSION_COOKIE = "ll_session";

export function readSessionToken(req: Request): string | null {
  const v = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  return typeof v === "string" && v.length > 0 ? v : null;
}

export function sessionCookieHeader(token: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  const parts = [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${opts.maxAgeSeconds}`];
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearSessionCookieHeader(opts: { secure: boolean }): string {
  const parts = [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

/** The second sign-in step's challenge (two-factor): its own short-lived cookie (Path=/: the login action is also reached as /login.data). */
export const CHALLENGE_COOKIE = "ll_signin_step";

export function readChallengeToken(cookies: Record<string, string> | undefined): string | null {
  const v = cookies?.[CHALLENGE_COOKIE];
  return typeof v === "string" && v.length > 0 && v.length <= 200 ? v : null;
}

export function challengeCookieHeader(token: string | null, opts: { secure: boolean; maxAgeSeconds: number }): string {
  const parts = [`${CHALLENGE_COOKIE}=${token ?? ""}`, "Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${token ? opts.maxAgeSeconds : 0}`];
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}
