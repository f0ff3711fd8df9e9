import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { dateTime, money } from "~/lib/format";
import { DisputeStatusBadge, reasonText } from "./dispute";

/** What a dispute list row shows (disputes.list items, as the loader hands them over). */
export interface DisputeListRow {
  id: string;
  status: string;
  leadName: string | null;
  campaignName: string;
  reason: string;
  openedAt: string | Date;
  creditCents: number | null;
}

/** One column of a dispute list: its header cell and a row's cell (`label` is the cell's data-label on narrow screens). */
export interface DisputeColumn<T> {
  header: ReactNode;
  label: string | ((d: T) => string);
  className?: string;
  cell: (d: T) => ReactNode;
}

/** The columns both dispute lists (the client's and the agency's queue) show the same way. */
export const disputeColumns = {
  status: <T extends DisputeListRow>(): DisputeColumn<T> => ({ header: "Status", label: "Status", cell: (d) => <DisputeStatusBadge status={d.status} /> }),
  /** The lead's name linking to the dispute, its campaign and `details` below. */
  lead: <T extends DisputeListRow>(href: (d: T) => string, details: (d: T) => ReactNode = () => null): DisputeColumn<T> => ({
    header: "Lead",
    label: "Lead",
    cell: (d) => (
      <>
        <Link to={href(d)} className="strong-link">
          {d.leadName || "Unnamed lead"}
        </Link>
        <div className="muted small">
          {d.campaignName}
          {details(d)}
        </div>
      </>
    ),
  }),
  reason: <T extends DisputeListRow>(extra: (d: T) => ReactNode = () => null): DisputeColumn<T> => ({
    header: "Reason",
    label: "Reason",
    cell: (d) => (
      <>
        {reasonText(d.reason)}
        {extra(d)}
      </>
    ),
  }),
  opened: <T extends DisputeListRow>(timeZone: (d: T) => string): DisputeColumn<T> => ({
    header: "Opened",
    label: "Opened",
    className: "nowrap",
    cell: (d) => dateTime(d.openedAt, timeZone(d)),
  }),
  credit: <T extends DisputeListRow>(): DisputeColumn<T> => ({
    header: "Credit",
    label: "Credit",
    className: "num",
    cell: (d) => (d.creditCents ? money(d.creditCents) : <span className="muted">—</span>),
  }),
};

/** The disputes table of the portal's list and the agency's review queue: each page picks its columns and their order. */
export function DisputeTable<T extends DisputeListRow>(props: { items: T[]; className: string; columns: DisputeColumn<T>[]; rowClassName?: (d: T) => string | undefined }) {
  return (
    <div className="table-wrap">
      <table className={props.className}>
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} className={c.className === "num" || c.className === "check-cell" ? c.className : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.items.map((d) => (
            <tr key={d.id} className={props.rowClassName?.(d)}>
              {props.columns.map((c, i) => (
                <td key={i} className={c.className} data-label={typeof c.label === "function" ? c.label(d) : c.label}>
                  {c.cell(d)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
