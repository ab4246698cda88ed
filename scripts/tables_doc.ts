/**
 * `deno task docs`: writes docs/TABLES.md from the table model.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { renderDataDictionary } from "../lib/tables/data_dictionary.ts";

/** Where the data dictionary lives, relative to the repository root. */
export const TABLES_DOC = new URL("../docs/TABLES.md", import.meta.url);

const HELP = `Usage: deno task docs [--check]

Writes docs/TABLES.md (every table, key, column, type, source path and
description) from lib/tables/model.ts.

Options:
  --check      do not write; exit 1 if docs/TABLES.md is out of date
  -h, --help   show this help

Example:
  deno task docs
`;

/**
 * Runs the command.
 *
 * @param args command-line arguments
 * @returns exit code: 0 written (or up to date), 1 stale with --check, 2 bad options
 *
 * @example
 * ```ts
 * import { main } from "./tables_doc.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await main(["--bogus"]), 2);
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      options: {
        check: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`error: ${(error as Error).message.split("\n")[0]} (see deno task docs --help)`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const text = renderDataDictionary();
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

if (import.meta.main) Deno.exit(await main(Deno.args));
