/**
 * `deno task tables`: builds the relational tables (pipe-delimited CSV and
 * Parquet) from the raw Engagement History pages that `deno task fetch` stored.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { statusLine } from "../lib/cli/status_line.ts";
import { UsageError } from "../lib/errors.ts";
import { formatDuration } from "../lib/format.ts";
import { sourceByName, SOURCES } from "../lib/sources/mod.ts";
import type { Source } from "../lib/sources/source.ts";
import {
  buildTables,
  parseFormats,
  SUMMARY_FILE,
  TABLE_FORMATS,
  type TableFormat,
  type TablesSummary,
} from "../lib/tables/build.ts";
import { hasRawStore } from "../lib/tables/verified_input.ts";

const HELP = `Usage: deno task tables [--in data/raw] [--out data/tables] [--format csv,parquet]

Builds one table per node of the records that \`deno task fetch\` stored, for
each API found in the raw folder (${SOURCES.map((source) => source.name).join(", ")}),
into <out>/<api>/, with a summary in <out>/<api>/${SUMMARY_FILE} and the
tables described for machines in <out>/<api>/_schema.json.

Options:
  --in <folder>        raw folder written by fetch (default data/raw)
  --api <name>         build only this API's tables
  --out <folder>       tables folder (default data/tables). It must be new, empty,
                       or a tables folder this tool wrote: nothing else is replaced.
  --format <list>      csv, parquet or csv,parquet (default csv,parquet)
  --allow-incomplete   build even if a fetch left some windows incomplete
                       (they are listed in the summary)
  --workers <n>        flatten pages in n workers besides the main thread
                       (default: one per core beyond the first, at most 3;
                       0 uses one core, with less memory)
  -h, --help           show this help

Every stored page is first checked against the fetch manifest: a page that is
missing, cut short, altered or unlisted stops the run with its name (run
\`deno task fetch\` to fetch it again). The tables are built beside the old
ones and swapped in at the end, so a failed or interrupted run changes nothing.

CSV files are pipe-delimited UTF-8 with a header row; a value with | " CR or LF
is quoted. An empty unquoted field is null; "" is the empty string. Every
table's rows are in the order of their record's start time, ties by id.
The tables are described column by column in docs/TABLES.md.

Exit codes: 0 done, 1 failed (or the self-check found a problem), 2 bad input.

Example:
  deno task tables --in data/raw --out data/tables --format csv,parquet
`;

/** Parsed command line. */
interface TablesArgs {
  readonly help: boolean;
  readonly inDir: string;
  readonly outDir: string;
  readonly formats: TableFormat[];
  readonly allowIncomplete: boolean;
  /** Page workers; undefined for the default. */
  readonly workers: number | undefined;
  readonly sources: readonly Source[];
}

function parseTablesArgs(args: readonly string[]): TablesArgs {
  const { values } = parseCommandLine(args, {
    in: { type: "string", default: "data/raw" },
    out: { type: "string", default: "data/tables" },
    format: { type: "string", default: TABLE_FORMATS.join(",") },
    "allow-incomplete": { type: "boolean", default: false },
    workers: { type: "string" },
    api: { type: "string" },
  }, { task: "tables" });
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (
    workers !== undefined &&
    (!Number.isInteger(workers) || workers < 0 || values.workers?.trim() === "")
  ) {
    throw new UsageError(`Invalid --workers "${values.workers}": expected a count such as 0 or 3`);
  }
  if (values.in.trim() === "") throw new UsageError("Empty --in: name the raw folder fetch wrote");
  return {
    help: values.help,
    inDir: values.in,
    outDir: values.out,
    formats: parseFormats(values.format),
    allowIncomplete: values["allow-incomplete"],
    workers,
    sources: values.api === undefined ? SOURCES : [sourceByName(values.api)],
  };
}

/**
 * One line that sums up a run.
 *
 * @param summary what the run did
 * @param recordNoun what one record is (`engagement`)
 * @returns the line
 *
 * @example
 * ```ts
 * import { summaryLine } from "./tables.ts";
 * import assert from "node:assert/strict";
 * const line = summaryLine({
 *   source: "engagement-history", inDir: "in", outDir: "out", formats: ["csv"], pagesRead: 2,
 *   recordsRead: 5, records: 4, incompleteWindows: [], unsettledWindows: [],
 *   stillPartial: [], stillOpen: ["e9"],
 *   duplicatesDropped: 1, recordsWithoutId: 0, rows: { interaction: 4, transcript_lines: 9 },
 *   unknownFields: {}, typeMismatches: {}, files: [], elapsedMs: 1200, workers: 0,
 *   checks: { primaryKeysUnique: true, childRowsHaveParent: true, problems: [] },
 *   order: { recordsOutOfOrder: 0, newerCopiesDropped: 0, problems: [] },
 * }, "engagement");
 * assert.match(line, /^4 engagements, 13 rows in 2 tables/);
 * ```
 */
export function summaryLine(summary: TablesSummary, recordNoun: string): string {
  const rows = Object.values(summary.rows).reduce((sum, count) => sum + count, 0);
  const tables = Object.keys(summary.rows).length;
  const unknown = Object.keys(summary.unknownFields).length;
  const mismatches = Object.values(summary.typeMismatches).reduce((sum, count) => sum + count, 0);
  return `${summary.records} ${recordNoun}s, ${rows} rows in ${tables} tables ` +
    `(${summary.formats.join(", ")}) from ${summary.pagesRead} pages in ` +
    `${formatDuration(summary.elapsedMs)}; ${summary.duplicatesDropped} duplicates dropped, ` +
    `${unknown} unknown field paths, ${mismatches} values kept in extra; ` +
    `${summary.stillPartial.length} still partial, ${summary.stillOpen.length} still open ` +
    `(listed in ${SUMMARY_FILE}); written to ${summary.outDir}`;
}

/**
 * Runs the command.
 *
 * @param args command-line arguments
 * @returns exit code: 0 done, 1 self-check failed
 * @throws {UsageError} for bad options or input (exit code 2 through runCli)
 *
 * @example
 * ```ts
 * import { main } from "./tables.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await assert.rejects(() => main(["--in", `${dir}/nothing`, "--out", `${dir}/tables`]), /does not exist/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const options = parseTablesArgs(args);
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  const present = options.sources.filter((source) => hasRawStore(options.inDir, source.api));
  if (present.length === 0) {
    throw new UsageError(
      `No raw pages in ${options.inDir} for ${
        options.sources.map((source) => source.name).join(" or ")
      }: run \`deno task fetch\` first, or pass --in <folder> with the raw folder fetch wrote`,
    );
  }
  let exitCode = 0;
  for (const source of present) {
    exitCode = Math.max(exitCode, await buildSource(source, options));
  }
  return exitCode;
}

async function buildSource(source: Source, options: TablesArgs): Promise<number> {
  const status = statusLine();
  const summary = await buildTables({
    inDir: options.inDir,
    outDir: options.outDir,
    source,
    otherSources: SOURCES.map((known) => known.name).filter((name) => name !== source.name),
    formats: options.formats,
    allowIncomplete: options.allowIncomplete,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    onNote: (message) => status.log(message),
    onProgress: (progress) =>
      status.update(
        progress.phase === "read"
          ? `${source.name}: reading page ${progress.pagesRead}/${progress.pagesTotal}, ` +
            `${progress.records} ${source.schema.recordNoun}s`
          : `${source.name}: parquet ${progress.tablesDone}/${progress.tablesTotal}: ${progress.table}`,
      ),
  }).finally(() => status.done());
  console.log(summaryLine(summary, source.schema.recordNoun));
  const unknown = Object.entries(summary.unknownFields);
  if (unknown.length > 0) {
    console.log(
      `unknown fields (kept in the extra column): ${
        unknown.map(([path, count]) => `${path} ×${count}`).join(", ")
      }`,
    );
  }
  if (summary.incompleteWindows.length > 0) {
    console.error(
      `warning: built with ${summary.incompleteWindows.length} incomplete window(s), listed in ` +
        `${summary.outDir}/${SUMMARY_FILE}: run deno task fetch to complete them`,
    );
  }
  const { order } = summary;
  if (order.recordsOutOfOrder > 0 || order.newerCopiesDropped > 0) {
    console.error(
      `warning: the raw pages broke the order the tables rely on: ${order.recordsOutOfOrder} ` +
        `record(s) written out of start-time order, ${order.newerCopiesDropped} newer copy(ies) ` +
        `dropped (examples in ${summary.outDir}/${SUMMARY_FILE}); run \`deno task fetch ` +
        `--refetch\` with their dates to fetch them again`,
    );
  }
  if (!summary.checks.primaryKeysUnique || !summary.checks.childRowsHaveParent) {
    console.error(`error: self-check failed: ${summary.checks.problems.join("; ")}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
