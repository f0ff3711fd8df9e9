import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/guards.server";

/** Any other address under /portal/: a 404 inside the portal's frame (its layout's error boundary). */
export function loader({ context, request }: LoaderFunctionArgs) {
  requireUser(context, request);
  throw new Response("There is no such page here. Use the menu above.", { status: 404 });
}

export default function NotFound() {
  return null;
}
