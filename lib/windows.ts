/**
 * Splitting a time range into the windows one search request may cover.
 *
 * @module
 */

/** A half-open time range `[from, to)` in epoch milliseconds (UTC). */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** The API rounds `start.from` down and `start.to` up to this step. */
export const ROUNDING_MS = 10 * 60 * 1000;

/** Options of {@linkcode splitIntoWindows}. */
export interface SplitOptions {
  /** Longest window, in ms; default one day. */
  readonly windowMs?: number;
  /** Longest window the API accepts, in ms; `windowMs` may not exceed it. */
  readonly maxWindowMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Splits `[from, to)` into consecutive windows of at most `windowMs`, each bound
 * on a 10-minute boundary so that the API's rounding never widens a window into
 * its neighbour. The range itself is widened outward to 10-minute boundaries
 * (as the API would); inner bounds stay on multiples of `windowMs` counted
 * from the start.
 *
 * @param range the range to cover
 * @param options window size and the API's maximum
 * @returns windows in time order, covering the range with no gap or overlap
 * @throws {RangeError} if the range is empty or the window size is invalid
 *
 * @example
 * ```ts
 * import { splitIntoWindows } from "./windows.ts";
 * import assert from "node:assert/strict";
 * const day = 86_400_000;
 * const windows = splitIntoWindows({ from: 0, to: 2.5 * day });
 * assert.deepEqual(windows.map((w) => (w.to - w.from) / day), [1, 1, 0.5]);
 * ```
 */
export function splitIntoWindows(range: TimeWindow, options: SplitOptions = {}): TimeWindow[] {
  const windowMs = options.windowMs ?? DAY_MS;
  const maxWindowMs = options.maxWindowMs ?? Infinity;
  if (!(range.to > range.from)) {
    throw new RangeError(
      `Empty time range: it must end after it starts (from ${range.from}, to ${range.to})`,
    );
  }
  if (!Number.isInteger(windowMs) || windowMs < ROUNDING_MS || windowMs % ROUNDING_MS !== 0) {
    throw new RangeError(
      `Invalid window of ${windowMs} ms: use a multiple of 10 minutes, such as 1h or 1d`,
    );
  }
  if (windowMs > maxWindowMs) {
    throw new RangeError(
      `Window of ${windowMs / DAY_MS} days is longer than the API allows ` +
        `(${maxWindowMs / DAY_MS} days): choose a shorter --window`,
    );
  }
  const start = Math.floor(range.from / ROUNDING_MS) * ROUNDING_MS;
  const end = Math.ceil(range.to / ROUNDING_MS) * ROUNDING_MS;
  const windows: TimeWindow[] = [];
  for (let from = start; from < end; from += windowMs) {
    windows.push({ from, to: Math.min(from + windowMs, end) });
  }
  return windows;
}

/**
 * Parses a window length such as `1d`, `6h`, `30m` or `2w` into milliseconds.
 *
 * @param text the length
 * @returns milliseconds
 * @throws {RangeError} naming the input and the accepted forms
 *
 * @example
 * ```ts
 * import { parseDuration } from "./windows.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseDuration("6h"), 6 * 3_600_000);
 * ```
 */
export function parseDuration(text: string): number {
  const match = /^(\d+)(m|h|d|w)$/.exec(text.trim());
  if (!match) {
    throw new RangeError(
      `Invalid --window "${text}": expected a number and a unit, such as 30m, 6h, 1d or 2w`,
    );
  }
  const unitMs = { m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS }[match[2] as "m"];
  return Number(match[1]) * unitMs;
}
