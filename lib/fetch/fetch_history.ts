/**
 * Downloading every record of a time range into the raw store: windows,
 * paging, retries, verification, repair, resume and freshness.
 *
 * A run takes the raw folder's lock, opens the API's store (refusing another
 * account's), verifies every stored page against the manifest, moves aside
 * files no manifest line lists, and then works through the windows: a settled
 * complete window is skipped, a damaged one gets exactly its bad pages again, a
 * window cut off midway resumes at its first missing page, and a window that
 * was complete but not yet settled is fetched afresh. Windows of earlier runs
 * that are still incomplete or unsettled are worked on too, wherever they lie,
 * so every run converges on what LivePerson holds.
 *
 * A window is settled, and final, once its end is older than the settle lag
 * (two hours: LivePerson's data is complete two hours after a chat ends).
 * Records the API truncated are fetched again by key right after their
 * window; records that had not ended are fetched again by every later run
 * until they have.
 *
 * With a concurrency above one, several windows are worked on at once and a
 * window's pages are requested together once its count is known; every HTTP
 * attempt takes a slot of one adaptive limiter (see limiter.ts), which finds
 * the server's ceiling from its 429s. Stored results do not depend on the
 * order answers arrive in: window_fetch.ts decides each answer in turn, the
 * store serialises its manifest, and a request that cannot succeed stops the
 * whole run, which ends only once every request in flight has ended.
 *
 * @module
 */

import { formatInstant } from "../format.ts";
import type { Credentials } from "./credentials.ts";
import type { HistoryApi } from "./history_api.ts";
import type { HttpEffects, RetryPolicy } from "./http.ts";
import { AdaptiveLimiter } from "./limiter.ts";
import { RawStore, withRawLock } from "./raw_store.ts";
import { outstandingRecords, type RefetchOutcome, refetchRecords } from "./refetch.ts";
import { type PageFetcher, searchPageFetcher, UnexpectedResponseError } from "./search_client.ts";
import { TaskPool } from "./task_pool.ts";
import { coveredBySettled, decideWindow, overlaps, pendingWindows } from "./window_plan.ts";
import { fetchUpdates, type UpdatesPlan } from "./updates.ts";
import { describeProblems, quarantineUnlisted, type StoreProblem, verifyStore } from "./verify.ts";
import { fetchWindow } from "./window_fetch.ts";
import { pageCount, windowStates } from "./window_state.ts";
import { splitIntoWindows, type TimeWindow, windowFolderName } from "./windows.ts";

/** Options of {@linkcode fetchHistory}. */
export interface FetchHistoryOptions {
  /** Which history API, and how to ask it. */
  readonly api: HistoryApi;
  /** The account and its OAuth 1.0a keys. */
  readonly credentials: Credentials;
  /** Scheme and host of the API. */
  readonly baseUrl: string;
  /** The range to fetch, half-open, epoch ms. */
  readonly range: TimeWindow;
  /** Longest window per request sequence; default one day. */
  readonly windowMs?: number;
  /**
   * Most requests in flight and pages held at once; default 1 (one request
   * after another). `deno task fetch` uses {@linkcode DEFAULT_CONCURRENCY}.
   */
  readonly concurrency?: number;
  /** The raw directory (`data/raw`). */
  readonly rawDir: string;
  /** Fetch the range's windows again even where complete and settled. */
  readonly refetch?: boolean;
  /**
   * Fetch the windows that overlap this part of the range again even where
   * complete and settled: the lookback of `--since-last`.
   */
  readonly reread?: TimeWindow;
  /**
   * Also search the store's earlier windows for records changed since a moment
   * (`--since-last` on an API that can filter by update time).
   */
  readonly updates?: UpdatesPlan;
  /** A window is final once its end is this long past; default two hours. */
  readonly settleMs?: number;
  /** The current time, epoch ms; default `Date.now` (tests control it). */
  readonly now?: () => number;
  /** Retry policy and effects for every request. */
  readonly http?: RetryPolicy & HttpEffects;
  /** Extra attempts for a page that is partial or short; default 3. */
  readonly incompleteRetries?: number;
  /** Called after every stored page and skipped window. */
  readonly onProgress?: (progress: FetchProgress) => void;
  /** Receives notes for the user: repairs, host changes, problems found. */
  readonly onNote?: (message: string) => void;
  /** Replaces the HTTP page fetcher (tests). */
  readonly fetchPage?: PageFetcher;
}

/** Where a fetch stands, reported after every page. */
export interface FetchProgress {
  /** Windows to work through. */
  readonly windows: number;
  /** Windows finished, skipped ones included. */
  readonly windowsDone: number;
  /** Windows skipped because an earlier run completed them and they are settled. */
  readonly windowsSkipped: number;
  /** Records stored in this run. */
  readonly records: number;
  /** Records known to exist in the windows worked on: the sum of their counts. */
  readonly recordsKnown: number;
  /** Pages stored in this run. */
  readonly pages: number;
  /** HTTP retries made (429, 5xx, timeouts, dropped connections). */
  readonly retries: number;
  /** Pages fetched again because they came back partial or short. */
  readonly incompleteRetries: number;
  /** Records fetched again by key because they were partial or open. */
  readonly recordsRefetched: number;
  /** Time since the fetch started, in ms. */
  readonly elapsedMs: number;
  /**
   * Windows being fetched, each counted by the share of its pages stored, so
   * an estimate of the time left counts the work in flight; default 0.
   */
  readonly windowsPartlyDone?: number;
}

/** A window the run could not complete, and why. */
export interface IncompleteWindow {
  readonly window: TimeWindow;
  readonly problem: string;
}

/** What {@linkcode fetchHistory} did. */
export interface FetchSummary extends FetchProgress {
  /** Windows left incomplete; the next run fetches them again. */
  readonly incomplete: readonly IncompleteWindow[];
  /** Files that did not match the manifest when the run started. */
  readonly problems: readonly StoreProblem[];
  /** Where unlisted files were moved, if any were. */
  readonly quarantine?: string;
  /** Complete windows that are not settled yet (fetched again by the next run). */
  readonly unsettledWindows: number;
  /** Data was requested up to this instant (epoch ms): the range's end, or now if earlier. */
  readonly readUpTo: number;
  /** Keys of records still partial after this run (asked for again by the next). */
  readonly stillPartial: readonly string[];
  /** Keys of records still open after this run (asked for again by the next). */
  readonly stillOpen: readonly string[];
  /** Keys LivePerson no longer returned when asked for by key. */
  readonly gone: readonly string[];
  /** The search for changed records of earlier windows, when one was made. */
  readonly updates?: {
    /** Records changed since this moment, epoch ms. */
    readonly since: number;
    /** Changed records stored. */
    readonly records: number;
    readonly complete: boolean;
  };
}

/** LivePerson's data is complete about two hours after a chat ends. */
export const DEFAULT_SETTLE_MS = 2 * 60 * 60 * 1000;

/**
 * Requests in flight at most, for `deno task fetch`: see the README's fetch
 * section for the measurements behind it. The limiter lowers it by itself
 * when the server answers 429.
 */
export const DEFAULT_CONCURRENCY = 8;

/**
 * Fetches every record in `range` into the raw store, and repairs what
 * verification found damaged anywhere in the store.
 *
 * @param options what to fetch, from where, into where
 * @returns counts of what was fetched, and what stayed incomplete
 */
export function fetchHistory(options: FetchHistoryOptions): Promise<FetchSummary> {
  return withRawLock(options.rawDir, "deno task fetch", () => fetchLocked(options), options.onNote);
}

async function fetchLocked(options: FetchHistoryOptions): Promise<FetchSummary> {
  const startedAt = performance.now();
  const now = options.now ?? Date.now;
  const runStartedAt = now();
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const limit = options.api.maxPageSize;
  const store = await RawStore.open(options.rawDir, options.api, {
    accountId: options.credentials.accountId,
    host: options.baseUrl,
    onNote: options.onNote,
  });
  await store.removeTemporaryFiles();
  const problems = await verifyStore(store.folder, store.manifest.entries);
  if (problems.length > 0) {
    options.onNote?.(
      `note: ${problems.length} stored file(s) do not match the manifest; they are fetched ` +
        `again:\n  ${describeProblems(problems).join("\n  ")}`,
    );
  }
  const quarantine = await quarantineUnlisted(store.folder, problems);
  if (quarantine) options.onNote?.(`note: unlisted files moved aside, not deleted: ${quarantine}`);
  const states = windowStates(store.manifest.entries, problems);
  const retentionStart = runStartedAt - options.api.retentionMs;
  if (options.range.from < retentionStart) {
    options.onNote?.(
      `warning: the range starts on ${formatInstant(options.range.from).slice(0, 10)}, more ` +
        `than 13 months ago: LivePerson keeps 13 months of history, so what lies before ` +
        `${formatInstant(retentionStart).slice(0, 10)} comes back empty`,
    );
  }

  // The part of the range that lies in the future is not requested.
  const rangeWindows = splitIntoWindows(options.range, {
    windowMs: options.windowMs,
    maxWindowMs: options.api.maxWindowMs,
  }).filter((window) => window.from < runStartedAt);
  const rangeNames = new Set(rangeWindows.map(windowFolderName));
  const pending = pendingWindows(states.values(), {
    nowMs: runStartedAt,
    retentionMs: options.api.retentionMs,
    skip: rangeNames,
  });
  const windows = [...rangeWindows, ...pending].sort((a, b) => a.from - b.from);

  const state = {
    windows: windows.length,
    windowsDone: 0,
    windowsSkipped: 0,
    records: 0,
    recordsKnown: 0,
    pages: 0,
    retries: 0,
    incompleteRetries: 0,
    recordsRefetched: 0,
  };
  // Share of its pages each window in progress has stored, for the estimate of time left.
  const inProgress = new Map<string, { stored: number; expected: number }>();
  const partlyDone = () =>
    [...inProgress.values()].reduce(
      (sum, window) => sum + Math.min(1, window.stored / Math.max(1, window.expected)),
      0,
    );
  const report = () =>
    options.onProgress?.({
      ...state,
      elapsedMs: performance.now() - startedAt,
      windowsPartlyDone: partlyDone(),
    });
  const concurrency = options.concurrency ?? 1;
  // One pool bounds the pages held at once; one limiter the requests in flight.
  const pool = new TaskPool(concurrency);
  const windowTurns = new TaskPool(concurrency);
  const limiter = new AdaptiveLimiter({
    maxConcurrency: concurrency,
    now: options.http?.now,
    sleep: options.http?.sleep,
  });
  // A request that cannot succeed (401, retries exhausted) stops every other at once.
  const stop = new AbortController();
  const anyFetchPage = options.fetchPage ?? searchPageFetcher({
    api: options.api,
    baseUrl: options.baseUrl,
    credentials: options.credentials,
    now,
    http: {
      ...options.http,
      limiter,
      signal: stop.signal,
      onRetry: (event) => {
        state.retries++;
        options.http?.onRetry?.(event);
        report();
      },
    },
  });
  const fetchPage: PageFetcher = async (request) => {
    try {
      return await anyFetchPage(request);
    } catch (error) {
      if (!(error instanceof UnexpectedResponseError)) stop.abort(error);
      throw error;
    }
  };
  const refetch = (records: Iterable<{ id: string; window: TimeWindow }>) =>
    refetchRecords(records, {
      fetchPage,
      store,
      limit,
      pool,
      signal: stop.signal,
      onRecord: () => {
        state.recordsRefetched++;
        report();
      },
    });
  const refetched: RefetchOutcome[] = [];
  const incomplete: IncompleteWindow[] = [];
  let unsettledWindows = 0;

  const workOn = async (window: TimeWindow): Promise<void> => {
    const name = windowFolderName(window);
    const stored = states.get(name);
    const settled = window.to <= now() - settleMs;
    const again = rangeNames.has(name) && (options.refetch === true ||
      (options.reread !== undefined && overlaps(window, options.reread)));
    const covered = stored === undefined && !again && coveredBySettled(window, states.values());
    const action = covered
      ? { skip: true as const }
      : decideWindow(window, stored, { store, refetch: again, settled, limit });
    if (action.skip) {
      state.windowsDone++;
      state.windowsSkipped++;
      report();
      return;
    }
    const plan = action.plan;
    if (plan.count !== undefined) state.recordsKnown += plan.count;
    const progress = {
      stored: 0,
      expected: plan.count === undefined ? 1 : pageCount(plan.count, limit) - plan.goodOffsets.size,
    };
    inProgress.set(name, progress);
    const partialIds: string[] = [];
    try {
      const outcome = await fetchWindow(plan, {
        fetchPage,
        store,
        limit,
        pool,
        signal: stop.signal,
        incompleteRetries: options.incompleteRetries,
        onIncompleteRetry: () => {
          state.incompleteRetries++;
          report();
        },
        onCountChange: (previous, count) => {
          state.recordsKnown += count - (previous ?? 0);
          // A new generation starts over: the pages stored so far were work, not progress.
          progress.expected = pageCount(count, limit) +
            (previous === undefined ? 0 : progress.stored);
        },
        onPage: (entry) => {
          state.pages++;
          state.records += entry.records;
          progress.stored++;
          partialIds.push(...entry.partialIds ?? []);
          report();
        },
      });
      if (!outcome.complete) {
        incomplete.push({ window, problem: outcome.problem ?? "incomplete" });
      } else if (!settled) {
        unsettledWindows++;
      }
      // The API says a partial record is to be fetched again by its key to get it whole.
      refetched.push(await refetch(new Set(partialIds).values().map((id) => ({ id, window }))));
    } finally {
      inProgress.delete(name);
    }
    state.windowsDone++;
    report();
  };

  // Windows start in time order, at most `concurrency` at once; each window's pages
  // share the pool with the others', so the pool stays busy between windows.
  const working = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (const window of windows) {
    const release = await windowTurns.acquire();
    if (failure || stop.signal.aborted) {
      release();
      break;
    }
    const work = workOn(window)
      .catch((error: unknown) => {
        failure ??= { error };
        stop.abort(error);
      })
      .finally(() => {
        release();
        working.delete(work);
      });
    working.add(work);
  }
  // Nothing is written after the run returns or throws: every window's requests end first.
  while (working.size > 0) await Promise.all(working);
  if (failure) throw failure.error;
  incomplete.sort((a, b) => a.window.from - b.window.from);
  const updates = options.updates && await fetchUpdates(options.updates, {
    fetchPage,
    store,
    limit,
    maxWindowMs: options.api.maxWindowMs,
    incompleteRetries: options.incompleteRetries,
    now,
    onPage: (entry) => {
      state.pages++;
      state.records += entry.records;
      report();
    },
  });
  if (updates?.problem) {
    incomplete.push({ window: options.updates!.range, problem: updates.problem });
  }
  if (updates) refetched.push(await refetch(updates.partial));
  // Records stored before this run that were open or partial then, and records whose
  // stored copy is damaged, are asked for again.
  const damagedRecords = problems.flatMap((problem) =>
    problem.entry?.kind === "record" ? [{ id: problem.entry.id, window: problem.entry.window }] : []
  );
  const earlier = [...outstandingRecords(store.manifest.entries).values()]
    .filter((record) => record.fetchedAt < runStartedAt && record.window.to > retentionStart);
  refetched.push(await refetch([...damagedRecords, ...earlier]));
  const outstanding = [...outstandingRecords(store.manifest.entries).values()];
  const lastEnd = rangeWindows.at(-1)?.to ?? options.range.from;
  return {
    ...state,
    elapsedMs: performance.now() - startedAt,
    incomplete,
    problems,
    ...(quarantine ? { quarantine } : {}),
    unsettledWindows,
    readUpTo: Math.min(lastEnd, runStartedAt),
    stillPartial: outstanding.filter((record) => record.partial).map((record) => record.id),
    stillOpen: outstanding.filter((record) => record.open).map((record) => record.id),
    gone: refetched.flatMap((outcome) => outcome.gone),
    ...(updates
      ? {
        updates: {
          since: options.updates!.since,
          records: updates.records,
          complete: updates.complete,
        },
      }
      : {}),
  };
}
