/**
 * Paging through one time window with offset and limit.
 *
 * @module
 */

import type { PageFetcher, SearchPage } from "./search_client.ts";
import type { TimeWindow } from "./windows.ts";

/** A page together with where it sits in its window. */
export interface WindowPage extends SearchPage {
  readonly window: TimeWindow;
  readonly offset: number;
  readonly limit: number;
}

/** Options of {@linkcode paginate}. */
export interface PaginateOptions {
  /** Page size; default 100 (the API's maximum). */
  readonly limit?: number;
  /** Offset to start from, for resuming; default 0. */
  readonly startOffset?: number;
  /** Extra attempts for a page flagged `partialResult`; default 3. */
  readonly partialRetries?: number;
  /** Called when a partial page is fetched again. */
  readonly onPartialRetry?: (page: WindowPage, retry: number) => void;
}

/**
 * Yields every page of a window in order. Stops when the offset reaches
 * `_metadata.count` (so a total that is a multiple of the page size costs no
 * extra request) or when a page comes back empty. A page flagged
 * `partialResult` is fetched again; if it stays partial it is yielded with
 * `partialResult: true` for the caller to report, never silently accepted.
 *
 * @param window the time window
 * @param fetchPage fetches one page
 * @param options page size, resume offset, partial-page retries
 * @returns an async iterator of pages
 *
 * @example
 * ```ts
 * import { paginate } from "./paging.ts";
 * import assert from "node:assert/strict";
 * const offsets: number[] = [];
 * const fetchPage = ({ offset }: { offset: number }) => {
 *   offsets.push(offset);
 *   const records = Math.min(100, 200 - offset);
 *   return Promise.resolve({
 *     body: new Uint8Array(), count: 200, records, partialResult: false, fetchedAt: new Date(),
 *   });
 * };
 * for await (const _ of paginate({ from: 0, to: 1 }, fetchPage)) { /* store it *\/ }
 * assert.deepEqual(offsets, [0, 100]);
 * ```
 */
export async function* paginate(
  window: TimeWindow,
  fetchPage: PageFetcher,
  options: PaginateOptions = {},
): AsyncGenerator<WindowPage> {
  const limit = options.limit ?? 100;
  const partialRetries = options.partialRetries ?? 3;
  let offset = options.startOffset ?? 0;
  while (true) {
    let page: WindowPage = {
      ...(await fetchPage({ window, offset, limit })),
      window,
      offset,
      limit,
    };
    for (let retry = 1; page.partialResult && retry <= partialRetries; retry++) {
      options.onPartialRetry?.(page, retry);
      page = { ...(await fetchPage({ window, offset, limit })), window, offset, limit };
    }
    if (page.records === 0 && offset > 0) return;
    yield page;
    offset += limit;
    if (page.records === 0 || offset >= page.count) return;
  }
}
