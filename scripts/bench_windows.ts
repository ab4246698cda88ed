/**
 * How many requests a window length costs: for a backfill of a month, and for
 * each night of a month of `--since-last` runs — the measurements behind the
 * default `--window` (see the README's fetch section).
 *
 * Requests are counted, not timed, against a simulator on a clock the script
 * moves: a 31-day backfill of January 2024 run on 1 February at 03:15, then a
 * `--since-last` run at 03:15 on each following night, with the default settle
 * lag and lookback, and records that appear up to 2.5 hours late as they do
 * in LivePerson.
 *
 * Run it with `deno run -A scripts/bench_windows.ts [--volumes 1000,5000]
 * [--windows 1d,1w] [--nights 28]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { runCli } from "../lib/cli/run.ts";
import { asUsageError, UsageError } from "../lib/errors.ts";
import { sinceLastRange } from "../lib/fetch/cursor.ts";
import { DEFAULT_SETTLE_MS, fetchHistory } from "../lib/fetch/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { readStoreManifest } from "../lib/fetch/store_layout.ts";
import { parseDuration } from "../lib/fetch/windows.ts";
import { DEMO_CREDENTIALS, startSimulator } from "../lib/simulator/server.ts";
import { ENGAGEMENT_HISTORY_SIMULATED } from "../lib/sources/engagement_history/simulator/mod.ts";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const JAN_1 = Date.UTC(2024, 0, 1);
const FEB_1 = Date.UTC(2024, 1, 1);
/** The nightly runs' time of day, as in the README's cron example. */
const NIGHTLY_AT_MS = 3 * HOUR_MS + 15 * 60_000;

/** Options of {@linkcode benchWindows}. */
export interface BenchWindowsOptions {
  /** Chats a month; default 1000, 5000 and 20 000. */
  readonly volumes?: readonly number[];
  /** Window lengths in ms; default a day and a week. */
  readonly windows?: readonly number[];
  /** Nightly runs after the backfill; default 28. */
  readonly nights?: number;
  /** Receives each result as it is measured. */
  readonly onResult?: (result: WindowCost) => void;
}

/** What one window length cost at one volume. */
export interface WindowCost {
  readonly perMonth: number;
  readonly windowMs: number;
  /** Search requests of the 31-day backfill. */
  readonly backfill: number;
  /** Fewest requests that could fetch the month: one per 100 records. */
  readonly fewest: number;
  /** Search requests per nightly run, on average (requests by key not counted). */
  readonly nightly: number;
}

/**
 * Measures the requests each window length costs at each volume.
 *
 * @param options volumes, window lengths, nights
 * @returns one result per volume and window length
 *
 * @example
 * ```ts
 * import { benchWindows } from "./bench_windows.ts";
 * import assert from "node:assert/strict";
 * const [day, week] = await benchWindows({ volumes: [300], nights: 1 });
 * assert.ok(week!.backfill <= day!.backfill);
 * ```
 */
export async function benchWindows(options: BenchWindowsOptions = {}): Promise<WindowCost[]> {
  const volumes = options.volumes ?? [1000, 5000, 20_000];
  const windows = options.windows ?? [DAY_MS, 7 * DAY_MS];
  const nights = options.nights ?? 28;
  const results: WindowCost[] = [];
  for (const perMonth of volumes) {
    let clock = FEB_1 + NIGHTLY_AT_MS;
    const days = 31 + nights + 1;
    const simulator = await startSimulator({
      serve: [{
        api: ENGAGEMENT_HISTORY_SIMULATED,
        dataset: {
          count: Math.round((perMonth * days) / 31),
          from: JAN_1,
          to: JAN_1 + days * DAY_MS,
          seed: 5,
          partialRate: 0,
          stuckOpenRate: 0,
        },
      }],
      clock: () => clock,
    });
    try {
      for (const windowMs of windows) {
        const rawDir = await Deno.makeTempDir({ prefix: "lp_windows_bench_" });
        try {
          clock = FEB_1 + NIGHTLY_AT_MS;
          const base = {
            api: ENGAGEMENT_HISTORY,
            credentials: DEMO_CREDENTIALS,
            baseUrl: simulator.url,
            rawDir,
            windowMs,
            now: () => clock,
          };
          const pages = () => simulator.searches.filter((search) => search.id === undefined).length;
          let before = pages();
          await fetchHistory({ ...base, range: { from: JAN_1, to: FEB_1 } });
          const backfill = pages() - before;
          before = pages();
          for (let night = 1; night <= nights; night++) {
            clock = FEB_1 + night * DAY_MS + NIGHTLY_AT_MS;
            const entries = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
            const plan = sinceLastRange(entries, {
              lookbackMs: 2 * HOUR_MS,
              to: clock,
              where: rawDir,
            });
            await fetchHistory({ ...base, ...plan, settleMs: DEFAULT_SETTLE_MS });
          }
          const result = {
            perMonth,
            windowMs,
            backfill,
            fewest: Math.ceil(simulator.recordsIn(JAN_1, FEB_1).length / 100),
            nightly: (pages() - before) / nights,
          };
          options.onResult?.(result);
          results.push(result);
        } finally {
          await Deno.remove(rawDir, { recursive: true });
        }
      }
    } finally {
      await simulator.close();
    }
  }
  return results;
}

function lengthName(ms: number): string {
  if (ms % (7 * DAY_MS) === 0) return `${ms / (7 * DAY_MS)}w`;
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  return ms % HOUR_MS === 0 ? `${ms / HOUR_MS}h` : `${ms / 60_000}m`;
}

/**
 * Runs the measurement and prints a table.
 *
 * @param args command-line arguments
 * @returns exit code
 */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = asUsageError(() =>
    parseArgs({
      args: [...args],
      options: {
        volumes: { type: "string", default: "1000,5000,20000" },
        windows: { type: "string", default: "1d,1w" },
        nights: { type: "string", default: "28" },
      },
      strict: true,
      allowPositionals: false,
    })
  );
  const volumes = values.volumes.split(",").map(Number);
  const nights = Number(values.nights);
  if (volumes.some((volume) => !Number.isInteger(volume) || volume < 1)) {
    throw new UsageError(
      `Invalid --volumes "${values.volumes}": expected counts such as 1000,5000`,
    );
  }
  if (!Number.isInteger(nights) || nights < 1) {
    throw new UsageError(`Invalid --nights "${values.nights}": expected a whole number, e.g. 28`);
  }
  const windows = asUsageError(() =>
    values.windows.split(",").map((text) => parseDuration(text, "--windows"))
  );
  console.log("chats/month  window  backfill requests (fewest)  requests per night");
  await benchWindows({
    volumes,
    windows,
    nights,
    onResult: (result) => {
      const window = lengthName(result.windowMs);
      const backfill = `${result.backfill} (${result.fewest})`;
      console.log(
        `${String(result.perMonth).padStart(11)}  ${window.padStart(6)}  ${
          backfill.padStart(26)
        }  ` +
          result.nightly.toFixed(1).padStart(18),
      );
    },
  });
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
