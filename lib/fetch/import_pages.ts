/**
 * Storing response bodies obtained another way (test fixtures, benchmarks) as
 * if a fetch had stored them.
 *
 * @module
 */

import type { HistoryApi } from "./history_api.ts";
import { RawStore } from "./raw_store.ts";
import { readPageFacts } from "./search_client.ts";
import { listedPages } from "./store_layout.ts";

/** Options of {@linkcode importPages}. */
export interface ImportPagesOptions {
  /** Account the store is bound to; default `imported`. */
  readonly accountId?: string;
  /** When the first body arrived; each next one a millisecond later (newer copies win). */
  readonly fetchedAt?: Date;
}

/**
 * Stores response bodies obtained another way (test fixtures, benchmarks) as
 * complete, settled windows of ten minutes from the epoch, one page each,
 * after the store's existing pages, in the order given: a later body counts
 * as fetched later.
 *
 * @param rawDir the raw directory
 * @param api the API the bodies belong to
 * @param bodies search response bodies (an iterable, so large imports stream)
 * @param options account and arrival time
 *
 * @example
 * ```ts
 * import { importPages } from "./import_pages.ts";
 * import { readStoreManifest } from "./store_layout.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const api = { name: "engagement-history", recordsField: "records", recordState: () => undefined };
 * await importPages(dir, api, [new TextEncoder().encode('{"_metadata":{"count":0},"records":[]}')]);
 * const kinds = (await readStoreManifest(dir, api)).entries.map((entry) => entry.kind);
 * assert.deepEqual(kinds, ["store", "page", "window"]);
 * ```
 */
export async function importPages(
  rawDir: string,
  api: Pick<HistoryApi, "name" | "recordsField" | "recordState" | "emptyBodyIsEmptyPage">,
  bodies: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: ImportPagesOptions = {},
): Promise<void> {
  const store = await RawStore.open(rawDir, api, {
    accountId: options.accountId ?? "imported",
    host: "import",
  });
  const start = (options.fetchedAt ?? new Date()).getTime();
  const step = 10 * 60 * 1000;
  let index = listedPages(store.manifest.entries).size - 1;
  for await (const body of bodies) {
    index++;
    const window = { from: index * step, to: (index + 1) * step };
    const facts = readPageFacts(body, api);
    await store.writePage({
      window,
      generation: 1,
      offset: 0,
      limit: Math.max(100, facts.records),
      count: facts.records,
      records: facts.records,
      partialResult: false,
      short: false,
      body,
      fetchedAt: new Date(start + index * 1000),
    });
    await store.completeWindow({
      window,
      generation: 1,
      count: facts.records,
      pages: 1,
      settled: true,
    });
  }
}
