import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { idParam } from "~/components/setup";
import { AddUserForm, UsersTable } from "~/components/users";
import { formFailure, orNotFound, requireAgency, str } from "~/lib/guards.server";

/** The client hub's overview: the people who can sign in to the client's portal. */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.client.name ?? "Client"} · LeadLedger` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireAgency(context, request);
  const id = idParam(params.clientId, "client");
  const [client, users] = await Promise.all([orNotFound(context.caller.clients.get({ id })), orNotFound(context.caller.users.list({ clientId: id }))]);
  return { client, users, canAddUsers: context.user?.role === "agency_admin" };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireAgency(context, request);
  const form = await request.formData();
  if (str(form, "intent") !== "create-user") throw new Response("Unknown action", { status: 400 });
  try {
    const user = await context.caller.users.create({
      clientId: idParam(params.clientId, "client"),
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

export default function AgencyClientOverview() {
  const { client, users, canAddUsers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <div className="card">
        <h2 className="card-title">People at {client.name}</h2>
        <UsersTable users={users} />
      </div>
      {canAddUsers ? (
        <div className="card">
          <h2 className="card-title">Add a client user</h2>
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
