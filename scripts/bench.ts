/**
 * `deno task bench`: every benchmark of the project in one run, each figure
 * measured side by side with its baseline on this machine:
 *
 * 1. fetch, for each API: the old behaviour (one request at a time, one-day
 *    windows) against the defaults of `deno task fetch`, on a simulator with
 *    150 ms latency and a cap of 8 concurrent requests (429 beyond it) — calm
 *    with 5000 records, then in a 429 storm with 2000 — with the ratio, the
 *    429s, and a check that no record was lost or stored twice
 *    (scripts/bench_fetch.ts);
 * 2. tables, at 10 000 and 100 000 engagements: time against reading and
 *    parsing the same pages, and peak RSS, with how it grows
 *    (scripts/bench_tables.ts);
 * 3. load, the tables of 25 000 engagements into DuckDB and into a
 *    throwaway PostgreSQL server: rows per second into empty tables and
 *    when every record is replaced (scripts/bench_load.ts).
 *
 * Each part is a function of its own script; a part is added here as one
 * entry of {@linkcode BENCH_PARTS}.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { UsageError } from "../lib/errors.ts";
import { formatDuration } from "../lib/format.ts";
import { SOURCES } from "../lib/sources/mod.ts";
import { benchFetch, fetchBenchLines } from "./bench_fetch.ts";
import { benchLoad, benchLoadReport } from "./bench_load.ts";
import { benchTables, tablesBenchLines } from "./bench_tables.ts";

const HELP = `Usage: deno task bench [--only PART,…] [--quick]

Runs every benchmark and prints what each measured next to its baseline:
  fetch    both APIs, sequential one-day windows vs the defaults, at 150 ms
           latency with a server cap of 8 (calm, 5000 records; 429 storm, 2000)
  tables   10 000 and 100 000 engagements: tables step vs read + JSON.parse,
           peak RSS and its growth
  load     the tables of 25 000 engagements into DuckDB and PostgreSQL
           (a throwaway server; SKIPPED without PostgreSQL): rows per second
It takes about three and a half minutes; nothing is written outside temporary folders.

Options:
  --only LIST   run only these parts (fetch,tables,load)
  --quick       smaller sizes, to check that the benchmark runs (figures not comparable)
  -h, --help    show this help
`;

/** One benchmark of {@linkcode BENCH_PARTS}: runs, and reports in lines. */
export interface BenchPart {
  readonly name: string;
  /**
   * Runs the benchmark.
   *
   * @param options `quick`: smaller sizes; `onLog`: progress lines
   * @returns the report's lines, and whether every check held
   */
  run(options: BenchPartOptions): Promise<{ lines: string[]; ok: boolean }>;
}

/** Options every part takes. */
export interface BenchPartOptions {
  readonly quick: boolean;
  readonly onLog: (line: string) => void;
}

/** The fetch part: each API calm with 5000 records, then in a 429 storm with 2000. */
export const FETCH_PART: BenchPart = {
  name: "fetch",
  async run({ quick, onLog }) {
    const lines: string[] = [];
    let ok = true;
    for (const source of SOURCES) {
      const settings = quick ? { count: 300, days: 3 } : {};
      const calm = await benchFetch({ source, count: 5000, stormRate: 0, onLog, ...settings });
      const storm = await benchFetch({
        source,
        count: 2000,
        calm: false,
        stormRate: 0.2,
        onLog,
        ...settings,
      });
      lines.push(...fetchBenchLines(calm), ...fetchBenchLines(storm));
      ok &&= [...calm.scenarios, ...storm.scenarios].every((scenario) => scenario.identical);
    }
    return { lines, ok };
  },
};

/** The tables part: 10 000 and 100 000 engagements. */
export const TABLES_PART: BenchPart = {
  name: "tables",
  async run({ quick, onLog }) {
    const results = await benchTables({ sizes: quick ? [500, 2000] : [10_000, 100_000], onLog });
    return {
      lines: tablesBenchLines(results),
      ok: results.every((result) => result.recordsOutOfOrder === 0),
    };
  },
};

/** The load part: 25 000 engagements (about 580 000 rows) into each database; rates do not depend on the size. */
export const LOAD_PART: BenchPart = {
  name: "load",
  async run({ quick, onLog }) {
    const result = await benchLoad({ engagements: quick ? 2000 : 25_000, onNote: onLog });
    return { lines: benchLoadReport(result), ok: result.figures.length > 0 };
  },
};

/** Every part, in the order they run. */
export const BENCH_PARTS: readonly BenchPart[] = [FETCH_PART, TABLES_PART, LOAD_PART];

/**
 * Runs the benchmarks and prints their reports.
 *
 * @param args command-line arguments
 * @returns exit code: 0 when every check held
 */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    only: { type: "string" },
    quick: { type: "boolean", default: false },
  }, { task: "bench" });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const names = values.only?.split(",").map((name) => name.trim()).filter(Boolean);
  const unknown = names?.filter((name) => !BENCH_PARTS.some((part) => part.name === name)) ?? [];
  if (names?.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `Invalid --only "${values.only}": expected parts among ` +
        BENCH_PARTS.map((part) => part.name).join(", "),
    );
  }
  const parts = BENCH_PARTS.filter((part) => names === undefined || names.includes(part.name));
  const started = performance.now();
  let ok = true;
  for (const part of parts) {
    const partStarted = performance.now();
    const result = await part.run({ quick: values.quick, onLog: (line) => console.error(line) });
    console.log(`\n== ${part.name} (${formatDuration(performance.now() - partStarted)})`);
    console.log(result.lines.join("\n"));
    ok &&= result.ok;
  }
  console.log(`\nbench took ${formatDuration(performance.now() - started)}`);
  return ok ? 0 : 1;
}

if (import.meta.main) await runCli(() => main(Deno.args));
