/**
 * Downloading every record of a time range: windows, paging, retries, resume.
 *
 * Each window is paged to the end and its pages stored byte-exact; a window is
 * marked complete in the manifest only when all its pages are in, so a run
 * that stops for any reason resumes with the first incomplete window.
 *
 * @module
 */

import type { Credentials } from "./credentials.ts";
import type { HistoryApi } from "./history_api.ts";
import type { HttpEffects, RetryPolicy } from "./http.ts";
import { formatDuration } from "./cli.ts";
import { paginate } from "./paging.ts";
import {
  completedWindowNames,
  markWindowComplete,
  readManifest,
  windowFolderName,
  writePage,
} from "./raw_store.ts";
import { type PageFetcher, searchPageFetcher } from "./search_client.ts";
import { splitIntoWindows, type TimeWindow } from "./windows.ts";

/** Where a fetch stands, reported after every page. */
export interface FetchProgress {
  /** Windows in the range. */
  readonly windows: number;
  /** Windows finished, skipped ones included. */
  readonly windowsDone: number;
  /** Windows skipped because an earlier run completed them. */
  readonly windowsSkipped: number;
  /** Records stored in this run. */
  readonly records: number;
  /** Records known to exist so far: the sum of `_metadata.count` of windows seen. */
  readonly recordsKnown: number;
  /** Pages stored in this run. */
  readonly pages: number;
  /** HTTP retries made (429, 5xx, timeouts, dropped connections). */
  readonly retries: number;
  /** Pages still flagged partial after their retries. */
  readonly partialPages: number;
  /** Time since the fetch started, in ms. */
  readonly elapsedMs: number;
}

/** Options of {@linkcode fetchHistory}. */
export interface FetchHistoryOptions {
  readonly api: HistoryApi;
  readonly credentials: Credentials;
  /** Scheme and host of the API. */
  readonly baseUrl: string;
  /** The range to fetch, half-open, epoch ms. */
  readonly range: TimeWindow;
  /** Longest window per request sequence; default one day. */
  readonly windowMs?: number;
  /** The raw directory (`data/raw`). */
  readonly rawDir: string;
  /** Retry policy and effects for every request. */
  readonly http?: RetryPolicy & HttpEffects;
  /** Extra attempts for a page flagged partial; default 3. */
  readonly partialRetries?: number;
  /** Called after every stored page and skipped window. */
  readonly onProgress?: (progress: FetchProgress) => void;
  /** Replaces the HTTP page fetcher (tests). */
  readonly fetchPage?: PageFetcher;
}

/** What {@linkcode fetchHistory} did. */
export type FetchSummary = FetchProgress;

/**
 * Fetches every record in `range` into the raw store, skipping windows an
 * earlier run completed.
 *
 * @param options what to fetch, from where, into where
 * @returns counts of what was fetched
 */
export async function fetchHistory(options: FetchHistoryOptions): Promise<FetchSummary> {
  const startedAt = performance.now();
  const windows = splitIntoWindows(options.range, {
    windowMs: options.windowMs,
    maxWindowMs: options.api.maxWindowMs,
  });
  const completed = completedWindowNames(await readManifest(options.rawDir, options.api));
  const state = {
    windows: windows.length,
    windowsDone: 0,
    windowsSkipped: 0,
    records: 0,
    recordsKnown: 0,
    pages: 0,
    retries: 0,
    partialPages: 0,
  };
  const report = () => options.onProgress?.({ ...state, elapsedMs: performance.now() - startedAt });
  const fetchPage = options.fetchPage ?? searchPageFetcher({
    api: options.api,
    baseUrl: options.baseUrl,
    credentials: options.credentials,
    http: {
      ...options.http,
      onRetry: (event) => {
        state.retries++;
        options.http?.onRetry?.(event);
        report();
      },
    },
  });

  for (const window of windows) {
    if (completed.has(windowFolderName(window))) {
      state.windowsDone++;
      state.windowsSkipped++;
      report();
      continue;
    }
    let count = 0;
    let pages = 0;
    let partial = false;
    const pageIterator = paginate(window, fetchPage, {
      limit: options.api.maxPageSize,
      partialRetries: options.partialRetries,
    });
    for await (const page of pageIterator) {
      if (pages === 0) state.recordsKnown += page.count;
      else state.recordsKnown += page.count - count;
      count = page.count;
      await writePage(options.rawDir, options.api, page);
      pages++;
      state.pages++;
      state.records += page.records;
      if (page.partialResult) {
        partial = true;
        state.partialPages++;
      }
      report();
    }
    // A window with a partial page stays incomplete, so the next run fetches it again.
    if (!partial) await markWindowComplete(options.rawDir, options.api, { window, count, pages });
    state.windowsDone++;
    report();
  }
  return { ...state, elapsedMs: performance.now() - startedAt };
}

/**
 * One line that says where a fetch stands: records of the known total, pages,
 * windows, retries, elapsed time and an estimate of the time left.
 *
 * @param progress the progress
 * @returns the line
 *
 * @example
 * ```ts
 * import { describeProgress } from "./fetch_history.ts";
 * import assert from "node:assert/strict";
 * const line = describeProgress({
 *   windows: 4, windowsDone: 2, windowsSkipped: 0, records: 250, recordsKnown: 300,
 *   pages: 3, retries: 1, partialPages: 0, elapsedMs: 10_000,
 * });
 * assert.equal(line, "250/300 records · 3 pages · window 2/4 · 1 retry · 10s elapsed · ETA 10s");
 * ```
 */
export function describeProgress(progress: FetchProgress): string {
  const fetchedWindows = progress.windowsDone - progress.windowsSkipped;
  const remaining = progress.windows - progress.windowsDone;
  const eta = fetchedWindows > 0 && remaining > 0
    ? ` · ETA ${formatDuration((progress.elapsedMs / fetchedWindows) * remaining)}`
    : "";
  const partial = progress.partialPages > 0 ? ` · ${progress.partialPages} partial` : "";
  return `${progress.records}/${progress.recordsKnown} records · ${progress.pages} pages · ` +
    `window ${progress.windowsDone}/${progress.windows} · ${progress.retries} ` +
    `${progress.retries === 1 ? "retry" : "retries"}${partial} · ` +
    `${formatDuration(progress.elapsedMs)} elapsed${eta}`;
}
