/**
 * Records changed since the last run. An API that can search by update time
 * (Messaging Interactions' `latestUpdateTime`) is asked, on `--since-last`,
 * for the records of every earlier window that changed since the last run —
 * closed, surveyed, enriched — and their new copies are stored byte-exact
 * beside the old ones, which they replace in the tables (the newest copy of a
 * record wins).
 *
 * A search is recorded complete only when every page of it is stored. The
 * next run asks again from before the last complete search began, so an
 * interrupted or failed search loses nothing: its changes are asked for again.
 *
 * @module
 */

import { formatInstant } from "../format.ts";
import type { ManifestEntry, UpdatePageEntry } from "./manifest.ts";
import type { RawStore } from "./raw_store.ts";
import type { PageFetcher, PageRequest, SearchPage } from "./search_client.ts";
import { splitIntoWindows, type TimeWindow, windowFolderName } from "./windows.ts";

/** The API rounds times out to 10 minutes; so do the ranges asked for here. */
const ROUNDING_MS = 10 * 60 * 1000;

/** What a search for changed records asks for. */
export interface UpdatesPlan {
  /** Records changed since this moment, epoch ms. */
  readonly since: number;
  /** The start times to search, half-open: the store's earlier windows. */
  readonly range: TimeWindow;
}

/** Options of {@linkcode planUpdates}. */
export interface PlanUpdatesOptions {
  /** Where the run's own windows begin (the cursor minus the lookback), epoch ms. */
  readonly from: number;
  /** How far before the last search's start to ask from again, for late changes. */
  readonly lookbackMs: number;
  /** Now, epoch ms. */
  readonly now: number;
  /** How long the API keeps records, in ms: older windows are not searched. */
  readonly retentionMs: number;
}

/**
 * Plans the search for changed records of a `--since-last` run: the start
 * times of the store's windows before the run's own (within the API's
 * retention), for records changed since the run's start, or since the last
 * complete search began if that is earlier, each minus the lookback.
 *
 * @param entries the manifest's entries
 * @param options where the run's windows begin, the lookback, now, retention
 * @returns the plan, or undefined when no stored window lies before the run's
 *
 * @example
 * ```ts
 * import { planUpdates } from "./updates.ts";
 * import assert from "node:assert/strict";
 * const day = 86_400_000;
 * const entries = [{ kind: "window", window: { from: 0, to: day } }] as never[];
 * const options = { from: 3 * day, lookbackMs: 0, now: 4 * day, retentionMs: 400 * day };
 * assert.deepEqual(planUpdates(entries, options), { since: 3 * day, range: { from: 0, to: 3 * day } });
 * assert.equal(planUpdates([], options), undefined);
 * ```
 */
export function planUpdates(
  entries: readonly ManifestEntry[],
  options: PlanUpdatesOptions,
): UpdatesPlan | undefined {
  let first = Infinity;
  let lastStarted: number | undefined;
  for (const entry of entries) {
    if (entry.kind === "window") first = Math.min(first, entry.window.from);
    if (entry.kind === "updates") lastStarted = Date.parse(entry.startedAt);
  }
  const retained = Math.ceil((options.now - options.retentionMs) / ROUNDING_MS) * ROUNDING_MS;
  const from = Math.max(first, retained);
  if (from >= options.from) return undefined;
  const since = lastStarted === undefined
    ? options.from
    : Math.min(options.from, lastStarted - options.lookbackMs);
  return { since, range: { from, to: options.from } };
}

/** Options of {@linkcode fetchUpdates}. */
export interface FetchUpdatesOptions {
  readonly fetchPage: PageFetcher;
  readonly store: RawStore;
  /** Page size. */
  readonly limit: number;
  /** Longest start range per request (the API's window limit). */
  readonly maxWindowMs: number;
  /** Extra attempts for a page that is partial or short; default 3. */
  readonly incompleteRetries?: number;
  /** Now, epoch ms. */
  readonly now: () => number;
  /** Called after every stored page. */
  readonly onPage?: (entry: UpdatePageEntry) => void;
}

/** What {@linkcode fetchUpdates} did. */
export interface UpdatesOutcome {
  /** Every page was stored and the search is recorded complete. */
  readonly complete: boolean;
  /** Why it is not complete. */
  readonly problem?: string;
  /** Changed records stored. */
  readonly records: number;
  /** Records the API truncated, to fetch again by key. */
  readonly partial: readonly { readonly id: string; readonly window: TimeWindow }[];
}

/** Too many count changes in a row: the window is left for the next run. */
const COUNT_CHANGES = 2;

/**
 * Searches the plan's range for records changed since its moment, window by
 * window and page by page, storing every page; records the search complete
 * when every page came whole.
 *
 * @param plan the moment and the start times
 * @param options fetcher, store, page size, window limit, retries, clock
 * @returns what was stored, and whether the search is complete
 */
export async function fetchUpdates(
  plan: UpdatesPlan,
  options: FetchUpdatesOptions,
): Promise<UpdatesOutcome> {
  const startedAt = options.now();
  const windows = splitIntoWindows(plan.range, {
    windowMs: options.maxWindowMs,
    maxWindowMs: options.maxWindowMs,
  });
  let records = 0;
  const partial: { id: string; window: TimeWindow }[] = [];
  for (const window of windows) {
    const outcome = await fetchUpdatedWindow(window, plan.since, options);
    records += outcome.records;
    partial.push(...outcome.partialIds.map((id) => ({ id, window })));
    if (outcome.problem) return { complete: false, problem: outcome.problem, records, partial };
  }
  await options.store.completeUpdates({
    since: plan.since,
    range: plan.range,
    startedAt: new Date(startedAt).toISOString(),
    records,
  });
  return { complete: true, records, partial };
}

async function fetchUpdatedWindow(
  window: TimeWindow,
  since: number,
  options: FetchUpdatesOptions,
): Promise<{ records: number; partialIds: string[]; problem?: string }> {
  const what = `records of ${windowFolderName(window)} changed since ${formatInstant(since)}`;
  let records = 0;
  const partialIds: string[] = [];
  for (let attempt = 0; attempt < COUNT_CHANGES; attempt++) {
    let count: number | undefined;
    let offset = 0;
    let changed = false;
    while (count === undefined || offset < count) {
      const request = { window, offset, limit: options.limit, updatedSince: since };
      const page = await wholePage(request, count, options);
      if (page === undefined) {
        return { records, partialIds, problem: `${what}: page at offset ${offset} stayed partial` };
      }
      if (count !== undefined && page.count !== count) {
        changed = true;
        break;
      }
      count = page.count;
      const entry = await options.store.writeUpdatePage({ ...request, since, ...page });
      records += page.records;
      partialIds.push(...page.partialIds);
      options.onPage?.(entry);
      offset += options.limit;
    }
    if (!changed) return { records, partialIds };
  }
  return { records, partialIds, problem: `${what}: the count kept changing while paging` };
}

/** A page that is neither flagged partial nor short, after the retries; else undefined. */
async function wholePage(
  request: PageRequest,
  count: number | undefined,
  options: FetchUpdatesOptions,
): Promise<SearchPage | undefined> {
  const attempts = 1 + (options.incompleteRetries ?? 3);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const page = await options.fetchPage(request);
    const expected = Math.min(request.limit, Math.max(0, (count ?? page.count) - request.offset));
    if (!page.partialResult && page.records >= expected) return page;
  }
  return undefined;
}
