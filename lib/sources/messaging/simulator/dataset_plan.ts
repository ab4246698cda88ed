/**
 * The time skeleton of a conversation: when it starts, who handles it (a bot,
 * a human, both, nobody), when each message of the main dialog is sent (a
 * human's first answer after a queue wait that grows in busy hours, with a
 * long tail), when it closes, whether a post-conversation survey dialog
 * follows and when that closes. It is drawn from its own stream, apart
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
import { createRandom, mixSeed, type Random } from "../../../simulator/random.ts";
import { checkIndex, startOf } from "../../../simulator/start_times.ts";
import { trafficAt } from "../../../simulator/traffic.ts";

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

/**
 * Who handles a conversation: nobody yet (still in the queue), a bot alone, a
 * bot then a human, a human, or a human who transfers it to another.
 */
export type Handling = "queue" | "bot" | "botThenHuman" | "human" | "humanTransfer";

/** When things happen in one conversation. */
export interface ConversationPlan {
  /** `info.startTimeL`. */
  readonly start: number;
  /** Who handles it; a conversation without messages stays in the queue. */
  readonly handling: Handling;
  /** The local hour at the start, on the account's clock (who is on shift). */
  readonly hour: number;
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

function lognormal(random: Random, median: number, spread: number): number {
  const u = Math.max(random.next(), 1e-9);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  return median * Math.exp(spread * z);
}

/**
 * The wait before the first handler's first message: a bot answers at once;
 * a human after a queue wait that grows with the traffic, with a long tail.
 */
function firstWait(random: Random, handling: Handling, load: number): number {
  if (handling === "bot" || handling === "botThenHuman") return random.int(1 * SECOND, 6 * SECOND);
  const busy = 0.35 + 0.65 * Math.min(load, 2.5) ** 1.5;
  let wait = lognormal(random, 40 * SECOND * busy, 0.9);
  if (random.chance(0.04)) wait *= 4 + 12 * random.next();
  return Math.round(Math.min(Math.max(wait, 3 * SECOND), 2 * HOUR));
}

function drawMessageTimes(
  random: Random,
  start: number,
  handling: { readonly handling: Handling; readonly load: number },
): number[] {
  if (random.chance(0.03)) return [];
  // Most conversations are short; a few run long.
  const count = random.chance(0.15) ? random.int(16, 40) : random.int(1, 15);
  const times: number[] = [];
  let clock = start + random.int(1 * SECOND, 40 * SECOND);
  const wait = firstWait(random, handling.handling, handling.load);
  for (let i = 0; i < count; i++) {
    times.push(clock);
    // Messaging is asynchronous: now and then the consumer comes back hours later.
    clock += i === 0
      ? wait
      : random.chance(0.06)
      ? random.int(20 * MINUTE, 5 * HOUR)
      : random.int(3 * SECOND, 3 * MINUTE);
  }
  return times;
}

function drawHandling(random: Random, load: number): Handling {
  const roll = random.next();
  // Bots take more of the quiet hours, when few humans are on shift.
  const botAlone = 0.18 + 0.2 * Math.max(0, 1 - load);
  if (roll < 0.05) return "queue";
  if (roll < 0.05 + botAlone) return "bot";
  if (roll < 0.3 + botAlone) return "botThenHuman";
  if (roll < 0.88) return "human";
  return "humanTransfer";
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
  const { load, hour } = trafficAt(dataset, start);
  const drawn = drawHandling(random, load);
  const messageTimes = drawMessageTimes(random, start, { handling: drawn, load });
  const handling = messageTimes.length === 0 ? "queue" : drawn;
  const last = messageTimes.at(-1) ?? start;
  // Closed by a person within minutes, or by the system after a long silence.
  const closeDelay = random.chance(0.8)
    ? random.int(5 * SECOND, 10 * MINUTE)
    : random.int(30 * MINUTE, 2 * HOUR);
  const hasSurvey = random.chance(0.4);
  const surveyLength = random.int(30 * SECOND, 20 * MINUTE);
  const submitted = random.chance(0.8);
  const common = { start, handling, hour, stuckOpen, messageTimes };
  if (stuckOpen) {
    return {
      ...common,
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
    ...common,
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
