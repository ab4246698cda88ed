/**
 * Small DataFrame summaries used across the notebooks.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { TableSpec } from "./load.ts";

/**
 * One row per table: rows, columns and primary key, largest first.
 *
 * @param tables DataFrames keyed by table name, e.g. from `loadTables()`.
 * @param models Table specs that give the primary keys.
 * @returns Columns `table` (Utf8), `rows` and `columnCount` (Int64), `primaryKey` (Utf8).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { tableSummary } from "./summary.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = tableSummary({ interaction: pl.DataFrame({ engagementId: ["1", "2"] }) });
 * assert.deepEqual(summary.toRecords(), [
 *   { table: "interaction", rows: 2, columnCount: 1, primaryKey: "" },
 * ]);
 * ```
 */
export function tableSummary(
  tables: Record<string, pl.DataFrame>,
  models: readonly TableSpec[] = [],
): pl.DataFrame {
  const names = Object.keys(tables);
  return pl.DataFrame({
    table: names,
    rows: names.map((name) => tables[name]?.height ?? 0),
    columnCount: names.map((name) => tables[name]?.width ?? 0),
    primaryKey: names.map((name) =>
      models.find((m) => m.name === name)?.primaryKey.join(", ") ?? ""
    ),
  }).withColumns(pl.col("rows").cast(pl.Int64), pl.col("columnCount").cast(pl.Int64))
    .sort(["rows", "table"], [true, false]);
}

/**
 * Counts rows per value of one or more columns, most frequent first.
 *
 * @param df The table.
 * @param columns Grouping column(s).
 * @returns The grouping columns and `count` (Int64, so it never shows as a float).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { countBy } from "./summary.ts";
 * import assert from "node:assert/strict";
 *
 * const counts = countBy(pl.DataFrame({ source: ["agent", "visitor", "agent"] }), "source");
 * assert.deepEqual(counts.toRecords(), [{ source: "agent", count: 2 }, { source: "visitor", count: 1 }]);
 * ```
 */
export function countBy(df: pl.DataFrame, columns: string | readonly string[]): pl.DataFrame {
  const keys = typeof columns === "string" ? [columns] : [...columns];
  return df.groupBy(keys).agg(pl.len().cast(pl.Int64).alias("count"))
    .sort(["count", ...keys], [true, ...keys.map(() => false)]);
}

/**
 * One row per element of a JSON-array text column (e.g. a survey answer's `values`), so that
 * each choice of a multi-select answer is counted once.
 *
 * @param df The table.
 * @param column A column holding JSON arrays as text, such as `["Speed","Knowledge"]`.
 * @param as Name of the new column with one element per row; default `value`.
 * @returns The other columns repeated per element, plus `as` (Utf8); rows whose array is empty,
 *   null or not JSON keep one row with a null element.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { explodeJsonList } from "./summary.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ q: ["9", "15"], values: ['["Great"]', '["Speed","Knowledge"]'] });
 * assert.deepEqual(explodeJsonList(df, "values", "choice").getColumn("choice").toArray(), [
 *   "Great",
 *   "Speed",
 *   "Knowledge",
 * ]);
 * ```
 */
export function explodeJsonList(df: pl.DataFrame, column: string, as = "value"): pl.DataFrame {
  const keep = df.columns.filter((c) => c !== column && c !== as);
  const rows: Record<string, unknown>[] = [];
  for (const record of df.toRecords() as Record<string, unknown>[]) {
    const elements = parseList(record[column]);
    for (const element of elements.length > 0 ? elements : [null]) {
      const row: Record<string, unknown> = {};
      for (const c of keep) row[c] = record[c];
      row[as] = element === null ? null : String(element);
      rows.push(row);
    }
  }
  const schema = Object.fromEntries([
    ...keep.map((c) => [c, df.getColumn(c).dtype] as const),
    [as, pl.String] as const,
  ]);
  return pl.DataFrame(rows, { schema });
}

function parseList(value: unknown): unknown[] {
  if (typeof value !== "string" || value === "") return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}
