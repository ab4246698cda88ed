/**
 * `deno task demo`: the whole job against the built-in LivePerson simulator,
 * so anyone can try the tool without API keys.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { statusLine } from "../lib/cli/status_line.ts";
import { checkDemoFolder, DEMO_DATASET, runDemo } from "../lib/demo.ts";
import { UsageError } from "../lib/errors.ts";
import { describeProgress } from "../lib/fetch/mod.ts";
import { formatRows } from "../lib/load/example_query.ts";

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const WEEK = `${isoDay(DEMO_DATASET.from)} to ${isoDay(DEMO_DATASET.to - 1)}`;

const HELP = `Usage: deno task demo [--out DIR]

Starts the built-in LivePerson simulator on 127.0.0.1, fetches a simulated
week (${WEEK}, ${DEMO_DATASET.count} records per API)
exactly as 'deno task fetch' does with real keys into DIR/raw, builds the
tables into DIR/tables as 'deno task tables' does, and loads them into the
DuckDB file DIR/lp-history.duckdb as 'deno task load' does. No keys and no
network are needed.

Options:
  --out DIR    Output folder (default data/demo; kept apart from your real data/raw).
               It must be new, empty, or a folder an earlier demo wrote.
  -h, --help   Show this help.

Example:
  deno task demo --out /tmp/lp-demo
`;

/**
 * Runs the demo command.
 *
 * @param args command-line arguments
 * @returns the exit code
 */
export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    out: { type: "string", default: "data/demo" },
  }, { task: "demo" });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.out.trim() === "") throw new UsageError("Empty --out: name the demo's folder");
  checkDemoFolder(values.out);
  const startedAt = performance.now();
  console.log("Starting the LivePerson simulator on 127.0.0.1 and fetching a simulated week…");
  const status = statusLine();
  const result = await runDemo({
    dataDir: values.out,
    onProgress: (source, progress) =>
      status.update(`${source.name}: ${describeProgress(progress)}`),
    onNote: (message) => status.log(message),
    onTablesProgress: (source, progress) =>
      status.update(
        progress.phase === "read"
          ? `${source.name} tables: page ${progress.pagesRead}/${progress.pagesTotal}`
          : `${source.name} tables: Parquet ${progress.tablesDone}/${progress.tablesTotal} ` +
            `(${progress.table})`,
      ),
  }).finally(() => status.done());
  console.log(`Raw pages: ${result.rawDir}/`);
  for (const { source, fetch, tables } of result.sources) {
    console.log(
      `${source.title}: fetched ${fetch.records} records in ${fetch.pages} pages ` +
        `(${fetch.windowsSkipped} of ${fetch.windows} windows already complete); ` +
        `${tables.records} ${source.schema.recordNoun}s in ${tables.outDir}/ ` +
        `(${tables.formats.join(" and ")}):`,
    );
    const width = Math.max(...Object.keys(tables.rows).map((name) => name.length));
    for (const [name, rows] of Object.entries(tables.rows)) {
      console.log(`  ${name.padEnd(width)}  ${String(rows).padStart(7)} rows`);
    }
  }
  if (result.database) {
    const { path, load, example } = result.database;
    const rows = load.sources.reduce(
      (sum, source) => sum + Object.values(source.rows).reduce((total, n) => total + n, 0),
      0,
    );
    console.log(`Loaded ${rows} rows into ${path} (one schema per API; see docs/LOAD.md).`);
    console.log(`Example query:\n\n${example.sql}\n`);
    for (const line of formatRows(example.rows)) console.log(`  ${line}`);
    console.log("");
  }
  console.log(`Columns of every table: docs/TABLES.md. Layout of the output: data/README.md.`);
  console.log(`Done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s.`);
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
