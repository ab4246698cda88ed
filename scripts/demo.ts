/**
 * `deno task demo`: the whole job against the built-in LivePerson simulator,
 * so anyone can try the tool without API keys.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { asUsageError, runCli, statusLine } from "../lib/cli.ts";
import { DEMO_DATASET, runDemo } from "../lib/demo.ts";
import { describeProgress } from "../lib/fetch_history.ts";

const HELP = `Usage: deno task demo [--out DIR]

Starts the built-in LivePerson simulator on 127.0.0.1, fetches a simulated
week of chats (${DEMO_DATASET.from} to ${DEMO_DATASET.to}, ${DEMO_DATASET.count} engagements)
exactly as 'deno task fetch' does with real keys into DIR/raw, then builds the
tables into DIR/tables as 'deno task tables' does. No keys and no network are
needed.

Options:
  --out DIR    Output folder (default data/demo; kept apart from your real data/raw).
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
  const { values } = asUsageError(() =>
    parseArgs({
      args,
      options: {
        out: { type: "string", default: "data/demo" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    })
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const startedAt = performance.now();
  console.log("Starting the LivePerson simulator on 127.0.0.1 and fetching a simulated week…");
  const status = statusLine();
  const result = await runDemo({
    dataDir: values.out,
    onProgress: (progress) => status.update(describeProgress(progress)),
    onTablesProgress: (progress) =>
      status.update(
        progress.phase === "read"
          ? `tables: page ${progress.pagesRead}/${progress.pagesTotal}`
          : `tables: Parquet ${progress.tablesDone}/${progress.tablesTotal} (${progress.table})`,
      ),
  }).finally(() => status.done());
  const { fetch, tables } = result;
  console.log(
    `Fetched ${fetch.records} records in ${fetch.pages} pages ` +
      `(${fetch.windowsSkipped} of ${fetch.windows} windows already complete).`,
  );
  console.log(`Raw pages: ${result.rawDir}/`);
  console.log(`Tables (${tables.formats.join(" and ")}): ${result.tablesDir}/`);
  const width = Math.max(...Object.keys(tables.rows).map((name) => name.length));
  for (const [name, rows] of Object.entries(tables.rows)) {
    console.log(`  ${name.padEnd(width)}  ${String(rows).padStart(7)} rows`);
  }
  console.log(`Columns of every table: docs/TABLES.md. Layout of the output: data/README.md.`);
  console.log(`Done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s.`);
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
