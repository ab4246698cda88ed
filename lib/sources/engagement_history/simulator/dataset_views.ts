/**
 * What a synthetic record looks like at a moment: the simulator's clock.
 *
 * Each record has a final form ({@linkcode engagementAt}); what a client sees
 * depends on when it asks:
 * - a record appears in search shortly after it starts, a few only 30 to 150
 *   minutes later (late data, visible after the chat has ended);
 * - until it ends, a chat is open: `ended: false`, `endTimeL: -1`, and only
 *   the lines and surveys that exist by then;
 * - the search copy of some records is partial (`isPartial: true`, transcript
 *   lines and surveys missing), while the request by `engagementId` returns
 *   them whole. Open and partial are independent.
 *
 * When a record appears, and whether its search copy is partial, is drawn as
 * for every simulated API (`lib/simulator/visibility.ts`).
 *
 * @module
 */

import { type DatasetOptions, resolveDataset } from "../../../simulator/dataset_options.ts";
import { checkIndex } from "../../../simulator/start_times.ts";
import { type RecordView, type Visibility, visibilityOf } from "../../../simulator/visibility.ts";
import { engagementAt } from "./dataset.ts";
import type { EngagementRecord } from "./dataset_index.ts";

/**
 * The timeline of record `index`, without building the record.
 *
 * @param options the dataset
 * @param index the record index
 * @returns start, first appearance and whether search shows it partial
 *
 * @example
 * ```ts
 * import { timelineOf } from "./dataset_views.ts";
 * import assert from "node:assert/strict";
 * const timeline = timelineOf({ count: 10, from: 0, to: 86_400_000 }, 3);
 * assert.ok(timeline.visibleAt > timeline.start);
 * ```
 */
export function timelineOf(options: DatasetOptions, index: number): Visibility {
  const dataset = resolveDataset(options);
  checkIndex(dataset, index);
  return visibilityOf(dataset, index);
}

interface Line {
  timeL?: unknown;
  lineSeq?: unknown;
}

function asList<T>(value: unknown): T[] {
  return Array.isArray(value) ? value as T[] : [];
}

/** The record as it was before it ended, at `now`. */
function openCopy(record: EngagementRecord, now: number): EngagementRecord {
  const copy = structuredClone(record);
  const info = copy.info as Record<string, unknown>;
  Object.assign(info, {
    endTime: "undefined",
    endTimeL: -1,
    duration: 0,
    endReason: "-1",
    endReasonDesc: "undefined",
    ended: false,
    isPostChatSurvey: false,
    isAgentSurvey: false,
  });
  const transcript = copy.transcript as { lines?: unknown } | undefined;
  if (transcript) {
    transcript.lines = asList<Line>(transcript.lines).filter((line) => Number(line.timeL) <= now);
    keepScoresOf(copy, asList<Line>(transcript.lines));
  }
  const surveys = copy.surveys as Record<string, unknown> | undefined;
  if (surveys) {
    surveys.postChat = [];
    surveys.operator = [];
  }
  return copy;
}

/** The search copy of a record the server truncated. */
function partialCopy(record: EngagementRecord): EngagementRecord {
  const copy = structuredClone(record);
  (copy.info as Record<string, unknown>).isPartial = true;
  const transcript = copy.transcript as { lines?: unknown } | undefined;
  if (transcript) {
    const lines = asList<Line>(transcript.lines);
    transcript.lines = lines.slice(0, Math.ceil(lines.length / 2));
    keepScoresOf(copy, asList<Line>(transcript.lines));
  }
  const surveys = copy.surveys as Record<string, unknown> | undefined;
  if (surveys) delete surveys.postChat;
  return copy;
}

function keepScoresOf(record: EngagementRecord, lines: readonly Line[]): void {
  if (!Array.isArray(record.lineScores)) return;
  const kept = new Set(lines.map((line) => line.lineSeq));
  record.lineScores = asList<Line>(record.lineScores).filter((score) => kept.has(score.lineSeq));
}

/**
 * Record `index` as a client sees it at `now`: undefined before it appears,
 * open until it ends, partial in search when so drawn.
 *
 * @param options the dataset
 * @param index the record index
 * @param moment the simulator's time and how the record is asked for
 * @returns the record, or undefined when it cannot be seen yet
 *
 * @example
 * ```ts
 * import { engagementAsOf, timelineOf } from "./dataset_views.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 600_000, stuckOpenRate: 0 };
 * const { visibleAt } = timelineOf(options, 0);
 * assert.equal(engagementAsOf(options, 0, { now: visibleAt - 1, view: "search" }), undefined);
 * const later = engagementAsOf(options, 0, { now: 86_400_000, view: "byId" })!;
 * assert.equal((later.info as { ended: boolean }).ended, true);
 * ```
 */
export function engagementAsOf(
  options: DatasetOptions,
  index: number,
  moment: { readonly now: number; readonly view: RecordView },
): EngagementRecord | undefined {
  const timeline = timelineOf(options, index);
  if (moment.now < timeline.visibleAt) return undefined;
  let record = engagementAt(options, index);
  const endL = Number((record.info as { endTimeL?: unknown }).endTimeL);
  if (endL !== -1 && moment.now < endL) record = openCopy(record, moment.now);
  if (moment.view === "search" && timeline.searchPartial) record = partialCopy(record);
  return record;
}
