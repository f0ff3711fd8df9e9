import { Form } from "@remix-run/react";
import { dateOnly } from "~/lib/format";
import { EmptyState, FieldError, roleLabel } from "./layout";
import { FormMessage } from "./setup";
import type { RouterOutputs } from "~/lib/api";

export type UserRow = RouterOutputs["users"]["list"][number];

/** What the signed-in admin may do to the listed users: the roles to offer, and who they are (no changing yourself). */
export interface UserManagement {
  roles: { value: string; label: string }[];
  selfId: string;
  busy?: boolean;
}

function UserActions({ u, manage }: { u: UserRow; manage: UserManagement }) {
  if (u.id === manage.selfId) return <span className="muted small">You</span>;
  return (
    <div className="user-actions">
      {/* Named without the e-mail: the row's e-mail cell already says whose they are. */}
      <Form method="post" className="inline">
        <input type="hidden" name="intent" value="change-role" />
        <input type="hidden" name="id" value={u.id} />
        <input type="hidden" name="email" value={u.email} />
        <select name="role" defaultValue={u.role} aria-label="New role">
          {manage.roles.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary small-btn" disabled={manage.busy}>
          Change role
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="set-active" />
        <input type="hidden" name="id" value={u.id} />
        <input type="hidden" name="email" value={u.email} />
        <input type="hidden" name="active" value={u.disabledAt ? "true" : "false"} />
        <button type="submit" className={u.disabledAt ? "secondary small-btn" : "danger small-btn"} disabled={manage.busy}>
          {u.disabledAt ? "Reactivate" : "Deactivate"}
        </button>
      </Form>
    </div>
  );
}

export function UsersTable({ users, manage }: { users: UserRow[]; manage?: UserManagement }) {
  if (users.length === 0) {
    return <EmptyState title="No users yet">Invite the first person below; they sign in with the e-mail and password you set.</EmptyState>;
  }
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>E-mail</th>
            <th>Role</th>
            <th>Added</th>
            {manage ? <th>Manage</th> : null}
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td data-label="Name">{u.name || <span className="muted">—</span>}</td>
              <td data-label="E-mail">{u.email}</td>
              <td data-label="Role">
                {roleLabel(u.role)} {u.disabledAt ? <span className="badge bad">Deactivated</span> : null}
              </td>
              <td data-label="Added">{dateOnly(u.createdAt)}</td>
              {manage ? (
                <td data-label="Manage">
                  <UserActions u={u} manage={manage} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AddUserForm(props: {
  roles: { value: string; label: string }[];
  failure?: { message: string; fieldErrors: Record<string, string> } | null;
  success?: string | null;
  busy?: boolean;
}) {
  const fe = props.failure?.fieldErrors ?? {};
  return (
    <Form method="post" className="stack" aria-label="Add a user">
      <input type="hidden" name="intent" value="create-user" />
      <FormMessage failure={props.failure} success={props.success} />
      <label>
        Name
        <input name="name" autoComplete="off" />
      </label>
      <label>
        E-mail
        <input name="email" type="email" required aria-invalid={fe.email ? true : undefined} aria-describedby="email-error" />
        <FieldError id="email-error" message={fe.email} />
      </label>
      <label>
        Temporary password <span className="hint">At least 10 characters. Share it privately.</span>
        <input name="password" type="text" required minLength={10} autoComplete="new-password" aria-invalid={fe.password ? true : undefined} aria-describedby="password-error" />
        <FieldError id="password-error" message={fe.password} />
      </label>
      <label>
        Role
        <select name="role" defaultValue={props.roles[0]?.value}>
          {props.roles.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <div>
        <button type="submit" disabled={props.busy}>
          Add user
        </button>
      </div>
    </Form>
  );
}

type TeamResult = { ok: true; intent: string; message: string } | { ok: false; intent?: string; message: string; fieldErrors: Record<string, string> };

/**
 * A client's people (the agency's client overview, the portal's Team page): the list with its role
 * and deactivation controls for whoever may manage it, and the form to add someone. One action
 * serves both (usersAction): its message shows beside the list, or in the form for "create-user".
 */
export function TeamCards(props: {
  title: string;
  addTitle: string;
  users: UserRow[];
  roles: { value: string; label: string }[];
  canManage: boolean;
  selfId: string;
  result: TeamResult | undefined;
  busy: boolean;
}) {
  const { result } = props;
  const forList = result && result.intent !== "create-user" ? result : null;
  const forForm = result && result.intent === "create-user" ? result : null;
  return (
    <>
      <div className="card">
        <h2 className="card-title">{props.title}</h2>
        {forList ? (
          <div className={`alert ${forList.ok ? "success" : "error"}`} role={forList.ok ? "status" : "alert"}>
            {forList.message}
          </div>
        ) : null}
        <UsersTable users={props.users} manage={props.canManage ? { roles: props.roles, selfId: props.selfId, busy: props.busy } : undefined} />
      </div>
      {props.canManage ? (
        <div className="card">
          <h2 className="card-title">{props.addTitle}</h2>
          <AddUserForm
            // A fresh, empty form after each user added.
            key={forForm && forForm.ok ? forForm.message : "new"}
            roles={props.roles}
            failure={forForm && !forForm.ok ? forForm : null}
            success={forForm && forForm.ok ? forForm.message : null}
            busy={props.busy}
          />
        </div>
      ) : null}
    </>
  );
}
