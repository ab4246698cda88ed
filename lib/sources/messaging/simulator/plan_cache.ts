/**
 * A memory of plans and last-change times for the dataset a server serves.
 *
 * Filters that read the plan (status, latestUpdateTime, sort by end) visit
 * every conversation of the window on every page; remembering the plans (and,
 * for settled conversations, when they last changed) makes paging through a
 * large filtered window cost the plans once instead of once per page. Both
 * are pure functions of the dataset and the index, so the memory can never be
 * stale; it is dropped when another dataset is asked about or when it grows
 * past {@linkcode MAX_REMEMBERED}.
 *
 * @module
 */

import { buildConversation } from "./dataset.ts";
import type { ResolvedDataset } from "../../../simulator/dataset_options.ts";
import { type ConversationPlan, planOf } from "./dataset_plan.ts";
import { updatedAt } from "./view_copies.ts";

/** Most plans remembered at once. */
export const MAX_REMEMBERED = 500_000;

let rememberedFor = "";
let plans = new Map<number, ConversationPlan>();
let lastChanges = new Map<number, number>();

function memoryFor(dataset: ResolvedDataset): void {
  const key = JSON.stringify(dataset);
  if (key !== rememberedFor || plans.size > MAX_REMEMBERED) {
    rememberedFor = key;
    plans = new Map();
    lastChanges = new Map();
  }
}

/**
 * The plan of conversation `index`, remembered.
 *
 * @param dataset the resolved dataset
 * @param index the index, already checked
 * @returns the same plan as {@linkcode planOf}
 *
 * @example
 * ```ts
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { planOf } from "./dataset_plan.ts";
 * import { rememberedPlan } from "./plan_cache.ts";
 * import assert from "node:assert/strict";
 * const dataset = resolveDataset({ count: 5, from: 0, to: 86_400_000 });
 * assert.deepEqual(rememberedPlan(dataset, 2), planOf(dataset, 2));
 * assert.equal(rememberedPlan(dataset, 2), rememberedPlan(dataset, 2));
 * ```
 */
export function rememberedPlan(dataset: ResolvedDataset, index: number): ConversationPlan {
  memoryFor(dataset);
  let plan = plans.get(index);
  if (!plan) plans.set(index, plan = planOf(dataset, index));
  return plan;
}

/**
 * When conversation `index` last changed, once nothing changes any more.
 *
 * @param dataset the resolved dataset
 * @param index the index, already checked
 * @returns epoch ms, at most the plan's `settledBy`
 *
 * @example
 * ```ts
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { lastChangeOf, rememberedPlan } from "./plan_cache.ts";
 * import assert from "node:assert/strict";
 * const dataset = resolveDataset({ count: 5, from: 0, to: 86_400_000 });
 * assert.ok(lastChangeOf(dataset, 1) <= rememberedPlan(dataset, 1).settledBy);
 * ```
 */
export function lastChangeOf(dataset: ResolvedDataset, index: number): number {
  memoryFor(dataset);
  let time = lastChanges.get(index);
  if (time === undefined) {
    lastChanges.set(index, time = updatedAt(buildConversation(dataset, index), Infinity));
  }
  return time;
}
