import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AddUserForm, UsersTable } from "~/components/users";
import { field, formAction, intent } from "~/lib/form-action.server";
import { requireClientUser } from "~/lib/guards.server";

export const meta: MetaFunction = () => [{ title: "Team · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const [client, users] = await Promise.all([context.caller.clients.get({ id: user.clientId }), context.caller.users.list()]);
  return { client, users, isAdmin: user.role === "client_admin" };
}

// The server checks the role; the select only offers valid ones.
const usersForm = () => intent("create-user", { email: field.text, name: field.text, password: field.text, role: field.text.transform((s) => s as "client_member") });

export async function action({ context, request }: ActionFunctionArgs) {
  requireClientUser(context, request);
  return formAction(await request.formData(), usersForm(), async ({ intent: _, ...fields }) => {
    const user = await context.caller.users.create({ ...fields });
    return { ok: true as const, message: `${user.email} can now sign in.` };
  });
}

export default function PortalTeam() {
  const { client, users, isAdmin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Team</h1>
          <p className="subtitle">Who at {client.name} can sign in to this portal.</p>
        </div>
      </div>
      <div className="card">
        <h2 style={{ marginTop: 0 }}>People</h2>
        <UsersTable users={users} />
      </div>
      {isAdmin ? (
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Invite a colleague</h2>
          <AddUserForm
            roles={[
              { value: "client_member", label: "Member — reviews leads" },
              { value: "client_admin", label: "Admin — also manages users and alerts" },
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
