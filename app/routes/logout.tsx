import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

async function signOut(context: ActionFunctionArgs["context"]) {
  const setCookie = await context.session.logout();
  return redirect("/login", { headers: { "Set-Cookie": setCookie } });
}

export const action = ({ context }: ActionFunctionArgs) => signOut(context);
export const loader = ({ context }: LoaderFunctionArgs) => signOut(context);
