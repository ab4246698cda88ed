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

/**
 * Names a window's folder by its UTC bounds.
 *
 * @param window the window
 * @returns the folder name
 *
 * @example
 * ```ts
 * import { windowFolderName } from "./windows.ts";
 * import assert from "node:assert/strict";
 * const from = Date.UTC(2024, 0, 1), to = Date.UTC(2024, 0, 1, 0, 10);
 * assert.equal(windowFolderName({ from, to }), "20240101T000000Z_20240101T001000Z");
 * ```
 */
export function windowFolderName(window: TimeWindow): string {
  const compact = (ms: number) =>
    new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
  return `${compact(window.from)}_${compact(window.to)}`;
}

/** The API rounds `start.from` down and `start.to` up to this step. */
export const ROUNDING_MS = 10 * 60 * 1000;

/** Options of {@linkcode splitIntoWindows}. */
export interface SplitOptions {
  /** Longest window, and the grid step, in ms; default one day. */
  readonly windowMs?: number;
  /** Longest window the API accepts, in ms; `windowMs` may not exceed it. */
  readonly maxWindowMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `--window` of a run over dates: a week. Each window's last page is partly
 * empty, so fewer windows cost fewer requests (a busy month of 5 000 chats:
 * 53 requests in weeks, 62 in days, 50 at the least); a week stays well under
 * the API's one-month maximum, and a window whose count changes while it is
 * paged (only an unsettled one) costs at most a week to fetch again.
 */
export const DEFAULT_WINDOW_MS = 7 * DAY_MS;

/**
 * `--window` of a `--since-last` run: a day. An unsettled window is fetched
 * again whole by every run, and the cursor only moves past settled windows,
 * so a nightly run reads about one day more than a window: with weeks it
 * would read some three days more each night.
 */
export const SINCE_LAST_WINDOW_MS = DAY_MS;

/**
 * Checks a window length against the API's rules: a whole number of 10-minute
 * steps, at most the API's longest window.
 *
 * @param windowMs the length, in ms
 * @param maxWindowMs the API's longest window, in ms
 * @throws {RangeError} naming `--window` and what is allowed
 *
 * @example
 * ```ts
 * import { checkWindowLength } from "./windows.ts";
 * import assert from "node:assert/strict";
 * checkWindowLength(86_400_000, 31 * 86_400_000);
 * assert.throws(() => checkWindowLength(5 * 60_000, 31 * 86_400_000), /multiple of 10 minutes/);
 * ```
 */
export function checkWindowLength(windowMs: number, maxWindowMs = Infinity): void {
  if (!Number.isInteger(windowMs) || windowMs < ROUNDING_MS || windowMs % ROUNDING_MS !== 0) {
    throw new RangeError(
      `Invalid --window of ${windowMs / 60_000} minutes: use a multiple of 10 minutes, ` +
        `such as 30m, 6h or 1d`,
    );
  }
  if (windowMs > maxWindowMs) {
    throw new RangeError(
      `Invalid --window of ${windowMs / DAY_MS} days: the API allows at most ` +
        `${maxWindowMs / DAY_MS} days per request; choose a shorter --window`,
    );
  }
}

/**
 * Splits `[from, to)` into windows of at most `windowMs` that lie on a fixed
 * grid: boundaries at multiples of `windowMs` counted from the Unix epoch
 * (UTC midnights for one-day windows). A window therefore has the same
 * bounds, and the same folder, whatever range a run asked for, so that a run
 * resumes or settles exactly the windows an earlier run stored. The range is
 * widened outward to 10-minute boundaries (as the API does); its first and
 * last windows may be shorter than `windowMs`.
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
 * const day = 86_400_000, hour = 3_600_000;
 * const windows = splitIntoWindows({ from: 22 * hour, to: 2 * day + 12 * hour });
 * assert.deepEqual(windows.map((w) => (w.to - w.from) / hour), [2, 24, 12]);
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
  checkWindowLength(windowMs, maxWindowMs);
  const start = Math.floor(range.from / ROUNDING_MS) * ROUNDING_MS;
  const end = Math.ceil(range.to / ROUNDING_MS) * ROUNDING_MS;
  const windows: TimeWindow[] = [];
  for (let from = start; from < end;) {
    const boundary = (Math.floor(from / windowMs) + 1) * windowMs;
    const to = Math.min(boundary, end);
    windows.push({ from, to });
    from = to;
  }
  return windows;
}

/**
 * Parses a length of time typed by a user: a whole number and a unit, `s`,
 * `m`, `h`, `d` or `w` (`90s`, `30m`, `6h`, `1d`, `2w`).
 *
 * @param text the length
 * @param optionName the option it came from, for the message (`--window`)
 * @returns milliseconds
 * @throws {RangeError} naming the option, the input and the accepted forms
 *
 * @example
 * ```ts
 * import { parseDuration } from "./windows.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseDuration("6h", "--window"), 6 * 3_600_000);
 * assert.throws(() => parseDuration("1 day", "--window"), /Invalid --window "1 day"/);
 * ```
 */
export function parseDuration(text: string, optionName: string): number {
  const match = /^(\d+)(s|m|h|d|w)$/.exec(text.trim());
  if (!match) {
    throw new RangeError(
      `Invalid ${optionName} "${text}": expected a whole number and a unit, such as ` +
        `90s, 30m, 6h, 1d or 2w`,
    );
  }
  const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS }[match[2] as "m"];
  return Number(match[1]) * unitMs;
}
