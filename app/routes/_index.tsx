import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.user) throw redirect("/login");
  throw redirect(context.user.clientId ? "/portal" : "/agency");
}
