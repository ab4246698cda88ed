/**
 * The ids of the synthetic Engagement History dataset: which chat id record
 * `i` has, and which index an `engagementId` names, both in O(1). When each
 * record starts is the generic simulator's arithmetic (start_times.ts).
 *
 * @module
 */

import { createRandom, mixSeed } from "../../../simulator/random.ts";
import type { DatasetOptions, ResolvedDataset } from "../../../simulator/dataset_options.ts";
import { resolveDataset } from "../../../simulator/dataset_options.ts";

/** One `interactionHistoryRecords[]` element. */
export type EngagementRecord = Record<string, unknown>;

/** First chat id; engagementId = accountId + 10-digit chat id. */
const CHAT_ID_BASE = 4_000_000_000;
/** Chat ids of consecutive records are this far apart at most. */
const CHAT_ID_STRIDE = 50;
/** The salt of the stream a record's chat id gap is drawn from. */
const STREAM_ID = 3;

/**
 * The chat id of record `index`: ids grow with the index, with a seeded gap.
 *
 * @param dataset the resolved dataset
 * @param index the index
 * @returns the 10-digit chat id
 */
export function chatIdOf(dataset: ResolvedDataset, index: number): number {
  const gap = createRandom(mixSeed(dataset.seed, index, STREAM_ID)).int(0, CHAT_ID_STRIDE - 1);
  return CHAT_ID_BASE + index * CHAT_ID_STRIDE + gap;
}

/**
 * Finds the index of the record with this `engagementId`, in O(1).
 *
 * @param options the dataset
 * @param engagementId accountId followed by the 10-digit chat id
 * @returns the index, or `undefined` if no record has that id
 *
 * @example
 * ```ts
 * import { chatIdOf, indexOfEngagementId } from "./dataset_index.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 10_000, accountId: "77" };
 * assert.equal(indexOfEngagementId(options, `77${chatIdOf(resolveDataset(options), 4)}`), 4);
 * assert.equal(indexOfEngagementId(options, "123"), undefined);
 * ```
 */
export function indexOfEngagementId(
  options: DatasetOptions,
  engagementId: string,
): number | undefined {
  const dataset = resolveDataset(options);
  if (!engagementId.startsWith(dataset.accountId)) return undefined;
  const chatText = engagementId.slice(dataset.accountId.length);
  if (!/^\d{10}$/.test(chatText)) return undefined;
  const index = Math.floor((Number(chatText) - CHAT_ID_BASE) / CHAT_ID_STRIDE);
  if (index < 0 || index >= dataset.count) return undefined;
  return chatIdOf(dataset, index) === Number(chatText) ? index : undefined;
}
