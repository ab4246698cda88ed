/**
 * What the crash and freshness tests compare: the pages a raw store holds
 * soundly, and a tables folder's CSV lines regardless of their order.
 */

import { apiFolder, readStoreManifest } from "../../lib/fetch/store_layout.ts";
import { verifyStore } from "../../lib/fetch/verify.ts";
import { windowStates } from "../../lib/fetch/window_state.ts";
import { ENGAGEMENT_HISTORY } from "../../lib/sources/engagement_history/api.ts";

/** Engagement History pages stored and sound, as `${window.from}:${offset}`. */
export async function savedPages(rawDir: string): Promise<Set<string>> {
  const entries = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
  const problems = await verifyStore(apiFolder(rawDir, ENGAGEMENT_HISTORY), entries);
  const saved = new Set<string>();
  for (const state of windowStates(entries, problems).values()) {
    for (const offset of state.goodOffsets) saved.add(`${state.window.from}:${offset}`);
  }
  return saved;
}

/** Each Engagement History CSV of a tables folder, as its sorted lines, by file name. */
export async function sortedCsvLines(tablesDir: string): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for await (const entry of Deno.readDir(`${tablesDir}/engagement-history`)) {
    if (!entry.name.endsWith(".csv")) continue;
    const text = await Deno.readTextFile(`${tablesDir}/engagement-history/${entry.name}`);
    tables[entry.name] = text.split("\n").sort();
  }
  return tables;
}
