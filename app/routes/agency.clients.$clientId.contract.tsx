import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ContractInForce, VersionHistory, versionStatuses, type VersionView } from "~/components/contract";
import { ContractEditor, type EditorResult } from "~/components/contract-editor";
import { EmptyState } from "~/components/layout";
import { idParam } from "~/components/setup";
import { editableDocument, formatContractJson, issuesFrom, parseContractText, STARTER_CONTRACT } from "~/lib/contract-json";
import { dateTime } from "~/lib/format";
import { field, readForm } from "~/lib/form-action.server";
import { formFailure, orNotFound, requireAgency } from "~/lib/guards.server";
import { z } from "zod";

/**
 * The contract editor: the version in force in plain English, a JSON editor that checks a draft
 * (how it reads, what would change) and publishes it as the next version, and the version history.
 */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Contract · ${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const [client, inForce, history] = await Promise.all([
    orNotFound(context.caller.clients.get({ id: clientId })),
    orNotFound(context.caller.contracts.get({ clientId })),
    orNotFound(context.caller.contracts.history({ clientId })),
  ]);
  const latest = history[0] ?? null;
  const at = inForce?.at ?? context.now;
  const published = Number(new URL(request.url).searchParams.get("published"));
  const justPublished = history.find((v) => v.version === published) ?? null;
  return {
    client,
    current: inForce?.current ? pickVersion(inForce.current) : null,
    next: inForce?.next ? pickVersion(inForce.next) : null,
    history: versionStatuses(
      history.map((v) => ({ id: v.id, version: v.version, effectiveFrom: v.effectiveFrom, createdAt: v.createdAt, changes: v.changes })),
      inForce?.current?.version ?? null,
      at,
    ),
    nextVersion: (latest?.version ?? 0) + 1,
    initialText: formatContractJson(latest ? editableDocument(latest.document as Record<string, unknown>) : STARTER_CONTRACT),
    startsFrom: latest?.version ?? null,
    justPublished: justPublished ? { version: justPublished.version, effectiveFrom: justPublished.effectiveFrom } : null,
  };
}

function pickVersion(v: VersionView) {
  return { id: v.id, version: v.version, effectiveFrom: v.effectiveFrom, description: v.description, createdAt: v.createdAt };
}

type ActionResult = { text: string; result: EditorResult };

/** The contract's failures are issues with document paths (EditorResult), so it reads the form but answers in its own shape. */
const contractForm = () => z.object({ intent: z.enum(["check", "publish"]), document: field.text });

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  const { intent, document: text } = readForm(form, contractForm());
  const parsed = parseContractText(text);
  if (!parsed.ok) return data<ActionResult>({ text, result: { kind: "syntax", problem: parsed.problem } }, { status: 400 });

  if (intent === "check") {
    let preview;
    try {
      preview = await context.caller.contracts.preview({ clientId, document: parsed.value });
    } catch (e) {
      const f = formFailure(e);
      return data<ActionResult>({ text, result: { kind: "issues", intent, message: f.message, issues: issuesFrom(e) } }, { status: 400 });
    }
    if (!preview.ok) return data<ActionResult>({ text, result: { kind: "issues", intent, message: "The document is not valid.", issues: preview.issues } }, { status: 400 });
    return data<ActionResult>({ text, result: { kind: "preview", description: preview.description, changes: preview.changes, against: preview.against } });
  }

  try {
    const version = await context.caller.contracts.publish({ clientId, document: parsed.value });
    return redirect(`/agency/clients/${clientId}/contract?published=${version.version}`);
  } catch (e) {
    const f = formFailure(e);
    return data<ActionResult>({ text, result: { kind: "issues", intent, message: f.message, issues: issuesFrom(e) } }, { status: 400 });
  }
}

export default function ClientContract() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const tz = d.client.timezone;
  return (
    <>
      {d.justPublished ? (
        <div className="alert success" role="status">
          <strong>Version {d.justPublished.version} published.</strong> It judges leads received from {dateTime(d.justPublished.effectiveFrom, tz)} ({tz}).
        </div>
      ) : null}
      <section className="card" aria-labelledby="in-force-heading">
        <h2 id="in-force-heading" className="card-title">
          Contract in force
        </h2>
        <ContractInForce
          current={d.current}
          next={d.next}
          timeZone={tz}
          empty={
            <EmptyState title="No contract yet">
              Leads for {d.client.name} cannot be judged or billed until a contract is published. Start from the example below, press Check, then Publish.
            </EmptyState>
          }
        />
      </section>
      <section className="card" aria-labelledby="editor-heading">
        <div className="card-head">
          <h2 id="editor-heading" className="card-title">
            {d.startsFrom ? "Publish a new version" : "Publish the first version"}
          </h2>
          <span className="muted small">{d.startsFrom ? `Starts from version ${d.startsFrom}.` : "Starts from an example contract — adjust it to this client."}</span>
        </div>
        <ContractEditor text={result?.text ?? d.initialText} nextVersion={d.nextVersion} result={result?.result ?? null} busy={busy} timeZone={tz} />
      </section>
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading" className="card-title">
          Version history
        </h2>
        <VersionHistory versions={d.history} timeZone={tz} emptyText="Published versions appear here with their effective dates and what changed." />
      </section>
    </>
  );
}
