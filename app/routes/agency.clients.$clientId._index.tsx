import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { idParam } from "~/components/setup";
import { TeamCards } from "~/components/users";
import { usersAction } from "~/components/users.server";
import { orNotFound, requireAgency } from "~/lib/guards.server";

/** The client hub's overview: how far its set-up is, and the people who can sign in to its portal. */

interface SetupStep {
  label: string;
  to: string;
  done: boolean;
  text: string;
  action: string;
  optional?: boolean;
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const id = idParam(params.clientId, "client");
  const [client, users, contract, forms, keys, numbers] = await Promise.all([
    orNotFound(context.caller.clients.get({ id })),
    orNotFound(context.caller.users.list({ clientId: id })),
    orNotFound(context.caller.contracts.get({ clientId: id })),
    orNotFound(context.caller.forms.list({ clientId: id, includeDisabled: false })),
    orNotFound(context.caller.apiKeys.list({ clientId: id })),
    orNotFound(context.caller.trackingNumbers.list({ clientId: id })),
  ]);
  const setup: SetupStep[] = [
    {
      label: "Contract",
      to: "contract",
      done: Boolean(contract?.current),
      text: contract?.current
        ? `Version ${contract.current.version} is in force.`
        : contract?.next
          ? `Version ${contract.next.version} is scheduled; until it starts, leads cannot be judged.`
          : "Not published yet — leads cannot be judged or billed.",
      action: contract ? "Edit the contract" : "Publish a contract",
    },
    {
      label: "Web forms",
      to: "campaigns",
      done: forms.length > 0,
      text: forms.length ? `${forms.length} active form${forms.length === 1 ? "" : "s"}.` : "None yet — add one to get an embed snippet.",
      action: forms.length ? "Manage forms" : "Add a form",
    },
    {
      label: "API keys",
      to: "keys",
      done: keys.some((k) => !k.revokedAt),
      text: keys.some((k) => !k.revokedAt) ? `${keys.filter((k) => !k.revokedAt).length} active.` : "None yet — needed only for vendors or a CRM posting leads.",
      action: "Manage keys",
      optional: true,
    },
    {
      label: "Tracking numbers",
      to: "numbers",
      done: numbers.length > 0,
      text: numbers.length ? `${numbers.length} active.` : "None yet — add one to track phone calls.",
      action: "Manage numbers",
      optional: true,
    },
  ];
  return { client, users, setup, canAddUsers: context.user?.role === "agency_admin", selfId: context.user?.id ?? "" };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  return usersAction(context, await request.formData(), idParam(params.clientId, "client"));
}

const CLIENT_ROLES = [
  { value: "client_admin", label: "Client admin — manages users and alerts" },
  { value: "client_member", label: "Client member — reviews leads" },
];

export default function AgencyClientOverview() {
  const { client, users, setup, canAddUsers, selfId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <section className="card" aria-labelledby="setup-heading">
        <h2 id="setup-heading" className="card-title">
          Set-up
        </h2>
        <ul className="checklist">
          {setup.map((step) => (
            <li key={step.to}>
              <span className={`badge ${step.done ? "ok" : step.optional ? "" : "warn"}`}>{step.done ? "Done" : step.optional ? "Optional" : "To do"}</span>
              <span className="checklist-text">
                <strong>{step.label}</strong> <span className="muted">{step.text}</span>
              </span>
              <Link to={step.to} className="nowrap">
                {step.action}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <TeamCards title={`People at ${client.name}`} addTitle="Add a client user" users={users} roles={CLIENT_ROLES} canManage={canAddUsers} selfId={selfId} result={result} busy={busy} />
    </>
  );
}
