/**
 * Loads the tables written by `deno task tables` as typed nodejs-polars DataFrames.
 *
 * Parquet is read when present (it already carries types), else the pipe-delimited CSV. Either
 * way every column named in the table model is cast to its model type, so that ids stay text,
 * counts are Int64 and timestamps are Datetime(ms, UTC) whatever the file format. Columns the
 * model does not know (schema drift) are kept: text from CSV, their Parquet type otherwise.
 *
 * @module
 */
import pl from "nodejs-polars";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** Column types of the table model. */
export type ColumnType = "string" | "integer" | "float" | "boolean" | "timestamp" | "json";

/** The part of a table model's column the loader needs. */
export interface ColumnSpec {
  /** Column name, as in the file header. */
  readonly name: string;
  /** Logical type; decides the polars dtype. */
  readonly type: ColumnType;
}

/** The part of a table model the loader needs (structurally a `TableModel`). */
export interface TableSpec {
  /** Table name; also the file's base name. */
  readonly name: string;
  /** Columns that identify a row. */
  readonly primaryKey: readonly string[];
  /** Columns with their types. */
  readonly columns: readonly ColumnSpec[];
}

/** Options of {@linkcode loadTable} and {@linkcode loadTables}. */
export interface LoadOptions {
  /** Folder with `<table>.parquet` / `<table>.csv`; defaults to {@linkcode tablesDir}(). */
  dir?: string;
  /** Table models used to type columns; without a model for a table, CSV columns stay text. */
  models?: readonly TableSpec[];
  /** Read this format even when the other one exists. */
  format?: "parquet" | "csv";
}

/** Options of {@linkcode tablesDir}. */
export interface TablesDirOptions {
  /** Environment lookup; defaults to `Deno.env.get`. */
  env?: (name: string) => string | undefined;
  /** Folder the default is relative to; defaults to the current directory. */
  cwd?: string;
}

/** Name of the environment variable that points notebooks at a tables folder. */
export const TABLES_DIR_ENV = "LP_TABLES_DIR";

/**
 * Where the tables are: `$LP_TABLES_DIR` when set, else `../data/tables` relative to the current
 * directory (a notebook kernel runs in `notebooks/`, so this is the repository's `data/tables`),
 * or `../data/demo/tables` when only the demo's tables exist.
 *
 * @param options Environment and current directory, for tests.
 * @returns An absolute path.
 *
 * @example
 * ```ts
 * import { tablesDir } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(tablesDir({ env: () => undefined, cwd: "/repo/notebooks" }), "/repo/data/tables");
 * assert.equal(tablesDir({ env: () => "/srv/tables", cwd: "/x" }), "/srv/tables");
 * ```
 */
export function tablesDir(options: TablesDirOptions = {}): string {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const cwd = options.cwd ?? Deno.cwd();
  const fromEnv = env(TABLES_DIR_ENV);
  if (fromEnv && fromEnv.trim() !== "") return resolve(cwd, fromEnv);
  const own = resolve(cwd, "..", "data", "tables");
  const demo = resolve(cwd, "..", "data", "demo", "tables");
  // Your own tables win; the demo's are the fallback so that a fresh clone works after
  // `deno task demo` alone.
  const hasInteraction = (dir: string) =>
    existsSync(join(dir, "interaction.parquet")) || existsSync(join(dir, "interaction.csv"));
  return !hasInteraction(own) && hasInteraction(demo) ? demo : own;
}

/**
 * Names of the tables in a folder (a `.parquet` or `.csv` file each), sorted.
 *
 * @param dir The tables folder; defaults to {@linkcode tablesDir}().
 * @returns Table names without extension; files starting with `_` (summaries) are skipped.
 * @throws {Deno.errors.NotFound} When the folder does not exist, with a hint how to create it.
 *
 * @example
 * ```ts
 * import { listTables } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/interaction.csv`, "engagementId|startTime\n");
 * Deno.writeTextFileSync(`${dir}/_summary.json`, "{}");
 * assert.deepEqual(listTables(dir), ["interaction"]);
 * ```
 */
export function listTables(dir: string = tablesDir()): string[] {
  if (!existsSync(dir)) {
    throw new Deno.errors.NotFound(
      `No tables folder at ${dir}: run \`deno task demo\` (or \`deno task tables\`) first, ` +
        `or set ${TABLES_DIR_ENV} to the folder that holds your tables`,
    );
  }
  const names = new Set<string>();
  for (const entry of readdirSync(dir)) {
    const match = /^([^_.][^.]*)\.(parquet|csv)$/.exec(entry);
    if (match?.[1]) names.add(match[1]);
  }
  return [...names].sort();
}

/**
 * Loads one table as a DataFrame with model types.
 *
 * @param name Table name, e.g. `"interaction"`.
 * @param options Folder, models and format.
 * @returns The table; ids as Utf8, integers as Int64, timestamps as Datetime(ms, UTC).
 * @throws {Deno.errors.NotFound} When neither `<name>.parquet` nor `<name>.csv` exists.
 *
 * @example Typed columns from pipe-delimited CSV
 * ```ts
 * import { loadTable } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(
 *   `${dir}/interaction.csv`,
 *   "engagementId|startTime|duration\n123456789012345678|2024-01-01T10:00:00.000Z|95\n",
 * );
 * const df = loadTable("interaction", {
 *   dir,
 *   models: [{
 *     name: "interaction",
 *     primaryKey: ["engagementId"],
 *     columns: [
 *       { name: "engagementId", type: "string" },
 *       { name: "startTime", type: "timestamp" },
 *       { name: "duration", type: "integer" },
 *     ],
 *   }],
 * });
 * assert.equal(df.getColumn("engagementId").get(0), "123456789012345678");
 * assert.equal(df.getColumn("duration").dtype.variant, "Int64");
 * ```
 */
export function loadTable(name: string, options: LoadOptions = {}): pl.DataFrame {
  const dir = options.dir ?? tablesDir();
  const parquet = join(dir, `${name}.parquet`);
  const csv = join(dir, `${name}.csv`);
  const model = options.models?.find((m) => m.name === name);
  const useParquet = options.format === "parquet" ||
    (options.format !== "csv" && existsSync(parquet));
  const path = useParquet ? parquet : csv;
  if (!existsSync(path)) {
    throw new Deno.errors.NotFound(
      `Table "${name}" not found: no ${name}.parquet or ${name}.csv in ${dir}`,
    );
  }
  if (useParquet) return castToModel(pl.readParquet(path), model);
  const raw = readPipeCsv(path);
  return castToModel(raw, model ?? inferSpec(name, raw));
}

/**
 * Loads every table of a folder, keyed by table name.
 *
 * @param options Folder, models and format.
 * @returns One DataFrame per table found by {@linkcode listTables}.
 *
 * @example
 * ```ts
 * import { loadTables } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/interaction.csv`, "engagementId|startTime\n1|\n2|\n");
 * const tables = loadTables({ dir });
 * assert.equal(tables.interaction?.height, 2);
 * ```
 */
export function loadTables(options: LoadOptions = {}): Record<string, pl.DataFrame> {
  const dir = options.dir ?? tablesDir();
  const tables: Record<string, pl.DataFrame> = {};
  for (const name of listTables(dir)) {
    tables[name] = loadTable(name, { ...options, dir });
  }
  return tables;
}

/**
 * Reads a pipe-delimited CSV with every column as text, so no id or code passes through a number.
 * An empty field is null; a quoted empty field (`""`) is the empty string.
 */
function readPipeCsv(path: string): pl.DataFrame {
  return pl.readCSV(path, { sep: "|", inferSchemaLength: 0, quoteChar: '"' });
}

/** Patterns that decide an inferred type; an id-like name always stays text. */
const INFER_RULES: readonly (readonly [ColumnType, RegExp])[] = [
  ["boolean", /^(true|false)$/],
  ["integer", /^-?\d{1,15}$/],
  ["float", /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/],
  ["timestamp", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/],
];
const ID_NAME = /(Id|ID|Seq|Ids|IDs)$/;

/**
 * Guesses column types of an all-text table from its values, for tables the model does not
 * describe (a newer tables step, or your own files): id-like names stay text; a column whose
 * every non-empty value is a boolean, integer, number or ISO-8601 timestamp gets that type.
 *
 * @param name Table name.
 * @param df The table with text columns.
 * @returns A table spec with no primary key.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { inferSpec } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * const spec = inferSpec("t", pl.DataFrame({ agentId: ["7"], n: ["7"], at: ["2024-01-01T00:00:00Z"] }));
 * assert.deepEqual(spec.columns.map((c) => c.type), ["string", "integer", "timestamp"]);
 * ```
 */
export function inferSpec(name: string, df: pl.DataFrame): TableSpec {
  const columns = df.columns.map((column): ColumnSpec => {
    const series = df.getColumn(column);
    if (ID_NAME.test(column) || !series.dtype.equals(pl.String)) {
      return { name: column, type: "string" };
    }
    const col = pl.col(column);
    const values = df.select(column).filter(col.isNotNull().and(col.neq(pl.lit(""))));
    if (values.height === 0) return { name: column, type: "string" };
    const rule = INFER_RULES.find(([, pattern]) =>
      values.filter(col.str.contains(pattern.source).not()).height === 0
    );
    return { name: column, type: rule?.[0] ?? "string" };
  });
  return { name, primaryKey: [], columns };
}

/**
 * Casts the columns a model names to their model types; other columns keep their type, except
 * unsigned 64-bit integers, which become Int64 because notebook display cannot show them.
 *
 * @param df A table as read from disk.
 * @param model The table's model; without one only the UInt64 rule applies.
 * @returns A DataFrame with the same columns in the same order.
 * @throws {TypeError} When timestamp text does not parse as ISO-8601 (nothing is dropped silently).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { castToModel } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * const df = castToModel(pl.DataFrame({ n: ["1", "2"], ok: ["true", "false"] }), {
 *   name: "t",
 *   primaryKey: [],
 *   columns: [{ name: "n", type: "integer" }, { name: "ok", type: "boolean" }],
 * });
 * assert.deepEqual(df.dtypes.map((t) => t.variant), ["Int64", "Bool"]);
 * ```
 */
export function castToModel(df: pl.DataFrame, model?: TableSpec): pl.DataFrame {
  const types = new Map(model?.columns.map((c) => [c.name, c.type]) ?? []);
  const expressions = df.columns.map((name) => {
    const dtype = df.getColumn(name).dtype;
    const type = types.get(name);
    return castExpr(name, dtype, type);
  });
  const out = df.select(...expressions);
  for (const [name, type] of types) {
    if (type !== "timestamp" || !df.columns.includes(name)) continue;
    const source = df.getColumn(name);
    const before = source.nullCount() +
      (source.dtype.equals(pl.String) ? df.filter(pl.col(name).eq(pl.lit(""))).height : 0);
    const after = out.getColumn(name).nullCount();
    if (after !== before) {
      throw new TypeError(
        `Column "${name}" has ${after - before} value(s) that are not ISO-8601 timestamps`,
      );
    }
  }
  return out;
}

function castExpr(name: string, dtype: pl.DataType, type: ColumnType | undefined): pl.Expr {
  const col = pl.col(name);
  const isText = dtype.equals(pl.String);
  switch (type) {
    case "string":
    case "json":
      return col.cast(pl.Utf8);
    case "integer":
      return col.cast(pl.Int64);
    case "float":
      return col.cast(pl.Float64);
    case "boolean":
      return isText
        ? pl.when(col.eq(pl.lit("true"))).then(pl.lit(true))
          .when(col.eq(pl.lit("false"))).then(pl.lit(false))
          .otherwise(pl.lit(null)).cast(pl.Bool).alias(name)
        : col.cast(pl.Bool);
    case "timestamp":
      return isText
        ? pl.when(col.eq(pl.lit(""))).then(pl.lit(null)).otherwise(col)
          .str.strptime(pl.Datetime("ms"), "%+").cast(pl.Datetime("ms", "UTC")).alias(name)
        : col.cast(pl.Datetime("ms", "UTC"));
    case undefined:
      return dtype.equals(pl.UInt64) ? col.cast(pl.Int64) : col;
  }
}
