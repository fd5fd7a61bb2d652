import { type RawBuilder, sql } from 'kysely';

/** A value of a constant table: written into the statement as an SQL literal. */
export type ConstantValue = string | number | boolean | null;

/**
 * A table computed in code (e.g. every outcome of a pure rule), as `(values …) as alias(columns)` for a FROM or JOIN,
 * so that set-based SQL joins the same decisions the code makes instead of restating them. The values are written as
 * literals, not parameters: they come from the code, never from input, and the statement's text stays the same, so
 * it is prepared once (src/db/database.ts). Strings must be such constants; column names are plain lower-case names.
 */
export function valuesTable(
  alias: string,
  columns: readonly string[],
  rows: readonly (readonly ConstantValue[])[],
): RawBuilder<unknown> {
  if (rows.length === 0) throw new Error(`valuesTable ${alias}: no rows`);
  for (const column of columns) {
    if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new Error(`valuesTable ${alias}: column name ${column}`);
  }
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`valuesTable ${alias}: a row has ${row.length} values`);
  }
  const values = rows.map((row) => sql`(${sql.join(row.map((value) => sql.lit(value)))})`);
  return sql`(values ${sql.join(values)}) as ${sql.id(alias)}(${sql.raw(columns.join(', '))})`;
}
