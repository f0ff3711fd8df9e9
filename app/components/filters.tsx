import { Link } from "@remix-run/react";

/** The filter forms' client picker: `clientId`, "All clients" first. */
export function ClientSelect(props: { clients: { id: string; name: string }[]; defaultValue: string }) {
  return (
    <label>
      Client
      <select name="clientId" defaultValue={props.defaultValue}>
        <option value="">All clients</option>
        {props.clients.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A filter form's Apply button, and a Clear link back to the unfiltered list while a filter is on. */
export function FilterButtons({ filtered }: { filtered: boolean }) {
  return (
    <>
      <button type="submit">Apply</button>
      {filtered ? (
        <Link to="?" className="button secondary">
          Clear
        </Link>
      ) : null}
    </>
  );
}
