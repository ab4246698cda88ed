/**
 * `deno task tables`: builds the relational tables (pipe-delimited CSV and
 * Parquet) from the raw Engagement History pages that `deno task fetch` stored.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { formatDuration, runCli, statusLine } from "../lib/cli.ts";
import {
  buildTables,
  SUMMARY_FILE,
  TABLE_FORMATS,
  type TableFormat,
  TablesInputError,
  type TablesSummary,
} from "../lib/tables/build.ts";

const HELP = `Usage: deno task tables [--in data/raw] [--out data/tables] [--format csv,parquet]

Builds one table per Engagement History node from the raw pages that
\`deno task fetch\` stored, and writes a summary to <out>/${SUMMARY_FILE}.

Options:
  --in <folder>      raw folder written by fetch (default data/raw)
  --out <folder>     tables folder, replaced as a whole on success (default data/tables)
  --format <list>    csv, parquet or csv,parquet (default csv,parquet)
  -h, --help         show this help

CSV files are pipe-delimited UTF-8 with a header row; a value with | " CR or LF
is quoted. An empty unquoted field is null; "" is the empty string.
The tables are described column by column in docs/TABLES.md.

Example:
  deno task tables --in data/raw --out data/tables --format csv,parquet
`;

/** Parsed command line. */
interface TablesArgs {
  readonly help: boolean;
  readonly inDir: string;
  readonly outDir: string;
  readonly formats: TableFormat[];
}

function parseTablesArgs(args: readonly string[]): TablesArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        in: { type: "string", default: "data/raw" },
        out: { type: "string", default: "data/tables" },
        format: { type: "string", default: TABLE_FORMATS.join(",") },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new TablesInputError(
      `${(error as Error).message.split("\n")[0]} (see deno task tables --help)`,
    );
  }
  const formats = parsed.values.format.split(",").map((format) => format.trim()).filter(Boolean);
  for (const format of formats) {
    if (!(TABLE_FORMATS as readonly string[]).includes(format)) {
      throw new TablesInputError(
        `Invalid --format "${parsed.values.format}": expected csv, parquet or csv,parquet`,
      );
    }
  }
  if (formats.length === 0) {
    throw new TablesInputError(`Invalid --format "": expected csv, parquet or csv,parquet`);
  }
  return {
    help: parsed.values.help,
    inDir: parsed.values.in,
    outDir: parsed.values.out,
    formats: formats as TableFormat[],
  };
}

/**
 * One line that sums up a run.
 *
 * @param summary what the run did
 * @returns the line
 *
 * @example
 * ```ts
 * import { summaryLine } from "./tables.ts";
 * import assert from "node:assert/strict";
 * const line = summaryLine({
 *   inDir: "in", outDir: "out", formats: ["csv"], pagesRead: 2, recordsRead: 5, engagements: 4,
 *   duplicatesDropped: 1, recordsWithoutEngagementId: 0, rows: { interaction: 4, transcript_lines: 9 },
 *   unknownFields: {}, typeMismatches: {}, files: [], elapsedMs: 1200,
 *   checks: { primaryKeysUnique: true, childRowsHaveParent: true, problems: [] },
 * });
 * assert.match(line, /^4 engagements, 13 rows in 2 tables/);
 * ```
 */
export function summaryLine(summary: TablesSummary): string {
  const rows = Object.values(summary.rows).reduce((sum, count) => sum + count, 0);
  const tables = Object.keys(summary.rows).length;
  const unknown = Object.keys(summary.unknownFields).length;
  const mismatches = Object.values(summary.typeMismatches).reduce((sum, count) => sum + count, 0);
  return `${summary.engagements} engagements, ${rows} rows in ${tables} tables ` +
    `(${summary.formats.join(", ")}) from ${summary.pagesRead} pages in ` +
    `${formatDuration(summary.elapsedMs)}; ${summary.duplicatesDropped} duplicates dropped, ` +
    `${unknown} unknown field paths, ${mismatches} values kept in extra; ` +
    `written to ${summary.outDir} (see ${SUMMARY_FILE})`;
}

/**
 * Runs the command.
 *
 * @param args command-line arguments
 * @returns exit code: 0 done, 1 self-check failed, 2 bad input or options
 *
 * @example
 * ```ts
 * import { main } from "./tables.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * assert.equal(await main(["--in", `${dir}/nothing`, "--out", `${dir}/tables`]), 2);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  let options: TablesArgs;
  try {
    options = parseTablesArgs(args);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  const status = statusLine();
  let summary: TablesSummary;
  try {
    summary = await buildTables({
      inDir: options.inDir,
      outDir: options.outDir,
      formats: options.formats,
      onProgress: (progress) =>
        status.update(
          progress.phase === "read"
            ? `reading page ${progress.pagesRead}/${progress.pagesTotal}, ` +
              `${progress.engagements} engagements`
            : `parquet ${progress.tablesDone}/${progress.tablesTotal}: ${progress.table}`,
        ),
    });
  } catch (error) {
    status.done();
    if (error instanceof TablesInputError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  status.done();
  console.log(summaryLine(summary));
  const unknown = Object.entries(summary.unknownFields);
  if (unknown.length > 0) {
    console.log(
      `unknown fields (kept in the extra column): ${
        unknown.map(([path, count]) => `${path} ×${count}`).join(", ")
      }`,
    );
  }
  if (!summary.checks.primaryKeysUnique || !summary.checks.childRowsHaveParent) {
    console.error(`error: self-check failed: ${summary.checks.problems.join("; ")}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) runCli(() => main(Deno.args));
