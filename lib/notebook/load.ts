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

import type { ColumnType } from "../tables/schema.ts";
import { typedFromText } from "../tables/polars_types.ts";
import { SCHEMA_FILE } from "../tables/schema_file.ts";

export type { ColumnType } from "../tables/schema.ts";

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
  /**
   * Which source's tables, i.e. the subfolder of the tables folder; needed only when several
   * sources' tables are there (see {@linkcode sourceTablesDir}).
   */
  source?: string;
  /**
   * Keep only rows whose `startTime` lies in `[from, to)` (epoch ms; null for open ends), e.g.
   * the days of a notebook's settings. Tables without `startTime` are kept whole.
   */
  range?: TimeRange;
}

/** A span of instants, `[from, to)` in epoch milliseconds; null for an open end. */
export interface TimeRange {
  /** First instant included, or null. */
  readonly from: number | null;
  /** First instant excluded, or null. */
  readonly to: number | null;
}

/** Options of {@linkcode tablesDir}. */
export interface TablesDirOptions {
  /** Environment lookup; defaults to `Deno.env.get`. */
  env?: (name: string) => string | undefined;
  /** Folder that relative paths and the defaults are resolved from; default the project root. */
  root?: string;
}

/**
 * The repository's root folder (the one holding `deno.json`), found from this module's own
 * location so that it does not depend on the current folder of a kernel or a script.
 */
export const PROJECT_ROOT: string = resolve(import.meta.dirname ?? ".", "..", "..");

/** Name of the environment variable that points notebooks at a tables folder. */
export const TABLES_DIR_ENV = "LP_TABLES_DIR";

/**
 * Where the tables are: `$LP_TABLES_DIR` when set (a relative path is resolved from the project
 * root, so the same value works from a notebook's folder, a script or a shell), else
 * `data/tables` in the project, or `data/demo/tables` when only the demo's tables exist.
 *
 * @param options Environment and root folder, for tests.
 * @returns An absolute path.
 *
 * @example
 * ```ts
 * import { tablesDir } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(tablesDir({ env: () => undefined, root: "/repo" }), "/repo/data/tables");
 * assert.equal(tablesDir({ env: () => "/srv/tables", root: "/repo" }), "/srv/tables");
 * assert.equal(tablesDir({ env: () => "data/month", root: "/repo" }), "/repo/data/month");
 * ```
 */
export function tablesDir(options: TablesDirOptions = {}): string {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const root = options.root ?? PROJECT_ROOT;
  const fromEnv = env(TABLES_DIR_ENV);
  if (fromEnv && fromEnv.trim() !== "") return resolve(root, fromEnv.trim());
  const own = resolve(root, "data", "tables");
  const demo = resolve(root, "data", "demo", "tables");
  // Your own tables win; the demo's are the fallback so that a fresh clone works after
  // `deno task demo` alone.
  return !hasTables(own) && hasTables(demo) ? demo : own;
}

/** Which source's folder {@linkcode sourceTablesDir} picks. */
export interface SourceChoice {
  /** The source's name (`engagement-history`); needed when several sources' tables are there. */
  readonly source?: string;
  /** Without a source: pick the one source folder that holds this table. */
  readonly table?: string;
}

/**
 * The folder of one source's tables. `dir` is either a tables folder written
 * by `deno task tables` (one folder per source in it) or a folder that holds
 * table files itself (one source's folder, or tables of your own). Without a
 * `source`, the only source folder is taken, or the only one that holds
 * `table`.
 *
 * @param dir A tables folder, or one source's folder in it.
 * @param choice The source, or a table that tells it.
 * @returns The folder that holds the source's table files.
 * @throws {Error} When several sources' tables are there and nothing tells which.
 *
 * @example
 * ```ts
 * import { sourceTablesDir } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * assert.equal(sourceTablesDir(dir), dir);
 * Deno.mkdirSync(`${dir}/engagement-history`);
 * Deno.writeTextFileSync(`${dir}/engagement-history/interaction.csv`, "engagementId\n");
 * assert.equal(sourceTablesDir(dir), `${dir}/engagement-history`);
 * Deno.mkdirSync(`${dir}/messaging-interactions`);
 * Deno.writeTextFileSync(`${dir}/messaging-interactions/conversation.csv`, "conversationId\n");
 * assert.equal(sourceTablesDir(dir, { table: "conversation" }), `${dir}/messaging-interactions`);
 * assert.throws(() => sourceTablesDir(dir), /engagement-history, messaging-interactions/);
 * ```
 */
export function sourceTablesDir(dir: string, choice: SourceChoice = {}): string {
  if (choice.source !== undefined) {
    const nested = join(dir, choice.source);
    return existsSync(nested) ? nested : dir;
  }
  if (!existsSync(dir) || listTableNames(dir).length > 0) return dir;
  const sources = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .filter((name) => listTableNames(join(dir, name)).length > 0)
    .sort();
  const holding = choice.table === undefined
    ? sources
    : sources.filter((name) => listTableNames(join(dir, name)).includes(choice.table!));
  if (holding.length === 1) return join(dir, holding[0]!);
  if (holding.length === 0) return sources.length === 1 ? join(dir, sources[0]!) : dir;
  throw new Error(
    `${dir} holds the tables of several sources (${holding.join(", ")}): ` +
      `pass { source: "${holding[0]}" } to say which`,
  );
}

/**
 * Whether a folder holds tables: table files (`.parquet` or `.csv`) in it or in
 * one of its source folders.
 *
 * @param dir A tables folder, or one source's folder in it.
 * @returns True when there is at least one table file.
 *
 * @example
 * ```ts
 * import { hasTables } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * assert.equal(hasTables(dir), false);
 * Deno.mkdirSync(`${dir}/messaging-interactions`);
 * Deno.writeTextFileSync(`${dir}/messaging-interactions/conversation.parquet`, "");
 * assert.equal(hasTables(dir), true);
 * ```
 */
export function hasTables(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some((entry) =>
    entry.isDirectory()
      ? !entry.name.startsWith(".") && listTableNames(join(dir, entry.name)).length > 0
      : TABLE_FILE.test(entry.name)
  );
}

/**
 * The table specs of a source's tables folder, from the `_schema.json` the
 * tables step wrote beside them; none when the folder has no such file (then
 * column types are inferred from the values).
 *
 * @param dir A source's tables folder.
 * @returns The specs, parents first.
 *
 * @example
 * ```ts
 * import { tableSpecs } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * assert.deepEqual(await tableSpecs(dir), []);
 * Deno.writeTextFileSync(`${dir}/_schema.json`, JSON.stringify({
 *   tables: [{ name: "t", primaryKey: ["id"], columns: [{ name: "id", type: "string" }] }],
 * }));
 * assert.equal((await tableSpecs(dir))[0]?.name, "t");
 * ```
 */
export async function tableSpecs(dir: string): Promise<TableSpec[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, SCHEMA_FILE));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const schema = JSON.parse(text) as { tables?: TableSpec[] };
  return schema.tables ?? [];
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
export function listTables(root: string = tablesDir(), source?: string): string[] {
  const dir = sourceTablesDir(root, { source });
  if (!existsSync(dir)) {
    throw new Deno.errors.NotFound(
      `No tables folder at ${dir}: run \`deno task demo\` (or \`deno task tables\`) first, ` +
        `or set ${TABLES_DIR_ENV} to the folder that holds your tables`,
    );
  }
  return listTableNames(dir);
}

/** A table file: `<name>.parquet` or `<name>.csv`, not a `_summary`-like file. */
const TABLE_FILE = /^([^_.][^.]*)\.(parquet|csv)$/;

function listTableNames(dir: string): string[] {
  const names = new Set<string>();
  for (const entry of readdirSync(dir)) {
    const name = TABLE_FILE.exec(entry)?.[1];
    if (name) names.add(name);
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
  const dir = sourceTablesDir(options.dir ?? tablesDir(), { source: options.source, table: name });
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
  const raw = useParquet ? pl.readParquet(path) : readPipeCsv(path);
  const typed = castToModel(raw, useParquet ? model : model ?? inferSpec(name, raw));
  return options.range ? withinRange(typed, options.range) : typed;
}

/**
 * The rows whose `startTime` lies in a range; a table without `startTime` comes back whole.
 *
 * @param df A typed table.
 * @param range `[from, to)` in epoch ms, null for an open end.
 * @returns The rows in the range, in their order.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { withinRange } from "./load.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ startTime: [0, 1000, 2000] })
 *   .withColumns(pl.col("startTime").cast(pl.Datetime("ms", "UTC")));
 * assert.equal(withinRange(df, { from: 1000, to: null }).height, 2);
 * assert.equal(withinRange(df, { from: 0, to: 1000 }).height, 1);
 * ```
 */
export function withinRange(df: pl.DataFrame, range: TimeRange): pl.DataFrame {
  if (!df.columns.includes("startTime") || (range.from === null && range.to === null)) return df;
  const at = (ms: number) => pl.lit(new Date(ms)).cast(pl.Datetime("ms", "UTC"));
  let keep = pl.lit(true);
  if (range.from !== null) keep = keep.and(pl.col("startTime").gtEq(at(range.from)));
  if (range.to !== null) keep = keep.and(pl.col("startTime").lt(at(range.to)));
  return df.filter(keep);
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
  const dir = sourceTablesDir(options.dir ?? tablesDir(), { source: options.source });
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
  if (type === undefined) return dtype.equals(pl.UInt64) ? col.cast(pl.Int64) : col;
  if (dtype.equals(pl.String)) return typedFromText(name, type, { lenientTimes: true });
  const target = {
    string: pl.Utf8,
    json: pl.Utf8,
    integer: pl.Int64,
    float: pl.Float64,
    boolean: pl.Bool,
    timestamp: pl.Datetime("ms", "UTC"),
  }[type];
  return col.cast(target);
}
