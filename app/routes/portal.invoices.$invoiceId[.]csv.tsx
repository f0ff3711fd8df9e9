import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "~/components/setup";
import { orNotFound, requireUser } from "~/lib/guards.server";

/**
 * GET /portal/invoices/<id>.csv — the invoice as a spreadsheet download (`invoices.csv`): a header
 * row, the ledger entries under each line with amounts in dollars and cents, then the totals.
 * Client users get their own invoices only (another client's id is 404); agency staff any.
 */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = idParam(params.invoiceId, "invoice");
  const [invoice, file] = await Promise.all([orNotFound(context.caller.invoices.get({ id })), orNotFound(context.caller.invoices.csv({ id }))]);
  return new Response(file.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="invoice-${invoice.displayNumber}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
