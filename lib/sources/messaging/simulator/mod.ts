/**
 * The simulated Messaging Interactions API, for the generic simulator server:
 * the conversations search, the request by conversation id and the request
 * by consumer id, all POST with a JSON body, over a synthetic dataset with a
 * clock. The server applies faults, OAuth and the account check first.
 *
 * Tests find here what they need to know what the simulator holds: the final
 * records, the clock's view of them, and how an answer is shaped.
 *
 * @module
 */

import type { DatasetOptions } from "../../../simulator/dataset_options.ts";
import { requestFacts } from "../../../simulator/request_params.ts";
import type {
  RequestFacts,
  SimulatedAnswer,
  SimulatedApi,
  SimulatedRequest,
} from "../../../simulator/simulated_api.ts";
import { conversationsIn } from "./dataset.ts";
import { parseByConsumerRequest, parseByIdRequest, parseSearchRequest } from "./request.ts";
import { API_NAME, DEFAULT_LIMIT, PATH_PREFIX, RECORDS_FIELD, SERVICE_NAME } from "./rules.ts";
import { byConsumerAnswer, byIdAnswer, searchAnswer } from "./search.ts";

export { type ContentRequest, selectContent } from "./content.ts";
export { conversationAt, conversationsIn } from "./dataset.ts";
export { startTimeAt } from "../../../simulator/start_times.ts";
export { consumerIdOf, indexOfConversationId } from "./dataset_index.ts";
export { LATEST_APPEARANCE_MS, visibleIndexes } from "../../../simulator/visibility.ts";
export { conversationAsOf, timelineOf, updatedAtOf } from "./dataset_views.ts";

/** The endpoints, by the path after `/conversations/`. */
const ENDPOINTS: Readonly<Record<string, string>> = Object.freeze({
  "search": "search",
  "conversation/search": "byId",
  "consumer/search": "byConsumer",
});

/** The body field that names the conversation or consumer, by endpoint. */
const ID_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  byId: "conversationId",
  byConsumer: "consumer",
});

const PATH = new RegExp(
  `^${
    PATH_PREFIX.replaceAll("/", "\\/")
  }([^/]+)\\/conversations\\/(search|conversation\\/search|consumer\\/search)$`,
);

function facts(request: Pick<SimulatedRequest, "endpoint" | "params" | "body">): RequestFacts {
  return requestFacts(request, {
    defaultLimit: DEFAULT_LIMIT,
    idField: ID_FIELDS[request.endpoint],
  });
}

function answer(request: SimulatedRequest, dataset: DatasetOptions): SimulatedAnswer {
  const context = { href: request.href, now: request.now };
  switch (request.endpoint) {
    case "byId":
      return byIdAnswer(dataset, parseByIdRequest(request.params, request.body), context);
    case "byConsumer":
      return byConsumerAnswer(
        dataset,
        parseByConsumerRequest(request.params, request.body),
        context,
      );
    default:
      return searchAnswer(
        dataset,
        parseSearchRequest(request.params, request.body, { now: request.now }),
        context,
      );
  }
}

/**
 * The simulated Messaging Interactions API (`msgHist`).
 *
 * @example
 * ```ts
 * import { MESSAGING_SIMULATED } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const match = MESSAGING_SIMULATED.match(
 *   "/messaging_history/api/account/90412377/conversations/consumer/search",
 * );
 * assert.deepEqual(match, { endpoint: "byConsumer", accountId: "90412377" });
 * const dataset = { count: 20, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 2) };
 * const answer = MESSAGING_SIMULATED.answer({
 *   endpoint: "search",
 *   params: new URLSearchParams("source=demo&limit=5"),
 *   body: JSON.stringify({ start: { from: dataset.from, to: dataset.to } }),
 *   href: "http://127.0.0.1/messaging_history/api/account/90412377/conversations/search",
 *   now: Date.UTC(2024, 0, 3),
 * }, dataset);
 * assert.equal((answer.body?.conversationHistoryRecords as unknown[]).length, 5);
 * ```
 */
export const MESSAGING_SIMULATED: SimulatedApi = Object.freeze({
  name: API_NAME,
  serviceName: SERVICE_NAME,
  recordsField: RECORDS_FIELD,
  match(path: string) {
    const found = PATH.exec(path);
    if (!found) return undefined;
    let accountId: string;
    try {
      accountId = decodeURIComponent(found[1]!);
    } catch {
      return undefined;
    }
    return { endpoint: ENDPOINTS[found[2]!]!, accountId };
  },
  facts,
  answer,
  // The dataset's own range needs no clipping: a range outside it holds no start time.
  records: conversationsIn,
});
