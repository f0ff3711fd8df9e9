import { toPublicUser } from "../domain/users/users";
import { createCallerFactory, publicProcedure, router } from "./init";
import { clientsRouter } from "./routers/clients";
import { usersRouter } from "./routers/users";
import { leadsRouter } from "./routers/leads";
import { invoicesRouter } from "./routers/invoices";
import { ledgerRouter } from "./routers/ledger";
import { disputesRouter } from "./routers/disputes";
import { apiKeysRouter } from "./routers/apiKeys";
import { campaignsRouter } from "./routers/campaigns";
import { contractsRouter } from "./routers/contracts";
import { formsRouter } from "./routers/forms";
import { trackingNumbersRouter } from "./routers/trackingNumbers";
import { alertRecipientsRouter } from "./routers/alertRecipients";
import { alertsRouter } from "./routers/alerts";
import { reportsRouter } from "./routers/reports";
import { auditRouter } from "./routers/audit";
import { emailNotificationsRouter, webhooksRouter } from "./routers/webhooks";
import { postingSpecsRouter } from "./routers/postingSpecs";
import { attributionRouter } from "./routers/attribution";

export const appRouter = router({
  me: publicProcedure.query(({ ctx }) => (ctx.user ? toPublicUser(ctx.user) : null)),
  clients: clientsRouter,
  users: usersRouter,
  leads: leadsRouter,
  ledger: ledgerRouter,
  invoices: invoicesRouter,
  disputes: disputesRouter,
  contracts: contractsRouter,
  campaigns: campaignsRouter,
  forms: formsRouter,
  apiKeys: apiKeysRouter,
  trackingNumbers: trackingNumbersRouter,
  alertRecipients: alertRecipientsRouter,
  alerts: alertsRouter,
  reports: reportsRouter,
  audit: auditRouter,
  postingSpecs: postingSpecsRouter,
  webhooks: webhooksRouter,
  emailNotifications: emailNotificationsRouter,
  attribution: attributionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
export type AppCaller = ReturnType<typeof createCaller>;
