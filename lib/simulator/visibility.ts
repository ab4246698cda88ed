/**
 * When a simulated record can be seen, for any source: the clock's first
 * question. A record appears in answers shortly after it starts (the API's
 * near-real-time lag), a few "late" ones only 30 to 150 minutes later; and
 * the search copy of a few is partial, whole only when asked for by key.
 * Each is drawn from the record's own stream, so no record is built for it.
 *
 * @module
 */

import { type DatasetOptions, resolveDataset, type ResolvedDataset } from "./dataset_options.ts";
import { createRandom, mixSeed } from "./random.ts";
import { startOf } from "./start_times.ts";

/** The salt of the stream a record's appearance is drawn from. */
const STREAM_TIMELINE = 4;
const MINUTE = 60_000;
/** The latest a record appears after it starts. */
export const LATEST_APPEARANCE_MS = 150 * MINUTE;

/** How a record is asked for: by a search, or by its key. */
export type RecordView = "search" | "byId";

/** When a record can be seen, and whether search shows it partial. */
export interface Visibility {
  /** Start time, epoch ms. */
  readonly start: number;
  /** When the record first appears in answers, epoch ms. */
  readonly visibleAt: number;
  /** Search returns it partial; only the request by key returns it whole. */
  readonly searchPartial: boolean;
}

/**
 * When record `index` can be seen, without building it.
 *
 * @param dataset the resolved dataset
 * @param index the record index, already checked
 * @returns start, first appearance and whether search shows it partial
 *
 * @example
 * ```ts
 * import { resolveDataset } from "./dataset_options.ts";
 * import { visibilityOf } from "./visibility.ts";
 * import assert from "node:assert/strict";
 * const seen = visibilityOf(resolveDataset({ count: 10, from: 0, to: 86_400_000 }), 3);
 * assert.ok(seen.visibleAt > seen.start);
 * ```
 */
export function visibilityOf(dataset: ResolvedDataset, index: number): Visibility {
  const start = startOf(dataset, index);
  const random = createRandom(mixSeed(dataset.seed, index, STREAM_TIMELINE));
  const late = random.next() < dataset.lateRate;
  const lag = late ? random.int(30 * MINUTE, LATEST_APPEARANCE_MS) : random.int(20_000, 4 * MINUTE);
  return { start, visibleAt: start + lag, searchPartial: random.next() < dataset.partialRate };
}

/**
 * The indexes of `[start, end)` whose records can be seen at `now`.
 *
 * @param options the dataset
 * @param range indexes, half-open
 * @param now the simulator's time, epoch ms
 * @returns the visible indexes, in order
 *
 * @example
 * ```ts
 * import { visibleIndexes } from "./visibility.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 600_000 };
 * assert.deepEqual(visibleIndexes(options, { start: 0, end: 10 }, 0), []);
 * assert.equal(visibleIndexes(options, { start: 0, end: 10 }, 86_400_000).length, 10);
 * ```
 */
export function visibleIndexes(
  options: DatasetOptions,
  range: { readonly start: number; readonly end: number },
  now: number,
): number[] {
  const indexes: number[] = [];
  if (range.end <= range.start) return indexes;
  const dataset = resolveDataset(options);
  // Past the last appearance of the range's last record, everything is visible.
  const allVisible = now >= startOf(dataset, range.end - 1) + LATEST_APPEARANCE_MS;
  for (let index = range.start; index < range.end; index++) {
    if (allVisible || visibilityOf(dataset, index).visibleAt <= now) indexes.push(index);
  }
  return indexes;
}
