/**
 * Numbers and durations written for people.
 *
 * @module
 */

/**
 * Formats a duration for people: `42s`, `3m 05s`, `2h 10m`.
 *
 * @param ms milliseconds
 * @returns the text
 *
 * @example
 * ```ts
 * import { formatDuration } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatDuration(185_000), "3m 05s");
 * ```
 */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/**
 * Formats an instant as ISO-8601 UTC to the second, for messages.
 *
 * @param ms epoch milliseconds
 * @returns e.g. `2024-01-01T00:00:00Z`
 *
 * @example
 * ```ts
 * import { formatInstant } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatInstant(Date.UTC(2024, 0, 1, 12)), "2024-01-01T12:00:00Z");
 * ```
 */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
