/**
 * `deno task docs`: writes docs/TABLES.md from the table model.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { SOURCES } from "../lib/sources/mod.ts";
import { renderDataDictionary } from "../lib/tables/data_dictionary.ts";

/** Where the data dictionary lives, relative to the repository root. */
export const TABLES_DOC = new URL("../docs/TABLES.md", import.meta.url);

const HELP = `Usage: deno task docs [--check]

Writes docs/TABLES.md (every table, key, column, type, source path and
description) from the sources' catalogues in lib/sources/.

Options:
  --check      do not write; exit 1 if docs/TABLES.md is out of date
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
  const text = dataDictionary();
  if (values.check) {
    const current = await Deno.readTextFile(TABLES_DOC).catch(() => "");
    if (current === text) return 0;
    console.error("error: docs/TABLES.md is out of date: run `deno task docs`");
    return 1;
  }
  await Deno.mkdir(new URL(".", TABLES_DOC), { recursive: true });
  await Deno.writeTextFile(TABLES_DOC, text);
  console.log(`wrote ${TABLES_DOC.pathname}`);
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
