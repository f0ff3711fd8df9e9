import { useFetcher } from "@remix-run/react";
import { FieldError } from "./layout";
import { dateTime, money } from "~/lib/format";

/**
 * The client's "Outcome" panel on a qualified lead: mark it won with the deal value (acquisition fee
 * and/or revenue share under the contract) or lost, and see what the outcome billed.
 */

export const AMOUNT_HINT = "Enter an amount like 1250.55";

/**
 * Dollars as a person types them → integer cents, without floats: "1,250.55", "$1250.5", "1250"
 * → 125055, 125050, 125000. Null for anything else (negative, three decimals, letters, misplaced commas).
 */
export function parseDollars(raw: string): number | null {
  const s = raw.trim().replace(/^\$\s*/, "").replace(/\s/g, "");
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const whole = Number(m[1]!.replace(/,/g, ""));
  const cents = whole * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Cents → what the input shows again ("1250.55"). */
export function centsToInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return "";
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

const OUTCOME_KINDS: Record<string, string> = { acquisition_charge: "Acquisition fee", revshare_charge: "Revenue share", adjustment: "Reversal" };

export interface OutcomeLead {
  id: string;
  status: string;
  outcome: string | null;
  outcomeValueCents: number | null;
  outcomeAt: string | Date | null;
  clientTimezone: string;
  charges: { id: string; kind: string; amountCents: number; createdAt: string | Date }[];
}

export type OutcomeResult =
  | { ok: true; intent: string; message: string }
  | { ok: false; intent: string; message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

function pricingLine(p: { acquisitionPriceCents: number; revshareBps: number } | null): string | null {
  if (!p) return null;
  const parts: string[] = [];
  if (p.acquisitionPriceCents > 0) parts.push(`${money(p.acquisitionPriceCents)} per won lead`);
  if (p.revshareBps > 0) parts.push(`${p.revshareBps % 100 === 0 ? p.revshareBps / 100 : (p.revshareBps / 100).toFixed(2)}% of the deal value`);
  return parts.length ? `Your contract bills ${parts.join(" plus ")} when you mark a lead won.` : "Your contract bills nothing extra for a won lead.";
}

// eslint-disable-next-line max-lines-per-function -- one panel's markup and its form; the rules live on the server
export function OutcomePanel(props: { lead: OutcomeLead; pricing: { acquisitionPriceCents: number; revshareBps: number } | null; fallback?: OutcomeResult | null }) {
  const { lead } = props;
  const fetcher = useFetcher<OutcomeResult>({ key: `outcome-${lead.id}` });
  const result = fetcher.data ?? props.fallback ?? null;
  const failure = result && !result.ok ? result : null;
  const busy = fetcher.state !== "idle";
  const tz = lead.clientTimezone;
  const billed = lead.charges.filter((c) => c.kind in OUTCOME_KINDS);
  const billedTotal = billed.reduce((s, c) => s + c.amountCents, 0);
  const valueError = failure?.fieldErrors.value ?? failure?.fieldErrors.valueCents;
  return (
    <section className="card" aria-labelledby="outcome-heading">
      <h2 id="outcome-heading" className="card-title">
        Outcome
      </h2>
      <p>
        {lead.outcome === "won" ? (
          <>
            <span className="badge ok">won</span> {lead.outcomeValueCents !== null ? <>Deal value <strong>{money(lead.outcomeValueCents)}</strong>, </> : null}marked{" "}
            {dateTime(lead.outcomeAt, tz)}.
          </>
        ) : lead.outcome === "lost" ? (
          <>
            <span className="badge warn">lost</span> Marked {dateTime(lead.outcomeAt, tz)}.
          </>
        ) : (
          <span className="muted">No outcome yet. Mark the lead won when the deal closes, or lost when it won't.</span>
        )}
      </p>
      {billed.length > 0 ? (
        <div className="outcome-billed">
          <table aria-label="Billed for the outcome">
            <tbody>
              {billed.map((c) => (
                <tr key={c.id}>
                  <td>{OUTCOME_KINDS[c.kind]}</td>
                  <td className="muted">{dateTime(c.createdAt, tz)}</td>
                  <td className="num">{money(c.amountCents)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row" colSpan={2}>
                  Billed for the outcome
                </th>
                <td className="num">
                  <strong>{money(billedTotal)}</strong>
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      ) : lead.outcome === "won" ? (
        <p className="muted small">Nothing was billed for this outcome.</p>
      ) : null}
      {pricingLine(props.pricing) ? <p className="muted small">{pricingLine(props.pricing)}</p> : null}
      {result?.ok ? (
        <div className="alert success" role="status">
          {result.message}
        </div>
      ) : null}
      {failure && !valueError ? (
        <div className="alert error" role="alert">
          {failure.message}
        </div>
      ) : null}
      <fetcher.Form method="post" className="inline outcome-form" preventScrollReset>
        <label>
          Deal value ($)
          <input
            name="value"
            inputMode="decimal"
            autoComplete="off"
            placeholder="1250.55"
            defaultValue={failure?.values.value ?? centsToInput(lead.outcomeValueCents)}
            key={`${lead.outcome}-${lead.outcomeValueCents}`}
            aria-invalid={valueError ? true : undefined}
            aria-describedby={valueError ? "outcome-value-error" : "outcome-value-hint"}
          />
          {valueError ? <FieldError id="outcome-value-error" message={valueError} /> : <span className="hint" id="outcome-value-hint">For a won lead, e.g. 1,250.55</span>}
        </label>
        <div className="actions">
          <button type="submit" name="intent" value="mark-won" disabled={busy}>
            Mark won
          </button>
          <button type="submit" name="intent" value="mark-lost" className="secondary" disabled={busy}>
            Mark lost
          </button>
        </div>
      </fetcher.Form>
    </section>
  );
}
