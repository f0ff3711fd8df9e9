import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { TRPCError } from "@trpc/server";

type User = NonNullable<AppLoadContext["user"]>;

/** Sends anonymous visitors to /login (remembering where they were going). */
export function requireUser(context: AppLoadContext, request: Request): User {
  if (!context.user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return context.user;
}

export function requireAgency(context: AppLoadContext, request: Request): User {
  const user = requireUser(context, request);
  if (user.role !== "agency_admin" && user.role !== "agency_staff") {
    throw new Response("This area is for agency staff. Your account belongs to a client portal.", { status: 403 });
  }
  return user;
}

export function requireClientUser(context: AppLoadContext, request: Request): User & { clientId: string } {
  const user = requireUser(context, request);
  if (!user.clientId) throw new Response("The client portal is for client accounts. Agency staff use the console.", { status: 403 });
  return user as User & { clientId: string };
}

const STATUS: Record<string, number> = { NOT_FOUND: 404, FORBIDDEN: 403, UNAUTHORIZED: 401 };

export interface FormFailure {
  ok: false;
  message: string;
  fieldErrors: Record<string, string>;
}

/**
 * Turns a tRPC error from a server-side call into what a form shows (message + per-field errors).
 * Not-found / forbidden become error pages instead.
 */
export function formFailure(e: unknown): FormFailure {
  if (e instanceof TRPCError) {
    if (STATUS[e.code]) throw new Response(e.message, { status: STATUS[e.code] });
    const fieldErrors: Record<string, string> = {};
    const cause = e.cause as { issues?: { path: (string | number)[]; message: string }[] } | undefined;
    for (const issue of cause?.issues ?? []) {
      const key = issue.path.join(".");
      if (key && !fieldErrors[key]) fieldErrors[key] = issue.message;
    }
    return { ok: false, message: e.code === "BAD_REQUEST" ? "Please correct the highlighted fields." : e.message, fieldErrors };
  }
  throw e;
}

/** Loader-side: a tRPC NOT_FOUND/FORBIDDEN becomes the matching error page. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof TRPCError && STATUS[e.code]) throw new Response(e.message, { status: STATUS[e.code] });
    throw e;
  }
}
