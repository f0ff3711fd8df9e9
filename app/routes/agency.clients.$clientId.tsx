import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AddUserForm, UsersTable } from "~/components/users";
import { formFailure, orNotFound, requireAgency, str } from "~/lib/guards.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const id = params.clientId ?? "";
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Response("No such client.", { status: 404 });
  const client = await orNotFound(context.caller.clients.get({ id }));
  const users = await context.caller.users.list({ clientId: id });
  return { client, users, canAddUsers: context.user?.role === "agency_admin" };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const form = await request.formData();
  if (str(form, "intent") !== "create-user") throw new Response("Unknown action", { status: 400 });
  try {
    const user = await context.caller.users.create({
      clientId: params.clientId,
      email: str(form, "email"),
      name: str(form, "name"),
      password: str(form, "password"),
      role: str(form, "role") as "client_admin",
    });
    return { ok: true as const, message: `${user.email} can now sign in.` };
  } catch (e) {
    return data(formFailure(e), { status: 400 });
  }
}

export default function AgencyClient() {
  const { client, users, canAddUsers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <p className="muted">
        <Link to="/agency">← Clients</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>{client.name}</h1>
          <p className="subtitle">
            {client.timezone} · {client.currency} · <span className={`badge ${client.status === "active" ? "ok" : "warn"}`}>{client.status}</span>
          </p>
        </div>
      </div>
      <div className="card">
        <h2 style={{ marginTop: 0 }}>People at {client.name}</h2>
        <UsersTable users={users} />
      </div>
      {canAddUsers ? (
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Add a client user</h2>
          <AddUserForm
            roles={[
              { value: "client_admin", label: "Client admin — manages users and alerts" },
              { value: "client_member", label: "Client member — reviews leads" },
            ]}
            failure={result && !result.ok ? result : null}
            success={result && result.ok ? result.message : null}
            busy={busy}
          />
        </div>
      ) : null}
    </>
  );
}
