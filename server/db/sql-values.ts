import { sql, type SQL } from "drizzle-orm";

/**
 * A list of text constants as SQL literals ('a', 'b'), for `in (…)` lists and CHECK constraints
 * written from the domain's constants. The text is fixed for a given list, so statements using it
 * stay prepared-statement friendly and schema snapshots do not change.
 */
export function sqlTextList(values: readonly string[]): SQL {
  if (values.length === 0) throw new Error("an SQL list needs at least one value");
  return sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", "));
}

/** `case <column> when 'a' then 0 … end`: a constant map written as one SQL expression. */
export function sqlCaseOf(column: SQL, map: Readonly<Record<string, number>>): SQL {
  const whens = Object.entries(map).map(([k, n]) => {
    if (!Number.isInteger(n)) throw new Error(`not an integer: ${k} = ${n}`);
    return `when '${k.replace(/'/g, "''")}' then ${n}`;
  });
  return sql`case ${column} ${sql.raw(whens.join(" "))} end`;
}
