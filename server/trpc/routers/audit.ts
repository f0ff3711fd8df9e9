import { auditListInput } from "../../domain/reports/inputs";
import { agencyAdminProcedure, router } from "../init";

/** The audit log: agency admins only. */
export const auditRouter = router({
  /** Newest first; filters by actor e-mail (part), client, record type and id; keyset `cursor`. */
  list: agencyAdminProcedure.input(auditListInput).query(({ ctx, input }) => ctx.deps.audit.list(ctx.actor, input)),
});
