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
 * Polars, DuckDB and csv-parse (with a `cast` that looks at quoting) all read
 * the two back apart.
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
 * @param plain per column, true when its cells never hold `|`, `"`, CR or LF
 *   (numbers, times, booleans), so they need no test for quoting
 * @returns the line
 *
 * @example
 * ```ts
 * import { csvLine } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * assert.equal(csvLine(["1", null, "", "x\ny"]), '1||""|"x\ny"\n');
 * assert.equal(csvLine(["2", "a|b"], [true, false]), '2|"a|b"\n');
 * ```
 */
export function csvLine(
  cells: readonly (string | null)[],
  plain?: readonly boolean[],
): string {
  // join() yields one flat string; building the line with += would leave a
  // rope of small pieces that costs more to flatten and collect later.
  const fields = new Array<string>(cells.length);
  for (let index = 0; index < cells.length; index++) {
    const value = cells[index];
    fields[index] = value === null || value === undefined
      ? ""
      : value === ""
      ? '""'
      : plain?.[index] !== true && NEEDS_QUOTES.test(value)
      ? `"${value.replaceAll('"', '""')}"`
      : value;
  }
  // The line end joins the last field, so that the line is one flat string.
  if (fields.length === 0) return "\n";
  fields[fields.length - 1] += "\n";
  return fields.join(CSV_DELIMITER);
}

const FLUSH_BYTES = 1 << 18;

/**
 * Appends rows to one CSV file through a buffer, so that memory stays small
 * however many rows a table gets. Rows come as cells or already encoded
 * ({@linkcode CsvTableWriter.appendBytes}). A flush hands the buffer to the
 * file and returns at once; the next flush, and closing, wait for it.
 *
 * @example
 * ```ts
 * import { CsvTableWriter } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * const writer = await CsvTableWriter.create(path, ["a", "b"]);
 * writer.append(["1", null]);
 * writer.appendBytes(new TextEncoder().encode("2|x\n3|y\n"), 2);
 * await writer.close();
 * assert.equal(await Deno.readTextFile(path), "a|b\n1|\n2|x\n3|y\n");
 * assert.equal(writer.rows, 3);
 * await Deno.remove(path);
 * ```
 */
export class CsvTableWriter {
  readonly #file: Deno.FsFile;
  readonly #encoder = new TextEncoder();
  #chunks: Uint8Array[] = [];
  #pending = 0;
  #rows = 0;
  #writing: Promise<void> = Promise.resolve();

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
    writer.#push(writer.#encoder.encode(csvLine(header)));
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
    this.appendBytes(this.#encoder.encode(csvLine(cells)), 1);
  }

  /**
   * Buffers rows already encoded as CSV lines ({@linkcode csvLine}, UTF-8). The
   * bytes are copied when the buffer is flushed, so they must not change before.
   *
   * @param bytes the lines
   * @param rows how many rows they hold
   */
  appendBytes(bytes: Uint8Array, rows: number): void {
    if (bytes.length > 0) this.#push(bytes);
    this.#rows += rows;
  }

  #push(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#pending += bytes.length;
  }

  /**
   * Hands the buffer to the file once the previous flush is written.
   *
   * @returns when the previous flush is written (the new one may still be under way)
   */
  async flush(): Promise<void> {
    if (this.#chunks.length === 0) return;
    const bytes = new Uint8Array(this.#pending);
    let at = 0;
    for (const chunk of this.#chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    this.#chunks = [];
    this.#pending = 0;
    const previous = this.#writing;
    const next = previous.then(() => this.#write(bytes));
    // A failed write is reported by the next flush or by close(); never left unhandled.
    next.catch(() => {});
    this.#writing = next;
    await previous;
  }

  async #write(bytes: Uint8Array): Promise<void> {
    let written = 0;
    while (written < bytes.length) written += await this.#file.write(bytes.subarray(written));
  }

  /** Flushes, waits for every write, and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    try {
      await this.#writing;
    } finally {
      this.#file.close();
    }
  }
}
