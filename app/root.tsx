import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import stylesheet from "~/styles/app.css";
import { useNonce } from "~/lib/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];
export const meta: MetaFunction = () => [{ title: "LeadLedger" }];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
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
        <a href="/">Go to the start page</a>
      </p>
    </div>
  );
}
