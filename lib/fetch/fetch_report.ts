/**
 * What a fetch tells its user: the progress line while it runs, and the
 * summary line and warnings at the end.
 *
 * @module
 */

import { formatDuration, formatInstant } from "../format.ts";
import type { FetchProgress, FetchSummary } from "./fetch_history.ts";

/**
 * One line that says where a fetch stands: records of the known total, pages,
 * windows, retries, elapsed time and an estimate of the time left.
 *
 * @param progress the progress
 * @returns the line
 *
 * @example
 * ```ts
 * import { describeProgress } from "./fetch_report.ts";
 * import assert from "node:assert/strict";
 * const line = describeProgress({
 *   windows: 4, windowsDone: 2, windowsSkipped: 0, records: 250, recordsKnown: 300,
 *   pages: 3, retries: 1, incompleteRetries: 0, recordsRefetched: 0, elapsedMs: 10_000,
 * });
 * assert.equal(line, "250/300 records · 3 pages · window 2/4 · 1 retry · 10s elapsed · ETA 10s");
 * // Two windows done and two half done in 12 s: the two halves left take about 4 s.
 * const concurrent = describeProgress({
 *   windows: 4, windowsDone: 2, windowsSkipped: 0, records: 250, recordsKnown: 300,
 *   pages: 3, retries: 0, incompleteRetries: 0, recordsRefetched: 0, elapsedMs: 12_000,
 *   windowsPartlyDone: 1,
 * });
 * assert.match(concurrent, /ETA 4s$/);
 * ```
 */
export function describeProgress(progress: FetchProgress): string {
  // Windows in flight count by their share of pages stored: with several at once,
  // counting only finished ones would overstate the time per window.
  const partly = progress.windowsPartlyDone ?? 0;
  const fetchedWindows = progress.windowsDone - progress.windowsSkipped + partly;
  const remaining = progress.windows - progress.windowsDone - partly;
  const eta = progress.windowsDone > progress.windowsSkipped && remaining > 0
    ? ` · ETA ${formatDuration((progress.elapsedMs / fetchedWindows) * remaining)}`
    : "";
  const again = progress.incompleteRetries > 0
    ? ` · ${progress.incompleteRetries} incomplete page(s) fetched again`
    : "";
  const byKey = progress.recordsRefetched > 0
    ? ` · ${progress.recordsRefetched} record(s) fetched again by key`
    : "";
  return `${progress.records}/${progress.recordsKnown} records · ${progress.pages} pages · ` +
    `window ${progress.windowsDone}/${progress.windows} · ${progress.retries} ` +
    `${progress.retries === 1 ? "retry" : "retries"}${again}${byKey} · ` +
    `${formatDuration(progress.elapsedMs)} elapsed${eta}`;
}

/**
 * The lines that end a fetch: what was stored, what was skipped, up to when
 * data was read, and a warning for every window left incomplete.
 *
 * @param summary what the run did
 * @param where the API folder, for the message
 * @returns the summary line and the warnings
 *
 * @example
 * ```ts
 * import { summaryLines } from "./fetch_report.ts";
 * import assert from "node:assert/strict";
 * const [line] = summaryLines({
 *   windows: 2, windowsDone: 2, windowsSkipped: 1, records: 5, recordsKnown: 5, pages: 1,
 *   retries: 0, incompleteRetries: 0, recordsRefetched: 0, elapsedMs: 1000, incomplete: [],
 *   problems: [], unsettledWindows: 0, readUpTo: Date.UTC(2024, 0, 3), stillPartial: [],
 *   stillOpen: ["e7"], gone: [],
 * }, "data/raw/engagement-history");
 * assert.match(line!, /^Fetched 5 records in 1 pages from 1 windows \(1 already complete/);
 * ```
 */
export function summaryLines(summary: FetchSummary, where: string): string[] {
  const repaired = summary.problems.length > 0
    ? `, ${summary.problems.length} damaged or unlisted file(s) put right`
    : "";
  const unsettled = summary.unsettledWindows > 0
    ? `; ${summary.unsettledWindows} window(s) not settled yet, fetched again next run`
    : "";
  const records = summary.recordsRefetched > 0
    ? `; ${summary.recordsRefetched} partial or open record(s) fetched again by key`
    : "";
  const updated = summary.updates
    ? `; ${summary.updates.records} record(s) of earlier windows changed since ` +
      `${formatInstant(summary.updates.since)} fetched again`
    : "";
  const outstanding = summary.stillPartial.length + summary.stillOpen.length > 0
    ? `; still partial: ${summary.stillPartial.length}, still open: ${summary.stillOpen.length} ` +
      `(asked for again next run)`
    : "";
  const lines = [
    `Fetched ${summary.records} records in ${summary.pages} pages from ` +
    `${summary.windows - summary.windowsSkipped} windows (${summary.windowsSkipped} already ` +
    `complete, ${summary.retries} retries${repaired}) into ${where}; data read up to ` +
    `${formatInstant(summary.readUpTo)}${unsettled}${updated}${records}${outstanding}`,
  ];
  for (const { problem } of summary.incomplete.slice(0, 10)) {
    lines.push(`warning: incomplete: ${problem}`);
  }
  if (summary.incomplete.length > 0) {
    lines.push(
      `warning: ${summary.incomplete.length} window(s) are incomplete and not marked complete: ` +
        `run the same command again later to fetch what they lack`,
    );
  }
  return lines;
}
