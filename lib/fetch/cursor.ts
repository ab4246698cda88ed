/**
 * The cursor of nightly runs: where the settled data of earlier runs ends,
 * read from the manifest (the windows actually fetched), never from the clock.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { formatInstant } from "../format.ts";
import type { ManifestEntry } from "./manifest.ts";
import { planUpdates, type UpdatesPlan } from "./updates.ts";
import type { TimeWindow } from "./windows.ts";

/**
 * Where the settled data of earlier runs ends: the latest end of a window
 * recorded complete and settled. Backfills of older ranges never move it back.
 *
 * @param entries the manifest's entries
 * @returns epoch ms, or undefined when no window has settled
 *
 * @example
 * ```ts
 * import { settledUntil } from "./cursor.ts";
 * import assert from "node:assert/strict";
 * const line = (to: number, settled: boolean) => ({ kind: "window", window: { from: 0, to }, settled });
 * assert.equal(settledUntil([line(5, true), line(9, false), line(3, true)] as never[]), 5);
 * ```
 */
export function settledUntil(entries: readonly ManifestEntry[]): number | undefined {
  let until: number | undefined;
  for (const entry of entries) {
    if (entry.kind === "window" && entry.settled) {
      until = Math.max(until ?? -Infinity, entry.window.to);
    }
  }
  return until;
}

/** What a `--since-last` run fetches. */
export interface SinceLastPlan {
  /** From the cursor minus the lookback, to the requested end. */
  readonly range: TimeWindow;
  /** The lookback: settled data read again on purpose, for records that appeared late. */
  readonly reread: TimeWindow;
  /** The search of earlier windows for changed records, for an API that can make one. */
  readonly updates?: UpdatesPlan;
}

/** Options of {@linkcode sinceLastRange}. */
export interface SinceLastOptions {
  /** How far before the cursor to read again. */
  readonly lookbackMs: number;
  /** The end of the range, epoch ms. */
  readonly to: number;
  /** The API folder, for messages. */
  readonly where: string;
  /** For an API that can search by update time: now and how long it keeps records. */
  readonly updates?: { readonly now: number; readonly retentionMs: number };
}

/**
 * The plan of a `--since-last` run: from where the settled data of earlier
 * runs ends, minus the lookback, to `to`; the lookback is read again even
 * though it is settled. For an API that can search by update time, the
 * earlier windows are searched for records changed since (see updates.ts).
 *
 * @param entries the manifest's entries
 * @param options the lookback, the end of the range, the folder for messages, and updates
 * @returns the range, the part of it to read again, and the search for changes
 * @throws {UsageError} when no window has settled yet, or `to` lies before the cursor
 *
 * @example
 * ```ts
 * import { sinceLastRange } from "./cursor.ts";
 * import assert from "node:assert/strict";
 * const line = { kind: "window", window: { from: 0, to: 7_200_000 }, settled: true };
 * assert.deepEqual(
 *   sinceLastRange([line] as never[], { lookbackMs: 3_600_000, to: 9_000_000, where: "raw" }),
 *   { range: { from: 3_600_000, to: 9_000_000 }, reread: { from: 3_600_000, to: 7_200_000 } },
 * );
 * assert.throws(() => sinceLastRange([], { lookbackMs: 0, to: 1, where: "raw" }), /first fetch/);
 * ```
 */
export function sinceLastRange(
  entries: readonly ManifestEntry[],
  options: SinceLastOptions,
): SinceLastPlan {
  const cursor = settledUntil(entries);
  if (cursor === undefined) {
    throw new UsageError(
      `--since-last found no settled data in ${options.where} to go on from: run a first ` +
        `fetch with dates, e.g. deno task fetch --from 2024-01-01 --to 2024-01-31 ` +
        `(LivePerson keeps 13 months)`,
    );
  }
  const from = cursor - options.lookbackMs;
  if (options.to <= from) {
    throw new UsageError(
      `--to ends on ${formatInstant(options.to)}, before the settled data does ` +
        `(${formatInstant(cursor)}): leave --to out to fetch up to now`,
    );
  }
  const updates = options.updates &&
    planUpdates(entries, { from, lookbackMs: options.lookbackMs, ...options.updates });
  return {
    range: { from, to: options.to },
    reread: { from, to: cursor },
    ...(updates ? { updates } : {}),
  };
}
