import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "~/components/setup";
import { orNotFound, requireUser } from "~/lib/guards.server";

/**
 * GET /portal/invoices/<id>.pdf — the invoice as a PDF (`invoices.pdf`): the agency's and the
 * client's details, number, dates, terms, lines, totals and how to pay. Client users get their own
 * issued invoices only (another client's id is 404); agency staff any.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const file = await orNotFound(context.caller.invoices.pdf({ id: idParam(params.invoiceId, "invoice") }));
  return new Response(Buffer.from(file.base64, "base64"), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `inline; filename="${file.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
