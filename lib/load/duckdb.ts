/**
 * The embedded default database: a DuckDB file, through `@duckdb/node-api`
 * (needs `--allow-ffi`). DuckDB reads the Parquet copies directly, or the
 * pipe-CSV with every column read as text and then cast, so that null (an
 * empty unquoted field) and the empty string (`""`) stay apart.
 *
 * @module
 */

import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { dirname } from "node:path";
import { UsageError } from "../errors.ts";
import { CSV_DELIMITER } from "../tables/csv_writer.ts";
import type { LoadConnection, TableFile } from "./connection.ts";
import { sqlType } from "../tables/ddl.ts";
import { quoteIdentifier, quoteLiteral } from "../tables/sql_text.ts";

const MAGIC = "DUCK";

/**
 * Checks that `path` is a DuckDB database or does not exist yet, so that the
 * loader never writes into a file that is not its own.
 *
 * @param path the database file
 * @throws {UsageError} for a folder or a file of another kind
 *
 * @example
 * ```ts
 * import { checkDuckDbFile } from "./duckdb.ts";
 * import assert from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "name,amount\n");
 * assert.throws(() => checkDuckDbFile(path), /not a DuckDB database/);
 * checkDuckDbFile(`${path}.missing`);
 * ```
 */
export function checkDuckDbFile(path: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  const header = new Uint8Array(12);
  if (info.isFile) {
    const file = Deno.openSync(path);
    try {
      file.readSync(header);
    } finally {
      file.close();
    }
  }
  if (!info.isFile || new TextDecoder().decode(header.subarray(8, 12)) !== MAGIC) {
    throw new UsageError(
      `${path} is not a DuckDB database: name a new file or one \`deno task load\` wrote ` +
        `(--db data/lp-history.duckdb)`,
    );
  }
}

function readerText(file: TableFile): string {
  const path = quoteLiteral(file.path);
  if (file.format === "parquet") return `read_parquet(${path})`;
  const columns = file.columns.map((column) => `${quoteLiteral(column.name)}: 'VARCHAR'`).join(
    ", ",
  );
  return `read_csv(${path}, delim = ${quoteLiteral(CSV_DELIMITER)}, quote = '"', escape = '"', ` +
    `header = true, auto_detect = false, allow_quoted_nulls = false, nullstr = '', ` +
    `new_line = '\\n', columns = {${columns}})`;
}

function openError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/lock/i.test(message)) {
    return new UsageError(
      `The DuckDB file ${path} is in use by another process (a load, a notebook or the DuckDB ` +
        `CLI): close it and run again`,
      { cause: error },
    );
  }
  return new Error(`Cannot open the DuckDB file ${path}: ${message}`, { cause: error });
}

class DuckDbLoadConnection implements LoadConnection {
  readonly dialect = "duckdb" as const;
  // Parquet is typed already and faster to read.
  readonly formats = ["parquet", "csv"] as const;
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;

  constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.#instance = instance;
    this.#connection = connection;
  }

  async execute(sql: string): Promise<number> {
    const result = await this.#connection.run(sql);
    return Number(result.rowsChanged);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.#connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  async stageTable(name: string, file: TableFile): Promise<number> {
    const columns = file.columns.map((column) =>
      `CAST(${quoteIdentifier(column.name)} AS ${sqlType(column.type, "duckdb")}) AS ${
        quoteIdentifier(column.name)
      }`
    );
    try {
      await this.execute(
        `CREATE OR REPLACE TEMP TABLE ${quoteIdentifier(name)} AS SELECT ${
          columns.join(", ")
        } FROM ${readerText(file)}`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`Cannot read ${file.path}: ${message}`, { cause: error });
    }
    // The rows a CREATE TABLE AS reports changed are not always the rows it wrote: count them.
    const [row] = await this.query(`SELECT count(*) AS rows FROM ${quoteIdentifier(name)}`);
    return Number(row?.rows ?? 0);
  }

  integerQuotient(expression: string, divisor: number): string {
    return `((${expression}) // ${Math.trunc(divisor)})`;
  }

  holdForLoad(): Promise<void> {
    // DuckDB lets one process at a time open a file for writing: holding it open is the lock.
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#connection.closeSync();
    this.#instance.closeSync();
    return Promise.resolve();
  }
}

/** Options of {@linkcode openDuckDb}. */
export interface OpenDuckDbOptions {
  /** Open for reading only (several readers may share the file; no writer meanwhile). */
  readonly readOnly?: boolean;
}

/**
 * Opens (creating when missing) a DuckDB database file for a load.
 *
 * @param path the database file; its folder is created when missing
 * @param options read-only access
 * @returns the connection
 * @throws {UsageError} for a file that is not a DuckDB database, or one another process holds
 *
 * @example
 * ```ts
 * import { openDuckDb } from "./duckdb.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const db = await openDuckDb(`${dir}/new/lp.duckdb`);
 * assert.deepEqual(await db.query("SELECT 'a|b' AS text"), [{ text: "a|b" }]);
 * await db.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openDuckDb(
  path: string,
  options: OpenDuckDbOptions = {},
): Promise<LoadConnection> {
  checkDuckDbFile(path);
  if (!options.readOnly) await Deno.mkdir(dirname(path), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(
      path,
      options.readOnly ? { access_mode: "READ_ONLY" } : {},
    );
  } catch (error) {
    throw openError(path, error);
  }
  try {
    return new DuckDbLoadConnection(instance, await instance.connect());
  } catch (error) {
    instance.closeSync();
    throw error;
  }
}
