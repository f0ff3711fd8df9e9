import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { InForceCard, HistoryCard, versionStatuses, type VersionView } from "~/components/contract";
import { EmptyState } from "~/components/layout";
import { orNotFound, requireClientUser } from "~/lib/guards.server";

/** A client user reads its own contract: how leads are judged and billed, and every version with what changed. */

export const meta: MetaFunction = () => [{ title: "Contract · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  // No clientId is sent: the session's client is the only one these calls can reach.
  const [client, inForce, history] = await Promise.all([
    orNotFound(context.caller.clients.get({ id: user.clientId })),
    orNotFound(context.caller.contracts.get({})),
    orNotFound(context.caller.contracts.history({})),
  ]);
  const pick = (v: VersionView | null) =>
    v ? { id: v.id, version: v.version, effectiveFrom: v.effectiveFrom, description: v.description, createdAt: v.createdAt } : null;
  return {
    client: { name: client.name, timezone: client.timezone },
    current: pick(inForce?.current ?? null),
    next: pick(inForce?.next ?? null),
    history: versionStatuses(
      history.map((v) => ({ id: v.id, version: v.version, effectiveFrom: v.effectiveFrom, createdAt: v.createdAt, changes: v.changes })),
      inForce?.current?.version ?? null,
      inForce?.at ?? context.now,
    ),
  };
}

export default function PortalContract() {
  const d = useLoaderData<typeof loader>();
  const tz = d.client.timezone;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Your contract</h1>
          <p className="subtitle">How your leads are judged, priced and disputed. Every lead records the version that judged it. Times are in {tz}.</p>
        </div>
      </div>
      <InForceCard
        title="In force now"
        current={d.current}
        next={d.next}
        timeZone={tz}
        empty={
          <EmptyState title="No contract has been published yet">
            Your agency publishes it; until then, leads are not judged or billed. Ask your account manager if you expected one.
          </EmptyState>
        }
      />
      <HistoryCard versions={d.history} timeZone={tz} emptyText="Each version your agency publishes appears here with its date and what changed." />
    </>
  );
}
