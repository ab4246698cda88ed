/**
 * The demo: the whole job run against the built-in simulator, with no keys,
 * for every registered source.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { resolveBaseUrl } from "./fetch/domain.ts";
import {
  DEFAULT_CONCURRENCY,
  fetchHistory,
  type FetchProgress,
  type FetchSummary,
} from "./fetch/fetch_history.ts";
import { DEFAULT_WINDOW_MS } from "./fetch/windows.ts";
import { checkOutputFolder, claimFolder } from "./fs/owned_folder.ts";
import { hasTables } from "./notebook/load.ts";
import { DEMO_CREDENTIALS, startSimulator } from "./simulator/server.ts";
import { SOURCES } from "./sources/mod.ts";
import type { Source } from "./sources/source.ts";
import { buildTables, type TablesProgress, type TablesSummary } from "./tables/build.ts";
import { EXAMPLE_QUERY } from "./load/example_query.ts";
import { type LoadSummary, loadTables, openDatabase } from "./load/load_tables.ts";

/** The demo's database file, in its folder. */
export const DEMO_DATABASE_FILE = "lp-history.duckdb";

/**
 * The demo's dataset: a week of conversations per source, small enough to run
 * in seconds, seen at a fixed moment six hours after the week ends (the
 * simulator's clock and the fetch's agree on it), so every run gives the same
 * data.
 */
export const DEMO_DATASET = {
  /** First day, UTC. */
  from: Date.UTC(2024, 0, 1),
  /** The day after the last, UTC. */
  to: Date.UTC(2024, 0, 8),
  /** Records per source. */
  count: 1200,
  seed: 1,
  now: Date.UTC(2024, 0, 8, 6),
} as const;

/**
 * Checks that the demo may write into `dataDir`: a new or empty folder, or one
 * an earlier demo wrote (its marker, `raw/`, `tables/` and its DuckDB file,
 * nothing else).
 *
 * @param dataDir the demo's folder
 * @throws {UsageError} naming the folder and the fix
 *
 * @example
 * ```ts
 * import { checkDemoFolder } from "./demo.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/notes.txt`, "mine");
 * assert.throws(() => checkDemoFolder(dir), /notes\.txt/);
 * ```
 */
export function checkDemoFolder(dataDir: string): void {
  checkOutputFolder(dataDir, {
    option: "--out",
    kind: "demo",
    isOwnEntry: (name) =>
      name === "raw" || name === "tables" || name === DEMO_DATABASE_FILE ||
      name === `${DEMO_DATABASE_FILE}.wal`,
  });
}

/** Options of {@linkcode runDemo}. */
export interface DemoOptions {
  /**
   * Folder for `raw/` and `tables/`; default `data/demo`. It must be new, empty,
   * or a folder an earlier demo wrote.
   */
  readonly dataDir?: string;
  /** Records per source in the simulated week; default {@linkcode DEMO_DATASET}.count. */
  readonly count?: number;
  /** Called with fetch progress. */
  readonly onProgress?: (source: Source, progress: FetchProgress) => void;
  /** Called with tables progress. */
  readonly onTablesProgress?: (source: Source, progress: TablesProgress) => void;
  /** Receives notes for the user. */
  readonly onNote?: (message: string) => void;
  /** Load the tables into `<dataDir>/lp-history.duckdb` at the end; default true. */
  readonly load?: boolean;
}

/** What the demo did for one source. */
export interface DemoSourceResult {
  readonly source: Source;
  readonly fetch: FetchSummary;
  readonly tables: TablesSummary;
}

/** Where the demo put its output and what it did. */
export interface DemoResult {
  readonly rawDir: string;
  readonly tablesDir: string;
  readonly sources: readonly DemoSourceResult[];
  /** The DuckDB file the tables were loaded into, and what the load did. */
  readonly database?: {
    readonly path: string;
    readonly load: LoadSummary;
    /** {@linkcode EXAMPLE_QUERY} and its rows. */
    readonly example: { readonly sql: string; readonly rows: Record<string, unknown>[] };
  };
}

/**
 * Starts the simulator on a free port, finds each source's host through its
 * Domain API as a real run would, fetches the demo week into
 * `<dataDir>/raw`, builds the tables (CSV and Parquet) into
 * `<dataDir>/tables/<source>`, loads them into `<dataDir>/lp-history.duckdb`
 * and runs {@linkcode EXAMPLE_QUERY} there.
 *
 * @param options output folder and dataset size
 * @returns the output folders and what each step did
 * @throws {UsageError} when `dataDir` holds files the demo did not write
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const dataDir = options.dataDir ?? "data/demo";
  checkDemoFolder(dataDir);
  await claimFolder(dataDir, "demo");
  const range = { from: DEMO_DATASET.from, to: DEMO_DATASET.to };
  const dataset = { ...range, count: options.count ?? DEMO_DATASET.count, seed: DEMO_DATASET.seed };
  const now = () => DEMO_DATASET.now;
  const simulator = await startSimulator({
    serve: SOURCES.map((source) => ({ api: source.simulated, dataset })),
    clock: now,
  });
  const rawDir = `${dataDir}/raw`;
  const tablesDir = `${dataDir}/tables`;
  try {
    const results: DemoSourceResult[] = [];
    for (const source of SOURCES) {
      const baseUrl = await resolveBaseUrl({
        accountId: DEMO_CREDENTIALS.accountId,
        serviceName: source.api.serviceName,
        domainApiUrl: simulator.url,
        scheme: "http",
      });
      const fetch = await fetchHistory({
        api: source.api,
        credentials: DEMO_CREDENTIALS,
        baseUrl,
        range,
        // As `deno task fetch` would, with its defaults.
        windowMs: DEFAULT_WINDOW_MS,
        concurrency: DEFAULT_CONCURRENCY,
        rawDir,
        now,
        onProgress: (progress) => options.onProgress?.(source, progress),
        onNote: options.onNote,
      });
      const tables = await buildTables({
        inDir: rawDir,
        outDir: tablesDir,
        source,
        otherSources: SOURCES.map((known) => known.name).filter((name) => name !== source.name),
        onProgress: (progress) => options.onTablesProgress?.(source, progress),
        onNote: options.onNote,
      });
      results.push({ source, fetch, tables });
    }
    if (options.load === false) return { rawDir, tablesDir, sources: results };
    return { rawDir, tablesDir, sources: results, database: await loadDemo(dataDir, tablesDir) };
  } finally {
    await simulator.close();
  }
}

async function loadDemo(dataDir: string, tablesDir: string): Promise<DemoResult["database"]> {
  const target = { kind: "duckdb", path: join(dataDir, DEMO_DATABASE_FILE) } as const;
  const load = await loadTables({ inDir: tablesDir, target });
  const db = await openDatabase(target);
  try {
    return {
      path: target.path,
      load,
      example: { sql: EXAMPLE_QUERY, rows: await db.query(EXAMPLE_QUERY) },
    };
  } finally {
    await db.close();
  }
}

/**
 * Makes sure `<dataDir>/tables` holds demo tables, running the demo when it
 * does not (or always, with `force`): what the notebooks read when there are
 * no tables of your own.
 *
 * @param options the demo's folder and size, and whether to run it again
 * @returns the absolute tables folder
 * @throws {Error} when the demo wrote no tables
 *
 * @example
 * ```ts ignore
 * import { ensureDemoTables } from "./demo.ts";
 *
 * const tables = await ensureDemoTables({ dataDir: await Deno.makeTempDir(), count: 100 });
 * console.log(tables);
 * ```
 */
export async function ensureDemoTables(
  options: DemoOptions & { readonly dataDir: string; readonly force?: boolean },
): Promise<string> {
  const dataDir = resolve(options.dataDir);
  const tablesDir = join(dataDir, "tables");
  if (!options.force && hasTables(tablesDir)) return tablesDir;
  await runDemo({ load: false, ...options, dataDir });
  if (!hasTables(tablesDir)) throw new Error(`The demo wrote no tables into ${tablesDir}`);
  return tablesDir;
}
