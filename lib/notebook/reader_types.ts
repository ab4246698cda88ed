/**
 * What the read recipes share: the readers, how each one types a schema type,
 * the tables' time format, and the helpers that write names and literals.
 *
 * @module
 */

import type { ColumnType } from "../tables/schema.ts";

/** The readers a recipe is written for. */
export const READERS = ["nodejsPolars", "polars", "pandas", "duckdb", "spark"] as const;

/** One of {@linkcode READERS}. */
export type Reader = typeof READERS[number];

/** Each reader's name for people. */
export const READER_TITLES: Readonly<Record<Reader, string>> = {
  nodejsPolars: "nodejs-polars (Deno, notebooks)",
  polars: "polars (Python)",
  pandas: "pandas",
  duckdb: "DuckDB",
  spark: "Spark (PySpark)",
};

/** How the tables write a timestamp, in the strftime dialect of polars (chrono). */
export const POLARS_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%.3fZ";

/** How the tables write a timestamp, for pandas' `to_datetime` (`%z` reads the `Z`). */
export const PANDAS_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f%z";

/** How the tables write a timestamp, in Spark's datetime patterns (`XXX` reads the `Z`). */
export const SPARK_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

/**
 * Each schema type as each reader types it: the DataFrame dtype or SQL type
 * the recipe produces (for pandas, the dtype after the recipe's time step).
 */
export const READER_TYPES: Readonly<Record<ColumnType, Readonly<Record<Reader, string>>>> = {
  string: types("String", "String", "string", "VARCHAR", "StringType"),
  json: types("String", "String", "string", "VARCHAR", "StringType"),
  integer: types("Int64", "Int64", "Int64", "BIGINT", "LongType"),
  float: types("Float64", "Float64", "Float64", "DOUBLE", "DoubleType"),
  boolean: types("Bool", "Boolean", "boolean", "BOOLEAN", "BooleanType"),
  timestamp: types(
    'Datetime("ms", "UTC")',
    'Datetime("ms", "UTC")',
    "datetime64[ns, UTC]",
    "TIMESTAMPTZ",
    "TimestampType",
  ),
};

function types(...names: [string, string, string, string, string]): Record<Reader, string> {
  const entries = READERS.map((reader, index) => [reader, names[index]!] as const);
  return Object.fromEntries(entries) as Record<Reader, string>;
}

/** One column as a recipe types it. */
export interface RecipeColumn {
  readonly name: string;
  readonly type: ColumnType;
  /** False for the primary key's columns; absent means nullable. */
  readonly nullable?: boolean;
}

/** A table ready for rendering. */
export interface RecipeTable {
  /** The table's name, also its files' base name. */
  readonly name: string;
  /** Its name as a variable in code ({@linkcode identifier}). */
  readonly variable: string;
  /** What one row is. */
  readonly description: string;
  readonly columns: readonly RecipeColumn[];
}

/** What every renderer gets. */
export interface RecipeContext {
  /** The source's name (`engagement-history`). */
  readonly source: string;
  /** The source's tables folder, as the code names it. */
  readonly folder: string;
  readonly tables: readonly RecipeTable[];
  /** Read the Parquet copies instead of the CSV files. */
  readonly parquet: boolean;
}

/**
 * A name usable as a variable in TypeScript, Python and SQL: characters other
 * than letters, digits and `_` become `_`.
 *
 * @param name a table or source name
 * @returns the identifier
 *
 * @example
 * ```ts
 * import { identifier } from "./reader_types.ts";
 * import assert from "node:assert/strict";
 * assert.equal(identifier("transcript_lines"), "transcript_lines");
 * assert.equal(identifier("2nd-table"), "_2nd_table");
 * ```
 */
export function identifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/**
 * A string literal that TypeScript and Python read alike.
 *
 * @param text the string
 * @returns the literal, in double quotes
 *
 * @example
 * ```ts
 * import { quoted } from "./reader_types.ts";
 * import assert from "node:assert/strict";
 * assert.equal(quoted('say "hi"'), '"say \\"hi\\""');
 * ```
 */
export function quoted(text: string): string {
  return JSON.stringify(text);
}

/**
 * A Python expression for a table's file below the recipe's `folder` variable.
 *
 * @param table the table
 * @param context whether the recipe reads Parquet
 * @returns `folder + "/name.csv"`
 *
 * @example
 * ```ts
 * import { pythonPath } from "./reader_types.ts";
 * import assert from "node:assert/strict";
 * const table = { name: "messages", variable: "messages", description: "", columns: [] };
 * const context = { source: "s", folder: "f", tables: [table], parquet: true };
 * assert.equal(pythonPath(table, context), 'folder + "/messages.parquet"');
 * ```
 */
export function pythonPath(table: RecipeTable, context: RecipeContext): string {
  return `folder + ${quoted(`/${table.name}.${context.parquet ? "parquet" : "csv"}`)}`;
}

/**
 * The whole Parquet form of a recipe: the header lines, a comment on what
 * Parquet keeps, then one read per table (Parquet carries its types).
 *
 * @param lines the recipe's header lines
 * @param context the tables to read
 * @param form the comment marker, the comment, and the read call of one table
 * @returns the recipe's text
 *
 * @example
 * ```ts
 * import { parquetRecipe } from "./reader_types.ts";
 * import assert from "node:assert/strict";
 * const table = { name: "t", variable: "t", description: "One row", columns: [] };
 * const context = { source: "s", folder: "f", tables: [table], parquet: true };
 * const code = parquetRecipe(["import x"], context, {
 *   marker: "#",
 *   comment: "typed",
 *   read: (one) => `${one.variable} = x.read("${one.name}")`,
 * });
 * assert.equal(code, 'import x\n# typed\n\n# One row\nt = x.read("t")\n');
 * ```
 */
export function parquetRecipe(
  lines: readonly string[],
  context: RecipeContext,
  form: { marker: string; comment: string; read: (table: RecipeTable) => string },
): string {
  const out = [...lines, `${form.marker} ${form.comment}`];
  for (const table of context.tables) {
    out.push("", `${form.marker} ${table.description}`, form.read(table));
  }
  return out.join("\n") + "\n";
}

/** How one polars binding spells the two casts that differ between languages. */
export interface PolarsSpelling {
  /** The boolean test of a text column `column` named `name`. */
  readonly isTrue: (column: string, name: string) => string;
  /** The UTC time of a text column, parsed with the recipe's `iso` format. */
  readonly time: (column: string) => string;
}

/**
 * The polars expression that gives a column read as text its type, in the
 * spelling of one binding (nodejs-polars or Python polars); none for text.
 *
 * @param name the column
 * @param type its type in `_schema.json`
 * @param spelling the binding's spelling of booleans and times
 * @returns the expression, or undefined when the text is the value
 *
 * @example
 * ```ts
 * import { polarsCast } from "./reader_types.ts";
 * import assert from "node:assert/strict";
 * const python = { isTrue: (c: string) => `${c} == "true"`, time: (c: string) => `${c}.t()` };
 * assert.equal(polarsCast("n", "integer", python), 'pl.col("n").cast(pl.Int64)');
 * assert.equal(polarsCast("ok", "boolean", python), 'pl.col("ok") == "true"');
 * assert.equal(polarsCast("id", "string", python), undefined);
 * ```
 */
export function polarsCast(
  name: string,
  type: ColumnType,
  spelling: PolarsSpelling,
): string | undefined {
  const column = `pl.col(${quoted(name)})`;
  switch (type) {
    case "integer":
      return `${column}.cast(pl.Int64)`;
    case "float":
      return `${column}.cast(pl.Float64)`;
    case "boolean":
      // The tables write only true, false or nothing, so a comparison is exact.
      return spelling.isTrue(column, name);
    case "timestamp":
      return spelling.time(column);
    case "string":
    case "json":
      return undefined;
  }
}
