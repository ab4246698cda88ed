/**
 * A simulator on 127.0.0.1 over the first days of January 2024, and fetch
 * options pointing at it, for tests.
 */

import type { Credentials } from "../../lib/fetch/credentials.ts";
import type { FetchHistoryOptions } from "../../lib/fetch/fetch_history.ts";
import { type HistoryApi, isEmptyAnswer } from "../../lib/fetch/history_api.ts";
import { ENGAGEMENT_HISTORY } from "../../lib/sources/engagement_history/api.ts";
import type { Source } from "../../lib/sources/source.ts";
import { readStoreManifest, storedPages } from "../../lib/fetch/store_layout.ts";
import type { DatasetOptions } from "../../lib/simulator/dataset_options.ts";
import { ENGAGEMENT_HISTORY_SIMULATED } from "../../lib/sources/engagement_history/simulator/mod.ts";
import type { FaultOptions } from "../../lib/simulator/faults.ts";
import { DEMO_CREDENTIALS, type Simulator, startSimulator } from "../../lib/simulator/server.ts";

export const DAY = 86_400_000;
export const JAN_1 = Date.UTC(2024, 0, 1);

/** What {@linkcode withSimulator} serves. */
export interface SimulatorFixture {
  /** The API served; default Engagement History. */
  readonly source?: Source;
  readonly count: number;
  readonly days: number;
  readonly faults?: FaultOptions;
  readonly credentials?: Credentials;
  readonly keepBodies?: number;
  readonly seed?: number;
  /**
   * Shares of partial, late and never-ending records; default none, so that a
   * test counts exactly the requests of its own concern (freshness tests set
   * them); and the account's time zone, which places its busy hours.
   */
  readonly rates?: Pick<
    DatasetOptions,
    "partialRate" | "lateRate" | "stuckOpenRate" | "timeZone"
  >;
  /** The simulator's clock; default the real time. */
  readonly clock?: () => number;
  /** Called when a request arrives. */
  readonly onRequest?: () => void;
}

/** Runs `fn` with a simulator and an empty temporary raw folder; cleans both up. */
export async function withSimulator(
  options: SimulatorFixture,
  fn: (simulator: Simulator, rawDir: string) => Promise<void>,
): Promise<void> {
  const simulator = await startSimulator({
    serve: [{
      api: options.source?.simulated ?? ENGAGEMENT_HISTORY_SIMULATED,
      dataset: {
        count: options.count,
        from: JAN_1,
        to: JAN_1 + options.days * DAY,
        seed: options.seed ?? 7,
        partialRate: 0,
        lateRate: 0,
        stuckOpenRate: 0,
        ...options.rates,
      },
    }],
    clock: options.clock,
    onRequest: options.onRequest,
    credentials: options.credentials,
    faults: options.faults,
    keepBodies: options.keepBodies,
  });
  const rawDir = await Deno.makeTempDir({ prefix: "lp-fetch-test-" });
  try {
    await fn(simulator, rawDir);
  } finally {
    await simulator.close();
    await Deno.remove(rawDir, { recursive: true });
  }
}

/** Options of a fetch from the simulator over the first `days` days of January 2024. */
export function fetchOptions(
  simulator: Simulator,
  rawDir: string,
  days: number,
  extra: Partial<FetchHistoryOptions> = {},
): FetchHistoryOptions {
  return {
    api: ENGAGEMENT_HISTORY,
    credentials: DEMO_CREDENTIALS,
    baseUrl: simulator.url,
    range: { from: JAN_1, to: JAN_1 + days * DAY },
    rawDir,
    ...extra,
  };
}

/** The engagementId of a record. */
export function recordId(record: unknown): string {
  return (record as { info: { engagementId: string } }).info.engagementId;
}

/** Every record key in the raw store, duplicates included. */
export async function storedIds(
  rawDir: string,
  api: HistoryApi = ENGAGEMENT_HISTORY,
): Promise<string[]> {
  const ids: string[] = [];
  const manifest = await readStoreManifest(rawDir, api);
  for (const page of storedPages(rawDir, api, manifest.entries)) {
    const text = await Deno.readTextFile(page.path);
    if (isEmptyAnswer(api, text)) continue;
    const records = JSON.parse(text)[api.recordsField] as unknown[];
    ids.push(...records.map((record) => api.recordState(record)!.id));
  }
  return ids;
}

/** The environment variables that carry a key. */
export function credentialEnv(credentials: Credentials): Record<string, string> {
  return {
    LP_ACCOUNT_ID: credentials.accountId,
    LP_CONSUMER_KEY: credentials.consumerKey,
    LP_CONSUMER_SECRET: credentials.consumerSecret,
    LP_ACCESS_TOKEN: credentials.accessToken,
    LP_ACCESS_TOKEN_SECRET: credentials.accessTokenSecret,
  };
}
