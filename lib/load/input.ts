/**
 * What a load reads: the source folders of a tables folder (each with its
 * `_schema.json` and `_summary.json`, the mark of a complete set), and for
 * each table the file to read in the format the database prefers.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import { SUMMARY_FILE } from "../tables/output.ts";
import { COLUMN_TYPES } from "../tables/schema.ts";
import { SCHEMA_FILE, SCHEMA_FILE_VERSION, type SchemaFile } from "../tables/schema_file.ts";
import type { TableFile } from "./connection.ts";

/** One source's tables, ready to load. */
export interface SourceInput {
  /** The source's folder, absolute. */
  readonly folder: string;
  readonly schema: SchemaFile;
  /** Facts of the tables run that wrote the folder, from its `_summary.json`. */
  readonly summary: {
    readonly records: number;
    readonly rows: Readonly<Record<string, number>>;
    readonly formats: readonly string[];
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(Deno.readTextFileSync(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new UsageError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function checkSchemaFile(value: unknown, path: string): SchemaFile {
  const file = value as Partial<SchemaFile> | undefined;
  const problem = !file || typeof file !== "object"
    ? "it is not a JSON object"
    : file.schemaVersion !== SCHEMA_FILE_VERSION
    ? `its schemaVersion is ${file.schemaVersion}, this loader reads ${SCHEMA_FILE_VERSION}`
    : typeof file.source !== "string" || !file.recordKey || !Array.isArray(file.tables)
    ? "it lacks source, recordKey or tables"
    : file.tables.flatMap((table) => table.columns)
        .find((column) => !COLUMN_TYPES.includes(column.type))
    ? "a column has an unknown type"
    : undefined;
  if (problem) {
    throw new UsageError(`${path} is not a schema file the loader reads: ${problem}`);
  }
  return file as SchemaFile;
}

function readSource(folder: string): SourceInput {
  const schema = checkSchemaFile(readJson(join(folder, SCHEMA_FILE)), join(folder, SCHEMA_FILE));
  const summary = readJson(join(folder, SUMMARY_FILE)) as SourceInput["summary"] | undefined;
  if (!summary) {
    throw new UsageError(
      `${folder} holds no ${SUMMARY_FILE}, so its tables may be incomplete: run ` +
        `\`deno task tables\` to write a complete set`,
    );
  }
  return {
    folder,
    schema,
    summary: { records: summary.records, rows: summary.rows, formats: summary.formats },
  };
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Finds the sources to load in a tables folder: its subfolders with a
 * `_schema.json`, or the folder itself when it holds one.
 *
 * @param inDir the `--in` folder (`data/tables`, or one source's folder)
 * @param only names of the sources to load; default all found
 * @returns the sources, in name order
 * @throws {UsageError} when there is nothing to load, or a folder is not a complete set
 *
 * @example
 * ```ts
 * import { findSources } from "./input.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * assert.throws(() => findSources(dir), /No tables to load/);
 * ```
 */
export function findSources(inDir: string, only?: readonly string[]): SourceInput[] {
  const root = resolve(inDir);
  if (!isDirectory(root)) {
    throw new UsageError(
      `The tables folder ${inDir} does not exist: run \`deno task tables\` first, or pass ` +
        `--in <folder> with the folder it wrote`,
    );
  }
  const folders = isDirectory(root) && readJson(join(root, SCHEMA_FILE)) !== undefined
    ? [root]
    : [...Deno.readDirSync(root)]
      .filter((entry) => entry.isDirectory && !entry.name.startsWith("."))
      .map((entry) => join(root, entry.name))
      .filter((folder) => readJson(join(folder, SCHEMA_FILE)) !== undefined)
      .sort();
  const sources = folders.map(readSource)
    .filter((source) => !only || only.includes(source.schema.source));
  if (sources.length === 0) {
    throw new UsageError(
      `No tables to load in ${inDir}${only ? ` for ${only.join(", ")}` : ""}: run ` +
        `\`deno task tables\` first, or pass --in <folder> with the folder it wrote`,
    );
  }
  return sources;
}

/**
 * The file to read for a table: the first of `formats` that exists.
 *
 * @param source the source
 * @param tableName the table
 * @param formats formats the database reads, preferred first
 * @returns the file, with the table's columns
 * @throws {UsageError} when none exists
 *
 * @example
 * ```ts
 * import { tableFile } from "./input.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/t.csv`, "id\n");
 * const table = { name: "t", files: { csv: "t.csv" }, columns: [] };
 * const source = { folder: dir, schema: { tables: [table] } } as never;
 * assert.equal(tableFile(source, "t", ["parquet", "csv"]).format, "csv");
 * ```
 */
export function tableFile(
  source: SourceInput,
  tableName: string,
  formats: readonly TableFile["format"][],
): TableFile {
  const table = source.schema.tables.find((candidate) => candidate.name === tableName);
  if (!table) throw new RangeError(`No table ${tableName} in ${source.folder}/${SCHEMA_FILE}`);
  for (const format of formats) {
    const name = table.files[format];
    if (name === undefined) continue;
    const path = join(source.folder, name);
    try {
      if (Deno.statSync(path).isFile) return { path, format, columns: table.columns };
    } catch {
      // Not there; try the next format.
    }
  }
  throw new UsageError(
    `No ${formats.join(" or ")} file for table ${tableName} in ${source.folder}: run ` +
      `\`deno task tables\` again${formats.includes("parquet") ? "" : " with --format csv"}`,
  );
}
