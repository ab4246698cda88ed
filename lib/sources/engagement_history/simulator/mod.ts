/**
 * The simulated Engagement History API: its one endpoint, over the synthetic
 * dataset, as the generic simulator server serves it.
 *
 * @module
 */

import type { DatasetOptions } from "../../../simulator/dataset_options.ts";
import { requestFacts } from "../../../simulator/request_params.ts";
import type { RequestFacts, SimulatedApi } from "../../../simulator/simulated_api.ts";
import { engagementsIn } from "./dataset.ts";
import { DEFAULT_LIMIT } from "./rules.ts";
import { parseSearchRequest, searchPage } from "./search.ts";

const SEARCH_ROUTE = /^\/interaction_history\/api\/account\/([^/]+)\/interactions\/search$/;

/**
 * What the search log records of a request, read from it as sent.
 *
 * @param request the query and body
 * @returns offset, limit, the time range and the `engagementId` filter
 *
 * @example
 * ```ts
 * import { searchFacts } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const facts = searchFacts({ params: new URLSearchParams("offset=100"), body: '{"start":{"from":"5","to":9}}' });
 * assert.deepEqual(facts, { offset: 100, limit: 50, from: 5, to: 9 });
 * ```
 */
export function searchFacts(
  request: { readonly params: URLSearchParams; readonly body: string },
): RequestFacts {
  return requestFacts(request, { defaultLimit: DEFAULT_LIMIT, idField: "engagementId" });
}

/**
 * The simulated Engagement History API.
 *
 * @example
 * ```ts
 * import { ENGAGEMENT_HISTORY_SIMULATED } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   ENGAGEMENT_HISTORY_SIMULATED.match("/interaction_history/api/account/42/interactions/search"),
 *   { endpoint: "search", accountId: "42" },
 * );
 * ```
 */
export const ENGAGEMENT_HISTORY_SIMULATED: SimulatedApi = {
  name: "engagement-history",
  serviceName: "engHistDomain",
  recordsField: "interactionHistoryRecords",
  match(path) {
    const match = SEARCH_ROUTE.exec(path);
    return match
      ? { endpoint: "search", accountId: decodeURIComponent(match[1] ?? "") }
      : undefined;
  },
  facts: searchFacts,
  answer(request, dataset: DatasetOptions) {
    const parsed = parseSearchRequest(request.params, request.body);
    return { status: 200, body: { ...searchPage(dataset, parsed, request.href, request.now) } };
  },
  // The dataset's own range needs no clipping: a range outside it holds no start time.
  records: engagementsIn,
};
