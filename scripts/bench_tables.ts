/**
 * How fast the tables step is next to merely reading and parsing the same
 * pages, and whether its memory stays flat as the input grows.
 *
 * For each size (10 000 and 100 000 simulated engagements by default) it
 * writes raw pages as a fetch would — one-day windows over 30 days, pages of
 * 100 by offset — into a temporary folder; then, in a fresh process so that
 * peak memory is that of one run, measures (1) reading and `JSON.parse`-ing
 * the same files and (2) the tables step (CSV and Parquet), and reports the
 * ratio of (2) to (1), and the peak RSS and how it grows from size to size.
 *
 * Run it with `deno run -A scripts/bench_tables.ts`; {@linkcode benchTables}
 * does the same for the combined benchmark (scripts/bench.ts).
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { runCli } from "../lib/cli/run.ts";
import { UsageError } from "../lib/errors.ts";
import { formatDuration } from "../lib/format.ts";
import { isEmptyAnswer } from "../lib/fetch/history_api.ts";
import { RawStore } from "../lib/fetch/raw_store.ts";
import { readStoreManifest, storedPages } from "../lib/fetch/store_layout.ts";
import type { TimeWindow } from "../lib/fetch/windows.ts";
import { startTimeAt } from "../lib/simulator/start_times.ts";
import { engagementAt } from "../lib/sources/engagement_history/simulator/dataset.ts";
import { conversationAt } from "../lib/sources/messaging/simulator/mod.ts";
import { type Source, sourceByName } from "../lib/sources/mod.ts";
import { buildTables, parseFormats, type TableFormat } from "../lib/tables/build.ts";

const HELP = `Usage: deno run -A scripts/bench_tables.ts [options]

Writes raw pages of simulated records for each size, as a fetch would, then
times the tables step against merely reading and JSON-parsing the same files,
and reports the ratio, rows per second and peak memory (RSS).

Options:
  --sizes <list>    record counts (default 10000,100000)
  --api NAME        engagement-history (default) or messaging-interactions
  --format <list>   formats the tables step writes (default csv,parquet)
  --keep            keep the temporary folder and print its path
  -h, --help        show this help

Example:
  deno run -A scripts/bench_tables.ts --sizes 10000
`;

const PAGE_SIZE = 100;
const DAY_MS = 86_400_000;
const DAYS = 30;
const JAN_1 = Date.UTC(2024, 0, 1);

/** One size's measurements. */
export interface TablesBenchResult {
  readonly source: string;
  readonly records: number;
  readonly pages: number;
  readonly rawBytes: number;
  readonly rows: number;
  /** Reading and `JSON.parse`-ing every page, in ms. */
  readonly readParseMs: number;
  /** The tables step (CSV and Parquet by default), in ms. */
  readonly tablesMs: number;
  /** Of which the Parquet phase (and joining the CSV parts), in ms (0 without Parquet). */
  readonly parquetMs: number;
  /** Peak RSS of the process that ran the tables step (VmHWM), in MB. */
  readonly peakRssMb: number;
  /** Records written out of start order (0 expected). */
  readonly recordsOutOfOrder: number;
}

/** Options of {@linkcode benchTables}. */
export interface BenchTablesOptions {
  /** Record counts; default 10 000 and 100 000. */
  readonly sizes?: readonly number[];
  /** The source; default Engagement History. */
  readonly source?: Source;
  /** Formats the tables step writes; default CSV and Parquet. */
  readonly formats?: readonly TableFormat[];
  /** Keep the temporary folder (its path goes to `onLog`). */
  readonly keep?: boolean;
  /** Receives a line as each step ends. */
  readonly onLog?: (line: string) => void;
}

function recordAt(source: Source, dataset: { count: number; from: number; to: number }) {
  return source.name === "messaging-interactions"
    ? (index: number) => conversationAt(dataset, index)
    : (index: number) => engagementAt(dataset, index);
}

/**
 * Writes a raw store as a settled fetch with one-day windows leaves it.
 *
 * @param rawDir the raw folder to create
 * @param source the source
 * @param count records over 30 days from 2024-01-01
 * @returns the pages written
 */
export async function writeSimulatedStore(
  rawDir: string,
  source: Source,
  count: number,
): Promise<number> {
  const dataset = { count, from: JAN_1, to: JAN_1 + DAYS * DAY_MS };
  const record = recordAt(source, dataset);
  const store = await RawStore.open(rawDir, source.api, { accountId: "bench", host: "bench" });
  const encoder = new TextEncoder();
  let index = 0;
  let pages = 0;
  const fetchedAt = new Date(dataset.to + DAY_MS);
  for (let day = 0; day < DAYS; day++) {
    const window: TimeWindow = {
      from: dataset.from + day * DAY_MS,
      to: dataset.from + (day + 1) * DAY_MS,
    };
    const first = index;
    while (index < count && startTimeAt(dataset, index) < window.to) index++;
    const windowCount = index - first;
    let offset = 0;
    do {
      const records = [];
      for (let at = first + offset; at < Math.min(index, first + offset + PAGE_SIZE); at++) {
        records.push(record(at));
      }
      const body = { _metadata: { count: windowCount }, [source.api.recordsField]: records };
      await store.writePage({
        window,
        generation: 1,
        offset,
        limit: PAGE_SIZE,
        count: windowCount,
        records: records.length,
        partialResult: false,
        short: false,
        body: encoder.encode(JSON.stringify(body)),
        fetchedAt,
      });
      pages++;
      offset += PAGE_SIZE;
    } while (offset < windowCount);
    await store.completeWindow({
      window,
      generation: 1,
      count: windowCount,
      pages: Math.max(1, Math.ceil(windowCount / PAGE_SIZE)),
      settled: true,
    });
  }
  return pages;
}

/** The V8 flags `deno task tables` runs with (deno.json), so that the bench measures the same. */
function tablesTaskV8Flags(): string[] {
  const config = JSON.parse(Deno.readTextFileSync(new URL("../deno.json", import.meta.url))) as {
    tasks?: Record<string, string>;
  };
  return config.tasks?.tables?.match(/--v8-flags=\S+/g) ?? [];
}

function peakRssMb(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match?.[1] ? Number(match[1]) / 1024 : Deno.memoryUsage().rss / 2 ** 20;
}

/** Runs in a fresh process: read + parse, then the tables step. */
async function measure(
  dir: string,
  source: Source,
  formats: readonly TableFormat[],
): Promise<TablesBenchResult> {
  const rawDir = `${dir}/raw`;
  const { api } = source;
  const manifest = await readStoreManifest(rawDir, api);
  const pages = storedPages(rawDir, api, manifest.entries);
  let rawBytes = 0;
  let records = 0;
  const readStart = performance.now();
  for (const page of pages) {
    const text = await Deno.readTextFile(page.path);
    rawBytes += text.length;
    if (isEmptyAnswer(api, text)) continue;
    const body = JSON.parse(text) as Record<string, unknown[]>;
    records += body[api.recordsField]!.length;
  }
  const readParseMs = performance.now() - readStart;

  let readEnded: number | undefined;
  const tablesStart = performance.now();
  const summary = await buildTables({
    inDir: rawDir,
    outDir: `${dir}/tables`,
    source,
    formats,
    onProgress: (progress) => {
      if (progress.phase === "read" && progress.pagesRead === progress.pagesTotal) {
        readEnded = performance.now();
      }
    },
  });
  const tablesEnd = performance.now();
  return {
    source: source.name,
    records,
    pages: pages.length,
    rawBytes,
    rows: Object.values(summary.rows).reduce((sum, rows) => sum + rows, 0),
    readParseMs,
    tablesMs: tablesEnd - tablesStart,
    parquetMs: readEnded === undefined || !formats.includes("parquet") ? 0 : tablesEnd - readEnded,
    peakRssMb: peakRssMb(),
    recordsOutOfOrder: summary.order.recordsOutOfOrder,
  };
}

/**
 * Generates each size's raw store and measures the tables step on it in a
 * fresh process.
 *
 * @param options sizes, source, formats, a log
 * @returns one result per size
 *
 * @example
 * ```ts
 * import { benchTables } from "./bench_tables.ts";
 * import assert from "node:assert/strict";
 * const [result] = await benchTables({ sizes: [300], formats: ["csv"] });
 * assert.equal(result!.records, 300);
 * assert.equal(result!.recordsOutOfOrder, 0);
 * assert.ok(result!.tablesMs > 0 && result!.readParseMs > 0);
 * ```
 */
export async function benchTables(options: BenchTablesOptions = {}): Promise<TablesBenchResult[]> {
  const sizes = options.sizes ?? [10_000, 100_000];
  const source = options.source ?? sourceByName("engagement-history");
  const formats = options.formats ?? ["csv", "parquet"];
  const root = await Deno.makeTempDir({ prefix: "lp_tables_bench_" });
  const results: TablesBenchResult[] = [];
  try {
    for (const size of sizes) {
      const dir = `${root}/${size}`;
      const started = performance.now();
      const pages = await writeSimulatedStore(`${dir}/raw`, source, size);
      options.onLog?.(
        `generated ${size} ${source.schema.recordNoun}s (${pages} pages) in ` +
          formatDuration(performance.now() - started),
      );
      const child = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          ...tablesTaskV8Flags(),
          "--config",
          new URL("../deno.json", import.meta.url).pathname,
          new URL(import.meta.url).pathname,
          "--child",
          dir,
          "--api",
          source.name,
          "--format",
          formats.join(","),
        ],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      if (!child.success) {
        throw new Error(`The measuring process for ${size} records failed (exit ${child.code})`);
      }
      results.push(JSON.parse(new TextDecoder().decode(child.stdout).trim()) as TablesBenchResult);
      if (!options.keep) await Deno.remove(dir, { recursive: true });
    }
  } finally {
    if (options.keep) options.onLog?.(`kept ${root}`);
    else await Deno.remove(root, { recursive: true }).catch(() => {});
  }
  return results;
}

/**
 * The lines that report the tables benchmark: per size, time against read +
 * parse and peak RSS; then how peak RSS grew from the smallest size.
 *
 * @param results what {@linkcode benchTables} measured
 * @returns the lines
 *
 * @example
 * ```ts
 * import { tablesBenchLines } from "./bench_tables.ts";
 * import assert from "node:assert/strict";
 * const result = {
 *   source: "engagement-history", records: 10, pages: 1, rawBytes: 2 ** 20, rows: 30,
 *   readParseMs: 100, tablesMs: 150, parquetMs: 50, peakRssMb: 200, recordsOutOfOrder: 0,
 * };
 * const lines = tablesBenchLines([result, { ...result, records: 100, peakRssMb: 220 }]);
 * assert.match(lines.join("\n"), /1\.5× read \+ JSON\.parse/);
 * assert.match(lines.at(-1)!, /1\.10×/);
 * ```
 */
export function tablesBenchLines(results: readonly TablesBenchResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const seconds = result.tablesMs / 1000;
    lines.push(
      `${result.records} records of ${result.source} (${result.pages} pages, ` +
        `${(result.rawBytes / 2 ** 20).toFixed(1)} MB raw) → ${result.rows} rows`,
      `  tables step:        ${seconds.toFixed(2)} s (Parquet phase ` +
        `${(result.parquetMs / 1000).toFixed(2)} s), ${Math.round(result.rows / seconds)} rows/s`,
      `  read + JSON.parse:  ${(result.readParseMs / 1000).toFixed(2)} s`,
      `  ratio:              ${(result.tablesMs / result.readParseMs).toFixed(1)}× read + ` +
        `JSON.parse (CSV files alone ${
          ((result.tablesMs - result.parquetMs) / result.readParseMs).toFixed(1)
        }×)`,
      `  peak RSS:           ${result.peakRssMb.toFixed(0)} MB`,
    );
    if (result.recordsOutOfOrder > 0) {
      lines.push(`  WARNING: ${result.recordsOutOfOrder} records written out of start order`);
    }
  }
  const [first, ...rest] = results;
  if (first !== undefined && rest.length > 0) {
    lines.push(
      `peak RSS relative to ${first.records} records: ` +
        rest.map((result) =>
          `${result.records} → ${(result.peakRssMb / first.peakRssMb).toFixed(2)}×`
        ).join(", "),
    );
  }
  return lines;
}

/**
 * Runs the benchmark and prints what it measured.
 *
 * @param args command-line arguments
 * @returns exit code
 */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    sizes: { type: "string", default: "10000,100000" },
    api: { type: "string", default: "engagement-history" },
    format: { type: "string", default: "csv,parquet" },
    keep: { type: "boolean", default: false },
    child: { type: "string" },
  }, { task: "bench" });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const formats = parseFormats(values.format);
  const source = sourceByName(values.api);
  if (values.child) {
    console.log(JSON.stringify(await measure(values.child, source, formats)));
    return 0;
  }
  const sizes = values.sizes.split(",").map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) {
    throw new UsageError(`Invalid --sizes "${values.sizes}": expected counts such as 10000,100000`);
  }
  const results = await benchTables({
    sizes,
    source,
    formats,
    keep: values.keep,
    onLog: (line) => console.error(line),
  });
  console.log(tablesBenchLines(results).join("\n"));
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
