/**
 * Parquet copies of the CSV tables, typed from the schema (nodejs-polars).
 *
 * Each CSV is scanned lazily with every column read as text (so no id or
 * number ever goes through a float), cast per the schema, and streamed to
 * Parquet: ids and text → String, integers → Int64, floats → Float64,
 * booleans → Boolean, timestamps → Datetime(ms, UTC), JSON → String.
 *
 * @module
 */

import pl from "nodejs-polars";
import { CSV_DELIMITER } from "./csv_writer.ts";
import { typedFromText } from "./polars_types.ts";
import type { Table } from "./schema.ts";

/**
 * Reads a table's CSV (as written by this package) into a typed lazy frame.
 *
 * @param csvPath the CSV file
 * @param table the table's schema
 * @returns a lazy frame with the schema's types
 *
 * @example
 * ```ts
 * import { scanTableCsv } from "./parquet.ts";
 * import { csvLine } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * const table = {
 *   columns: [{ name: "id", type: "string" }, { name: "keyword", type: "string" }, { name: "n", type: "integer" }],
 * } as never;
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, csvLine(["id", "keyword", "n"]) + csvLine(["e1", "", null]));
 * const frame = scanTableCsv(path, table).collectSync();
 * assert.equal(frame.getColumn("keyword").get(0), "");
 * assert.equal(frame.getColumn("n").get(0), null);
 * await Deno.remove(path);
 * ```
 */
export function scanTableCsv(csvPath: string, table: Table): pl.LazyDataFrame {
  const schema: Record<string, pl.DataType> = {};
  for (const column of table.columns) schema[column.name] = pl.Utf8;
  const lazy = pl.scanCSV(
    csvPath,
    { sep: CSV_DELIMITER, quoteChar: '"', hasHeader: true, schema } as Parameters<
      typeof pl.scanCSV
    >[1],
  );
  return lazy.select(...table.columns.map((column) => typedFromText(column.name, column.type)));
}

/**
 * Converts one table's CSV into Parquet with the schema's types.
 *
 * @param csvPath the CSV written by the tables step
 * @param parquetPath the Parquet file to write
 * @param table the table's schema
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { csvToParquet } from "./parquet.ts";
 * import { csvLine } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * const table = { columns: [{ name: "engagementId", type: "string" }, { name: "mcs", type: "integer" }] } as never;
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/t.csv`, csvLine(["engagementId", "mcs"]) + csvLine(["123456789012345678", "78"]));
 * csvToParquet(`${dir}/t.csv`, `${dir}/t.parquet`, table);
 * const frame = pl.readParquet(`${dir}/t.parquet`);
 * assert.equal(frame.getColumn("engagementId").get(0), "123456789012345678");
 * assert.equal(frame.getColumn("mcs").dtype.variant, "Int64");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function csvToParquet(csvPath: string, parquetPath: string, table: Table): void {
  scanTableCsv(csvPath, table).sinkParquet(parquetPath, { compression: "zstd" }).collectSync();
}
