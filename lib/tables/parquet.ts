/**
 * Parquet copies of the CSV tables, typed from the model (nodejs-polars).
 *
 * Each CSV is scanned lazily with every column read as text (so no id or
 * number ever goes through a float), cast per the model, and streamed to
 * Parquet: ids and text → String, integers → Int64, floats → Float64,
 * booleans → Boolean, timestamps → Datetime(ms, UTC), JSON → String.
 *
 * @module
 */

import pl from "nodejs-polars";
import { CSV_DELIMITER } from "./csv_writer.ts";
import type { ColumnModel, TableModel } from "./model.ts";

const ISO_FORMAT = "%Y-%m-%dT%H:%M:%S%.3fZ";

function typedColumn(column: ColumnModel): pl.Expr {
  const text = pl.col(column.name);
  switch (column.type) {
    case "integer":
      return text.cast(pl.Int64, false).alias(column.name);
    case "float":
      return text.cast(pl.Float64, false).alias(column.name);
    case "boolean":
      return pl.when(text.eq(pl.lit("true"))).then(pl.lit(true))
        .when(text.eq(pl.lit("false"))).then(pl.lit(false))
        .otherwise(pl.lit(null)).cast(pl.Bool).alias(column.name);
    case "timestamp":
      return text.str.strptime(pl.Datetime("ms"), ISO_FORMAT)
        .cast(pl.Datetime("ms", "UTC")).alias(column.name);
    case "string":
    case "json":
      return text;
  }
}

/**
 * The polars data type a column gets in Parquet (and should get when a
 * notebook reads the CSV).
 *
 * @param column a column of the model
 * @returns the polars type
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { polarsType } from "./parquet.ts";
 * import assert from "node:assert/strict";
 * const type = polarsType({ name: "n", type: "integer", source: "", description: "", role: "field" });
 * assert.ok(type.equals(pl.Int64));
 * ```
 */
export function polarsType(column: ColumnModel): pl.DataType {
  switch (column.type) {
    case "integer":
      return pl.Int64;
    case "float":
      return pl.Float64;
    case "boolean":
      return pl.Bool;
    case "timestamp":
      return pl.Datetime("ms", "UTC");
    case "string":
    case "json":
      return pl.Utf8;
  }
}

/**
 * Reads a table's CSV (as written by this package) into a typed DataFrame.
 *
 * @param csvPath the CSV file
 * @param table the table's model
 * @returns a lazy frame with the model's types
 *
 * @example
 * ```ts
 * import { scanTableCsv } from "./parquet.ts";
 * import { tableByName } from "./model.ts";
 * import { csvLine } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * const table = tableByName("sde_search_content_keywords");
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * const header = table.columns.map((column) => column.name);
 * const row = ["e1", "2024-01-01T00:00:00.000Z", "0", "1", "", null];
 * await Deno.writeTextFile(path, csvLine(header) + csvLine(row));
 * const frame = scanTableCsv(path, table).collectSync();
 * assert.equal(frame.getColumn("keyword").get(0), "");
 * assert.equal(frame.getColumn("extra").get(0), null);
 * await Deno.remove(path);
 * ```
 */
export function scanTableCsv(csvPath: string, table: TableModel): pl.LazyDataFrame {
  const schema: Record<string, pl.DataType> = {};
  for (const column of table.columns) schema[column.name] = pl.Utf8;
  const lazy = pl.scanCSV(
    csvPath,
    {
      sep: CSV_DELIMITER,
      quoteChar: '"',
      hasHeader: true,
      schema,
    } as Parameters<typeof pl.scanCSV>[1],
  );
  return lazy.select(...table.columns.map(typedColumn));
}

/**
 * Converts one table's CSV into Parquet with the model's types.
 *
 * @param csvPath the CSV written by the tables step
 * @param parquetPath the Parquet file to write
 * @param table the table's model
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { csvToParquet } from "./parquet.ts";
 * import { tableByName } from "./model.ts";
 * import { csvLine } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * const table = tableByName("line_scores");
 * const dir = await Deno.makeTempDir();
 * const header = table.columns.map((column) => column.name);
 * const row = ["123456789012345678", "2024-01-01T00:00:00.000Z", "0", "78", "5", "1", null];
 * await Deno.writeTextFile(`${dir}/t.csv`, csvLine(header) + csvLine(row));
 * csvToParquet(`${dir}/t.csv`, `${dir}/t.parquet`, table);
 * const frame = pl.readParquet(`${dir}/t.parquet`);
 * assert.equal(frame.getColumn("engagementId").get(0), "123456789012345678");
 * assert.equal(frame.getColumn("mcs").dtype.variant, "Int64");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function csvToParquet(csvPath: string, parquetPath: string, table: TableModel): void {
  scanTableCsv(csvPath, table).sinkParquet(parquetPath, { compression: "zstd" }).collectSync();
}
