/**
 * The Engagement History search endpoint's request rules and page shape,
 * independent of HTTP.
 *
 * @module
 */

import { ENGAGEMENT_HISTORY } from "../history_api.ts";
import { ROUNDING_MS } from "../windows.ts";
import {
  type DatasetOptions,
  engagementAt,
  type EngagementRecord,
  indexOfEngagementId,
  indexRange,
} from "./dataset.ts";

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

/** A request the API would reject with 400; the message says what to fix. */
export class SearchRequestError extends Error {
  /** HTTP status to answer with. */
  readonly status = 400;
  /** @param message what was wrong and how to fix it */
  constructor(message: string) {
    super(message);
    this.name = "SearchRequestError";
  }
}

/** Default `limit` of the search endpoint. */
export const DEFAULT_LIMIT = 50;
/** Longest `source` the API accepts. */
export const MAX_SOURCE_LENGTH = 20;

const SORT_FIELDS = [
  "start",
  "end",
  "duration",
  "visitor",
  "engagementId",
  "interactive",
  "agentId",
  "skillId",
];

function integerParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^-?\d+$/.test(raw)) {
    throw new SearchRequestError(`Invalid ${name} "${raw}": use a whole number`);
  }
  return Number(raw);
}

function epochParam(start: Record<string, unknown>, name: "from" | "to"): number {
  const value = start[name];
  const number = typeof value === "number"
    ? value
    : typeof value === "string" && /^\s*-?\d+\s*$/.test(value)
    ? Number(value)
    : NaN;
  if (!Number.isSafeInteger(number)) {
    throw new SearchRequestError(
      `Missing or invalid start.${name} in the body: send epoch milliseconds, e.g. {"start":{"from":1700000000000,"to":1700086400000}}`,
    );
  }
  return number;
}

/**
 * Rounds a range outward to 10-minute boundaries, as the API does with `start`.
 *
 * @param from range start, epoch ms
 * @param to range end, epoch ms
 * @returns `from` rounded down and `to` rounded up
 *
 * @example
 * ```ts
 * import { roundRange } from "./search.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(roundRange(61_000, 599_999), { from: 0, to: 600_000 });
 * assert.deepEqual(roundRange(600_000, 1_200_000), { from: 600_000, to: 1_200_000 });
 * ```
 */
export function roundRange(from: number, to: number): { from: number; to: number } {
  return {
    from: Math.floor(from / ROUNDING_MS) * ROUNDING_MS,
    to: Math.ceil(to / ROUNDING_MS) * ROUNDING_MS,
  };
}

/**
 * Validates a search request's query and JSON body as the API would.
 *
 * @param params the URL's query parameters
 * @param body the request body as text
 * @returns the request
 * @throws {SearchRequestError} naming what to fix
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
  const source = params.get("source");
  if (source === null || source === "") {
    throw new SearchRequestError(
      "Missing source query parameter: send source=<app name, at most 20 characters>",
    );
  }
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new SearchRequestError(
      `source "${source}" is ${source.length} characters long: use at most 20`,
    );
  }
  const limit = integerParam(params, "limit", DEFAULT_LIMIT);
  if (limit < 1 || limit > ENGAGEMENT_HISTORY.maxPageSize) {
    throw new SearchRequestError(
      `Invalid limit ${limit}: use 1 to ${ENGAGEMENT_HISTORY.maxPageSize} and page with offset`,
    );
  }
  const offset = integerParam(params, "offset", 0);
  if (offset < 0) throw new SearchRequestError(`Invalid offset ${offset}: use 0 or more`);
  let descending = false;
  const sort = params.get("sort");
  if (sort !== null && sort !== "") {
    const keys = sort.split(",").map((key) => key.trim().split(":"));
    for (const [field, order = "asc", ...rest] of keys) {
      if (
        !field || !SORT_FIELDS.includes(field) || !["asc", "des", "desc"].includes(order) ||
        rest.length
      ) {
        throw new SearchRequestError(
          `Invalid sort "${sort}": use field:order pairs with fields ${
            SORT_FIELDS.join(", ")
          } and order asc or desc`,
        );
      }
    }
    const [primary, order = "asc"] = keys[0] ?? [];
    // Start times are unique and engagement ids grow with them, so both give the same order.
    if (primary !== "start" && primary !== "engagementId") {
      throw new SearchRequestError(
        `Sorting by "${primary}" is not supported by the simulator: sort by start or engagementId`,
      );
    }
    descending = order !== "asc";
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SearchRequestError(
      'The body is not valid JSON: send a JSON object such as {"start":{…}}',
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SearchRequestError("The body must be a JSON object with a start {from, to} filter");
  }
  const start = (parsed as Record<string, unknown>).start;
  if (typeof start !== "object" || start === null) {
    throw new SearchRequestError(
      'Missing start filter in the body: send {"start":{"from":<epoch ms>,"to":<epoch ms>}}',
    );
  }
  const from = epochParam(start as Record<string, unknown>, "from");
  const to = epochParam(start as Record<string, unknown>, "to");
  if (to <= from) {
    throw new SearchRequestError(`start.to (${to}) must be after start.from (${from})`);
  }
  const engagementId = (parsed as Record<string, unknown>).engagementId;
  if (
    engagementId !== undefined && typeof engagementId !== "string" &&
    typeof engagementId !== "number"
  ) {
    throw new SearchRequestError("Invalid engagementId filter: send the engagementId as a string");
  }
  const rounded = roundRange(from, to);
  if (rounded.to - rounded.from > ENGAGEMENT_HISTORY.maxWindowMs) {
    throw new SearchRequestError(
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
export interface SearchPage {
  readonly _metadata: {
    readonly count: number;
    readonly self: { readonly rel: "self"; readonly href: string };
    readonly next?: { readonly rel: "next"; readonly href: string };
    readonly last: { readonly rel: "last"; readonly href: string };
    readonly shardsStatusResult: { readonly partialResult: boolean };
  };
  readonly interactionHistoryRecords: EngagementRecord[];
}

/**
 * Builds the page a request asks for. With an `engagementId` filter the page
 * holds that one record, whatever the time range. Otherwise records match when
 * `roundedFrom <= info.startTimeL < roundedTo`: the rounded range is taken as
 * half-open, so windows aligned to 10 minutes neither overlap nor leave gaps,
 * while unaligned windows overlap as they do against the real API.
 *
 * @param dataset the dataset served
 * @param request the validated request
 * @param endpoint absolute URL of the endpoint without query, for the hrefs
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
): SearchPage {
  const bounds = {
    from: Math.max(request.roundedFrom, dataset.from),
    to: Math.min(request.roundedTo, dataset.to),
  };
  let { start, end } = bounds.to > bounds.from
    ? indexRange(dataset, bounds.from, bounds.to)
    : { start: 0, end: 0 };
  if (request.engagementId !== undefined) {
    const index = indexOfEngagementId(dataset, request.engagementId);
    ({ start, end } = index === undefined
      ? { start: 0, end: 0 }
      : { start: index, end: index + 1 });
  }
  const count = end - start;
  const { limit, offset } = request;
  const records: EngagementRecord[] = [];
  for (let position = offset; position < Math.min(offset + limit, count); position++) {
    const index = request.descending ? end - 1 - position : start + position;
    records.push(engagementAt(dataset, index));
  }
  const href = (at: number) => `${endpoint}?limit=${limit}&offset=${at}`;
  const lastOffset = count === 0 ? 0 : Math.floor((count - 1) / limit) * limit;
  return {
    _metadata: {
      count,
      self: { rel: "self", href: href(offset) },
      ...(offset + limit < count
        ? { next: { rel: "next" as const, href: href(offset + limit) } }
        : {}),
      last: { rel: "last", href: href(lastOffset) },
      shardsStatusResult: { partialResult: false },
    },
    interactionHistoryRecords: records,
  };
}
