/**
 * `deno task docs`: writes docs/TABLES.md (the data dictionary) and
 * docs/READING.md (the read recipes) from the table model.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { renderReadingGuide } from "../lib/notebook/reading_doc.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { SOURCES } from "../lib/sources/mod.ts";
import { renderDataDictionary } from "../lib/tables/data_dictionary.ts";
import { schemaFile } from "../lib/tables/schema_file.ts";

/** Where the data dictionary lives, relative to the repository root. */
export const TABLES_DOC = new URL("../docs/TABLES.md", import.meta.url);

/** Where the reading guide lives, relative to the repository root. */
export const READING_DOC = new URL("../docs/READING.md", import.meta.url);

const HELP = `Usage: deno task docs [--check]

Writes docs/TABLES.md (every table, key, column, type, source path and
description) from the sources' catalogues in lib/sources/, and
docs/READING.md (how to read the tables with polars, pandas, DuckDB and
Spark) from the read recipes in lib/notebook/read_recipes.ts.

Options:
  --check      do not write; exit 1 if either file is out of date
  -h, --help   show this help

Example:
  deno task docs
`;

/**
 * The data dictionary of every registered source.
 *
 * @returns the Markdown text of docs/TABLES.md
 */
export function dataDictionary(): string {
  return renderDataDictionary(SOURCES.map((source) => source.schema));
}

/**
 * The reading guide, with the recipes of Engagement History's transcript lines
 * (the table whose texts may be empty) as its example.
 *
 * @returns the Markdown text of docs/READING.md
 */
export function readingGuide(): string {
  const schema = schemaFile(ENGAGEMENT_HISTORY_SOURCE.schema, ["csv", "parquet"]);
  return renderReadingGuide({ schema, table: "transcript_lines" });
}

/**
 * Runs the command.
 *
 * @param args command-line arguments
 * @returns exit code: 0 written (or up to date), 1 stale with --check
 * @throws {UsageError} for bad options (exit code 2 through runCli)
 *
 * @example
 * ```ts
 * import { main } from "./tables_doc.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(() => main(["--bogus"]), /Unknown option '--bogus'/);
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    check: { type: "boolean", default: false },
  }, { task: "docs" });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const docs: [URL, string][] = [[TABLES_DOC, dataDictionary()], [READING_DOC, readingGuide()]];
  if (values.check) {
    let stale = 0;
    for (const [url, text] of docs) {
      const current = await Deno.readTextFile(url).catch(() => "");
      if (current === text) continue;
      console.error(`error: ${url.pathname} is out of date: run \`deno task docs\``);
      stale++;
    }
    return stale === 0 ? 0 : 1;
  }
  for (const [url, text] of docs) {
    await Deno.mkdir(new URL(".", url), { recursive: true });
    await Deno.writeTextFile(url, text);
    console.log(`wrote ${url.pathname}`);
  }
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
