import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { EmptyState, FieldError } from "~/components/layout";
import type { RouterOutputs } from "~/lib/api";
import { money } from "~/lib/format";

type Report = RouterOutputs["attribution"]["report"];

const DIMENSIONS: [Report["dimension"], string][] = [
  ["keyword", "Keyword"],
  ["source", "Source"],
  ["medium", "Medium"],
  ["campaign", "Ad campaign"],
  ["content", "Ad"],
];

/**
 * Leads grouped by where they came from (console and portal): leads, qualified, billed, won,
 * revenue, cost per lead and per acquisition for each keyword (or source, medium, ad campaign, ad).
 */
// eslint-disable-next-line max-lines-per-function -- page markup: the report table with its filter form
export function SourcesReport(props: {
  report: Report | null;
  filter: { from: string; to: string; dimension: string; clientId?: string };
  failure: { message: string; fieldErrors: Record<string, string> } | null;
  csvHref: string;
  clientPicker?: ReactNode;
  showClient: boolean;
}) {
  const { report, filter, failure } = props;
  const fe = failure?.fieldErrors ?? {};
  const label = DIMENSIONS.find(([d]) => d === filter.dimension)?.[1] ?? "Keyword";
  return (
    <>
      <div className="card">
        <Form method="get" className="inline" aria-label="Report range">
          <label>
            Group by
            <select name="dimension" defaultValue={filter.dimension}>
              {DIMENSIONS.map(([d, l]) => (
                <option key={d} value={d}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input type="date" name="from" defaultValue={filter.from} required aria-describedby="from-error" />
            <FieldError id="from-error" message={fe.from} />
          </label>
          <label>
            To
            <input type="date" name="to" defaultValue={filter.to} required aria-describedby="to-error" />
            <FieldError id="to-error" message={fe.to} />
          </label>
          {props.clientPicker}
          <button type="submit">Show report</button>
          {report && report.rows.length > 0 ? (
            <a className="button secondary" href={props.csvHref} download>
              Download CSV
            </a>
          ) : null}
        </Form>
      </div>
      {failure ? (
        <div className="alert error" role="alert">
          {failure.message}
        </div>
      ) : null}
      {report && report.rows.length === 0 ? (
        <div className="card">
          <EmptyState title="Nothing in this range">
            <p>No leads arrived between {report.from} and {report.to}. Pick a wider date range.</p>
          </EmptyState>
        </div>
      ) : null}
      {report && report.rows.length > 0 ? (
        <div className="table-wrap">
          <table className="report-table" data-testid="sources-report">
            <caption className="visually-hidden">
              Leads by {label.toLowerCase()} from {report.from} to {report.to}
            </caption>
            <thead>
              <tr>
                {props.showClient ? <th scope="col">Client</th> : null}
                <th scope="col">{label}</th>
                <th scope="col" className="num">Leads</th>
                <th scope="col" className="num">Qualified</th>
                <th scope="col" className="num">Billed</th>
                <th scope="col" className="num">Won</th>
                <th scope="col" className="num">Revenue</th>
                <th scope="col" className="num">Cost per lead</th>
                <th scope="col" className="num">Cost per acquisition</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={`${r.clientId}:${r.value ?? ""}`}>
                  {props.showClient ? <td>{r.clientName}</td> : null}
                  <td>{r.value ?? <span className="muted">Not known</span>}</td>
                  <FigureCells r={r} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className="muted small table-note">
        Leads received in the range, grouped by the {label.toLowerCase()} of the visit that converted (the last touch). Most qualified leads first. Billed is
        the net of charges and credits on those leads; cost per lead is lead charges ÷ qualified leads; cost per acquisition is everything billed ÷ won.
      </p>
    </>
  );
}

/** The figures both reports show per row, in this order: leads, qualified, billed, won, revenue, cost per lead, cost per acquisition. */
export function FigureCells({ r }: {
  r: { leads: number; qualified: number; billedCents: number; won: number; revenueCents: number; costPerLeadCents: number | null; costPerAcquisitionCents: number | null; currency: string };
}) {
  return (
    <>
      <td className="num">{r.leads}</td>
      <td className="num">{r.qualified}</td>
      <td className="num">{money(r.billedCents, r.currency)}</td>
      <td className="num">{r.won}</td>
      <td className="num">{money(r.revenueCents, r.currency)}</td>
      <td className="num">{money(r.costPerLeadCents, r.currency)}</td>
      <td className="num">{money(r.costPerAcquisitionCents, r.currency)}</td>
    </>
  );
}
