/**
 * The answers of the three Messaging Interactions endpoints over the dataset
 * as it stands at a moment, independent of HTTP: which conversations match,
 * in which order, and the page envelope. An empty result is 204 No Content.
 *
 * @module
 */

import {
  type DatasetOptions,
  resolveDataset,
  type ResolvedDataset,
} from "../../../simulator/dataset_options.ts";
import { pageOf } from "../../../simulator/paging.ts";
import type { SimulatedAnswer } from "../../../simulator/simulated_api.ts";
import { indexRange } from "../../../simulator/start_times.ts";
import { visibleIndexes } from "../../../simulator/visibility.ts";
import { buildConversation } from "./dataset.ts";
import { indexesOfConsumer, indexOfConversationId } from "./dataset_index.ts";
import type { ConversationPlan } from "./dataset_plan.ts";
import { lastChangeOf, rememberedPlan } from "./plan_cache.ts";
import { conversationAsOf, endTimeAt, statusAt } from "./dataset_views.ts";
import type { ByConsumerRequest, ByIdRequest, SearchRequest, SortKey } from "./request.ts";
import { type ConversationStatus, DEFAULT_LIMIT, RECORDS_FIELD } from "./rules.ts";
import { updatedAt } from "./view_copies.ts";

/** Where and when a request is answered. */
export interface AnswerContext {
  /** Absolute URL of the endpoint without query, for the `_metadata` hrefs. */
  readonly href: string;
  /** The simulator's time, epoch ms. */
  readonly now: number;
}

/** Whether a conversation changed at or after `since` (by `now`), building it only when needed. */
function changedSince(
  dataset: ResolvedDataset,
  index: number,
  plan: ConversationPlan,
  moment: { since: number; now: number },
): boolean {
  if (plan.start >= moment.since) return true;
  if (plan.settledBy < moment.since) return false;
  if (moment.now >= plan.settledBy) return lastChangeOf(dataset, index) >= moment.since;
  return updatedAt(buildConversation(dataset, index), moment.now) >= moment.since;
}

function sortIndexes(
  indexes: number[],
  sort: readonly SortKey[],
  endOf: (index: number) => number,
): number[] {
  if (sort.length === 0) return indexes;
  // Start times grow with the index, so "start" compares indexes; ends are read once.
  const ends = sort.some((key) => key.field === "end")
    ? new Map(indexes.map((index) => [index, endOf(index)]))
    : undefined;
  const value = (field: SortKey["field"], index: number) =>
    field === "start" ? index : ends!.get(index)!;
  return indexes.sort((a, b) => {
    for (const { field, descending } of sort) {
      const difference = value(field, a) - value(field, b);
      if (difference !== 0) return descending ? -difference : difference;
    }
    return a - b;
  });
}

/**
 * The indexes a search matches at `now`, in the order asked for: started in
 * the rounded `[roundedFrom, roundedTo)`, visible by `now`, with the status
 * asked for, and changed at or after `latestUpdateTime.from` (rounded down).
 * The rounded range is taken as half-open, as the Engagement History
 * simulator does, so windows aligned to 10 minutes neither overlap nor leave
 * gaps, while unaligned windows overlap as they do against the real API.
 *
 * @param options the dataset
 * @param request the validated search
 * @param now the simulator's time, epoch ms
 * @returns the indexes
 *
 * @example
 * ```ts
 * import { matchingIndexes } from "./search.ts";
 * import { parseSearchRequest } from "./request.ts";
 * import assert from "node:assert/strict";
 * const request = parseSearchRequest(new URLSearchParams("source=x&sort=start:desc"),
 *   '{"start":{"from":0,"to":3600000}}', { now: 86_400_000 });
 * assert.deepEqual(matchingIndexes({ count: 3, from: 0, to: 3_600_000 }, request, 86_400_000),
 *   [2, 1, 0]);
 * ```
 */
export function matchingIndexes(
  options: DatasetOptions,
  request: SearchRequest,
  now: number,
): number[] {
  const dataset = resolveDataset(options);
  const from = Math.max(request.roundedFrom, dataset.from);
  const to = Math.min(request.roundedTo, dataset.to);
  const range = to > from ? indexRange(dataset, from, to) : { start: 0, end: 0 };
  const plan = (index: number) => rememberedPlan(dataset, index);
  let indexes = visibleIndexes(dataset, range, now);
  const { status, updatedSince } = request;
  if (status) indexes = indexes.filter((index) => status.has(statusAt(plan(index), now)));
  if (updatedSince !== undefined) {
    const moment = { since: updatedSince, now };
    indexes = indexes.filter((index) => changedSince(dataset, index, plan(index), moment));
  }
  return sortIndexes(indexes, request.sort, (index) => endTimeAt(plan(index), now));
}

function pageAnswer(
  dataset: DatasetOptions,
  indexes: readonly number[],
  shape: { request: SearchRequest | ByConsumerRequest; context: AnswerContext },
): SimulatedAnswer {
  const { request, context } = shape;
  if (indexes.length === 0) return { status: 204 };
  const records = indexes.slice(request.offset, request.offset + request.limit).map((index) =>
    conversationAsOf(dataset, index, {
      now: context.now,
      view: "search",
      v: request.v,
      ...(request.content ? { content: request.content } : {}),
    })!
  );
  const page = pageOf(RECORDS_FIELD, records, {
    count: indexes.length,
    offset: request.offset,
    limit: request.limit,
    href: context.href,
  });
  return { status: 200, body: page };
}

/**
 * Answers a conversations search: a page of the matching conversations as
 * they stand at `now`, or 204 when nothing matches.
 *
 * @param dataset the dataset served
 * @param request the validated search
 * @param context the endpoint's URL and the simulator's time
 * @returns 200 with a page, or 204
 *
 * @example
 * ```ts
 * import { searchAnswer } from "./search.ts";
 * import { parseSearchRequest } from "./request.ts";
 * import assert from "node:assert/strict";
 * const dataset = { count: 30, from: 0, to: 3_600_000 };
 * const request = parseSearchRequest(new URLSearchParams("source=x&limit=20"),
 *   '{"start":{"from":0,"to":3600000}}', { now: 86_400_000 });
 * const answer = searchAnswer(dataset, request, { href: "http://h/s", now: 86_400_000 });
 * assert.equal((answer.body?._metadata as { count: number }).count, 30);
 * const early = searchAnswer(dataset, request, { href: "http://h/s", now: 0 });
 * assert.equal(early.status, 204);
 * ```
 */
export function searchAnswer(
  dataset: DatasetOptions,
  request: SearchRequest,
  context: AnswerContext,
): SimulatedAnswer {
  return pageAnswer(dataset, matchingIndexes(dataset, request, context.now), { request, context });
}

/**
 * Answers a request by conversation id: that conversation, whole, as it
 * stands at `now`; 204 when no conversation has that id or it is not visible yet.
 *
 * @param dataset the dataset served
 * @param request the validated request
 * @param context the endpoint's URL and the simulator's time
 * @returns 200 with a one-record page, or 204
 *
 * @example
 * ```ts
 * import { byIdAnswer } from "./search.ts";
 * import assert from "node:assert/strict";
 * const answer = byIdAnswer({ count: 3, from: 0, to: 10_000 },
 *   { conversationId: "unknown", offset: 0, limit: 50, source: "x", v: "1" },
 *   { href: "http://h/c", now: 0 });
 * assert.equal(answer.status, 204);
 * ```
 */
export function byIdAnswer(
  dataset: DatasetOptions,
  request: ByIdRequest,
  context: AnswerContext,
): SimulatedAnswer {
  const index = indexOfConversationId(dataset, request.conversationId);
  const record = index === undefined ? undefined : conversationAsOf(dataset, index, {
    now: context.now,
    view: "byId",
    v: request.v,
    ...(request.content ? { content: request.content } : {}),
  });
  if (!record) return { status: 204 };
  const place = { count: 1, offset: 0, limit: DEFAULT_LIMIT, href: context.href };
  return { status: 200, body: pageOf(RECORDS_FIELD, [record], place) };
}

/**
 * The indexes of a consumer's conversations visible at `now`, optionally of
 * some statuses, in start order.
 *
 * @param options the dataset
 * @param participantId the consumer's participant id
 * @param filter the moment and, optionally, the statuses
 * @returns the indexes
 *
 * @example
 * ```ts
 * import { conversationsOfConsumer } from "./search.ts";
 * import { consumerIdOf } from "./dataset_index.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 30, from: 0, to: 3_600_000 };
 * const consumer = consumerIdOf(resolveDataset(options), 4);
 * assert.deepEqual(conversationsOfConsumer(options, consumer, { now: 1e12 }), [4, 14, 24]);
 * ```
 */
export function conversationsOfConsumer(
  options: DatasetOptions,
  participantId: string,
  filter: { readonly now: number; readonly status?: ReadonlySet<ConversationStatus> },
): number[] {
  const dataset = resolveDataset(options);
  return indexesOfConsumer(dataset, participantId).filter((index) =>
    visibleIndexes(dataset, { start: index, end: index + 1 }, filter.now).length === 1 &&
    (!filter.status || filter.status.has(statusAt(rememberedPlan(dataset, index), filter.now)))
  );
}

/**
 * Answers a request by consumer id: a page of that consumer's conversations
 * (any start time) with the statuses asked for, or 204 when there are none.
 *
 * @param dataset the dataset served
 * @param request the validated request
 * @param context the endpoint's URL and the simulator's time
 * @returns 200 with a page, or 204
 *
 * @example
 * ```ts
 * import { byConsumerAnswer } from "./search.ts";
 * import assert from "node:assert/strict";
 * const answer = byConsumerAnswer({ count: 3, from: 0, to: 10_000 },
 *   { consumer: "nobody", status: new Set(["OPEN"]), offset: 0, limit: 50, source: "x", v: "1" },
 *   { href: "http://h/c", now: 1e12 });
 * assert.equal(answer.status, 204);
 * ```
 */
export function byConsumerAnswer(
  dataset: DatasetOptions,
  request: ByConsumerRequest,
  context: AnswerContext,
): SimulatedAnswer {
  const indexes = conversationsOfConsumer(dataset, request.consumer, {
    now: context.now,
    status: request.status,
  });
  return pageAnswer(dataset, indexes, { request, context });
}
