/**
 * The time skeleton of a conversation: when it starts, when each message of
 * the main dialog is sent, when it closes, whether a post-conversation survey
 * dialog follows and when that closes. It is drawn from its own stream, apart
 * from the content, so the clock and the filters (status, latestUpdateTime,
 * sort by end) can read it for thousands of conversations without building
 * any of them; the record builder follows it exactly.
 *
 * @module
 */

import {
  type DatasetOptions,
  resolveDataset,
  type ResolvedDataset,
} from "../../../simulator/dataset_options.ts";
import { createRandom, mixSeed } from "../../../simulator/random.ts";
import { checkIndex, startOf } from "../../../simulator/start_times.ts";

const STREAM_PLAN = 5;
const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * Events that follow the close (agent surveys, summaries, late SDEs) happen
 * within this long after it.
 */
export const AFTER_CLOSE_MS = 2 * HOUR;

/**
 * In a conversation that never ends, the last events (statuses, scores) follow
 * its last message (or its start) within this long.
 */
export const STUCK_TAIL_MS = 5 * MINUTE;

/** The post-conversation survey dialog. */
export interface SurveyDialogPlan {
  /** When it opens: the moment the main dialog closes. */
  readonly start: number;
  /** When it closes: the survey was submitted, or it timed out. */
  readonly end: number;
  /** `true` when the consumer submitted the survey, `false` when it timed out. */
  readonly submitted: boolean;
}

/** When things happen in one conversation. */
export interface ConversationPlan {
  /** `info.startTimeL`. */
  readonly start: number;
  /** The conversation never ends (abandoned, still open). */
  readonly stuckOpen: boolean;
  /** Times of the main dialog's messages, strictly increasing; may be empty. */
  readonly messageTimes: readonly number[];
  /** When the main dialog closed (`conversationEndTimeL`); -1 when it never does. */
  readonly conversationEnd: number;
  /** The post-conversation survey dialog, if any. */
  readonly survey?: SurveyDialogPlan;
  /** When the last dialog closed (`fullDialogEndTimeL`, `endTimeL`); -1 when never. */
  readonly fullDialogEnd: number;
  /**
   * No event of the conversation happens later than this. A conversation that
   * never ends has its last events a few minutes after its last message; only
   * its duration grows after that.
   */
  readonly settledBy: number;
}

function drawMessageTimes(random: ReturnType<typeof createRandom>, start: number): number[] {
  if (random.chance(0.03)) return [];
  // Most conversations are short; a few run long.
  const count = random.chance(0.15) ? random.int(16, 40) : random.int(1, 15);
  const times: number[] = [];
  let clock = start + random.int(1 * SECOND, 40 * SECOND);
  for (let i = 0; i < count; i++) {
    times.push(clock);
    // Messaging is asynchronous: now and then the consumer comes back hours later.
    clock += random.chance(0.06)
      ? random.int(20 * MINUTE, 5 * HOUR)
      : random.int(3 * SECOND, 3 * MINUTE);
  }
  return times;
}

/**
 * The plan of conversation `index` of a resolved dataset.
 *
 * @param dataset the resolved dataset
 * @param index the index, already checked
 * @returns the plan
 *
 * @example
 * ```ts
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { planOf } from "./dataset_plan.ts";
 * import assert from "node:assert/strict";
 * const plan = planOf(resolveDataset({ count: 5, from: 0, to: 86_400_000, stuckOpenRate: 0 }), 2);
 * assert.ok(plan.conversationEnd > plan.start);
 * ```
 */
export function planOf(dataset: ResolvedDataset, index: number): ConversationPlan {
  const start = startOf(dataset, index);
  const random = createRandom(mixSeed(dataset.seed, index, STREAM_PLAN));
  const stuckOpen = random.next() < dataset.stuckOpenRate;
  const messageTimes = drawMessageTimes(random, start);
  const last = messageTimes.at(-1) ?? start;
  // Closed by a person within minutes, or by the system after a long silence.
  const closeDelay = random.chance(0.8)
    ? random.int(5 * SECOND, 10 * MINUTE)
    : random.int(30 * MINUTE, 2 * HOUR);
  const hasSurvey = random.chance(0.4);
  const surveyLength = random.int(30 * SECOND, 20 * MINUTE);
  const submitted = random.chance(0.8);
  if (stuckOpen) {
    return {
      start,
      stuckOpen,
      messageTimes,
      conversationEnd: -1,
      fullDialogEnd: -1,
      settledBy: last + STUCK_TAIL_MS,
    };
  }
  const conversationEnd = last + closeDelay;
  const survey = hasSurvey
    ? { start: conversationEnd, end: conversationEnd + surveyLength, submitted }
    : undefined;
  const fullDialogEnd = survey?.end ?? conversationEnd;
  return {
    start,
    stuckOpen,
    messageTimes,
    conversationEnd,
    ...(survey ? { survey } : {}),
    fullDialogEnd,
    settledBy: Math.max(fullDialogEnd, conversationEnd + AFTER_CLOSE_MS),
  };
}

/**
 * The plan of conversation `index`: its key times, without building it.
 *
 * @param options the dataset
 * @param index the index, `0 <= index < count`
 * @returns the plan
 *
 * @example
 * ```ts
 * import { planAt } from "./dataset_plan.ts";
 * import assert from "node:assert/strict";
 * const plan = planAt({ count: 5, from: 0, to: 86_400_000, stuckOpenRate: 1 }, 0);
 * assert.equal(plan.conversationEnd, -1);
 * ```
 */
export function planAt(options: DatasetOptions, index: number): ConversationPlan {
  const dataset = resolveDataset(options);
  checkIndex(dataset, index);
  return planOf(dataset, index);
}
