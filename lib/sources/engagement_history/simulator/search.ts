/**
 * The Engagement History search endpoint's request rules and page shape,
 * independent of HTTP.
 *
 * @module
 */

import type { DatasetOptions } from "../../../simulator/dataset_options.ts";
import { type Page, pageOf } from "../../../simulator/paging.ts";
import { epochMillis, jsonObjectBody, pagingParams } from "../../../simulator/request_params.ts";
import { SimulatedRequestError } from "../../../simulator/simulated_api.ts";
import { indexRange } from "../../../simulator/start_times.ts";
import { visibleIndexes } from "../../../simulator/visibility.ts";
import { indexOfEngagementId } from "./dataset_index.ts";
import { engagementAsOf } from "./dataset_views.ts";
import {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  MAX_RANGE_MS,
  MAX_SOURCE_LENGTH,
  roundRange,
  SORT_FIELDS,
} from "./rules.ts";

/** A valid search request. */
export interface SearchRequest {
  readonly offset: number;
  readonly limit: number;
  /** `true` for `start:desc` (or `des`). */
  readonly descending: boolean;
  readonly source: string;
  /** `start.from` as sent. */
  readonly from: number;
  /** `start.to` as sent. */
  readonly to: number;
  /** `from` rounded down to 10 minutes. */
  readonly roundedFrom: number;
  /** `to` rounded up to 10 minutes. */
  readonly roundedTo: number;
  /** The `engagementId` filter, if sent: the time range is then ignored, as documented. */
  readonly engagementId?: string;
}

const START_EXAMPLE = '{"start":{"from":1700000000000,"to":1700086400000}}';

/**
 * Validates a search request's query and JSON body as the API would.
 *
 * @param params the URL's query parameters
 * @param body the request body as text
 * @returns the request
 * @throws {SimulatedRequestError} naming what to fix
 *
 * @example
 * ```ts
 * import { parseSearchRequest } from "./search.ts";
 * import assert from "node:assert/strict";
 * const request = parseSearchRequest(
 *   new URLSearchParams("source=demo&limit=10"),
 *   '{"start":{"from":"1700000000000","to":1700003600000}}',
 * );
 * assert.equal(request.limit, 10);
 * assert.equal(request.roundedFrom, 1699999800000);
 * assert.throws(() => parseSearchRequest(new URLSearchParams("limit=10"), "{}"), /source/);
 * ```
 */
export function parseSearchRequest(params: URLSearchParams, body: string): SearchRequest {
  const { source, limit, offset } = pagingParams(params, {
    defaultLimit: DEFAULT_LIMIT,
    maxLimit: MAX_LIMIT,
    maxSourceLength: MAX_SOURCE_LENGTH,
  });
  let descending = false;
  const sort = params.get("sort");
  if (sort !== null && sort !== "") {
    const keys = sort.split(",").map((key) => key.trim().split(":"));
    for (const [field, order = "asc", ...rest] of keys) {
      if (
        !field || !SORT_FIELDS.includes(field) || !["asc", "des", "desc"].includes(order) ||
        rest.length
      ) {
        throw new SimulatedRequestError(
          `Invalid sort "${sort}": use field:order pairs with fields ${
            SORT_FIELDS.join(", ")
          } and order asc or desc`,
        );
      }
    }
    const [primary, order = "asc"] = keys[0] ?? [];
    // Start times are unique and engagement ids grow with them, so both give the same order.
    if (primary !== "start" && primary !== "engagementId") {
      throw new SimulatedRequestError(
        `Sorting by "${primary}" is not supported by the simulator: sort by start or engagementId`,
      );
    }
    descending = order !== "asc";
  }
  const parsed = jsonObjectBody(body, {
    example: '{"start":{…}}',
    shape: "with a start {from, to} filter",
  });
  const start = parsed.start;
  if (typeof start !== "object" || start === null) {
    throw new SimulatedRequestError(
      'Missing start filter in the body: send {"start":{"from":<epoch ms>,"to":<epoch ms>}}',
    );
  }
  const from = epochMillis((start as Record<string, unknown>).from, "start.from", START_EXAMPLE);
  const to = epochMillis((start as Record<string, unknown>).to, "start.to", START_EXAMPLE);
  if (to <= from) {
    throw new SimulatedRequestError(`start.to (${to}) must be after start.from (${from})`);
  }
  const engagementId = parsed.engagementId;
  if (
    engagementId !== undefined && typeof engagementId !== "string" &&
    typeof engagementId !== "number"
  ) {
    throw new SimulatedRequestError(
      "Invalid engagementId filter: send the engagementId as a string",
    );
  }
  const rounded = roundRange(from, to);
  if (rounded.to - rounded.from > MAX_RANGE_MS) {
    throw new SimulatedRequestError(
      `The start range covers more than 31 days after rounding to 10 minutes: split it into shorter windows`,
    );
  }
  return {
    offset,
    limit,
    descending,
    source,
    from,
    to,
    roundedFrom: rounded.from,
    roundedTo: rounded.to,
    ...(engagementId === undefined ? {} : { engagementId: String(engagementId) }),
  };
}

/** One page of a search response. */
export type SearchPage = Page<"interactionHistoryRecords">;

/**
 * Builds the page a request asks for, as the data stands at `now`. With an
 * `engagementId` filter the page holds that one record whole, whatever the
 * time range. Otherwise records match when `roundedFrom <= info.startTimeL <
 * roundedTo` and they have appeared by `now`: the rounded range is taken as
 * half-open, so windows aligned to 10 minutes neither overlap nor leave gaps,
 * while unaligned windows overlap as they do against the real API.
 *
 * @param dataset the dataset served
 * @param request the validated request
 * @param endpoint absolute URL of the endpoint without query, for the hrefs
 * @param now the simulator's time, epoch ms; default the real time
 * @returns the page
 *
 * @example
 * ```ts
 * import { parseSearchRequest, searchPage } from "./search.ts";
 * import assert from "node:assert/strict";
 * const dataset = { count: 30, from: 0, to: 3_600_000 };
 * const request = parseSearchRequest(new URLSearchParams("source=x&limit=20"), '{"start":{"from":0,"to":3600000}}');
 * const page = searchPage(dataset, request, "http://127.0.0.1/search");
 * assert.equal(page._metadata.count, 30);
 * assert.equal(page.interactionHistoryRecords.length, 20);
 * assert.equal(page._metadata.next?.href, "http://127.0.0.1/search?limit=20&offset=20");
 * ```
 */
export function searchPage(
  dataset: DatasetOptions,
  request: SearchRequest,
  endpoint: string,
  now: number = Date.now(),
): SearchPage {
  const view = request.engagementId === undefined ? "search" : "byId";
  let indexes: number[];
  if (request.engagementId !== undefined) {
    const index = indexOfEngagementId(dataset, request.engagementId);
    indexes = index === undefined
      ? []
      : visibleIndexes(dataset, { start: index, end: index + 1 }, now);
  } else {
    const bounds = {
      from: Math.max(request.roundedFrom, dataset.from),
      to: Math.min(request.roundedTo, dataset.to),
    };
    const range = bounds.to > bounds.from
      ? indexRange(dataset, bounds.from, bounds.to)
      : { start: 0, end: 0 };
    indexes = visibleIndexes(dataset, range, now);
  }
  if (request.descending) indexes.reverse();
  const { limit, offset } = request;
  const records = indexes.slice(offset, offset + limit).map((index) =>
    engagementAsOf(dataset, index, { now, view })!
  );
  return pageOf("interactionHistoryRecords", records, {
    count: indexes.length,
    offset,
    limit,
    href: endpoint,
  });
}
