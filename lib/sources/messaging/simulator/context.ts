/**
 * What every node builder of one conversation shares: its ids, its plan, its
 * consumer, how it writes times, and its seeded content stream.
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import { formatLpTime } from "../../../simulator/values.ts";
import type { ResolvedDataset } from "../../../simulator/dataset_options.ts";
import type { ConversationPlan } from "./dataset_plan.ts";
import type { ConsumerProfile } from "./roster.ts";

/** Formats epoch ms as the record's string times; `"undefined"` for -1. */
export type TimeFormatter = (ms: number) => string;

/** One conversation being built. */
export interface ConversationContext {
  readonly dataset: ResolvedDataset;
  readonly index: number;
  /** `info.conversationId`, also the main dialog's id. */
  readonly conversationId: string;
  /** The post-conversation survey dialog's id. */
  readonly surveyDialogId: string;
  readonly plan: ConversationPlan;
  readonly consumer: ConsumerProfile;
  /** This is the consumer's first conversation in the dataset. */
  readonly firstConversation: boolean;
  /** How the record writes string times. */
  readonly timeForm: TimeForm;
  readonly format: TimeFormatter;
  /** The conversation's content stream. */
  readonly random: Random;
}

/**
 * A string time and its epoch twin, as LivePerson writes them side by side.
 *
 * @param format the record's time formatter
 * @param name the field name without the `L`
 * @param ms epoch ms, or -1 for none
 * @returns `{[name]: text, [name + "L"]: ms}`
 *
 * @example
 * ```ts
 * import { timePair } from "./context.ts";
 * import assert from "node:assert/strict";
 * const format = (ms: number) => (ms < 0 ? "undefined" : String(ms));
 * assert.deepEqual(timePair(format, "time", -1), { time: "undefined", timeL: -1 });
 * ```
 */
export function timePair(
  format: TimeFormatter,
  name: string,
  ms: number,
): Record<string, string | number> {
  return { [name]: format(ms), [`${name}L`]: ms };
}

/** How a record writes its string times. */
export type TimeForm = "space" | "T";

/**
 * The time formatter of a record that writes its times in `form`.
 *
 * @param form `"space"` (`2024-01-02 03:04:05.006+0000`, as the examples) or `"T"`
 * @returns a formatter that writes `"undefined"` for -1
 *
 * @example
 * ```ts
 * import { formatterOf } from "./context.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatterOf("space")(0), "1970-01-01 00:00:00.000+0000");
 * assert.equal(formatterOf("T")(-1), "undefined");
 * ```
 */
export function formatterOf(form: TimeForm): TimeFormatter {
  return (ms) => (ms < 0 ? "undefined" : formatLpTime(ms, form));
}
