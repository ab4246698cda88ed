/**
 * The demo: the whole job run against the built-in simulator, with no keys.
 *
 * @module
 */

import { resolveBaseUrl } from "./domain.ts";
import { fetchHistory, type FetchProgress, type FetchSummary } from "./fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "./history_api.ts";
import { DEMO_CREDENTIALS, startSimulator } from "./simulator/server.ts";
import { buildTables, type TablesProgress, type TablesSummary } from "./tables/build.ts";
import { userDateRange } from "./time.ts";

/** The demo's dataset: a week of chats, small enough to run in seconds. */
export const DEMO_DATASET = {
  from: "2024-01-01",
  to: "2024-01-07",
  count: 1200,
  seed: 1,
} as const;

/** Options of {@linkcode runDemo}. */
export interface DemoOptions {
  /** Folder for `raw/` and `tables/`; default `data/demo`. */
  readonly dataDir?: string;
  /** Engagements in the simulated week; default {@linkcode DEMO_DATASET}.count. */
  readonly count?: number;
  /** Called with fetch progress. */
  readonly onProgress?: (progress: FetchProgress) => void;
  /** Called with tables progress. */
  readonly onTablesProgress?: (progress: TablesProgress) => void;
}

/** Where the demo put its output and what it did. */
export interface DemoResult {
  readonly rawDir: string;
  readonly tablesDir: string;
  readonly fetch: FetchSummary;
  readonly tables: TablesSummary;
}

/**
 * Starts the simulator on a free port, finds it through its Domain API as a
 * real run would, fetches the demo week into `<dataDir>/raw`, and builds the
 * tables (CSV and Parquet) into `<dataDir>/tables`.
 *
 * @param options output folder and dataset size
 * @returns the output folders and what each step did
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const dataDir = options.dataDir ?? "data/demo";
  const range = userDateRange(DEMO_DATASET.from, DEMO_DATASET.to);
  const simulator = await startSimulator({
    dataset: { ...range, count: options.count ?? DEMO_DATASET.count, seed: DEMO_DATASET.seed },
  });
  try {
    const baseUrl = await resolveBaseUrl({
      accountId: DEMO_CREDENTIALS.accountId,
      serviceName: ENGAGEMENT_HISTORY.serviceName,
      domainApiUrl: simulator.url,
      scheme: "http",
    });
    const rawDir = `${dataDir}/raw`;
    const tablesDir = `${dataDir}/tables`;
    const fetch = await fetchHistory({
      api: ENGAGEMENT_HISTORY,
      credentials: DEMO_CREDENTIALS,
      baseUrl,
      range,
      rawDir,
      onProgress: options.onProgress,
    });
    const tables = await buildTables({
      inDir: rawDir,
      outDir: tablesDir,
      onProgress: options.onTablesProgress,
    });
    return { rawDir, tablesDir, fetch, tables };
  } finally {
    await simulator.close();
  }
}
