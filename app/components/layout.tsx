import { Form, isRouteErrorResponse, Link, NavLink, useRouteError } from "@remix-run/react";
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

/** The error page's body: 404 / 403 / 500 in words, with where to go next (inside the app's frame when it has one). */
export function ErrorContent(props: { home?: string }) {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title =
    status === 404 ? "Page not found" : status === 403 ? "You don't have access to this page" : status === 401 ? "Please sign in" : "Something went wrong";
  const detail =
    isRouteErrorResponse(error) && typeof error.data === "string" && error.data
      ? error.data
      : status === 404
        ? "The page or record does not exist, or it belongs to another account."
        : status >= 500
          ? "The error has been logged. Try again in a moment."
          : "";
  return (
    <div className="error-page">
      <div className="code">{status}</div>
      <h1>{title}</h1>
      {detail ? <p className="muted">{detail}</p> : null}
      <p>
        <a href={props.home ?? "/"}>{props.home ? "Back to the overview" : "Go to the start page"}</a>
      </p>
    </div>
  );
}
