import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Countdown, DISPUTE_STATUS, isOverdue, REASON_LABEL, useNow } from "~/components/dispute";
import { DisputePager, disputeListInput } from "~/components/dispute-list";
import { DisputeTable, disputeColumns } from "~/components/dispute-table";
import { EmptyState } from "~/components/layout";
import { dateTime } from "~/lib/format";
import { field, formAction, intent, readForm } from "~/lib/form-action.server";
import { requireAgency } from "~/lib/guards.server";
import { ClientSelect, FilterButtons } from "~/components/filters";

/**
 * The agency's review queue: disputes by deadline, overdue first and highlighted, filtered by
 * client, status (open by default) and reason. Agency admins approve several at once.
 */

export const meta: MetaFunction = () => [{ title: "Disputes · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireAgency(context, request);
  const url = new URL(request.url);
  const [page, clients] = await Promise.all([context.caller.disputes.list(disputeListInput(url, { defaultStatus: "open" })), context.caller.clients.list()]);
  return {
    page,
    clients: clients.map((c) => ({ id: c.id, name: c.name, timezone: c.timezone })),
    isAdmin: user.role === "agency_admin",
    now: context.now.toISOString(),
  };
}

const bulkForm = () => intent("bulk-approve", { disputeId: field.list, note: field.optional });

export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireAgency(context, request);
  const form = await request.formData();
  readForm(form, bulkForm()); // an unknown intent is a 400 before the role is a 403
  if (user.role !== "agency_admin") throw new Response("Only agency admins can approve disputes in bulk.", { status: 403 });
  return formAction(
    form,
    bulkForm(),
    async ({ intent: name, disputeId, note }) => {
      const ids = disputeId.filter((v) => v.length > 0);
      if (ids.length === 0) return { ok: false as const, intent: name, message: "Select at least one open dispute to approve.", fieldErrors: {}, values: {} };
      const r = await context.caller.disputes.bulkApprove({ disputeIds: ids, note });
      const approved = r.approved.length === 1 ? "Approved 1 dispute with full credit." : `Approved ${r.approved.length} disputes with full credit.`;
      return { ok: true as const, intent: name, message: r.approved.length ? approved : "Nothing was approved.", skipped: r.skipped.map((s) => s.message) };
    },
    { values: {}, domainMessages: true },
  );
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["page"]["items"][number];

// eslint-disable-next-line max-lines-per-function -- a page's markup, top to bottom; its data and rules come from the loader, the action and shared components
export default function AgencyDisputes() {
  const { page, clients, isAdmin, now: loadedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const now = useNow(loadedAt);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (result?.ok) setSelected(new Set());
  }, [result]);
  const byId = new Map(clients.map((c) => [c.id, c]));
  const tzOf = (d: Item) => byId.get(d.clientId)?.timezone ?? "UTC";
  const items = [...page.items].sort((a, b) => Number(isOverdue(b, now)) - Number(isOverdue(a, now)));
  const openIds = items.filter((d) => d.status === "open").map((d) => d.id);
  const overdue = items.filter((d) => isOverdue(d, now)).length;
  const status = params.get("status") ?? "open";
  const filtered = [...params.keys()].some((k) => k !== "cursor");
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Disputes</h1>
          <p className="subtitle">
            The review queue, soonest deadline first. An open dispute that passes its deadline is approved automatically.
            {overdue ? (
              <>
                {" "}
                <strong className="overdue-text">{overdue === 1 ? "1 dispute is overdue." : `${overdue} disputes are overdue.`}</strong>
              </>
            ) : null}
          </p>
        </div>
      </div>
      <div className="card">
        <Form method="get" className="inline" role="search" aria-label="Filter disputes">
          <ClientSelect clients={clients} defaultValue={params.get("clientId") ?? ""} />
          <label>
            Status
            <select name="status" defaultValue={status}>
              {Object.entries(DISPUTE_STATUS).map(([value, s]) => (
                <option key={value} value={value}>
                  {s.label}
                </option>
              ))}
              <option value="any">Any status</option>
            </select>
          </label>
          <label>
            Reason
            <select name="reason" defaultValue={params.get("reason") ?? ""}>
              <option value="">Any reason</option>
              {Object.entries(REASON_LABEL).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <FilterButtons filtered={filtered} />
        </Form>
      </div>
      {result ? (
        <div className={`alert ${result.ok ? "success" : "error"}`} role={result.ok ? "status" : "alert"}>
          {result.message}
          {result.ok && result.skipped.length ? (
            <ul className="skipped">
              {result.skipped.map((m, i) => (
                <li key={i}>Skipped: {m}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {items.length === 0 ? (
        <EmptyState title={status === "open" && !params.get("clientId") && !params.get("reason") ? "No open disputes" : "No disputes match these filters"}>
          {status === "open" ? "Nothing is waiting for a decision." : "Clear the filters to see the whole queue."}
        </EmptyState>
      ) : (
        <Form method="post" aria-label="Dispute queue">
          <DisputeTable
            items={items}
            className="dispute-table queue-table"
            rowClassName={(d) => (isOverdue(d, now) ? "overdue-row" : undefined)}
            columns={[
              ...(isAdmin
                ? [
                    {
                      header: openIds.length ? (
                        <input
                          type="checkbox"
                          aria-label="Select every open dispute on this page"
                          checked={openIds.length > 0 && openIds.every((id) => selected.has(id))}
                          onChange={(e) => setSelected(e.target.checked ? new Set(openIds) : new Set())}
                        />
                      ) : null,
                      label: "Select",
                      className: "check-cell",
                      cell: (d: Item) =>
                        d.status === "open" ? (
                          <input
                            type="checkbox"
                            name="disputeId"
                            value={d.id}
                            aria-label={`Select the dispute of ${d.leadName || "the unnamed lead"}`}
                            checked={selected.has(d.id)}
                            onChange={(e) => toggle(d.id, e.target.checked)}
                          />
                        ) : null,
                    },
                  ]
                : []),
              {
                header: "Deadline",
                label: "Deadline",
                className: "deadline-cell",
                cell: (d) =>
                  d.status === "open" ? (
                    <>
                      {isOverdue(d, now) ? <span className="badge bad">Overdue</span> : null} <Countdown dueAt={d.dueAt} timeZone={tzOf(d)} now={loadedAt} lead="due" />
                    </>
                  ) : (
                    <span className="muted small">decided {dateTime(d.resolvedAt, tzOf(d))}</span>
                  ),
              },
              { header: "Client", label: "Client", cell: (d) => d.clientName },
              disputeColumns.lead<Item>((d) => `/agency/disputes/${d.id}`, (d) => (d.evidence ? " · evidence attached" : "")),
              disputeColumns.reason<Item>((d) => (d.note ? <div className="muted small clamp-2">“{d.note}”</div> : null)),
              disputeColumns.opened(tzOf),
              disputeColumns.status(),
              disputeColumns.credit(),
            ]}
          />
          {isAdmin && openIds.length ? (
            <div className="bulk-bar">
              <input type="hidden" name="intent" value="bulk-approve" />
              <label className="grow">
                Note to the clients <span className="hint">(optional; default “Approved in bulk.”)</span>
                <input name="note" maxLength={2000} />
              </label>
              <button type="submit" disabled={busy}>
                Approve selected{selected.size ? ` (${selected.size})` : ""}
              </button>
            </div>
          ) : null}
        </Form>
      )}
      <DisputePager nextCursor={page.nextCursor} />
    </>
  );
}
