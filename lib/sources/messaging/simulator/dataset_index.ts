/**
 * The ids of the synthetic Messaging Interactions dataset: which index a
 * conversation id names, and which conversations a consumer had. When each
 * conversation starts is the generic simulator's arithmetic (start_times.ts).
 *
 * Consumers form a pool: conversation `i` belongs to consumer `i mod
 * poolSize`, so a consumer's conversations are found without a scan.
 *
 * @module
 */

import type { DatasetOptions, ResolvedDataset } from "../../../simulator/dataset_options.ts";
import { resolveDataset } from "../../../simulator/dataset_options.ts";
import { numberedUuid, numberOfUuid } from "./ids.ts";

/** One `conversationHistoryRecords[]` element. */
export type ConversationRecord = Record<string, unknown>;

const SALT_CONVERSATION = 1;
const SALT_CONSUMER = 2;
/** Conversations per consumer, on average: the pool has `ceil(count / 3)` consumers. */
export const CONVERSATIONS_PER_CONSUMER = 3;

/**
 * The `info.conversationId` of conversation `index`: a UUID that carries the index.
 *
 * @param dataset the resolved dataset
 * @param index the index
 * @returns the conversation id
 *
 * @example
 * ```ts
 * import { conversationIdOf } from "./dataset_index.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * const dataset = resolveDataset({ count: 10, from: 0, to: 10_000 });
 * assert.notEqual(conversationIdOf(dataset, 1), conversationIdOf(dataset, 2));
 * ```
 */
export function conversationIdOf(dataset: ResolvedDataset, index: number): string {
  return numberedUuid(index, { seed: dataset.seed, salt: SALT_CONVERSATION });
}

/**
 * Finds the index of the conversation with this id, in O(1).
 *
 * @param options the dataset
 * @param conversationId an `info.conversationId`
 * @returns the index, or undefined if no conversation of the dataset has that id
 *
 * @example
 * ```ts
 * import { conversationIdOf, indexOfConversationId } from "./dataset_index.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 10_000 };
 * assert.equal(indexOfConversationId(options, conversationIdOf(resolveDataset(options), 7)), 7);
 * assert.equal(indexOfConversationId(options, "e5c58e49-e4a5-40a8-8a18-d6580d1d5630"), undefined);
 * ```
 */
export function indexOfConversationId(
  options: DatasetOptions,
  conversationId: string,
): number | undefined {
  const dataset = resolveDataset(options);
  const index = numberOfUuid(conversationId, { seed: dataset.seed, salt: SALT_CONVERSATION });
  return index !== undefined && index < dataset.count ? index : undefined;
}

/**
 * How many consumers the dataset's conversations belong to.
 *
 * @param dataset the resolved dataset
 * @returns at least 1
 *
 * @example
 * ```ts
 * import { consumerPoolSize } from "./dataset_index.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * assert.equal(consumerPoolSize(resolveDataset({ count: 30, from: 0, to: 1_000 })), 10);
 * ```
 */
export function consumerPoolSize(dataset: ResolvedDataset): number {
  return Math.max(1, Math.ceil(dataset.count / CONVERSATIONS_PER_CONSUMER));
}

/**
 * The number of the consumer of conversation `index`.
 *
 * @param dataset the resolved dataset
 * @param index the conversation index
 * @returns `index mod poolSize`
 *
 * @example
 * ```ts
 * import { consumerNumberOf } from "./dataset_index.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * const dataset = resolveDataset({ count: 30, from: 0, to: 1_000 });
 * assert.equal(consumerNumberOf(dataset, 3), consumerNumberOf(dataset, 13));
 * ```
 */
export function consumerNumberOf(dataset: ResolvedDataset, index: number): number {
  return index % consumerPoolSize(dataset);
}

/**
 * The participant id (`consumerParticipants[].participantId`) of consumer `number`.
 *
 * @param dataset the resolved dataset
 * @param number the consumer's number
 * @returns a UUID that carries the number
 *
 * @example
 * ```ts
 * import { consumerIdOf } from "./dataset_index.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * assert.match(consumerIdOf(resolveDataset({ count: 3, from: 0, to: 10 }), 0), /^[0-9a-f-]{36}$/);
 * ```
 */
export function consumerIdOf(dataset: ResolvedDataset, number: number): string {
  return numberedUuid(number, { seed: dataset.seed, salt: SALT_CONSUMER });
}

/**
 * The indexes of a consumer's conversations, in start order, in O(count / poolSize).
 *
 * @param options the dataset
 * @param participantId a consumer participant id
 * @returns the indexes; empty for an unknown consumer
 *
 * @example
 * ```ts
 * import { consumerIdOf, indexesOfConsumer } from "./dataset_index.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 30, from: 0, to: 1_000 };
 * assert.deepEqual(indexesOfConsumer(options, consumerIdOf(resolveDataset(options), 4)), [4, 14, 24]);
 * assert.deepEqual(indexesOfConsumer(options, "nobody"), []);
 * ```
 */
export function indexesOfConsumer(options: DatasetOptions, participantId: string): number[] {
  const dataset = resolveDataset(options);
  const poolSize = consumerPoolSize(dataset);
  const number = numberOfUuid(participantId, { seed: dataset.seed, salt: SALT_CONSUMER });
  const indexes: number[] = [];
  if (number === undefined || number >= poolSize) return indexes;
  for (let index = number; index < dataset.count; index += poolSize) indexes.push(index);
  return indexes;
}
