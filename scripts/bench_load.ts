/**
 * How fast `deno task load` moves rows into each database: simulated
 * Engagement History exports (100 000 engagements by default) are built into
 * tables, then loaded into a new DuckDB file and into a throwaway PostgreSQL
 * server on 127.0.0.1 (skipped where PostgreSQL is not installed), once into
 * empty tables and once more over the same records (every record replaced).
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { UsageError } from "../lib/errors.ts";
import { loadTables } from "../lib/load/load_tables.ts";
import { startLocalPostgres } from "../lib/load/local_postgres.ts";
import { type DatabaseTarget, resolveTarget } from "../lib/load/target.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { buildTables } from "../lib/tables/build.ts";
import { writeSimulatedStore } from "./bench_tables.ts";

/** Options of {@linkcode benchLoad}. */
export interface BenchLoadOptions {
  /** Simulated engagements; default 100 000. */
  readonly engagements?: number;
  /** Databases to measure; default both. */
  readonly databases?: readonly ("duckdb" | "postgres")[];
  /** Records per transaction; default the loader's. */
  readonly batchRecords?: number;
  /** Receives progress notes. */
  readonly onNote?: (message: string) => void;
}

/** One database's figures. */
export interface DatabaseFigures {
  readonly database: "duckdb" | "postgres";
  /** Rows written by one load (every table). */
  readonly rows: number;
  /** Into empty tables. */
  readonly firstLoadMs: number;
  readonly firstLoadRowsPerSecond: number;
  /** The same export again: every record's rows replaced. */
  readonly reloadMs: number;
  readonly reloadRowsPerSecond: number;
}

/** What {@linkcode benchLoad} measured. */
export interface BenchLoadResult {
  readonly engagements: number;
  readonly figures: readonly DatabaseFigures[];
  /** Databases not measured, with the reason. */
  readonly skipped: readonly string[];
}

async function measure(
  database: "duckdb" | "postgres",
  target: DatabaseTarget,
  tablesDir: string,
  batchRecords: number | undefined,
): Promise<DatabaseFigures> {
  const run = async () => {
    const started = performance.now();
    const summary = await loadTables({
      inDir: tablesDir,
      target,
      ...(batchRecords === undefined ? {} : { batchRecords }),
    });
    const ms = performance.now() - started;
    const rows = summary.sources.reduce(
      (sum, source) => sum + Object.values(source.rows).reduce((total, n) => total + n, 0),
      0,
    );
    return { ms, rows };
  };
  const first = await run();
  const again = await run();
  return {
    database,
    rows: first.rows,
    firstLoadMs: Math.round(first.ms),
    firstLoadRowsPerSecond: Math.round(first.rows / (first.ms / 1000)),
    reloadMs: Math.round(again.ms),
    reloadRowsPerSecond: Math.round(again.rows / (again.ms / 1000)),
  };
}

/**
 * Measures rows per second loaded into each database.
 *
 * @param options size, databases, batch size
 * @returns the figures per database
 */
export async function benchLoad(options: BenchLoadOptions = {}): Promise<BenchLoadResult> {
  const engagements = options.engagements ?? 100_000;
  const databases = options.databases ?? ["duckdb", "postgres"];
  const dir = await Deno.makeTempDir({ prefix: "lp-bench-load-" });
  try {
    options.onNote?.(`building the tables of ${engagements} simulated engagements…`);
    await writeSimulatedStore(`${dir}/raw`, ENGAGEMENT_HISTORY_SOURCE, engagements);
    await buildTables({
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
      source: ENGAGEMENT_HISTORY_SOURCE,
    });
    await Deno.remove(`${dir}/raw`, { recursive: true });
    const figures: DatabaseFigures[] = [];
    const skipped: string[] = [];
    for (const database of databases) {
      options.onNote?.(`loading into ${database}…`);
      if (database === "duckdb") {
        const target = { kind: "duckdb", path: `${dir}/bench.duckdb` } as const;
        figures.push(await measure(database, target, `${dir}/tables`, options.batchRecords));
        continue;
      }
      let server;
      try {
        server = await startLocalPostgres();
      } catch (error) {
        skipped.push(`postgres: ${(error as Error).message}`);
        continue;
      }
      try {
        const target = resolveTarget(server.url, {
          env: (name) => name === "PGPASSWORD" ? server.password : undefined,
        });
        figures.push(await measure(database, target, `${dir}/tables`, options.batchRecords));
      } finally {
        await server.stop();
      }
    }
    return { engagements, figures, skipped };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * The lines that report a benchmark.
 *
 * @param result what was measured
 * @returns the lines
 *
 * @example
 * ```ts
 * import { benchLoadReport } from "./bench_load.ts";
 * import assert from "node:assert/strict";
 * const lines = benchLoadReport({ engagements: 10, skipped: [], figures: [{
 *   database: "duckdb", rows: 500, firstLoadMs: 1000, firstLoadRowsPerSecond: 500,
 *   reloadMs: 2000, reloadRowsPerSecond: 250,
 * }] });
 * assert.match(lines[1]!, /duckdb: +500 rows\/s into empty tables, +250 rows\/s reloading/);
 * ```
 */
export function benchLoadReport(result: BenchLoadResult): string[] {
  return [
    `load: ${result.engagements} engagements, ${result.figures[0]?.rows ?? 0} rows per load`,
    ...result.figures.map((figures) =>
      `  ${figures.database}: ${
        String(figures.firstLoadRowsPerSecond).padStart(7)
      } rows/s into empty tables, ${
        String(figures.reloadRowsPerSecond).padStart(7)
      } rows/s reloading (${(figures.firstLoadMs / 1000).toFixed(1)} s, ${
        (figures.reloadMs / 1000).toFixed(1)
      } s)`
    ),
    ...result.skipped.map((reason) => `  SKIPPED ${reason}`),
  ];
}

/**
 * Runs the benchmark from the command line.
 *
 * @param args command-line arguments
 * @returns exit code
 */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    engagements: { type: "string", default: "100000" },
    databases: { type: "string", default: "duckdb,postgres" },
  }, { task: "bench" });
  if (values.help) {
    console.log(
      "Usage: deno run -A scripts/bench_load.ts [--engagements 100000] [--databases duckdb,postgres]",
    );
    return 0;
  }
  const engagements = Number(values.engagements);
  if (!Number.isInteger(engagements) || engagements <= 0) {
    throw new UsageError(`Invalid --engagements "${values.engagements}": expected a count`);
  }
  const databases = values.databases.split(",").map((name) => name.trim());
  if (databases.some((name) => name !== "duckdb" && name !== "postgres")) {
    throw new UsageError(`Invalid --databases "${values.databases}": use duckdb, postgres or both`);
  }
  const result = await benchLoad({
    engagements,
    databases: databases as ("duckdb" | "postgres")[],
    onNote: (message) => console.error(message),
  });
  for (const line of benchLoadReport(result)) console.log(line);
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
