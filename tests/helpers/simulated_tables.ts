/**
 * Tables of a simulated dataset for every source, built without HTTP: the
 * simulator's final records go into raw pages (as a fetch would store them)
 * and the tables step turns them into tables, as `deno task tables` does.
 */

import { join } from "node:path";
import { importPages } from "../../lib/fetch/import_pages.ts";
import type { DatasetOptions } from "../../lib/simulator/dataset_options.ts";
import { SOURCES } from "../../lib/sources/mod.ts";
import { buildTables } from "../../lib/tables/build.ts";

const PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

/** A 31-day month of at least 20 000 engagements (and as many conversations). */
export const SIMULATED_MONTH: DatasetOptions = Object.freeze({
  count: 20_000,
  from: Date.UTC(2024, 2, 1),
  to: Date.UTC(2024, 2, 1) + 31 * DAY_MS,
  seed: 11,
});

function* pagesOf(records: readonly unknown[], recordsField: string): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  for (let offset = 0; offset < records.length; offset += PAGE_SIZE) {
    const page = records.slice(offset, offset + PAGE_SIZE);
    yield encoder.encode(
      JSON.stringify({ _metadata: { count: page.length }, [recordsField]: page }),
    );
  }
}

/**
 * Writes `<dir>/raw` and `<dir>/tables/<source>` for every registered source
 * from the simulator's records of `dataset`.
 *
 * @param dir a new folder
 * @param dataset the simulated dataset
 * @returns the tables folder
 */
export async function buildSimulatedTables(dir: string, dataset: DatasetOptions): Promise<string> {
  const rawDir = join(dir, "raw");
  const tablesDir = join(dir, "tables");
  for (const source of SOURCES) {
    const records = source.simulated.records(dataset, dataset.from, dataset.to);
    await importPages(rawDir, source.api, pagesOf(records, source.api.recordsField));
    await buildTables({
      inDir: rawDir,
      outDir: tablesDir,
      source,
      otherSources: SOURCES.map((known) => known.name).filter((name) => name !== source.name),
    });
  }
  return tablesDir;
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (!dir) throw new Error("usage: simulated_tables.ts DIR [COUNT]");
  const count = Number(Deno.args[1] ?? SIMULATED_MONTH.count);
  const started = performance.now();
  console.log(await buildSimulatedTables(dir, { ...SIMULATED_MONTH, count }));
  console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
}
