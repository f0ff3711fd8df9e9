import type { AuditLog } from "../audit/audit";
import type { Actor } from "../auth/roles";
import { DomainError } from "../errors";
import { createClientInput, updateClientInput, type CreateClientInput, type UpdateClientInput } from "./inputs";
import { parseInput } from "../shared/parse";
import { canReach, ownClientId, requireAgency } from "../auth/scope";

export interface ClientRecord {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  phoneCountry: string;
  status: "active" | "paused" | "archived";
  alertRouting: "everyone" | "round_robin";
  alertTemplate: string | null;
  /** Bill-to details on invoices; null prints the client's name only. */
  legalName: string | null;
  billingAddress: string | null;
  taxId: string | null;
  /** Days from issue to due date (net 15 by default). */
  paymentTermsDays: number;
  /** Phone lookups at intake (docs/decisions/021-intake-signals.md). */
  phoneLookupEnabled: boolean;
  phoneLookupDailyBudget: number;
  createdAt: Date;
}

export interface ClientRepository {
  insert(c: { name: string; timezone: string; currency: string; phoneCountry: string }): Promise<ClientRecord>;
  list(): Promise<ClientRecord[]>;
  findById(id: string): Promise<ClientRecord | null>;
  findByName(name: string): Promise<ClientRecord | null>;
  update(id: string, patch: Partial<Omit<ClientRecord, "id" | "createdAt">>): Promise<ClientRecord | null>;
  /**
   * Whether the client has any ledger entry. Locks the client's row first (FOR UPDATE), so a
   * concurrent first entry, whose foreign-key check needs a share lock on that row, waits for us.
   */
  lockAndHasLedgerEntries(clientId: string): Promise<boolean>;
  /** Every client gets a default campaign so API leads without a campaign have a home. */
  ensureDefaultCampaign(clientId: string): Promise<void>;
}

export interface ClientDeps {
  clients: ClientRepository;
  audit: AuditLog;
  /** Runs fn in one transaction with repositories bound to it. */
  transaction<T>(fn: (deps: { clients: ClientRepository; audit: AuditLog }) => Promise<T>): Promise<T>;
}

export async function createClient(deps: ClientDeps, actor: Actor, raw: CreateClientInput): Promise<ClientRecord> {
  const input = parseInput(createClientInput, raw);
  return deps.transaction(async (tx) => {
    if (await tx.clients.findByName(input.name)) {
      throw new DomainError("CONFLICT", `A client named "${input.name}" already exists.`, {
        issues: [{ path: ["name"], message: "is already used by another client" }],
      });
    }
    const client = await tx.clients.insert(input);
    await tx.clients.ensureDefaultCampaign(client.id);
    await tx.audit.record(actor, { clientId: client.id, action: "client.created", entityType: "client", entityId: client.id, after: client });
    return client;
  });
}

/** Client users only ever see their own client; a foreign id is NOT_FOUND, not FORBIDDEN. */
export async function getClient(deps: Pick<ClientDeps, "clients">, actor: Actor, id: string): Promise<ClientRecord> {
  if (!canReach(actor, id)) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  const client = await deps.clients.findById(id);
  if (!client) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
  return client;
}

export async function listClients(deps: Pick<ClientDeps, "clients">, actor: Actor): Promise<ClientRecord[]> {
  const ownId = ownClientId(actor);
  if (ownId !== null) {
    const own = await deps.clients.findById(ownId);
    return own ? [own] : [];
  }
  return deps.clients.list();
}

export async function updateClient(deps: ClientDeps, actor: Actor, raw: UpdateClientInput): Promise<ClientRecord> {
  const { id, ...patch } = parseInput(updateClientInput, raw);
  requireAgency(actor, "Only agency staff can change a client.");
  return deps.transaction(async (tx) => {
    const before = await tx.clients.findById(id);
    if (!before) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
    if (patch.name && patch.name.toLowerCase() !== before.name.toLowerCase()) {
      const other = await tx.clients.findByName(patch.name);
      if (other) throw new DomainError("CONFLICT", `A client named "${patch.name}" already exists.`, { issues: [{ path: ["name"], message: "is already used by another client" }] });
    }
    // Ledger entries are plain cents in the client's currency: once there are any, changing the
    // currency would silently re-denominate them (and every invoice made from them).
    if (patch.currency && patch.currency !== before.currency && (await tx.clients.lockAndHasLedgerEntries(id))) {
      throw new DomainError("CONFLICT", `The currency cannot change: this client already has ledger entries in ${before.currency}.`, {
        issues: [{ path: ["currency"], message: `cannot change once the client has ledger entries (they are in ${before.currency})` }],
      });
    }
    const after = await tx.clients.update(id, patch);
    if (!after) throw new DomainError("CLIENT_NOT_FOUND", "Client not found.");
    await tx.audit.record(actor, { clientId: id, action: "client.updated", entityType: "client", entityId: id, before, after });
    return after;
  });
}
