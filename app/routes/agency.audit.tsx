import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { dateTimeZoned } from "~/lib/format";
import { Fragment } from "react";
import { EmptyState, FieldError } from "~/components/layout";
import { formFailure, orNotFound, requireAgency } from "~/lib/guards.server";
import { ClientSelect, FilterButtons } from "~/components/filters";
import { viewerZone } from "~/lib/viewer-zone.server";

export const meta: MetaFunction = () => [{ title: "Audit log · LeadLedger" }];

const PAGE_SIZE = 50;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireAgency(context, request);
  if (user.role !== "agency_admin") {
    throw new Response("The audit log is for agency admins. Ask an admin if you need to know who changed a record.", { status: 403 });
  }
  const url = new URL(request.url);
  const p = (k: string) => url.searchParams.get(k)?.trim() || undefined;
  const filter = { actor: p("actor"), clientId: p("clientId"), entityType: p("type"), entityId: p("recordId") };
  const clients = (await context.caller.clients.list()).map((c) => ({ id: c.id, name: c.name }));
  try {
    const page = await orNotFound(context.caller.audit.list({ ...filter, cursor: p("cursor"), limit: PAGE_SIZE }));
    return { clients, page, failure: null, tz: context.user?.timeZone ?? viewerZone(request) };
  } catch (e) {
    return { clients, page: null, failure: formFailure(e), tz: context.user?.timeZone ?? viewerZone(request) };
  }
}


/** "lead.outcome_marked" → "lead outcome marked". */
function actionWords(action: string): string {
  return action.replace(/[._]/g, " ");
}

function show(v: unknown): string {
  if (v === undefined) return "—";
  if (v === "") return '""';
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

/** Field-level changes between before and after (objects), or the whole values otherwise. */
function changes(before: unknown, after: unknown): { field: string; before: unknown; after: unknown }[] {
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object" && !Array.isArray(x);
  if (isObj(before) || isObj(after)) {
    const b = isObj(before) ? before : {};
    const a = isObj(after) ? after : {};
    return [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
      .map((k) => ({ field: k, before: isObj(before) ? b[k] : undefined, after: isObj(after) ? a[k] : undefined }));
  }
  if (before === null && after === null) return [];
  return [{ field: "value", before: before ?? undefined, after: after ?? undefined }];
}

function Changes({ before, after }: { before: unknown; after: unknown }) {
  const list = changes(before, after);
  if (list.length === 0) return <span className="muted">—</span>;
  return (
    <details className="changes">
      <summary>
        {list.length} field{list.length === 1 ? "" : "s"}
      </summary>
      <dl className="facts">
        {list.map((c) => (
          <Fragment key={c.field}>
            <dt className="mono">{c.field}</dt>
            <dd>
              {before !== null && before !== undefined ? (
                <>
                  <del className="mono">{show(c.before)}</del> →{" "}
                </>
              ) : null}
              <ins className="mono">{show(c.after)}</ins>
            </dd>
          </Fragment>
        ))}
      </dl>
    </details>
  );
}

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function AuditLog() {
  const { clients, page, failure, tz } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = ["actor", "clientId", "type", "recordId"].some((k) => params.get(k));
  const fe = failure?.fieldErrors ?? {};
  const next = new URLSearchParams(params);
  if (page?.nextCursor) next.set("cursor", page.nextCursor);
  const first = new URLSearchParams(params);
  first.delete("cursor");
  const recordHref = (type: string, id: string) => `?${new URLSearchParams({ type, recordId: id }).toString()}`;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p className="subtitle">Who did what to which record, newest first. Times in your time zone ({tz}).</p>
        </div>
      </div>
      <div className="card">
        <Form method="get" className="inline" role="search" aria-label="Filter the audit log">
          <label>
            Actor e-mail
            <input name="actor" type="search" defaultValue={params.get("actor") ?? ""} placeholder="Part of an e-mail" aria-invalid={fe.actor ? true : undefined} aria-describedby="actor-error" />
            <FieldError id="actor-error" message={fe.actor} />
          </label>
          <ClientSelect clients={clients} defaultValue={params.get("clientId") ?? ""} />
          <label>
            Record type
            <select name="type" defaultValue={params.get("type") ?? ""}>
              <option value="">Any</option>
              {(page?.entityTypes ?? []).map((t) => (
                <option key={t} value={t}>
                  {t.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
          <label>
            Record id
            <input name="recordId" defaultValue={params.get("recordId") ?? ""} className="mono" aria-invalid={fe.entityId ? true : undefined} aria-describedby="record-error" />
            <FieldError id="record-error" message={fe.entityId} />
          </label>
          <FilterButtons filtered={filtered} />
        </Form>
      </div>
      {failure ? (
        <div className="alert error" role="alert">
          {failure.message}
        </div>
      ) : null}
      {page && page.items.length === 0 ? (
        <div className="card">
          {filtered ? (
            <EmptyState title="No events match these filters">
              <p>Clear the filters, or search for part of an e-mail address.</p>
            </EmptyState>
          ) : (
            <EmptyState title="Nothing recorded yet">
              <p>Changes to clients, users, contracts, sources, disputes and invoices are recorded here as people make them.</p>
            </EmptyState>
          )}
        </div>
      ) : null}
      {page && page.items.length > 0 ? (
        <div className="table-wrap">
          <table className="audit-table">
            <caption className="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Client</th>
                <th scope="col">Action</th>
                <th scope="col">Record</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">
                    <time dateTime={new Date(e.createdAt).toISOString()}>{dateTimeZoned(e.createdAt, tz)}</time>
                  </td>
                  <td>{e.actorLabel}</td>
                  <td>{e.clientName ?? <span className="muted">Agency</span>}</td>
                  <td>
                    <span className="badge info">{actionWords(e.action)}</span>
                  </td>
                  <td>
                    {e.entityType.replace(/_/g, " ")}
                    <div>
                      <Link to={recordHref(e.entityType, e.entityId)} className="small" title={`${e.entityType} ${e.entityId}`}>
                        every event of this {e.entityType.replace(/_/g, " ")}
                      </Link>
                    </div>
                  </td>
                  <td>
                    <Changes before={e.before} after={e.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {page && (page.nextCursor || params.has("cursor")) ? (
        <nav aria-label="Pages" className="pager">
          {params.has("cursor") ? (
            <Link className="button secondary" to={`?${first.toString()}`}>
              ← Newest
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link className="button secondary" to={`?${next.toString()}`}>
              Older events →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
