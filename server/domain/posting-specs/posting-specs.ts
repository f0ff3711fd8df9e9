import type { AuditLog } from "../audit/audit";
import type { Actor } from "../auth/roles";
import type { ContractVersion } from "../contracts/contract-document";
import { DomainError } from "../errors";
import type { Clock } from "../shared/clock";
import { ACCEPTANCE_DAYS, buildPostingSpec, type PostingSpec, type SpecSource, type SpecSourceKind } from "./posting-spec";
import { canReach, requireAgency } from "../auth/scope";

/**
 * Posting specs per form and per API key (issue #22.2): read in the console by the agency and the
 * client's users, and shared with a vendor through a public link whose token is unguessable
 * (`/spec/:token`, read-only, no sign-in). The spec is generated from the contract version in force
 * at the moment it is read, so a newly published version shows at once.
 */

export interface SpecRef {
  kind: SpecSourceKind;
  id: string;
}

export interface SpecSourceRow extends SpecSource {
  /** Token of the public link, or null when none is shared. */
  specToken: string | null;
  /** A disabled form or a revoked key: its link shows nothing. */
  usable: boolean;
}

export interface PostingSpecRepository {
  findSource(ref: SpecRef): Promise<SpecSourceRow | null>;
  findSourceByToken(token: string): Promise<SpecSourceRow | null>;
  /** Sets (or clears, with null) the source's public link token. */
  setToken(ref: SpecRef, token: string | null): Promise<void>;
  /** The source's real (not test) leads received since `since`: how many were judged, how many qualified. */
  acceptance(ref: SpecRef, clientId: string, since: Date): Promise<{ qualified: number; judged: number }>;
}

export interface PostingSpecDeps {
  repo: PostingSpecRepository;
  /** The client's contract versions, newest first. */
  contractVersions(clientId: string): Promise<ContractVersion[]>;
  clock: Clock;
  publicUrl: string;
  /** A new unguessable link token. */
  newToken(): string;
  audit: AuditLog;
}

export interface PostingSpecView extends PostingSpec {
  ref: SpecRef;
  clientId: string;
  /** The public link (console only; null when not shared). */
  publicLink: string | null;
}

const notFound = () => new DomainError("NOT_FOUND", "No such form or API key.");

async function visibleSource(deps: PostingSpecDeps, actor: Actor, ref: SpecRef): Promise<SpecSourceRow> {
  const source = await deps.repo.findSource(ref);
  if (!source || !canReach(actor, source.clientId)) throw notFound();
  return source;
}

async function specOf(deps: PostingSpecDeps, source: SpecSourceRow): Promise<PostingSpec> {
  const now = deps.clock.now();
  const version = (await deps.contractVersions(source.clientId)).find((v) => v.effectiveFrom.getTime() <= now.getTime()) ?? null;
  const acceptance = await deps.repo.acceptance({ kind: source.kind, id: source.id }, source.clientId, new Date(now.getTime() - ACCEPTANCE_DAYS * 86_400_000));
  return buildPostingSpec({ source, version, publicUrl: deps.publicUrl, acceptance });
}

const linkOf = (deps: PostingSpecDeps, token: string | null) => (token ? `${deps.publicUrl.replace(/\/+$/, "")}/spec/${token}` : null);

/** The spec of a form or API key the actor may see (client users: their own client's only). */
export async function getPostingSpec(deps: PostingSpecDeps, actor: Actor, ref: SpecRef): Promise<PostingSpecView> {
  const source = await visibleSource(deps, actor, ref);
  return { ...(await specOf(deps, source)), ref, clientId: source.clientId, publicLink: linkOf(deps, source.specToken) };
}

/** What the public link shows: the spec and nothing else. An unknown, withdrawn or unusable source is not found. */
export async function publicPostingSpec(deps: PostingSpecDeps, token: string): Promise<PostingSpec> {
  const source = /^sp_[\w-]{20,100}$/.test(token) ? await deps.repo.findSourceByToken(token) : null;
  if (!source || !source.usable) throw new DomainError("NOT_FOUND", "This posting spec link does not exist or was withdrawn.");
  return specOf(deps, source);
}

/**
 * Agency staff share a spec: a new token every time (sharing again replaces the link, so an old
 * one stops working), or `share: false` withdraws it.
 */
export async function sharePostingSpec(deps: PostingSpecDeps, actor: Actor, input: SpecRef & { share: boolean }): Promise<{ publicLink: string | null }> {
  requireAgency(actor, "Only agency staff can share posting specs.");
  const ref = { kind: input.kind, id: input.id };
  const source = await visibleSource(deps, actor, ref);
  const token = input.share ? deps.newToken() : null;
  await deps.repo.setToken(ref, token);
  await deps.audit.record(actor, {
    clientId: source.clientId,
    action: input.share ? "posting_spec.shared" : "posting_spec.withdrawn",
    entityType: ref.kind === "form" ? "form" : "api_key",
    entityId: ref.id,
    before: { shared: source.specToken !== null },
    after: { shared: token !== null },
  });
  return { publicLink: linkOf(deps, token) };
}
