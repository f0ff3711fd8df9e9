import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PostingSpecView } from "~/components/posting-spec";
import { orNotFound } from "~/lib/guards.server";

/**
 * The public posting spec a vendor is given (/spec/<token>): no sign-in, read-only, nothing but the
 * spec. The token is unguessable and the agency can replace or withdraw it.
 */

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: `Posting spec · ${d?.spec.name ?? ""} · ${d?.agencyName ?? "LeadLedger"}` },
  { name: "robots", content: "noindex, nofollow" },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const spec = await orNotFound(context.caller.postingSpecs.public({ token: params.token ?? "" }));
  return { spec, agencyName: context.agencyName };
}

export default function PublicPostingSpec() {
  const { spec, agencyName } = useLoaderData<typeof loader>();
  return (
    <main className="public-spec" style={{ maxWidth: 960, margin: "0 auto", padding: "24px 16px" }}>
      <div className="page-head">
        <div>
          <h1>
            Posting spec: {spec.name} — {spec.clientName}
          </h1>
          <p className="subtitle">
            From {agencyName}. How to send leads {spec.kind === "form" ? "to this web form" : "with your API key"}, what they must contain, and the answers you will get.
          </p>
        </div>
      </div>
      <PostingSpecView spec={spec} />
    </main>
  );
}
