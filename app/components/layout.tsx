import { Form, Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

/** The one page frame for the agency console and the client portal. */
export function AppShell(props: { area: string; nav: NavItem[]; user: { email: string; role: string } | null; accountHref?: string; children: ReactNode }) {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <a className="brand" href="/">
            LeadLedger<small>{props.area}</small>
          </a>
          <nav className="nav" aria-label="Main">
            {props.nav.map((n) => (
              <NavLink key={n.to} to={n.to} end={n.end} className={({ isActive }) => (isActive ? "active" : undefined)}>
                {n.label}
              </NavLink>
            ))}
          </nav>
          {props.user ? (
            <div className="userbox">
              {props.accountHref ? (
                <Link to={props.accountHref} className="who" title={`${props.user.email} · ${roleLabel(props.user.role)} · your account`}>
                  {props.user.email} <span className="role">· {roleLabel(props.user.role)}</span>
                </Link>
              ) : (
                <span className="who" title={`${props.user.email} · ${roleLabel(props.user.role)}`}>
                  {props.user.email} <span className="role">· {roleLabel(props.user.role)}</span>
                </span>
              )}
              <Form method="post" action="/logout">
                <button className="linkbtn" type="submit">
                  Sign out
                </button>
              </Form>
            </div>
          ) : null}
        </div>
      </header>
      <main id="main">{props.children}</main>
    </>
  );
}

export function roleLabel(role: string): string {
  return (
    { agency_admin: "Agency admin", agency_staff: "Agency staff", client_admin: "Client admin", client_member: "Client member" } as Record<string, string>
  )[role] ?? role;
}

export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{props.title}</strong>
      {props.children}
    </div>
  );
}

export function FieldError(props: { id: string; message?: string | null }) {
  if (!props.message) return null;
  return (
    <span className="field-error" id={props.id}>
      {props.message}
    </span>
  );
}
