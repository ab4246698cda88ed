/**
 * When each record of a simulated dataset starts, for any source: record `i`
 * starts at a time drawn from its own seeded stream inside its own slot of
 * `[from, to)`, so start times strictly increase with the index. The slots
 * are even in "virtual" time and follow the contact centre's traffic in real
 * time (traffic.ts): narrow in busy weekday hours, wide at night and at
 * weekends. A record's start is found in O(log hours), the indexes of a time
 * range by binary search, and no record has to be built for either.
 *
 * @module
 */

import { type DatasetOptions, resolveDataset, type ResolvedDataset } from "./dataset_options.ts";
import { createRandom, mixSeed } from "./random.ts";
import { spreadEvenly, trafficProfile, warpOffset } from "./traffic.ts";

/** The salt of the stream a record's start time is drawn from. */
const STREAM_START = 1;

/**
 * Checks that `index` names a record of the dataset.
 *
 * @param dataset the resolved dataset
 * @param index the index
 * @throws {RangeError} for an index outside the dataset
 *
 * @example
 * ```ts
 * import { checkIndex } from "./start_times.ts";
 * import { resolveDataset } from "./dataset_options.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => checkIndex(resolveDataset({ count: 2, from: 0, to: 10 }), 2), /outside/);
 * ```
 */
export function checkIndex(dataset: ResolvedDataset, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
    throw new RangeError(`Index ${index} is outside the dataset: use 0 to ${dataset.count - 1}`);
  }
}

/**
 * The start time of record `index` of a resolved dataset, without building it.
 *
 * @param dataset the resolved dataset
 * @param index the index, already checked
 * @returns epoch ms
 *
 * @example
 * ```ts
 * import { startOf } from "./start_times.ts";
 * import { resolveDataset } from "./dataset_options.ts";
 * import assert from "node:assert/strict";
 * const dataset = resolveDataset({ count: 10, from: 0, to: 1_000 });
 * assert.ok(startOf(dataset, 0) < startOf(dataset, 1));
 * ```
 */
export function startOf(dataset: ResolvedDataset, index: number): number {
  const span = dataset.to - dataset.from;
  const step = span / dataset.count;
  const last = index + 1 === dataset.count;
  const jitter = createRandom(mixSeed(dataset.seed, index, STREAM_START)).next();
  const profile = trafficProfile(dataset);
  if (spreadEvenly(dataset, profile)) {
    const low = Math.floor(index * step);
    const high = last ? span : Math.floor((index + 1) * step);
    return dataset.from + low + Math.floor(jitter * (high - low));
  }
  // Every slot is at least 2 ms wide in real time (spreadEvenly), so flooring keeps them apart.
  const low = Math.floor(warpOffset(profile, index * step));
  const high = last ? span : Math.floor(warpOffset(profile, (index + 1) * step));
  return dataset.from + low + Math.floor(jitter * (high - low));
}

/**
 * The start time (`info.startTimeL`) of record `index`, without building the record.
 *
 * @param options the dataset
 * @param index the record index, `0 <= index < count`
 * @returns epoch ms; strictly increasing with `index`
 *
 * @example
 * ```ts
 * import { startTimeAt } from "./start_times.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 1_000 };
 * assert.ok(startTimeAt(options, 3) < startTimeAt(options, 4));
 * ```
 */
export function startTimeAt(options: DatasetOptions, index: number): number {
  const dataset = resolveDataset(options);
  checkIndex(dataset, index);
  return startOf(dataset, index);
}

/**
 * The indexes of the records whose start time lies in `[from, to)`.
 *
 * @param options the dataset
 * @param from range start, epoch ms (inclusive)
 * @param to range end, epoch ms (exclusive)
 * @returns `{start, end}`, half-open: records `start` to `end - 1`
 *
 * @example
 * ```ts
 * import { indexRange } from "./start_times.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 100, from: 0, to: 100_000 };
 * assert.deepEqual(indexRange(options, 0, 100_000), { start: 0, end: 100 });
 * assert.deepEqual(indexRange(options, 0, 0), { start: 0, end: 0 });
 * ```
 */
export function indexRange(
  options: DatasetOptions,
  from: number,
  to: number,
): { start: number; end: number } {
  const dataset = resolveDataset(options);
  const firstAtOrAfter = (time: number): number => {
    let low = 0;
    let high = dataset.count;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (startOf(dataset, middle) < time) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const start = firstAtOrAfter(from);
  return { start, end: Math.max(start, firstAtOrAfter(to)) };
}
