/**
 * `deno task recipes`: prints the code that reads a source's tables with the
 * right types (nodejs-polars, polars, pandas, DuckDB, Spark), rendered from
 * the `_schema.json` beside them.
 *
 * @module
 */

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { UsageError } from "../lib/errors.ts";
import { readRecipesOf } from "../lib/notebook/read_recipes.ts";
import { SCHEMA_FILE } from "../lib/tables/schema_file.ts";
import { type Reader, READER_TITLES, READERS } from "../lib/notebook/reader_types.ts";

/** Each reader's name on the command line. */
const READER_NAMES: Readonly<Record<string, Reader>> = {
  "nodejs-polars": "nodejsPolars",
  polars: "polars",
  pandas: "pandas",
  duckdb: "duckdb",
  spark: "spark",
};

const COMMENT: Readonly<Record<Reader, string>> = {
  nodejsPolars: "//",
  polars: "#",
  pandas: "#",
  duckdb: "--",
  spark: "#",
};

const HELP = `Usage: deno task recipes [--tables data/tables] [--source NAME] [options]

Prints the code that reads a source's tables with the right types, rendered
from the _schema.json that \`deno task tables\` wrote beside them: ids stay text,
times are UTC timestamps, booleans booleans, and null stays apart from the
empty string. docs/READING.md explains each recipe.

Options:
  --tables <folder>  tables folder (default data/tables, or data/demo/tables
                     when only the demo's tables exist)
  --source <name>    which source's tables (needed when there are several)
  --table <name>     only this table; repeat for more (default: every table)
  --reader <name>    ${Object.keys(READER_NAMES).join(", ")} (default: all)
  --format <format>  csv (default) or parquet
  -h, --help         show this help

Examples:
  deno task recipes --source engagement-history --reader duckdb
  deno task recipes --source messaging-interactions --reader pandas --table messages
`;

/** Source folders (holding `_schema.json`) in a tables folder, sorted. */
function sourceFolders(tables: string): string[] {
  if (!existsSync(tables)) return [];
  return readdirSync(tables, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(tables, entry.name, SCHEMA_FILE)))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The folder of the source's tables: `<tables>/<source>`, or the only source
 * folder there, or `tables` itself when it is a source's folder.
 *
 * @param tables the tables folder
 * @param source the source's name, if given
 * @returns the folder holding `_schema.json`
 * @throws {UsageError} when there is no schema, or several sources and no `--source`
 *
 * @example
 * ```ts
 * import { sourceFolder } from "./recipes.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * assert.throws(() => sourceFolder(dir, undefined), /deno task tables/);
 * await Deno.mkdir(`${dir}/messaging-interactions`);
 * await Deno.writeTextFile(`${dir}/messaging-interactions/_schema.json`, "{}");
 * assert.equal(sourceFolder(dir, undefined), `${dir}/messaging-interactions`);
 * ```
 */
export function sourceFolder(tables: string, source: string | undefined): string {
  if (source === undefined && existsSync(join(tables, SCHEMA_FILE))) return tables;
  const sources = sourceFolders(tables);
  if (source !== undefined) {
    if (sources.includes(source)) return join(tables, source);
    throw new UsageError(
      `No ${SCHEMA_FILE} for --source ${source} in ${tables}` +
        (sources.length > 0 ? `: pick one of ${sources.join(", ")}` : ""),
    );
  }
  if (sources.length === 1) return join(tables, sources[0]!);
  if (sources.length === 0) {
    throw new UsageError(
      `No ${SCHEMA_FILE} in ${tables}: run \`deno task tables\` (or \`deno task demo\`) first, ` +
        "or name the tables folder with --tables",
    );
  }
  throw new UsageError(
    `${tables} holds several sources: pick one with --source (${sources.join(", ")})`,
  );
}

/**
 * Runs the command.
 *
 * @param args command-line arguments
 * @returns exit code 0
 * @throws {UsageError} for bad options or a folder without `_schema.json` (exit 2 through runCli)
 *
 * @example
 * ```ts
 * import { main } from "./recipes.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(() => main(["--reader", "excel"]), /--reader "excel"/);
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    tables: { type: "string" },
    source: { type: "string" },
    table: { type: "string", multiple: true },
    reader: { type: "string" },
    format: { type: "string", default: "csv" },
  }, { task: "recipes" });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const readers = values.reader === undefined ? [...READERS] : [READER_NAMES[values.reader]];
  if (readers[0] === undefined) {
    throw new UsageError(
      `Unknown --reader "${values.reader}": use one of ${Object.keys(READER_NAMES).join(", ")}`,
    );
  }
  if (values.format !== "csv" && values.format !== "parquet") {
    throw new UsageError(`Unknown --format "${values.format}": use csv or parquet`);
  }
  const tables = values.tables ??
    (sourceFolders("data/tables").length === 0 && sourceFolders("data/demo/tables").length > 0
      ? "data/demo/tables"
      : "data/tables");
  const folder = sourceFolder(tables, values.source);
  let recipes;
  try {
    recipes = await readRecipesOf(folder, { tables: values.table, format: values.format });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`--table: ${error.message}`);
    throw error;
  }
  const chosen = readers as Reader[];
  const texts = chosen.map((reader) =>
    chosen.length === 1
      ? recipes[reader]
      : `${COMMENT[reader]} ---- ${READER_TITLES[reader]} ----\n${recipes[reader]}`
  );
  console.log(texts.join("\n").trimEnd());
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
