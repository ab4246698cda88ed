/**
 * Parquet copies of the CSV tables, typed from the schema (nodejs-polars).
 *
 * Each CSV is scanned lazily, its columns read into their types (an id is
 * text, so it never goes through a float; an integer goes from its digits to
 * Int64; see {@linkcode csvReadType}), and streamed to Parquet: ids and text →
 * String, integers → Int64, floats → Float64, booleans → Boolean, timestamps →
 * Datetime(ms, UTC), JSON → String.
 *
 * @module
 */

import pl from "nodejs-polars";
import { CSV_DELIMITER } from "./csv_writer.ts";
import { csvReadType, typedFromText } from "./polars_types.ts";
import type { Table } from "./schema.ts";

/**
 * Reads a table's CSV (as written by this package) into a typed lazy frame.
 *
 * @param csvPath the CSV file
 * @param table the table's schema
 * @param options `hasHeader`: whether the file starts with the header (default true; a
 *   part after the first of a table written in parts has none)
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
export function scanTableCsv(
  csvPath: string,
  table: Pick<Table, "columns">,
  options: { hasHeader?: boolean } = {},
): pl.LazyDataFrame {
  const schema: Record<string, pl.DataType> = {};
  for (const column of table.columns) schema[column.name] = csvReadType(column.type);
  const lazy = pl.scanCSV(
    csvPath,
    {
      sep: CSV_DELIMITER,
      quoteChar: '"',
      hasHeader: options.hasHeader ?? true,
      schema,
    } as Parameters<typeof pl.scanCSV>[1],
  );
  return lazy.select(
    ...table.columns.map((column) =>
      column.type === "timestamp" ? typedFromText(column.name, column.type) : pl.col(column.name)
    ),
  );
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
  partsToParquet([csvPath], parquetPath, table).collectSync();
}

function partsToParquet(
  parts: readonly string[],
  parquetPath: string,
  table: Pick<Table, "columns">,
  rowGroupRows?: number,
): pl.LazyDataFrame {
  const scans = parts.map((part, index) => scanTableCsv(part, table, { hasHeader: index === 0 }));
  const lazy = scans.length === 1 ? scans[0]! : pl.concat(scans);
  return lazy.sinkParquet(parquetPath, {
    compression: "zstd",
    ...(rowGroupRows === undefined ? {} : { rowGroupSize: rowGroupRows }),
  });
}

/**
 * Converts a table written in parts (`partBytes` of csv_writer.ts)
 * into one Parquet file, on polars' threads (the main thread is free
 * meanwhile). Polars maps each file it reads into memory, so parts keep what
 * it maps at once small however large the table.
 *
 * @param parts the CSV parts, in order; only the first has the header
 * @param parquetPath the Parquet file to write
 * @param table the table's schema
 * @param options `rowGroupRows`: rows per row group ({@linkcode rowGroupRows}); default polars'
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { csvPartsToParquet } from "./parquet.ts";
 * import assert from "node:assert/strict";
 * const table = { columns: [{ name: "id", type: "string" }, { name: "n", type: "integer" }] } as never;
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/t.csv.part-000`, "id|n\na|1\n");
 * await Deno.writeTextFile(`${dir}/t.csv.part-001`, "b|2\n");
 * await csvPartsToParquet([`${dir}/t.csv.part-000`, `${dir}/t.csv.part-001`], `${dir}/t.parquet`, table);
 * assert.deepEqual(pl.readParquet(`${dir}/t.parquet`).getColumn("n").toArray(), [1, 2]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function csvPartsToParquet(
  parts: readonly string[],
  parquetPath: string,
  table: Pick<Table, "columns">,
  options: { rowGroupRows?: number } = {},
): Promise<void> {
  await partsToParquet(parts, parquetPath, table, options.rowGroupRows).collect();
}

/** Bytes of CSV a Parquet row group holds at most: the writer keeps a whole group in memory. */
const ROW_GROUP_CSV_BYTES = 4 * 2 ** 20;

/**
 * Rows per Parquet row group for a table of this size: about
 * {@linkcode ROW_GROUP_CSV_BYTES} of its CSV, between 4096 and 262 144 rows.
 *
 * @param rows the table's rows
 * @param csvBytes the size of its CSV
 * @returns rows per row group
 *
 * @example
 * ```ts
 * import { rowGroupRows } from "./parquet.ts";
 * import assert from "node:assert/strict";
 * assert.equal(rowGroupRows(100_000, 40 * 2 ** 20), 10_000);
 * assert.equal(rowGroupRows(10, 100), 262_144);
 * ```
 */
export function rowGroupRows(rows: number, csvBytes: number): number {
  const perRow = rows > 0 ? csvBytes / rows : 1;
  return Math.max(4096, Math.min(262_144, Math.round(ROW_GROUP_CSV_BYTES / perRow)));
}
