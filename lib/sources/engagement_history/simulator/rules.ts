/**
 * The Engagement History search endpoint's rules, as the simulator enforces
 * them — written here from the API reference, never taken from the client, so
 * that a client with a wrong page size or window length fails against the
 * simulator as it would against LivePerson.
 *
 * @module
 */

/** Largest `limit`. */
export const MAX_LIMIT = 100;
/** `limit` when none is sent. */
export const DEFAULT_LIMIT = 50;
/** Longest `source` the API accepts. */
export const MAX_SOURCE_LENGTH = 20;
/** `start.from` is rounded down and `start.to` up to this step. */
export const ROUNDING_MS = 10 * 60 * 1000;
/** "At most one month" between the rounded bounds: the longest month. */
export const MAX_RANGE_MS = 31 * 24 * 60 * 60 * 1000;
/** Fields `sort` accepts. */
export const SORT_FIELDS: readonly string[] = Object.freeze([
  "start",
  "end",
  "duration",
  "visitor",
  "engagementId",
  "interactive",
  "agentId",
  "skillId",
]);

/**
 * Rounds a range outward to 10-minute boundaries, as the API does with `start`.
 *
 * @param from range start, epoch ms
 * @param to range end, epoch ms
 * @returns `from` rounded down and `to` rounded up
 *
 * @example
 * ```ts
 * import { roundRange } from "./rules.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(roundRange(61_000, 599_999), { from: 0, to: 600_000 });
 * assert.deepEqual(roundRange(600_000, 1_200_000), { from: 600_000, to: 1_200_000 });
 * ```
 */
export function roundRange(from: number, to: number): { from: number; to: number } {
  return {
    from: Math.floor(from / ROUNDING_MS) * ROUNDING_MS,
    to: Math.ceil(to / ROUNDING_MS) * ROUNDING_MS,
  };
}
