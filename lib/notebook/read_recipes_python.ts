/**
 * The Python read recipes (polars, pandas, PySpark); read_recipes.ts says
 * what every recipe honours.
 *
 * @module
 */

import {
  PANDAS_TIME_FORMAT,
  parquetRecipe,
  POLARS_TIME_FORMAT,
  polarsCast,
  type PolarsSpelling,
  pythonPath as pathOf,
  quoted,
  READER_TYPES,
  type RecipeContext,
  SPARK_TIME_FORMAT,
} from "./reader_types.ts";

function header(context: RecipeContext, imports: string[]): string[] {
  return [...imports, "", `folder = ${quoted(context.folder)}`];
}

/** How Python polars spells a boolean test and a UTC time. */
const PYTHON_POLARS_SPELLING: PolarsSpelling = {
  isTrue: (column) => `${column} == "true"`,
  time: (column) => `${column}.str.to_datetime(iso, time_unit="ms", time_zone="UTC")`,
};

/**
 * The Python polars recipe.
 *
 * @param context the tables to read
 * @returns Python code that binds one DataFrame per table
 *
 * @example
 * ```ts
 * import { pythonPolarsRecipe } from "./read_recipes_python.ts";
 * import assert from "node:assert/strict";
 * const COLUMNS = [{ name: "id", type: "string" }, { name: "ok", type: "boolean" }] as const;
 * const context = {
 *   source: "s",
 *   folder: "data/tables/s",
 *   parquet: false,
 *   tables: [{ name: "t", variable: "t", description: "One row", columns: COLUMNS }],
 * };
 * const code = pythonPolarsRecipe(context);
 * assert.match(code, /infer_schema_length=0/);
 * assert.match(code, /pl\.col\("ok"\) == "true"/);
 * assert.doesNotMatch(code, /pl\.col\("id"\)/);
 * ```
 */
export function pythonPolarsRecipe(context: RecipeContext): string {
  const lines = header(context, ["import polars as pl"]);
  if (context.parquet) {
    return parquetRecipe(lines, context, {
      marker: "#",
      comment:
        'Parquet carries the types: ids String, times Datetime(ms, UTC), null apart from "".',
      read: (table) => `${table.variable} = pl.read_parquet(${pathOf(table, context)})`,
    });
  }
  lines.push(
    '# Every column is read as text first: ids stay text, and a quoted empty field ("")',
    "# stays the empty string while an empty field is null. Then each column gets its type.",
    `csv = dict(separator="|", quote_char='"', infer_schema_length=0)`,
    `iso = ${quoted(POLARS_TIME_FORMAT)}`,
  );
  for (const table of context.tables) {
    const casts = table.columns.flatMap((column) =>
      polarsCast(column.name, column.type, PYTHON_POLARS_SPELLING) ?? []
    );
    const read = `pl.read_csv(${pathOf(table, context)}, **csv)`;
    lines.push("", `# ${table.description}`);
    if (casts.length === 0) {
      lines.push(`${table.variable} = ${read}`);
    } else {
      lines.push(
        `${table.variable} = ${read}.with_columns(`,
        ...casts.map((c) => `    ${c},`),
        ")",
      );
    }
  }
  return lines.join("\n") + "\n";
}

/**
 * The pandas recipe. pandas' CSV reader cannot see quotes, so in text columns
 * it reads `""` as missing, like an empty field; the recipe says so, and
 * points to the Parquet copy where that difference matters.
 *
 * @param context the tables to read
 * @returns Python code that binds one DataFrame per table
 *
 * @example
 * ```ts
 * import { pandasRecipe } from "./read_recipes_python.ts";
 * import assert from "node:assert/strict";
 * const COLUMNS = [{ name: "id", type: "string" }, { name: "at", type: "timestamp" }] as const;
 * const context = {
 *   source: "s",
 *   folder: "data/tables/s",
 *   parquet: false,
 *   tables: [{ name: "t", variable: "t", description: "One row", columns: COLUMNS }],
 * };
 * const code = pandasRecipe(context);
 * assert.match(code, /"id": "string"/);
 * assert.match(code, /t\[column\] = pd\.to_datetime\(t\[column\], format=iso, utc=True\)/);
 * ```
 */
export function pandasRecipe(context: RecipeContext): string {
  const lines = header(context, ["import pandas as pd"]);
  if (context.parquet) {
    return parquetRecipe(lines, context, {
      marker: "#",
      comment:
        'Parquet carries the types and keeps null apart from ""; pandas reads it through pyarrow.',
      read: (table) => `${table.variable} = pd.read_parquet(${pathOf(table, context)})`,
    });
  }
  lines.push(
    "# dtype= keeps ids text and integers exact (nullable Int64); keep_default_na=False keeps",
    '# texts such as "NA" or "null" as text; na_values=[""] makes an empty field missing.',
    '# pandas cannot tell a quoted empty field ("") from an empty one: in text columns both',
    "# read as <NA>. Where the empty string matters (empty transcript lines), read the Parquet",
    "# copy (pd.read_parquet) or use polars or DuckDB, which keep them apart.",
    `csv = dict(sep="|", quotechar='"', keep_default_na=False, na_values=[""])`,
    `iso = ${quoted(PANDAS_TIME_FORMAT)}`,
  );
  for (const table of context.tables) {
    const times = table.columns.filter((column) => column.type === "timestamp");
    lines.push(
      "",
      `# ${table.description}`,
      `${table.variable} = pd.read_csv(${pathOf(table, context)}, **csv, dtype={`,
      ...table.columns.map((column) =>
        // Times are read as text, then parsed: exact format, UTC, on pandas 1.5 and 2.x alike.
        `    ${quoted(column.name)}: ${
          quoted(column.type === "timestamp" ? "string" : READER_TYPES[column.type].pandas)
        },`
      ),
      "})",
    );
    if (times.length > 0) {
      const names = times.map((column) => quoted(column.name));
      const list = names.join(", ");
      lines.push(
        list.length <= 72
          ? `for column in [${list}]:`
          : ["for column in [", ...names.map((name) => `    ${name},`), "]:"].join("\n"),
        `    ${table.variable}[column] = pd.to_datetime(${table.variable}[column], format=iso, utc=True)`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

const SPARK_IMPORTS = [
  "from pyspark.sql import SparkSession",
  "from pyspark.sql.types import (",
  "    BooleanType, DoubleType, LongType, StringType, StructField, StructType, TimestampType,",
  ")",
];

/**
 * The PySpark recipe. Spark turns an empty field into its `nullValue` and a
 * quoted empty field into its `emptyValue`, then makes null of whatever equals
 * `nullValue`: with both "" (the default) the empty string would be lost, so
 * `nullValue` is a NUL character, which no table cell holds on its own.
 *
 * @param context the tables to read
 * @returns Python code that binds one DataFrame per table
 *
 * @example
 * ```ts
 * import { sparkRecipe } from "./read_recipes_python.ts";
 * import assert from "node:assert/strict";
 * const COLUMNS = [{ name: "id", type: "string", nullable: false }] as const;
 * const context = {
 *   source: "s",
 *   folder: "data/tables/s",
 *   parquet: false,
 *   tables: [{ name: "t", variable: "t", description: "One row", columns: COLUMNS }],
 * };
 * const code = sparkRecipe(context);
 * assert.match(code, /StructField\("id", StringType\(\), False\)/);
 * assert.match(code, /"emptyValue": ""/);
 * ```
 */
export function sparkRecipe(context: RecipeContext): string {
  const lines = header(context, SPARK_IMPORTS);
  lines.push("spark = SparkSession.builder.getOrCreate()");
  if (context.parquet) {
    return parquetRecipe(lines, context, {
      marker: "#",
      comment: 'Parquet carries the types: ids string, times timestamp, null apart from "".',
      read: (table) => `${table.variable} = spark.read.parquet(${pathOf(table, context)})`,
    });
  }
  lines.push(
    "csv = {",
    `    "header": "true",`,
    `    "sep": "|",`,
    `    "quote": '"',`,
    `    "escape": '"',  # a quote inside a value is doubled, never backslash-escaped`,
    `    "multiLine": "true",  # values may hold line breaks`,
    `    "encoding": "UTF-8",`,
    `    "ignoreLeadingWhiteSpace": "false",`,
    `    "ignoreTrailingWhiteSpace": "false",`,
    `    "nullValue": "\\u0000",  # an empty field is null ...`,
    `    "emptyValue": "",  # ... and a quoted empty field ("") the empty string`,
    `    "timestampFormat": ${quoted(SPARK_TIME_FORMAT)},`,
    `    "enforceSchema": "false",  # check the header against the schema`,
    `    "mode": "FAILFAST",  # a value that does not fit its type stops the read`,
    "}",
  );
  for (const table of context.tables) {
    lines.push(
      "",
      `# ${table.description}`,
      `${table.variable} = spark.read.options(**csv).schema(StructType([`,
      ...table.columns.map((column) =>
        `    StructField(${quoted(column.name)}, ${READER_TYPES[column.type].spark}(), ${
          column.nullable === false ? "False" : "True"
        }),`
      ),
      `])).csv(${pathOf(table, context)})`,
    );
  }
  return lines.join("\n") + "\n";
}
