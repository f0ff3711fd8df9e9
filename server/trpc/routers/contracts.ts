import { contractDocumentSchema } from "../../domain/contracts/contract-document";
import { contractHistoryInput, getContractInput, publishContractInput } from "../../domain/contracts/inputs";
import { FIRST_VERSION_CHANGES } from "../../domain/contracts/publish-contract";
import { describeContract, diffContracts } from "../../domain/qualification/describe";
import { requiredClientScope } from "../../domain/auth/scope";
import { agencyProcedure, authedProcedure, router } from "../init";

/**
 * Agency staff name the client; a client user may omit it (its own client is used) and gets
 * 404 for another client's id (requiredClientScope).
 */
export const contractsRouter = router({
  /** The version in force at `at` (default now) and the next scheduled one, or null. */
  get: authedProcedure
    .input(getContractInput)
    .query(({ ctx, input }) => ctx.deps.contracts.get(ctx.actor, requiredClientScope(ctx.actor, input.clientId), input.at ? new Date(input.at) : undefined)),
  /** All versions, newest first, each with plain-English changes from the one before. */
  history: authedProcedure
    .input(contractHistoryInput)
    .query(({ ctx, input }) => ctx.deps.contracts.history(ctx.actor, requiredClientScope(ctx.actor, input.clientId))),
  /** The document is validated by the use case, so its issues carry document paths. */
  publish: agencyProcedure.input(publishContractInput).mutation(({ ctx, input }) => ctx.deps.contracts.publish(ctx.actor, input)),
  /**
   * "Check" in the contract editor: parses the document with the same schema as publish and answers
   * either its issues (document paths) or how it reads and what it would change against the latest
   * version. Writes nothing; a mutation only so a large document travels in the request body.
   */
  preview: agencyProcedure.input(publishContractInput).mutation(async ({ ctx, input }) => {
    const client = await ctx.deps.clients.get(ctx.actor, input.clientId);
    const parsed = contractDocumentSchema.safeParse(input.document);
    if (!parsed.success) {
      return { ok: false as const, issues: parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message })) };
    }
    // Compared as publish would store it: without effectiveFrom it takes effect now.
    const document = { ...parsed.data, effectiveFrom: parsed.data.effectiveFrom ?? ctx.deps.clock.now().toISOString() };
    const [latest] = await ctx.deps.contracts.history(ctx.actor, client.id);
    const opts = { currency: client.currency };
    return {
      ok: true as const,
      description: describeContract(document, opts),
      changes: latest ? diffContracts(latest.document, document, opts) : [...FIRST_VERSION_CHANGES],
      against: latest ? { version: latest.version, effectiveFrom: latest.effectiveFrom } : null,
    };
  }),
});
