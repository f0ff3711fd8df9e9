import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Deps } from "../deps";
import type { UserRecord } from "../domain/auth/ports";
import { actorFromUser, type Actor } from "../domain/auth/roles";
import { requireAgency, requireAgencyAdmin } from "../domain/auth/scope";
import { DomainError, isDomainError } from "../domain/errors";
import { clientCausedDatabaseError } from "../db/pg-errors";
import { toTRPCError } from "./errors";

export interface TrpcContext {
  deps: Deps;
  user: UserRecord | null;
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const domainCode = cause instanceof DomainError ? cause.code : null;
    const issues =
      cause instanceof DomainError
        ? cause.issues
        : cause instanceof ZodError
          ? cause.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
          : undefined;
    return { ...shape, data: { ...shape.data, domainCode, issues, stack: undefined } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Turns domain errors into tRPC errors at the edge; everything else passes through. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    const domain = isDomainError(cause) ? cause : clientCausedDatabaseError(cause);
    if (domain) throw toTRPCError(domain);
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  const actor: Actor = actorFromUser(ctx.user);
  return next({ ctx: { ...ctx, user: ctx.user, actor } });
});

/** Agency staff (the checks are server/domain/auth/scope.ts, as everywhere). */
export const agencyProcedure = authedProcedure.use(({ ctx, next }) => {
  const actor = ctx.actor;
  requireAgency(actor, "Agency staff only.");
  return next({ ctx: { ...ctx, actor } });
});

export const agencyAdminProcedure = agencyProcedure.use(({ ctx, next }) => {
  requireAgencyAdmin(ctx.actor, "Agency admins only.");
  return next();
});

/** Client users only; `clientId` comes from the session, never from input. */
export const clientProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.actor.kind !== "client") throw new TRPCError({ code: "FORBIDDEN", message: "Client users only." });
  return next({ ctx: { ...ctx, actor: ctx.actor, clientId: ctx.actor.clientId } });
});
