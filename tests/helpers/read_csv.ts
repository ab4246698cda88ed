/**
 * Reads a table CSV written by the tables step back into rows, keeping null
 * (empty unquoted field) apart from the empty string (`""`).
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import { CSV_DELIMITER } from "../../lib/tables/csv_writer.ts";

/** One CSV row, by column name; null is "no value". */
export type CsvRecord = Record<string, string | null>;

/**
 * Parses table CSV text.
 *
 * @param text the CSV text, header first
 * @returns the rows as objects keyed by column name
 *
 * @example
 * ```ts
 * import { parseTableCsv } from "./read_csv.ts";
 * import assert from "node:assert/strict";
 * const rows = parseTableCsv('a|b|c\n""||"x|y\r\nz"\n');
 * assert.deepEqual(rows, [{ a: "", b: null, c: "x|y\r\nz" }]);
 * ```
 */
export function parseTableCsv(text: string): CsvRecord[] {
  const rows = parse(text, {
    delimiter: CSV_DELIMITER,
    quote: '"',
    escape: '"',
    relax_column_count: false,
    skip_empty_lines: false,
    record_delimiter: "\n",
    cast: (value: string, context: { quoting: boolean }) =>
      context.quoting || value !== "" ? value : null,
  }) as (string | null)[][];
  const [header, ...body] = rows;
  if (!header) return [];
  const names = header.map((name) => name ?? "");
  return body.map((cells) => {
    const record: CsvRecord = {};
    names.forEach((name, index) => record[name] = cells[index] ?? null);
    return record;
  });
}

/**
 * Reads a table CSV file.
 *
 * @param path the CSV file
 * @returns the rows as objects keyed by column name
 *
 * @example
 * ```ts
 * import { readTableCsv } from "./read_csv.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "id|n\n123456789012345678|\n");
 * assert.deepEqual(await readTableCsv(path), [{ id: "123456789012345678", n: null }]);
 * await Deno.remove(path);
 * ```
 */
export async function readTableCsv(path: string): Promise<CsvRecord[]> {
  return parseTableCsv(await Deno.readTextFile(path));
}
