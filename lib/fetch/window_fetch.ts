/**
 * Fetching one time window page by page, so that what is stored is never less
 * than what the server holds without the tool saying so.
 *
 * A window's pages are fetched at offsets 0, limit, 2·limit … below
 * `_metadata.count`. Once the count is known (from the first page, or from
 * the store when resuming), every page still missing is handed to the run's
 * task pool at once, so pages of one window arrive concurrently and in any
 * order. The decisions a page's answer leads to are taken one page at a time:
 *
 * - A page whose count matches its generation's is stored under that
 *   generation; a page of a generation the window has left is dropped.
 * - A count that changed means the result moved under the pages stored so
 *   far: the window starts over as a new generation (pages not yet requested
 *   for the old one are never requested).
 * - A page that holds fewer records than its count implies, or that the
 *   server flags as partial, is fetched again; if it stays so it is stored for
 *   what it holds, and the window stops asking for more pages and stays
 *   incomplete.
 *
 * Only a window whose every page of one generation is stored, and whose
 * requests have all ended, is recorded complete.
 *
 * @module
 */

import type { PageEntry } from "./manifest.ts";
import { Mutex } from "./mutex.ts";
import type { RawStore } from "./raw_store.ts";
import { type PageFetcher, type SearchPage, UnexpectedResponseError } from "./search_client.ts";
import { TaskPool } from "./task_pool.ts";
import { pageCount } from "./window_state.ts";
import { type TimeWindow, windowFolderName } from "./windows.ts";

/** What is already known about the window, from the store. */
export interface WindowPlan {
  readonly window: TimeWindow;
  /** Generation the pages are written under (the stored one to resume or repair, or a new one). */
  readonly generation: number;
  /** Count of that generation when resuming or repairing; undefined for a fresh fetch. */
  readonly count?: number;
  /** Offsets of that generation already stored and sound. */
  readonly goodOffsets: ReadonlySet<number>;
  /** Whether a complete window counts as settled (final), see the freshness rules. */
  readonly settled: boolean;
}

/** Options of {@linkcode fetchWindow}. */
export interface FetchWindowOptions {
  readonly fetchPage: PageFetcher;
  readonly store: RawStore;
  /** Page size. */
  readonly limit: number;
  /**
   * The pool every page request runs in, shared by the run's windows; default
   * a pool of one, so the pages are fetched one after another.
   */
  readonly pool?: TaskPool;
  /** Stops asking for pages when aborted (the run failed elsewhere). */
  readonly signal?: AbortSignal;
  /** Extra attempts for a page that is partial or short; default 3. */
  readonly incompleteRetries?: number;
  /** Times the count may change within one run before the window is left incomplete; default 3. */
  readonly maxCountChanges?: number;
  /** Called after every stored page. */
  readonly onPage?: (entry: PageEntry) => void;
  /** Called when the window's count is first learnt or changes (for progress: records known). */
  readonly onCountChange?: (previous: number | undefined, count: number) => void;
  /** Called when a partial or short page is fetched again. */
  readonly onIncompleteRetry?: (reason: string) => void;
}

/** How the window ended. */
export interface WindowOutcome {
  /** Every page is stored with one count; the window is recorded complete. */
  readonly complete: boolean;
  /** Why the window is incomplete. */
  readonly problem?: string;
  /** Generation the window ended at. */
  readonly generation: number;
  /** `_metadata.count` last seen, if any page arrived. */
  readonly count?: number;
}

function expectedRecords(count: number, offset: number, limit: number): number {
  return Math.max(0, Math.min(limit, count - offset));
}

function shortOf(page: SearchPage, offset: number, limit: number): boolean {
  return page.records < expectedRecords(page.count, offset, limit);
}

/**
 * Fetches what a window still lacks and records it complete when it is.
 *
 * @param plan the window and what the store holds of it
 * @param options fetcher, store, page size, pool, retries, callbacks
 * @returns whether the window is complete, and why not
 * @throws what the fetcher throws for a request that cannot succeed (401, exhausted retries),
 *   once every request of the window has ended
 */
export async function fetchWindow(
  plan: WindowPlan,
  options: FetchWindowOptions,
): Promise<WindowOutcome> {
  const { window, settled } = plan;
  const { limit, store } = options;
  const name = windowFolderName(window);
  const pool = options.pool ?? new TaskPool(1);
  const retries = options.incompleteRetries ?? 3;
  const maxCountChanges = options.maxCountChanges ?? 3;
  // The window's state. It changes only inside `decisions`, one answer at a time.
  let generation = plan.generation;
  let count = plan.count;
  let good = new Set(plan.goodOffsets);
  let countChanges = 0;
  let problem: string | undefined;
  let failure: { error: unknown } | undefined;
  const decisions = new Mutex();
  const requests = new Set<Promise<void>>();
  const stopped = () =>
    problem !== undefined || failure !== undefined || options.signal?.aborted === true;
  // Offsets still to ask for in the current generation, read lazily: a count may be absurd.
  let toAsk: Iterator<number> = count === undefined ? [0].values() : missing(count, good, limit);
  let asking = 0;

  /**
   * Hands the window's next offsets to the pool, at most as many at once as the
   * pool runs, so that windows share it fairly and little waits in its queue.
   */
  const request = () => {
    while (!stopped() && asking < pool.size) {
      const next = toAsk.next();
      if (next.done) return;
      asking++;
      const requested = generation;
      const done: Promise<void> = pool.run(() => fetchPage(next.value, requested))
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          asking--;
          requests.delete(done);
          request();
        });
      requests.add(done);
    }
  };

  const fetchPage = async (offset: number, requested: number): Promise<void> => {
    // Its turn may come after the window moved on: then it is not asked for at all.
    if (stopped() || requested !== generation) return;
    let page: SearchPage;
    try {
      page = await options.fetchPage({ window, offset, limit });
      for (
        let retry = 1;
        retry <= retries && (page.partialResult || shortOf(page, offset, limit));
        retry++
      ) {
        options.onIncompleteRetry?.(page.partialResult ? "partial" : "short");
        page = await options.fetchPage({ window, offset, limit });
      }
    } catch (error) {
      if (!(error instanceof UnexpectedResponseError)) throw error;
      problem ??= error.message;
      return;
    }
    await decisions.run(() => decide(page, offset, requested));
  };

  const decide = async (page: SearchPage, offset: number, requested: number): Promise<void> => {
    if (requested !== generation) return;
    if (page.records > expectedRecords(page.count, offset, limit)) {
      problem ??= `window ${name}, offset ${offset}: the page holds ${page.records} records, ` +
        `more than its count of ${page.count} allows`;
      return;
    }
    if (count !== undefined && page.count !== count) {
      if (stopped()) return;
      if (++countChanges > maxCountChanges) {
        problem = `window ${name}: its count kept changing while it was paged ` +
          `(${count} → ${page.count})`;
        return;
      }
      // The result moved under the pages stored so far: fetch the window afresh.
      generation = nextGeneration(store, window, generation);
      good = new Set();
      options.onCountChange?.(count, page.count);
      count = page.count;
      toAsk = missing(count, good, limit);
      request();
      return;
    }
    const first = count === undefined;
    if (first) options.onCountChange?.(undefined, page.count);
    count = page.count;
    const short = shortOf(page, offset, limit);
    const entry = await store.writePage({ ...page, window, generation, offset, limit, short });
    options.onPage?.(entry);
    if (page.partialResult || short) {
      problem ??= `window ${name}, offset ${offset}: ` + (page.partialResult
        ? `the server flagged the page as partial (failed shards)`
        : `the page holds ${page.records} of the ${
          expectedRecords(page.count, offset, limit)
        } records its count implies`) +
        ` after ${retries} more attempts`;
      return;
    }
    good.add(offset);
    if (first) {
      toAsk = missing(count, good, limit);
      request();
    }
  };

  request();
  // Every request ends before the window is judged, so nothing is written after it.
  while (requests.size > 0) await Promise.all(requests);
  if (failure) throw failure.error;
  if (problem !== undefined) return { complete: false, problem, generation, count };
  if (options.signal?.aborted) throw options.signal.reason;
  const total = count ?? 0;
  const lacking = missing(total, good, limit).next();
  if (!lacking.done) {
    // Cannot happen while every path above sets a problem; a guard for what is marked complete.
    return {
      complete: false,
      problem: `window ${name}: the page at offset ${lacking.value} was not stored`,
      generation,
      count,
    };
  }
  // Pages of an earlier generation beyond the new count stay: a record LivePerson
  // no longer returns (past its retention) is kept, and newer copies win in the tables.
  await store.completeWindow({
    window,
    generation,
    count: total,
    pages: pageCount(total, limit),
    settled,
  });
  return { complete: true, generation, count: total };
}

/** The offsets of a window's pages that are not stored yet, in order, one at a time. */
function* missing(count: number, good: ReadonlySet<number>, limit: number): Generator<number> {
  for (let offset = 0; offset === 0 || offset < count; offset += limit) {
    if (!good.has(offset)) yield offset;
  }
}

/**
 * The generation after the highest one the store has seen for a window.
 *
 * @param store the store
 * @param window the window
 * @param atLeastAfter a generation the new one must exceed
 * @returns the new generation number
 */
export function nextGeneration(store: RawStore, window: TimeWindow, atLeastAfter = 0): number {
  const name = windowFolderName(window);
  let highest = atLeastAfter;
  for (const entry of store.manifest.entries) {
    if (
      (entry.kind === "page" || entry.kind === "window") && windowFolderName(entry.window) === name
    ) {
      highest = Math.max(highest, entry.generation);
    }
  }
  return highest + 1;
}
