/**
 * Pipe-delimited CSV output: UTF-8, a header row, RFC 4180 quoting, LF line ends.
 *
 * A value is written exactly as it is: a value containing `|`, `"`, CR or LF
 * is enclosed in double quotes with inner quotes doubled, and nothing is ever
 * stripped or replaced. Null and the empty string differ:
 *
 * - null (no value) is an empty, unquoted field: `a||c`
 * - the empty string is a quoted empty field: `a|""|c`
 *
 * Polars (columns read as text), DuckDB (with `allow_quoted_nulls = false`)
 * and csv-parse (with a `cast` that looks at quoting) read the two back apart;
 * pandas cannot. lib/notebook/read_recipes.ts writes the read calls that do.
 *
 * @module
 */

/** Field separator. */
export const CSV_DELIMITER = "|";

const NEEDS_QUOTES = /[|"\r\n]/;

/**
 * Encodes one cell.
 *
 * @param value the cell; null for no value
 * @returns the field text
 *
 * @example
 * ```ts
 * import { csvField } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * assert.equal(csvField(null), "");
 * assert.equal(csvField(""), '""');
 * assert.equal(csvField('a|b "c"'), '"a|b ""c"""');
 * assert.equal(csvField("plain"), "plain");
 * ```
 */
export function csvField(value: string | null): string {
  if (value === null) return "";
  if (value === "") return '""';
  if (NEEDS_QUOTES.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/**
 * Encodes one row, with its line end.
 *
 * @param cells the cells
 * @returns the line
 *
 * @example
 * ```ts
 * import { csvLine } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * assert.equal(csvLine(["1", null, "", "x\ny"]), '1||""|"x\ny"\n');
 * ```
 */
export function csvLine(cells: readonly (string | null)[]): string {
  // join() yields one flat string; building the line with += would keep a rope
  // of small pieces alive in the buffer until it is flushed.
  const fields = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) fields[i] = csvField(cells[i] ?? null);
  return fields.join(CSV_DELIMITER) + "\n";
}

const FLUSH_BYTES = 1 << 18;

/**
 * Appends rows to one CSV file through a buffer, so that memory stays small
 * however many rows a table gets.
 *
 * @example
 * ```ts
 * import { CsvTableWriter } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * const writer = await CsvTableWriter.create(path, ["a", "b"]);
 * writer.append(["1", null]);
 * await writer.close();
 * assert.equal(await Deno.readTextFile(path), "a|b\n1|\n");
 * await Deno.remove(path);
 * ```
 */
export class CsvTableWriter {
  readonly #file: Deno.FsFile;
  readonly #encoder = new TextEncoder();
  #chunks: string[] = [];
  #pending = 0;
  #rows = 0;

  private constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  /**
   * Creates (or truncates) the file and writes the header.
   *
   * @param path the CSV file
   * @param header column names
   * @returns the writer
   */
  static async create(path: string, header: readonly string[]): Promise<CsvTableWriter> {
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    const writer = new CsvTableWriter(file);
    writer.#push(csvLine(header));
    return writer;
  }

  /** Rows appended so far (without the header). */
  get rows(): number {
    return this.#rows;
  }

  /** Whether enough is buffered that {@linkcode CsvTableWriter.flush} should run. */
  get wantsFlush(): boolean {
    return this.#pending >= FLUSH_BYTES;
  }

  /**
   * Buffers one row.
   *
   * @param cells the row's cells, in header order
   */
  append(cells: readonly (string | null)[]): void {
    this.#push(csvLine(cells));
    this.#rows++;
  }

  #push(line: string): void {
    this.#chunks.push(line);
    // Length in UTF-16 units is a close enough measure of the buffer's size.
    this.#pending += line.length;
  }

  /** Writes the buffer to the file. */
  async flush(): Promise<void> {
    if (this.#chunks.length === 0) return;
    const bytes = this.#encoder.encode(this.#chunks.join(""));
    this.#chunks = [];
    this.#pending = 0;
    let written = 0;
    while (written < bytes.length) written += await this.#file.write(bytes.subarray(written));
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.#file.close();
  }
}
