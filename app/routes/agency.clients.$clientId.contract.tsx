import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { InForceCard, HistoryCard, versionStatuses, type VersionView } from "~/components/contract";
import { ContractBuilder } from "~/components/contract-builder";
import { ContractEditor, type EditorResult } from "~/components/contract-editor";
import { EmptyState } from "~/components/layout";
import { idParam } from "~/components/setup";
import { documentToFields, fieldsFromFormData, fieldsToDocument, type ContractFields } from "~/lib/contract-form";
import { editableDocument, formatContractJson, issuesFrom, parseContractText, STARTER_CONTRACT, type ContractIssue } from "~/lib/contract-json";
import { dateTime } from "~/lib/format";
import { field, readForm } from "~/lib/form-action.server";
import { formFailure, orNotFound, requireAgency } from "~/lib/guards.server";
import { z } from "zod";

/**
 * The contract editor: the version in force in plain English, the contract builder (a form that
 * reads back as it is typed), a JSON editor that checks a draft (how it reads, what would change),
 * each publishing the next version, and the version history.
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
  const startFrom = latest ? editableDocument(latest.document as Record<string, unknown>) : STARTER_CONTRACT;
  return {
    builderFields: documentToFields(startFrom, client.timezone),
    // What the builder compares with: the version in force, or (none yet) the one scheduled next.
    inForceDocument: inForce?.current
      ? { version: inForce.current.version, document: inForce.current.document, standing: "in force" as const }
      : inForce?.next
        ? { version: inForce.next.version, document: inForce.next.document, standing: "scheduled" as const }
        : null,
    client,
    current: inForce?.current ? pickVersion(inForce.current) : null,
    next: inForce?.next ? pickVersion(inForce.next) : null,
    history: versionStatuses(
      history.map((v) => ({ id: v.id, version: v.version, effectiveFrom: v.effectiveFrom, createdAt: v.createdAt, changes: v.changes })),
      inForce?.current?.version ?? null,
      at,
    ),
    nextVersion: (latest?.version ?? 0) + 1,
    now: context.now,
    initialText: formatContractJson(latest ? editableDocument(latest.document as Record<string, unknown>) : STARTER_CONTRACT),
    startsFrom: latest?.version ?? null,
    justPublished: justPublished ? { version: justPublished.version, effectiveFrom: justPublished.effectiveFrom } : null,
  };
}

function pickVersion(v: VersionView) {
  return { id: v.id, version: v.version, effectiveFrom: v.effectiveFrom, description: v.description, createdAt: v.createdAt };
}

type ActionResult = { text: string; result: EditorResult };
/** The builder's post comes back with what was typed (the page reads it back again) and the server's refusal, if any. */
type BuilderResult = { builder: { fields: ContractFields; problem: { message: string; issues: ContractIssue[] } | null } };

/** The contract's failures are issues with document paths (EditorResult), so it reads the form but answers in its own shape. */
const contractForm = () => z.object({ intent: z.enum(["check", "publish", "check-form", "publish-form"]), document: field.text });

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const clientId = idParam(params.clientId, "client");
  const form = await request.formData();
  const { intent, document: text } = readForm(form, contractForm());
  if (intent === "check-form" || intent === "publish-form") {
    const fields = fieldsFromFormData(form);
    delete fields.intent;
    if (intent === "check-form") return data<BuilderResult>({ builder: { fields, problem: null } });
    const client = await orNotFound(context.caller.clients.get({ id: clientId }));
    const { document, problems } = fieldsToDocument(fields, client.timezone);
    if (problems.length > 0) return data<BuilderResult>({ builder: { fields, problem: { message: "Fix the problems shown beside each section.", issues: problems } } }, { status: 400 });
    try {
      const version = await context.caller.contracts.publish({ clientId, document });
      return redirect(`/agency/clients/${clientId}/contract?published=${version.version}`);
    } catch (e) {
      const f = formFailure(e);
      return data<BuilderResult>({ builder: { fields, problem: { message: f.message, issues: issuesFrom(e) } } }, { status: 400 });
    }
  }
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
  const answer = useActionData<typeof action>();
  const result = answer && "result" in answer ? answer : null;
  const built = answer && "builder" in answer ? answer.builder : null;
  const busy = useNavigation().state === "submitting";
  const tz = d.client.timezone;
  const builderFields = built?.fields ?? d.builderFields;
  return (
    <>
      {d.justPublished ? (
        <div className="alert success" role="status">
          <strong>Version {d.justPublished.version} published.</strong> It judges leads received from {dateTime(d.justPublished.effectiveFrom, tz)} ({tz}).
        </div>
      ) : null}
      <InForceCard
        title="Contract in force"
        current={d.current}
        next={d.next}
        timeZone={tz}
        empty={
          <EmptyState title="No contract yet">
            Leads for {d.client.name} cannot be judged or billed until a contract is published. Start from the example below, press Check, then Publish.
          </EmptyState>
        }
      />
      <section className="card" aria-labelledby="builder-heading">
        <div className="card-head">
          <h2 id="builder-heading" className="card-title">
            {d.startsFrom ? "Build the next version" : "Build the first version"}
          </h2>
          <span className="muted small">{d.startsFrom ? `Starts from version ${d.startsFrom}.` : "Starts from an example contract — adjust it to this client."}</span>
        </div>
        <ContractBuilder
          key={JSON.stringify(builderFields)}
          fields={builderFields}
          timeZone={tz}
          currency={d.client.currency}
          now={d.now}
          inForce={d.inForceDocument}
          nextVersion={d.nextVersion}
          serverProblem={built?.problem ?? null}
          busy={busy}
        />
      </section>
      <section className="card" aria-labelledby="editor-heading">
        <div className="card-head">
          <h2 id="editor-heading" className="card-title">
            {d.startsFrom ? "Publish a new version" : "Publish the first version"} as JSON
          </h2>
          <span className="muted small">For power users: the whole contract as one document.</span>
        </div>
        <ContractEditor text={result?.text ?? d.initialText} nextVersion={d.nextVersion} result={result?.result ?? null} busy={busy} timeZone={tz} />
      </section>
      <HistoryCard versions={d.history} timeZone={tz} emptyText="Published versions appear here with their effective dates and what changed." />
    </>
  );
}
