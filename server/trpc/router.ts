import { toPublicUser } from "../domain/users/users";
import { createCallerFactory, publicProcedure, router } from "./init";
import { clientsRouter } from "./routers/clients";
import { usersRouter } from "./routers/users";
import { leadsRouter } from "./routers/leads";

export const appRouter = router({
  me: publicProcedure.query(({ ctx }) => (ctx.user ? toPublicUser(ctx.user) : null)),
  clients: clientsRouter,
  users: usersRouter,
  leads: leadsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
export type AppCaller = ReturnType<typeof createCaller>;
