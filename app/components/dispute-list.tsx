import { Link, useSearchParams } from "@remix-run/react";

/** Query string ↔ disputes.list input, and the pager of the dispute lists. */

const STATUSES = ["open", "approved", "partially_approved", "rejected", "auto_approved", "withdrawn"] as const;
type Status = (typeof STATUSES)[number];

/**
 * ?status=…&reason=…&clientId=…&cursor=… → disputes.list input; unknown values are dropped.
 * `defaultStatus` applies when the query names none; `status=any` means every status.
 */
export function disputeListInput(url: URL, opts: { defaultStatus: Status | null }) {
  const p = url.searchParams;
  const raw = p.get("status");
  const status = raw === "any" ? undefined : raw && (STATUSES as readonly string[]).includes(raw) ? (raw as Status) : (opts.defaultStatus ?? undefined);
  const reason = p.get("reason");
  const clientId = p.get("clientId");
  return {
    status,
    reason: reason && /^[a-z][a-z0-9_]{0,49}$/.test(reason) ? reason : undefined,
    clientId: clientId && /^[0-9a-f-]{36}$/i.test(clientId) ? clientId : undefined,
    cursor: p.get("cursor")?.slice(0, 200) || undefined,
    limit: 50,
  };
}

export function DisputePager({ nextCursor, label = "More disputes →" }: { nextCursor: string | null; label?: string }) {
  const [params] = useSearchParams();
  const hasPrev = params.has("cursor");
  if (!nextCursor && !hasPrev) return null;
  const next = new URLSearchParams(params);
  if (nextCursor) next.set("cursor", nextCursor);
  const first = new URLSearchParams(params);
  first.delete("cursor");
  return (
    <nav aria-label="Pages" className="pager">
      {hasPrev ? (
        <Link className="button secondary" to={`?${first.toString()}`}>
          ← First page
        </Link>
      ) : null}
      {nextCursor ? (
        <Link className="button secondary" to={`?${next.toString()}`}>
          {label}
        </Link>
      ) : null}
    </nav>
  );
}
