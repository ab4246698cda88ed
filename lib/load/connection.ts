/**
 * What the loader needs of a database, whichever it is: statements, queries,
 * staging a table file into a temporary table, and holding the database for
 * one load at a time. lib/load/duckdb.ts and lib/load/postgres.ts implement it.
 *
 * @module
 */

import type { SchemaFileColumn } from "../tables/schema_file.ts";
import type { Dialect } from "../tables/sql_text.ts";

/** A table file to stage: its path, format and the columns it holds, in file order. */
export interface TableFile {
  readonly path: string;
  readonly format: "csv" | "parquet";
  readonly columns: readonly SchemaFileColumn[];
}

/** One open database connection, used by one load. */
export interface LoadConnection {
  readonly dialect: Dialect;
  /** The table file formats it can stage, the one it prefers first. */
  readonly formats: readonly TableFile["format"][];
  /**
   * Runs one statement.
   *
   * @returns the number of rows it changed (0 for DDL)
   */
  execute(sql: string): Promise<number>;
  /**
   * Runs a query.
   *
   * @returns its rows; integers may come back as text, so read counts with `Number()`
   */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /**
   * Creates the temporary table `name` with the file's columns, typed, and
   * fills it from the file, without touching any other table.
   *
   * @returns the number of rows staged
   */
  stageTable(name: string, file: TableFile): Promise<number>;
  /** SQL for the integer quotient of an integer expression by a positive number. */
  integerQuotient(expression: string, divisor: number): string;
  /**
   * Makes this the only load writing to the database until the connection
   * closes; calls `onWait` first when another load holds it, then waits.
   */
  holdForLoad(onWait: () => void): Promise<void>;
  /** Closes the connection; temporary tables go with it. */
  close(): Promise<void>;
}
