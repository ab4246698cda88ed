/**
 * Records that are not final yet, and fetching them again by their key.
 *
 * A record the API truncated (`isPartial`) is fetched again whole right after
 * its window; one that had not ended is fetched again by every later run until
 * it has. Which records are still outstanding comes from the manifest: each
 * page line lists the keys of its partial and open records, each record line
 * says whether the copy it stored is still so, and the newest copy decides.
 *
 * @module
 */

import type { ManifestEntry } from "./manifest.ts";
import { type RawStore } from "./raw_store.ts";
import { filesByAge } from "./store_layout.ts";
import { type PageFetcher, UnexpectedResponseError } from "./search_client.ts";
import { TaskPool } from "./task_pool.ts";
import type { TimeWindow } from "./windows.ts";

/** A record whose newest stored copy is partial or open. */
export interface OutstandingRecord {
  readonly id: string;
  /** The window it was found in (the API wants a time range even with a key). */
  readonly window: TimeWindow;
  readonly partial: boolean;
  readonly open: boolean;
  /** When the newest copy was fetched, epoch ms. */
  readonly fetchedAt: number;
}

/**
 * The records whose newest stored copy is partial or open.
 *
 * @param entries the manifest's entries
 * @returns key → the record's state
 *
 * @example
 * ```ts
 * import { outstandingRecords } from "./refetch.ts";
 * import assert from "node:assert/strict";
 * const window = { from: 0, to: 1 };
 * const entries = [
 *   { kind: "page", file: "w/offset-000000.json", window, fetchedAt: "2024-01-01T00:00:00Z", openIds: ["a", "b"] },
 *   { kind: "record", file: "records/a.json", id: "a", window, fetchedAt: "2024-01-02T00:00:00Z", partial: false, open: false },
 * ] as never[];
 * assert.deepEqual([...outstandingRecords(entries).keys()], ["b"]);
 * ```
 */
export function outstandingRecords(
  entries: readonly ManifestEntry[],
): Map<string, OutstandingRecord> {
  // Oldest first, so that a later copy of a record replaces an earlier one.
  const newest = new Map<string, OutstandingRecord>();
  const offer = (candidate: OutstandingRecord) => newest.set(candidate.id, candidate);
  for (const entry of filesByAge(entries)) {
    const fetchedAt = Date.parse(entry.fetchedAt);
    if (entry.kind === "record") {
      offer({
        id: entry.id,
        window: entry.window,
        partial: entry.partial,
        open: entry.open,
        fetchedAt,
      });
      continue;
    }
    const partial = new Set(entry.partialIds ?? []);
    const open = new Set(entry.openIds ?? []);
    for (const id of new Set([...partial, ...open])) {
      offer({ id, window: entry.window, partial: partial.has(id), open: open.has(id), fetchedAt });
    }
  }
  for (const [id, record] of newest) if (!record.partial && !record.open) newest.delete(id);
  return newest;
}

/** What {@linkcode refetchRecords} did. */
export interface RefetchOutcome {
  /** Records asked for. */
  readonly fetched: number;
  /** Keys still partial after the request. */
  readonly stillPartial: readonly string[];
  /** Keys still open after the request. */
  readonly stillOpen: readonly string[];
  /** Keys LivePerson no longer returns (past its retention, or removed). */
  readonly gone: readonly string[];
  /** Requests that failed with an incomplete answer; asked again by the next run. */
  readonly failed: readonly string[];
}

/** Options of {@linkcode refetchRecords}. */
export interface RefetchOptions {
  readonly fetchPage: PageFetcher;
  readonly store: RawStore;
  /** Page size. */
  readonly limit: number;
  /** The pool each request runs in, and as many at once as it allows; default one at a time. */
  readonly pool?: TaskPool;
  /** Stops asking when aborted (the run failed elsewhere). */
  readonly signal?: AbortSignal;
  /** Called after every stored record. */
  readonly onRecord?: () => void;
}

/**
 * Fetches records again by their key and stores each answer byte-exact. A key
 * named twice is asked for once.
 *
 * @param records the keys and the windows they were found in
 * @param options fetcher, store, page size, pool, progress callback
 * @returns what became of them, in the order the keys were given
 * @throws what the fetcher throws for a request that cannot succeed, once the
 *   requests in flight have ended
 */
export async function refetchRecords(
  records: Iterable<{ readonly id: string; readonly window: TimeWindow }>,
  options: RefetchOptions,
): Promise<RefetchOutcome> {
  const pool = options.pool ?? new TaskPool(1);
  const answers: (RecordAnswer | undefined)[] = [];
  const asked = new Set<string>();
  const queue = records[Symbol.iterator]();
  const next = (): { id: string; window: TimeWindow; index: number } | undefined => {
    for (let item = queue.next(); !item.done; item = queue.next()) {
      if (asked.has(item.value.id)) continue;
      asked.add(item.value.id);
      return { ...item.value, index: answers.push(undefined) - 1 };
    }
    return undefined;
  };
  // As many workers as the pool runs at once, each taking the next key when done,
  // so the keys are read as they are needed and at most that many answers are held.
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    for (let record = next(); record && !failure; record = next()) {
      if (options.signal?.aborted) return;
      try {
        answers[record.index] = await pool.run(() => refetchOne(record, options));
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: pool.size }, worker));
  if (failure) throw failure.error;
  const outcome = { fetched: 0, stillPartial: [], stillOpen: [], gone: [], failed: [] } as {
    fetched: number;
    stillPartial: string[];
    stillOpen: string[];
    gone: string[];
    failed: string[];
  };
  for (const answer of answers) {
    if (answer === undefined) continue;
    if (answer.failed) {
      outcome.failed.push(answer.id);
      continue;
    }
    outcome.fetched++;
    if (answer.gone) outcome.gone.push(answer.id);
    if (answer.partial) outcome.stillPartial.push(answer.id);
    if (answer.open) outcome.stillOpen.push(answer.id);
  }
  return outcome;
}

/** What one request by key came to. */
interface RecordAnswer {
  readonly id: string;
  /** The answer was not a complete result; the next run asks again. */
  readonly failed: boolean;
  readonly gone: boolean;
  readonly partial: boolean;
  readonly open: boolean;
}

async function refetchOne(
  record: { readonly id: string; readonly window: TimeWindow },
  options: RefetchOptions,
): Promise<RecordAnswer> {
  const { id, window } = record;
  let page;
  try {
    page = await options.fetchPage({ window, offset: 0, limit: options.limit, id });
  } catch (error) {
    if (!(error instanceof UnexpectedResponseError)) throw error;
    return { id, failed: true, gone: false, partial: false, open: false };
  }
  const partial = page.partialIds.includes(id);
  const open = page.openIds.includes(id);
  await options.store.writeRecord({
    id,
    window,
    records: page.records,
    partial,
    open,
    body: page.body,
    fetchedAt: page.fetchedAt,
  });
  options.onRecord?.();
  return { id, failed: false, gone: page.records === 0, partial, open };
}
