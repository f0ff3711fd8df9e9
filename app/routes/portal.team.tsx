import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TeamCards } from "~/components/users";
import { usersAction } from "~/components/users.server";
import { requireClientUser } from "~/lib/guards.server";

export const meta: MetaFunction = () => [{ title: "Team · LeadLedger" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireClientUser(context, request);
  const [client, users] = await Promise.all([context.caller.clients.get({ id: user.clientId }), context.caller.users.list()]);
  return { client, users, isAdmin: user.role === "client_admin", selfId: user.id };
}

export async function action({ context, request }: ActionFunctionArgs) {
  requireClientUser(context, request);
  return usersAction(context, await request.formData());
}

const CLIENT_ROLES = [
  { value: "client_member", label: "Member — reviews leads" },
  { value: "client_admin", label: "Admin — also manages users and alerts" },
];

export default function PortalTeam() {
  const { client, users, isAdmin, selfId } = useLoaderData<typeof loader>();
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
      <TeamCards title="People" addTitle="Invite a colleague" users={users} roles={CLIENT_ROLES} canManage={isAdmin} selfId={selfId} result={result} busy={busy} />
    </>
  );
}
