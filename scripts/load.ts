/**
 * `deno task load`: loads the tables that `deno task tables` wrote into a
 * database — an embedded DuckDB file by default, or PostgreSQL.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { statusLine } from "../lib/cli/status_line.ts";
import { UsageError } from "../lib/errors.ts";
import { formatDuration } from "../lib/format.ts";
import {
  DEFAULT_BATCH_RECORDS,
  type LoadProgress,
  type LoadSummary,
  loadTables,
} from "../lib/load/load_tables.ts";
import { DATABASE_ENV, DEFAULT_DATABASE, resolveTarget } from "../lib/load/target.ts";

const HELP = `Usage: deno task load [--in data/tables] [--db PATH_OR_URL] [--api NAME]

Loads the tables that \`deno task tables\` wrote into a database: one schema
per API (engagement_history, messaging_interactions) with typed columns,
primary keys, foreign keys (PostgreSQL), indexes and the data dictionary as
comments; each load is recorded in lp_history.load_runs.

Options:
  --in <folder>        tables folder (default data/tables), or one API's folder in it
  --db <path|url>      a DuckDB file (default ${DEFAULT_DATABASE}, or $${DATABASE_ENV})
                       or postgres://USER@HOST:PORT/DATABASE[?sslmode=require]
  --api <name>         load only this API's tables
  --batch-size <n>     records per transaction (default ${DEFAULT_BATCH_RECORDS})
  -h, --help           show this help

Loading again is safe: records already in the database are replaced whole
(their base row updated, their child rows replaced), new ones are added, and
nothing is duplicated. Each batch is one transaction, so an interrupted load
leaves every record either as it was or as this export has it; run it again
to finish. A column the database lacks is added and reported, never dropped.

The PostgreSQL password never goes on the command line: put it in PGPASSWORD
or ~/.pgpass (or the whole URL in $${DATABASE_ENV}).

Exit codes: 0 done, 1 failed, 2 bad input.

Examples:
  deno task load
  deno task load --in data/demo/tables --db data/demo/lp-history.duckdb
  PGPASSWORD=… deno task load --db postgres://analyst@db.example:5432/contact_centre
`;

function describeProgress(progress: LoadProgress): string {
  return progress.phase === "stage"
    ? `${progress.source}: reading ${progress.table} (${progress.tablesDone}/${progress.tablesTotal})`
    : `${progress.source}: batch ${progress.batchesDone}/${progress.batchesTotal} committed`;
}

/**
 * The lines that report a load.
 *
 * @param summary what the load did
 * @returns the lines
 *
 * @example
 * ```ts
 * import { reportLines } from "./load.ts";
 * import assert from "node:assert/strict";
 * const lines = reportLines({
 *   runId: "r1", database: "x.duckdb", inDir: "data/tables", interruptedRuns: [], elapsedMs: 2100,
 *   changes: { createdTables: [], addedColumns: [], columnsNotInExport: [], typeMismatches: [] },
 *   sources: [{
 *     source: "engagement-history", schema: "engagement_history", format: "parquet", batches: 1,
 *     recordsNew: 3, recordsReplaced: 1, rows: { interaction: 4, transcript_lines: 9 },
 *     rowsRead: { interaction: 4, transcript_lines: 9 },
 *   }],
 * });
 * assert.match(lines[0]!, /^engagement-history → engagement_history: 4 records \(3 new, 1 replaced\), 13 rows/);
 * ```
 */
export function reportLines(summary: LoadSummary): string[] {
  const lines = summary.sources.map((source) => {
    const rows = Object.values(source.rows).reduce((sum, count) => sum + count, 0);
    const records = source.recordsNew + source.recordsReplaced;
    return `${source.source} → ${source.schema}: ${records} records (${source.recordsNew} new, ` +
      `${source.recordsReplaced} replaced), ${rows} rows in ${
        Object.keys(source.rows).length
      } tables from ${source.format}, ${source.batches} batch(es)`;
  });
  lines.push(
    `Loaded into ${summary.database} in ${formatDuration(summary.elapsedMs)}; ` +
      `recorded in lp_history.load_runs (run ${summary.runId}).`,
  );
  return lines;
}

/**
 * Runs the command.
 *
 * @param args command-line arguments
 * @returns exit code
 * @throws {UsageError} for bad options or input (exit code 2 through runCli)
 *
 * @example
 * ```ts
 * import { main } from "./load.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(() => main(["--db", "postgres://u:secret@host/db"]), /holds a password/);
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    in: { type: "string", default: "data/tables" },
    db: { type: "string" },
    api: { type: "string" },
    "batch-size": { type: "string", default: String(DEFAULT_BATCH_RECORDS) },
  }, { task: "load" });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const target = resolveTarget(values.db);
  const batchRecords = Number(values["batch-size"]);
  if (!Number.isInteger(batchRecords) || batchRecords <= 0) {
    throw new UsageError(
      `Invalid --batch-size "${values["batch-size"]}": expected a positive number of records`,
    );
  }
  if (values.in.trim() === "") throw new UsageError("Empty --in: name the tables folder");
  const status = statusLine();
  const summary = await loadTables({
    inDir: values.in,
    target,
    ...(values.api === undefined ? {} : { sources: [values.api] }),
    batchRecords,
    onProgress: (progress) => status.update(describeProgress(progress)),
    onNote: (message) => status.log(message),
  }).finally(() => status.done());
  for (const line of reportLines(summary)) console.log(line);
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
