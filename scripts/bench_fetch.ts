/**
 * How much faster concurrent, adaptive fetching is than one request after
 * another, measured against the simulator as LivePerson would answer: a
 * latency per request and a server-side cap on concurrent requests (429 with
 * Retry-After beyond it).
 *
 * The simulator runs in a worker, so that building its pages does not take
 * turns with the client on one core.
 *
 * For each scenario (calm, then a 429 storm) it fetches the same range twice
 * into fresh folders — the old behaviour (`--concurrency 1`, one-day windows)
 * and the defaults of `deno task fetch` — and prints both wall times, their
 * ratio, the requests and 429s each made, and checks that each stored every
 * record the simulator holds exactly once, with identical record bodies.
 *
 * Run it with `deno run -A scripts/bench_fetch.ts`; {@linkcode benchFetch}
 * does the same for a combined benchmark.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { asUsageError, UsageError } from "../lib/errors.ts";
import { formatDuration } from "../lib/format.ts";
import { DEFAULT_CONCURRENCY, fetchHistory } from "../lib/fetch/fetch_history.ts";
import { type HistoryApi, isEmptyAnswer } from "../lib/fetch/history_api.ts";
import { authorizationHeader } from "../lib/fetch/oauth.ts";
import { readStoreManifest, sha256Hex, storedPages } from "../lib/fetch/store_layout.ts";
import { searchUrl } from "../lib/fetch/search_client.ts";
import { DEFAULT_WINDOW_MS, parseDuration } from "../lib/fetch/windows.ts";
import { DEMO_CREDENTIALS } from "../lib/simulator/server.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { type Source, sourceByName, SOURCES } from "../lib/sources/mod.ts";
import { type SimulatorWorker, startSimulatorWorker } from "./bench_fetch_simulator.ts";

const HELP = `Usage: deno run -A scripts/bench_fetch.ts [options]

For each API, fetches the same simulated range with the old behaviour (one
request at a time, one-day windows) and with the defaults of deno task fetch,
against a simulator with latency and a cap on concurrent requests, calm and in
a 429 storm; prints wall times, their ratio, requests and 429s, and checks that no
record is lost or stored twice and that both runs stored identical records.

Options:
  --api NAME         one API: engagement-history or messaging-interactions (default both)
  --count N          records in the range (default 5000)
  --days N           days from 2024-01-01 (default 31)
  --latency-ms N     latency of every request (default 150)
  --cap N            concurrent requests the server allows, 429 beyond (default 8)
  --storm-rate P     share of requests answered 429 in the storm (default 0.2;
                     0 skips the storm)
  --concurrency N    concurrency of the measured run (default ${DEFAULT_CONCURRENCY}, as deno task fetch)
  --window LENGTH    window of the measured run (default 1w, as deno task fetch)
  -h, --help         show this help
`;

const DAY_MS = 86_400_000;
const JAN_1 = Date.UTC(2024, 0, 1);

/** Options of {@linkcode benchFetch}. */
export interface BenchFetchOptions {
  /** The API; default Engagement History. */
  readonly source?: Source;
  /** Records in the range; default 5000. */
  readonly count?: number;
  /** Days of the range from 2024-01-01; default 31. */
  readonly days?: number;
  /** Latency of every request, in ms; default 150. */
  readonly latencyMs?: number;
  /** Concurrent requests the simulator allows before it answers 429; default 8. */
  readonly cap?: number;
  /** Share of requests answered 429 in the storm scenario; default 0.2, 0 skips it. */
  readonly stormRate?: number;
  /** Whether to run the calm scenario; default true. */
  readonly calm?: boolean;
  /** Concurrency of the measured run; default {@linkcode DEFAULT_CONCURRENCY}. */
  readonly concurrency?: number;
  /** Window of the measured run, in ms; default {@linkcode DEFAULT_WINDOW_MS}. */
  readonly windowMs?: number;
  /** Receives a line as each run ends. */
  readonly onLog?: (line: string) => void;
}

/** One fetch of the range, and what it stored. */
export interface FetchRun {
  readonly concurrency: number;
  readonly windowMs: number;
  /** Wall time of the fetch, in ms. */
  readonly wallMs: number;
  /** Search requests the simulator received, 429s included. */
  readonly requests: number;
  /** Requests answered 429 (by the cap or by the storm). */
  readonly throttled: number;
  /** Of those, answered 429 by the cap on concurrent requests. */
  readonly overCap: number;
  /** Records stored, copies included. */
  readonly stored: number;
  /** Records the simulator holds that were not stored. */
  readonly lost: number;
  /** Copies stored beyond the first of a record. */
  readonly duplicated: number;
  /** Windows left incomplete. */
  readonly incomplete: number;
  /** Why the run failed, if it did (a request that could not succeed). */
  readonly error?: string;
  /** SHA-256 of each stored record's JSON, by its key. */
  readonly recordHashes: ReadonlyMap<string, string>;
}

/** The two runs of one scenario. */
export interface BenchScenario {
  readonly name: string;
  readonly baseline: FetchRun;
  readonly measured: FetchRun;
  /** Baseline wall time over the measured run's. */
  readonly speedup: number;
  /** Both runs stored the same records with the same bodies, none lost or doubled. */
  readonly identical: boolean;
}

/** What {@linkcode benchFetch} measured. */
export interface BenchFetchResult {
  readonly source: Source;
  readonly count: number;
  readonly days: number;
  readonly latencyMs: number;
  readonly cap: number;
  /**
   * Pages per second the simulator serves to `cap` bare requests at once (sent,
   * read, nothing else): the most any client could get from it on this machine.
   */
  readonly simulatorPagesPerSecond: number;
  readonly scenarios: readonly BenchScenario[];
}

/**
 * Pages per second the simulator serves to `parallel` loops of bare signed
 * requests, each sent as soon as the last answer was read.
 */
async function simulatorCeiling(
  api: HistoryApi,
  url: string,
  range: { from: number; to: number },
  requests: { total: number; parallel: number; pages: number },
): Promise<number> {
  let sent = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: requests.parallel }, async () => {
    while (sent < requests.total) {
      const offset = (sent++ % requests.pages) * 100;
      const path = api.searchPath(DEMO_CREDENTIALS.accountId);
      const pageUrl = searchUrl(url, path, { offset, limit: 100 }, api.searchQuery);
      const response = await fetch(pageUrl, {
        method: "POST",
        headers: {
          Authorization: authorizationHeader({ method: "POST", url: pageUrl }, DEMO_CREDENTIALS),
          "Content-Type": "application/json",
        },
        body: JSON.stringify(api.searchBody(range)),
      });
      await response.arrayBuffer();
    }
  }));
  return requests.total / ((performance.now() - started) / 1000);
}

/** The records a store holds, each as the SHA-256 of its JSON, and how many copies in all. */
async function storedRecords(
  api: HistoryApi,
  rawDir: string,
): Promise<{ hashes: Map<string, string>; copies: number }> {
  const manifest = await readStoreManifest(rawDir, api);
  const hashes = new Map<string, string>();
  let copies = 0;
  const encoder = new TextEncoder();
  for (const page of storedPages(rawDir, api, manifest.entries)) {
    const text = await Deno.readTextFile(page.path);
    if (isEmptyAnswer(api, text)) continue;
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const record of body[api.recordsField] as unknown[]) {
      const id = api.recordState(record)?.id ?? "";
      copies++;
      hashes.set(id, sha256Hex(encoder.encode(JSON.stringify(record))));
    }
  }
  return { hashes, copies };
}

async function fetchOnce(
  api: HistoryApi,
  simulator: SimulatorWorker,
  expected: ReadonlySet<string>,
  run: { range: { from: number; to: number }; concurrency: number; windowMs: number },
): Promise<FetchRun> {
  const rawDir = await Deno.makeTempDir({ prefix: "lp_fetch_bench_" });
  const before = (await simulator.searches(Number.MAX_SAFE_INTEGER)).length;
  try {
    const started = performance.now();
    let incomplete = 0;
    let error: string | undefined;
    try {
      const summary = await fetchHistory({
        api,
        credentials: DEMO_CREDENTIALS,
        baseUrl: simulator.url,
        range: run.range,
        windowMs: run.windowMs,
        concurrency: run.concurrency,
        rawDir,
      });
      incomplete = summary.incomplete.length;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const wallMs = performance.now() - started;
    const { searches } = await simulator.searches(before);
    const { hashes, copies } = await storedRecords(api, rawDir);
    return {
      concurrency: run.concurrency,
      windowMs: run.windowMs,
      wallMs,
      requests: searches.length,
      throttled: searches.filter((search) => search.status === 429).length,
      overCap: searches.filter((search) => search.overCap).length,
      stored: copies,
      lost: [...expected].filter((id) => !hashes.has(id)).length,
      duplicated: copies - hashes.size,
      incomplete,
      ...(error === undefined ? {} : { error }),
      recordHashes: hashes,
    };
  } finally {
    await Deno.remove(rawDir, { recursive: true });
  }
}

function sameRecords(a: FetchRun, b: FetchRun): boolean {
  if (a.recordHashes.size !== b.recordHashes.size) return false;
  for (const [id, hash] of a.recordHashes) if (b.recordHashes.get(id) !== hash) return false;
  return true;
}

function windowName(ms: number): string {
  return ms % (7 * DAY_MS) === 0
    ? `${ms / (7 * DAY_MS)}w`
    : ms % DAY_MS === 0
    ? `${ms / DAY_MS}d`
    : `${ms / 60_000}m`;
}

/**
 * One line that describes a run: settings, wall time, requests, 429s, records.
 *
 * @param label what the run is
 * @param run the run
 * @returns the line
 *
 * @example
 * ```ts
 * import { describeRun } from "./bench_fetch.ts";
 * import assert from "node:assert/strict";
 * const line = describeRun("baseline", {
 *   concurrency: 1, windowMs: 86_400_000, wallMs: 13_400, requests: 62, throttled: 0,
 *   overCap: 0, stored: 5000, lost: 0, duplicated: 0, incomplete: 0, recordHashes: new Map(),
 * });
 * assert.match(line, /^baseline +concurrency 1, 1d windows +13\.40 s +62 requests/);
 * ```
 */
export function describeRun(label: string, run: FetchRun): string {
  const settings = `concurrency ${run.concurrency}, ${windowName(run.windowMs)} windows`;
  const failed = run.error ? ` FAILED: ${run.error}` : "";
  return `${label.padEnd(9)} ${settings.padEnd(27)} ${
    (run.wallMs / 1000).toFixed(2).padStart(6)
  } s ` +
    `${String(run.requests).padStart(4)} requests ${String(run.throttled).padStart(4)} × 429 ` +
    `(${run.overCap} over the cap)  ${run.stored} records stored, ${run.lost} lost, ` +
    `${run.duplicated} duplicated, ${run.incomplete} windows incomplete${failed}`;
}

/**
 * Measures the old behaviour against the defaults (or the given settings),
 * calm and in a 429 storm, on one simulator.
 *
 * @param options dataset, server behaviour, the measured run's settings, a log
 * @returns each scenario's two runs, speed-up and whether their records are identical
 *
 * @example
 * ```ts
 * import { benchFetch } from "./bench_fetch.ts";
 * import assert from "node:assert/strict";
 * const result = await benchFetch({ count: 300, days: 2, latencyMs: 0, stormRate: 0 });
 * assert.equal(result.source.name, "engagement-history");
 * assert.equal(result.scenarios.length, 1);
 * assert.equal(result.scenarios[0]!.identical, true);
 * ```
 */
export async function benchFetch(options: BenchFetchOptions = {}): Promise<BenchFetchResult> {
  const count = options.count ?? 5000;
  const days = options.days ?? 31;
  const latencyMs = options.latencyMs ?? 150;
  const cap = options.cap ?? 8;
  const stormRate = options.stormRate ?? 0.2;
  const source = options.source ?? ENGAGEMENT_HISTORY_SOURCE;
  const { api } = source;
  const range = { from: JAN_1, to: JAN_1 + days * DAY_MS };
  // Paging is what is measured: no records that are fetched again by key.
  const simulator = await startSimulatorWorker(source.name, {
    ...range,
    count,
    seed: 5,
    partialRate: 0,
    lateRate: 0,
    stuckOpenRate: 0,
  });
  const settingsOf = [
    ["baseline", { concurrency: 1, windowMs: DAY_MS }],
    [
      "measured",
      {
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        windowMs: options.windowMs ?? DEFAULT_WINDOW_MS,
      },
    ],
  ] as const;
  try {
    const expected = new Set(simulator.ids);
    const scenarios: BenchScenario[] = [];
    // Every page of both runs asked once before anything is timed, so that both are
    // answered from the simulator's memory alike.
    await simulator.setFaults({});
    for (const [, settings] of settingsOf) {
      await fetchOnce(api, simulator, expected, { range, ...settings, concurrency: 8 });
    }
    const calm = { latencyMs, maxConcurrent: cap };
    await simulator.setFaults(calm);
    const pages = Math.max(1, Math.ceil(count / 100));
    const ceiling = { total: Math.max(cap, pages), parallel: cap, pages };
    await simulatorCeiling(api, simulator.url, range, ceiling);
    const simulatorPagesPerSecond = await simulatorCeiling(api, simulator.url, range, ceiling);
    options.onLog?.(
      `the simulator serves ${simulatorPagesPerSecond.toFixed(1)} pages/s to ${cap} bare ` +
        `requests at once`,
    );
    const storms = stormRate > 0
      ? [{ name: `429 storm (${Math.round(stormRate * 100)}% answered 429)`, rate429: stormRate }]
      : [];
    const calmScenario = options.calm === false ? [] : [{ name: "calm", rate429: 0 }];
    for (const scenario of [...calmScenario, ...storms]) {
      const runs: FetchRun[] = [];
      for (const [label, settings] of settingsOf) {
        // The same fault stream for both runs.
        await simulator.setFaults({ ...calm, rate429: scenario.rate429, seed: 3 });
        const run = await fetchOnce(api, simulator, expected, { range, ...settings });
        options.onLog?.(`${scenario.name}: ${describeRun(label, run)}`);
        runs.push(run);
      }
      const [baseline, measured] = runs as [FetchRun, FetchRun];
      const clean = (run: FetchRun) =>
        run.error === undefined && run.lost === 0 && run.duplicated === 0 && run.incomplete === 0;
      scenarios.push({
        name: scenario.name,
        baseline,
        measured,
        speedup: baseline.wallMs / measured.wallMs,
        identical: clean(baseline) && clean(measured) && sameRecords(baseline, measured),
      });
    }
    return { source, count, days, latencyMs, cap, simulatorPagesPerSecond, scenarios };
  } finally {
    await simulator.close();
  }
}

function positive(name: string, text: string | undefined, integer = true): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !(value >= 0) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`Invalid --${name} "${text}": expected a number of 0 or more`);
  }
  return value;
}

/**
 * The lines that report one API's fetch benchmark: the setting, each
 * scenario's two runs, the speed-up, and whether the records are identical.
 *
 * @param result what {@linkcode benchFetch} measured
 * @returns the lines
 */
export function fetchBenchLines(result: BenchFetchResult): string[] {
  const lines = [
    `${result.source.title}: ${result.count} ${result.source.schema.recordNoun}s over ` +
    `${result.days} days; simulator with ${result.latencyMs} ms latency and a cap of ` +
    `${result.cap} concurrent requests (429 beyond); it serves ` +
    `${result.simulatorPagesPerSecond.toFixed(0)} pages/s to ${result.cap} bare requests at once`,
  ];
  for (const scenario of result.scenarios) {
    lines.push(
      `  ${scenario.name}`,
      `    ${describeRun("baseline", scenario.baseline)}`,
      `    ${describeRun("default", scenario.measured)}`,
      `    → ${scenario.speedup.toFixed(1)}× faster; raw records ` +
        (scenario.identical
          ? `identical (${scenario.measured.recordHashes.size} records, none lost or duplicated)`
          : "NOT identical"),
    );
  }
  return lines;
}

/**
 * Runs the benchmark for each API and prints what it measured.
 *
 * @param args command-line arguments
 * @returns exit code: 0 when every run stored every record once and identically
 */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    api: { type: "string" },
    count: { type: "string" },
    days: { type: "string" },
    "latency-ms": { type: "string" },
    cap: { type: "string" },
    "storm-rate": { type: "string" },
    concurrency: { type: "string" },
    window: { type: "string" },
  }, { task: "bench" });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const options: BenchFetchOptions = asUsageError(() => ({
    count: positive("count", values.count),
    days: positive("days", values.days),
    latencyMs: positive("latency-ms", values["latency-ms"]),
    cap: positive("cap", values.cap),
    stormRate: positive("storm-rate", values["storm-rate"], false),
    concurrency: positive("concurrency", values.concurrency),
    windowMs: values.window === undefined ? undefined : parseDuration(values.window, "--window"),
  }));
  const sources = values.api === undefined ? SOURCES : [sourceByName(values.api)];
  const started = performance.now();
  let allIdentical = true;
  for (const source of sources) {
    const result = await benchFetch({ ...options, source, onLog: (line) => console.error(line) });
    console.log(fetchBenchLines(result).join("\n"));
    allIdentical &&= result.scenarios.every((scenario) => scenario.identical);
  }
  console.log(`\nbench took ${formatDuration(performance.now() - started)}`);
  return allIdentical ? 0 : 1;
}

if (import.meta.main) await runCli(() => main(Deno.args));
