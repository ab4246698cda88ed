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
 * @returns Columns `table` (Utf8), `rows` and `columns` (Int64), `primaryKey` (Utf8).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { tableSummary } from "./summary.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = tableSummary({ interaction: pl.DataFrame({ engagementId: ["1", "2"] }) });
 * assert.deepEqual(summary.toRecords(), [
 *   { table: "interaction", rows: 2, columns: 1, primaryKey: "" },
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
    columns: names.map((name) => tables[name]?.width ?? 0),
    primaryKey: names.map((name) =>
      models.find((m) => m.name === name)?.primaryKey.join(", ") ?? ""
    ),
  }).withColumns(pl.col("rows").cast(pl.Int64), pl.col("columns").cast(pl.Int64))
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
