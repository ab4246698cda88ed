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
  return csvLineReusing([...cells], plain);
}

/**
 * Encodes one row, with its line end, writing each field over its cell: for
 * rows that are not needed afterwards, it saves an array per row.
 *
 * @param cells the cells; replaced by their fields
 * @param plain per column, true when its cells need no test for quoting (see {@linkcode csvLine})
 * @returns the line
 *
 * @example
 * ```ts
 * import { csvLineReusing } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * const row = ["1", null, "a|b"];
 * assert.equal(csvLineReusing(row), '1||"a|b"\n');
 * assert.deepEqual(row, ["1", "", '"a|b"\n']);
 * ```
 */
export function csvLineReusing(
  cells: (string | null)[],
  plain?: readonly boolean[],
): string {
  const last = cells.length - 1;
  if (last < 0) return "\n";
  for (let index = 0; index <= last; index++) {
    const value = cells[index];
    if (value === null || value === undefined) cells[index] = "";
    else if (value === "") cells[index] = '""';
    else if (plain?.[index] !== true && NEEDS_QUOTES.test(value)) {
      cells[index] = `"${value.replaceAll('"', '""')}"`;
    }
  }
  // The line end joins the last field, so that join() gives one flat string
  // (building the line with += would leave a rope, costlier to flatten later).
  cells[last] += "\n";
  return cells.join(CSV_DELIMITER);
}

const FLUSH_BYTES = 1 << 16;
const FIRST_BUFFER_BYTES = 1 << 15;

/** Options of {@linkcode CsvTableWriter.create}. */
export interface CsvTableWriterOptions {
  /**
   * Write the table as parts of about this many bytes (`<path>.part-000`, …;
   * the first holds the header), each ending with a whole row; join them
   * with {@linkcode joinCsvParts}. Default: one file.
   */
  readonly partBytes?: number;
}

function partPath(path: string, index: number): string {
  return `${path}.part-${String(index).padStart(3, "0")}`;
}

/**
 * Appends rows to one CSV file (or to its parts) through a buffer, so that
 * memory stays small however many rows a table gets. Rows come as cells or
 * already encoded ({@linkcode CsvTableWriter.appendBytes}). A flush hands the
 * buffer to the file and returns at once; the next flush, and closing, wait
 * for it.
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
 * assert.deepEqual([writer.rows, writer.files], [3, [path]]);
 * await Deno.remove(path);
 * ```
 */
export class CsvTableWriter {
  #file: Deno.FsFile;
  readonly #encoder = new TextEncoder();
  /** Two buffers, filled and written in turn, so that memory is reused rather than churned. */
  readonly #buffers: Uint8Array[] = [];
  #current = 0;
  #used = 0;
  #rows = 0;
  #writing: Promise<void> = Promise.resolve();
  readonly #path: string;
  readonly #partBytes: number | undefined;
  readonly #files: string[];
  /** Bytes handed to the current file. */
  #fileBytes = 0;

  private constructor(file: Deno.FsFile, path: string, first: string, partBytes?: number) {
    this.#file = file;
    this.#path = path;
    this.#files = [first];
    this.#partBytes = partBytes;
  }

  /**
   * Creates (or truncates) the file, or its first part, and writes the header.
   *
   * @param path the CSV file
   * @param header column names
   * @param options whether to write parts
   * @returns the writer
   */
  static async create(
    path: string,
    header: readonly string[],
    options: CsvTableWriterOptions = {},
  ): Promise<CsvTableWriter> {
    const first = options.partBytes === undefined ? path : partPath(path, 0);
    const file = await Deno.open(first, { write: true, create: true, truncate: true });
    const writer = new CsvTableWriter(file, path, first, options.partBytes);
    writer.appendBytes(writer.#encoder.encode(csvLine(header)), 0);
    return writer;
  }

  /** Rows appended so far (without the header). */
  get rows(): number {
    return this.#rows;
  }

  /** The files written: the CSV, or its parts in order. */
  get files(): readonly string[] {
    return this.#files;
  }

  /** Whether enough is buffered that {@linkcode CsvTableWriter.flush} should run. */
  get wantsFlush(): boolean {
    return this.#used >= FLUSH_BYTES;
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
   * Buffers rows already encoded as CSV lines ({@linkcode csvLine}, UTF-8); the
   * bytes are copied at once.
   *
   * @param bytes the lines, whole rows only
   * @param rows how many rows they hold
   */
  appendBytes(bytes: Uint8Array, rows: number): void {
    this.#rows += rows;
    if (bytes.length === 0) return;
    let buffer = this.#buffers[this.#current];
    if (buffer === undefined || buffer.length - this.#used < bytes.length) {
      // Grown to hold what is appended between two flushes; kept for the next turns.
      const grown = new Uint8Array(
        Math.max(FIRST_BUFFER_BYTES, (buffer?.length ?? 0) * 2, this.#used + bytes.length),
      );
      if (buffer !== undefined) grown.set(buffer.subarray(0, this.#used));
      buffer = this.#buffers[this.#current] = grown;
    }
    buffer.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /**
   * Hands the buffer to the file once the previous flush is written, and
   * fills the other buffer meanwhile. A buffer holds whole rows, so a new
   * part, when one is due, starts with a row.
   *
   * @returns when the previous flush is written (the new one may still be under way)
   */
  async flush(): Promise<void> {
    if (this.#used === 0) return;
    const bytes = this.#buffers[this.#current]!.subarray(0, this.#used);
    this.#current = 1 - this.#current;
    this.#used = 0;
    let nextPart: string | undefined;
    if (this.#partBytes !== undefined && this.#fileBytes >= this.#partBytes) {
      nextPart = partPath(this.#path, this.#files.length);
      this.#files.push(nextPart);
      this.#fileBytes = 0;
    }
    this.#fileBytes += bytes.length;
    const previous = this.#writing;
    const next = previous.then(async () => {
      if (nextPart !== undefined) {
        this.#file.close();
        this.#file = await Deno.open(nextPart, { write: true, create: true, truncate: true });
      }
      await this.#write(bytes);
    });
    // A failed write is reported by the next flush or by close(); never left unhandled.
    next.catch(() => {});
    this.#writing = next;
    // The buffer now filled was written by the flush before: wait for it.
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

/**
 * Joins a table's parts ({@linkcode CsvTableWriterOptions.partBytes}) into
 * one file and removes them; a single part is just renamed.
 *
 * @param parts the parts, in order
 * @param path the CSV file to make
 *
 * @example
 * ```ts
 * import { CsvTableWriter, joinCsvParts } from "./csv_writer.ts";
 * import assert from "node:assert/strict";
 * const path = `${await Deno.makeTempDir()}/t.csv`;
 * const writer = await CsvTableWriter.create(path, ["a"], { partBytes: 1 });
 * for (const value of ["1", "2", "3"]) {
 *   writer.append([value]);
 *   await writer.flush();
 * }
 * await writer.close();
 * assert.equal(writer.files.length, 3);
 * await joinCsvParts(writer.files, path);
 * assert.equal(await Deno.readTextFile(path), "a\n1\n2\n3\n");
 * ```
 */
export async function joinCsvParts(parts: readonly string[], path: string): Promise<void> {
  const [first, ...rest] = parts;
  if (first === undefined) throw new RangeError(`No parts to join into ${path}`);
  if (rest.length > 0) {
    const target = await Deno.open(first, { write: true, append: true });
    try {
      for (const part of rest) {
        const source = await Deno.open(part);
        await source.readable.pipeTo(target.writable, { preventClose: true });
      }
    } finally {
      target.close();
    }
    for (const part of rest) await Deno.remove(part);
  }
  if (first !== path) await Deno.rename(first, path);
}
