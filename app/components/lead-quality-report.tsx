import { SOURCE_LABEL } from "~/lib/format";
import type { RouterOutputs } from "~/lib/api";

type QualityReport = RouterOutputs["reports"]["quality"];

/** Which source sends junk: average quality score per client, campaign and source, worst first (docs/quality-score.md). */
export function LeadQualityReport({ report }: { report: QualityReport | null }) {
  if (!report || report.rows.length === 0) return null;
  return (
    <section className="card" aria-labelledby="lead-quality">
      <h2 id="lead-quality" style={{ marginTop: 0 }}>
        Lead quality by source
      </h2>
      <p className="muted small">
        Intake checks (phone line, e-mail, IP location, velocity, consent) give each lead a score from 0 to 100; poor is under 50. Worst average first.
      </p>
      <div className="table-wrap">
        <table className="report-table">
          <caption className="visually-hidden">
            Lead quality from {report.from} to {report.to}, per client, campaign and source
          </caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Campaign</th>
              <th scope="col">Source</th>
              <th scope="col" className="num">
                Leads
              </th>
              <th scope="col" className="num">
                Average score
              </th>
              <th scope="col" className="num">
                Poor
              </th>
              <th scope="col" className="num">
                Rejected by checks
              </th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={`${r.clientId}:${r.campaignId}:${r.source}`}>
                <td>{r.clientName}</td>
                <td>{r.campaignName}</td>
                <td>{SOURCE_LABEL[r.source] ?? r.source}</td>
                <td className="num">{r.leads}</td>
                <td className="num">{r.averageScore === null ? <span className="muted">not checked</span> : `${r.averageScore} of 100`}</td>
                <td className="num">
                  {r.poor}
                  {r.checked > 0 ? <span className="muted small"> ({Math.round((r.poor * 100) / r.checked)}%)</span> : null}
                </td>
                <td className="num">{r.rejectedByChecks}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
