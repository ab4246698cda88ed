/**
 * What a synthetic conversation looks like at a moment: the simulator's clock.
 *
 * Each conversation has a final form ({@linkcode conversationAt}); what a
 * client sees depends on when it asks:
 * - a conversation appears shortly after it starts (the API's near-real-time
 *   lag), a few "late" ones only 30 to 150 minutes later;
 * - until it closes it is OPEN (`endTime` "undefined", `endTimeL` -1,
 *   duration up to now) with only the events that exist by then; between the
 *   close and the end of the survey dialog it is CLOSE without the survey;
 * - the search copy of some conversations is partial (`isPartial: true`,
 *   messages and surveys missing), while the request by conversation id
 *   returns them whole; file previews come only by id. Open and partial are
 *   independent.
 *
 * When a conversation appears, and whether its search copy is partial, is
 * drawn as for every simulated API (`lib/simulator/visibility.ts`).
 *
 * `latestUpdateTime` compares with {@linkcode updatedAtOf}: the data's own
 * times (messages, close, survey, SDEs…), not the time the record became
 * visible, so a late conversation whose last change is older than a client's
 * cursor is not found by that filter: a client must look back at least
 * `LATEST_APPEARANCE_MS`.
 *
 * @module
 */

import { type DatasetOptions, resolveDataset } from "../../../simulator/dataset_options.ts";
import { checkIndex } from "../../../simulator/start_times.ts";
import { type RecordView, type Visibility, visibilityOf } from "../../../simulator/visibility.ts";
import { type ContentRequest, selectContent } from "./content.ts";
import { buildConversation } from "./dataset.ts";
import type { ConversationRecord } from "./dataset_index.ts";
import { type ConversationPlan, planOf } from "./dataset_plan.ts";
import type { ConversationStatus } from "./rules.ts";
import { finalMoment, partialCopy, recordAsOf, updatedAt, withoutPreviews } from "./view_copies.ts";

/** When a conversation can be seen, whether search shows it partial, and its key times. */
export interface Timeline extends Visibility {
  /** When it closes (-1: never), when its survey dialog closes, when it stops changing. */
  readonly plan: ConversationPlan;
}

/**
 * The timeline of conversation `index`, without building it.
 *
 * @param options the dataset
 * @param index the index
 * @returns start, first appearance, whether search shows it partial, and its plan
 *
 * @example
 * ```ts
 * import { timelineOf } from "./dataset_views.ts";
 * import assert from "node:assert/strict";
 * const timeline = timelineOf({ count: 10, from: 0, to: 86_400_000 }, 3);
 * assert.ok(timeline.visibleAt > timeline.start);
 * ```
 */
export function timelineOf(options: DatasetOptions, index: number): Timeline {
  const dataset = resolveDataset(options);
  checkIndex(dataset, index);
  return { ...visibilityOf(dataset, index), plan: planOf(dataset, index) };
}

/**
 * The status of conversation `index` at `now`, from its plan.
 *
 * @param plan the conversation's plan
 * @param now epoch ms
 * @returns OPEN until it closes, then CLOSE
 *
 * @example
 * ```ts
 * import { statusAt } from "./dataset_views.ts";
 * import assert from "node:assert/strict";
 * assert.equal(statusAt({ conversationEnd: 10 }, 9), "OPEN");
 * assert.equal(statusAt({ conversationEnd: 10 }, 10), "CLOSE");
 * assert.equal(statusAt({ conversationEnd: -1 }, 1e15), "OPEN");
 * ```
 */
export function statusAt(
  plan: Pick<ConversationPlan, "conversationEnd">,
  now: number,
): ConversationStatus {
  return plan.conversationEnd !== -1 && now >= plan.conversationEnd ? "CLOSE" : "OPEN";
}

/**
 * `info.endTimeL` of a conversation at `now`, from its plan: -1 while open,
 * the close while its survey dialog is open, then the survey dialog's close.
 *
 * @param plan the conversation's plan
 * @param now epoch ms
 * @returns epoch ms or -1
 *
 * @example
 * ```ts
 * import { endTimeAt } from "./dataset_views.ts";
 * import assert from "node:assert/strict";
 * const plan = { conversationEnd: 10, fullDialogEnd: 20 };
 * assert.deepEqual([endTimeAt(plan, 5), endTimeAt(plan, 15), endTimeAt(plan, 25)], [-1, 10, 20]);
 * ```
 */
export function endTimeAt(
  plan: Pick<ConversationPlan, "conversationEnd" | "fullDialogEnd">,
  now: number,
): number {
  if (plan.conversationEnd === -1 || now < plan.conversationEnd) return -1;
  return now < plan.fullDialogEnd ? plan.conversationEnd : plan.fullDialogEnd;
}

/** A moment and how the conversation is asked for. */
export interface ViewRequest extends ContentRequest {
  /** The simulator's time, epoch ms. */
  readonly now: number;
  readonly view: RecordView;
}

/**
 * Conversation `index` as a client sees it at `now`: undefined before it
 * appears, open until it closes, partial in search when so drawn, with the
 * asked-for content and version.
 *
 * @param options the dataset
 * @param index the index
 * @param request the moment, the view, `content` (default: the defaults) and `v` (default "1")
 * @returns the record, or undefined when it cannot be seen yet
 *
 * @example
 * ```ts
 * import { conversationAsOf, timelineOf } from "./dataset_views.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 600_000, stuckOpenRate: 0 };
 * const { visibleAt } = timelineOf(options, 0);
 * assert.equal(conversationAsOf(options, 0, { now: visibleAt - 1, view: "search" }), undefined);
 * const later = conversationAsOf(options, 0, { now: 86_400_000, view: "byId" })!;
 * assert.equal((later.info as { status: string }).status, "CLOSE");
 * ```
 */
export function conversationAsOf(
  options: DatasetOptions,
  index: number,
  request: ViewRequest,
): ConversationRecord | undefined {
  const dataset = resolveDataset(options);
  checkIndex(dataset, index);
  const seen = visibilityOf(dataset, index);
  if (request.now < seen.visibleAt) return undefined;
  const built = buildConversation(dataset, index);
  const record = recordAsOf(built, Math.min(request.now, finalMoment(built)));
  if (built.story.plan.stuckOpen) {
    // A conversation that never ends keeps running: its duration grows with the clock.
    (record.info as Record<string, unknown>).duration = Math.max(0, request.now - seen.start);
  }
  if (request.view === "search") {
    withoutPreviews(record);
    if (seen.searchPartial) partialCopy(record);
  }
  return selectContent(record, request);
}

/**
 * When conversation `index` last changed by `now` (what `latestUpdateTime`
 * compares with), or undefined before it appears.
 *
 * @param options the dataset
 * @param index the index
 * @param now epoch ms
 * @returns epoch ms, or undefined
 *
 * @example
 * ```ts
 * import { timelineOf, updatedAtOf } from "./dataset_views.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 600_000, stuckOpenRate: 0 };
 * const { plan } = timelineOf(options, 2);
 * assert.equal(updatedAtOf(options, 2, plan.settledBy), updatedAtOf(options, 2, 1e15));
 * ```
 */
export function updatedAtOf(
  options: DatasetOptions,
  index: number,
  now: number,
): number | undefined {
  const dataset = resolveDataset(options);
  checkIndex(dataset, index);
  if (now < visibilityOf(dataset, index).visibleAt) return undefined;
  return updatedAt(buildConversation(dataset, index), now);
}
