/**
 * `deno task bench`: how fast the tables step is, and whether its memory stays
 * flat as the input grows.
 *
 * For each size (10 000 and 100 000 simulated engagements by default) it
 * writes raw pages into a temporary folder, then, in a fresh process so that
 * peak memory is that of one run, measures (1) merely reading and
 * `JSON.parse`-ing the same files and (2) the tables step (CSV and Parquet),
 * and prints rows per second, peak RSS and the ratio of (2) to (1).
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { importPages } from "../lib/fetch/import_pages.ts";
import { readStoreManifest, storedPages } from "../lib/fetch/store_layout.ts";
import { engagementAt } from "../lib/sources/engagement_history/simulator/dataset.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { runCli } from "../lib/cli/run.ts";
import { UsageError } from "../lib/errors.ts";
import { buildTables, parseFormats, type TableFormat } from "../lib/tables/build.ts";

const HELP = `Usage: deno task bench [--sizes 10000,100000] [--format csv,parquet] [--keep]

Generates raw Engagement History pages for each size with the simulator's
dataset, then times the tables step against merely reading and JSON-parsing
the same files, and reports rows per second and peak memory (RSS).

Options:
  --sizes <list>    engagement counts (default 10000,100000)
  --format <list>   formats the tables step writes (default csv,parquet)
  --keep            keep the temporary folder and print its path
  -h, --help        show this help

Example:
  deno task bench --sizes 10000
`;

const PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

/** One size's measurements. */
export interface BenchResult {
  readonly engagements: number;
  readonly pages: number;
  readonly rawBytes: number;
  readonly rows: number;
  readonly readParseMs: number;
  readonly tablesMs: number;
  readonly peakRssSampledMb: number;
  readonly peakRssMb: number;
}

function* simulatedPages(count: number): Generator<Uint8Array> {
  const dataset = { count, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 1) + 30 * DAY_MS };
  const encoder = new TextEncoder();
  for (let offset = 0; offset < count; offset += PAGE_SIZE) {
    const records = [];
    for (let index = offset; index < Math.min(count, offset + PAGE_SIZE); index++) {
      records.push(engagementAt(dataset, index));
    }
    const page = { _metadata: { count: records.length }, interactionHistoryRecords: records };
    yield encoder.encode(JSON.stringify(page));
  }
}

async function generate(rawDir: string, count: number): Promise<void> {
  await importPages(rawDir, ENGAGEMENT_HISTORY, simulatedPages(count));
}

function peakRssMb(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    if (match?.[1]) return Number(match[1]) / 1024;
  } catch {
    // Not Linux: fall back to the sampled figure.
  }
  return 0;
}

/** Runs in a fresh process: baseline read + parse, then the tables step. */
async function measure(
  rawDir: string,
  outDir: string,
  formats: TableFormat[],
): Promise<BenchResult> {
  const manifest = await readStoreManifest(rawDir, ENGAGEMENT_HISTORY);
  const pages = storedPages(rawDir, ENGAGEMENT_HISTORY, manifest.entries);
  let rawBytes = 0;
  let engagements = 0;
  const readStart = performance.now();
  for (const page of pages) {
    const text = await Deno.readTextFile(page.path);
    rawBytes += text.length;
    const body = JSON.parse(text) as { interactionHistoryRecords: unknown[] };
    engagements += body.interactionHistoryRecords.length;
  }
  const readParseMs = performance.now() - readStart;

  let peakSampled = Deno.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakSampled = Math.max(peakSampled, Deno.memoryUsage().rss);
  }, 20);
  const tablesStart = performance.now();
  const summary = await buildTables({
    inDir: rawDir,
    outDir,
    source: ENGAGEMENT_HISTORY_SOURCE,
    formats,
    onProgress: () => {
      peakSampled = Math.max(peakSampled, Deno.memoryUsage().rss);
    },
  });
  const tablesMs = performance.now() - tablesStart;
  clearInterval(sampler);
  peakSampled = Math.max(peakSampled, Deno.memoryUsage().rss);
  return {
    engagements,
    pages: pages.length,
    rawBytes,
    rows: Object.values(summary.rows).reduce((sum, rows) => sum + rows, 0),
    readParseMs,
    tablesMs,
    peakRssSampledMb: peakSampled / 2 ** 20,
    peakRssMb: Math.max(peakRssMb(), peakSampled / 2 ** 20),
  };
}

function report(result: BenchResult): string {
  const seconds = result.tablesMs / 1000;
  return [
    `${result.engagements} engagements (${result.pages} pages, ` +
    `${(result.rawBytes / 2 ** 20).toFixed(1)} MB raw) → ${result.rows} rows`,
    `  tables step:        ${seconds.toFixed(2)} s, ${Math.round(result.rows / seconds)} rows/s, ` +
    `${Math.round(result.engagements / seconds)} engagements/s`,
    `  read + JSON.parse:  ${(result.readParseMs / 1000).toFixed(2)} s`,
    `  ratio:              ${(result.tablesMs / result.readParseMs).toFixed(1)}× read + JSON.parse`,
    `  peak RSS:           ${result.peakRssMb.toFixed(0)} MB ` +
    `(sampled during the tables step: ${result.peakRssSampledMb.toFixed(0)} MB)`,
  ].join("\n");
}

/**
 * Runs the benchmark.
 *
 * @param args command-line arguments
 * @returns exit code
 */
export async function main(args: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(args, {
    sizes: { type: "string", default: "10000,100000" },
    format: { type: "string", default: "csv,parquet" },
    keep: { type: "boolean", default: false },
    child: { type: "string" },
  }, { task: "bench" });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const formats = parseFormats(values.format);
  if (values.child) {
    const result = await measure(`${values.child}/raw`, `${values.child}/tables`, formats);
    console.log(JSON.stringify(result));
    return 0;
  }
  const sizes = values.sizes.split(",").map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) {
    throw new UsageError(`Invalid --sizes "${values.sizes}": expected counts such as 10000,100000`);
  }
  const root = await Deno.makeTempDir({ prefix: "lp_tables_bench_" });
  try {
    for (const size of sizes) {
      const dir = `${root}/${size}`;
      const started = performance.now();
      await generate(`${dir}/raw`, size);
      console.error(
        `generated ${size} engagements in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const child = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL(import.meta.url).pathname,
          "--child",
          dir,
          "--format",
          formats.join(","),
        ],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      if (!child.success) {
        console.error(`error: the measuring process for ${size} engagements failed`);
        return 1;
      }
      const result = JSON.parse(new TextDecoder().decode(child.stdout).trim()) as BenchResult;
      console.log(report(result));
      await Deno.remove(`${dir}/tables`, { recursive: true });
      if (!values.keep) await Deno.remove(dir, { recursive: true });
    }
  } finally {
    if (values.keep) console.error(`kept ${root}`);
    else await Deno.remove(root, { recursive: true }).catch(() => {});
  }
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
