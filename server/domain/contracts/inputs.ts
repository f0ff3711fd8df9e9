import { z } from "zod";

/**
 * Inputs of the contract use cases, shared by tRPC, the CLI and the portal. The document itself is
 * parsed by the use case with `contractDocumentSchema`, so its issues carry paths relative to the
 * document (["qualification","serviceArea","zips",3]), wherever it came from.
 */
export const publishContractInput = z.object({
  clientId: z.uuid(),
  document: z.unknown(),
});
export type PublishContractInput = z.input<typeof publishContractInput>;

/** Agency staff name the client; a client user's own client is used when it is omitted. */
export const getContractInput = z.object({
  clientId: z.uuid().optional(),
  /** The moment to look at (default now). */
  at: z.iso.datetime({ offset: true }).optional(),
});
export type GetContractInput = z.input<typeof getContractInput>;

export const contractHistoryInput = z.object({ clientId: z.uuid().optional() });
export type ContractHistoryInput = z.input<typeof contractHistoryInput>;
