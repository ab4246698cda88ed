/**
 * Request validation for the three Messaging Interactions endpoints, as the
 * API would answer 400: the query (`offset`, `limit`, `sort`, `v`, `source`,
 * `rollover`) and the JSON body. Every error names the problem and the fix.
 *
 * The simulator is strict where the real API may be lenient: a body field
 * that no endpoint documents is refused, so a misspelt filter (which the API
 * would likely ignore, silently answering more than asked) shows up in tests.
 *
 * @module
 */

import { epochMillis, jsonObjectBody, pagingParams } from "../../../simulator/request_params.ts";
import { SimulatedRequestError } from "../../../simulator/simulated_api.ts";
import {
  API_VERSIONS,
  type ApiVersion,
  BY_CONSUMER_FIELDS,
  BY_ID_FIELDS,
  CONTENT_TYPES,
  type ContentType,
  CONVERSATION_STATUSES,
  type ConversationStatus,
  DEFAULT_API_VERSION,
  DEFAULT_LIMIT,
  isContentType,
  MAX_LIMIT,
  MAX_SOURCE_LENGTH,
  MAX_START_WINDOW_DAYS,
  MAX_START_WINDOW_MS,
  roundDown,
  roundUp,
  SEARCH_FILTERS,
  SORT_FIELDS,
  SORT_ORDERS,
} from "./rules.ts";

type Json = Record<string, unknown>;

/** One `sort` key. */
export interface SortKey {
  readonly field: "start" | "end";
  readonly descending: boolean;
}

/** What every endpoint's query carries. */
export interface QueryParams {
  readonly offset: number;
  readonly limit: number;
  readonly source: string;
  readonly v: ApiVersion;
}

/** A valid conversations search. */
export interface SearchRequest extends QueryParams {
  readonly sort: readonly SortKey[];
  readonly rollover: boolean;
  /** `start.from` as sent. */
  readonly from: number;
  /** `start.to` as sent (-1 means now). */
  readonly to: number;
  /** `from` rounded down to 10 minutes. */
  readonly roundedFrom: number;
  /** `to` (now for -1) rounded up to 10 minutes. */
  readonly roundedTo: number;
  /** `latestUpdateTime.from` rounded down to 10 minutes, if sent. */
  readonly updatedSince?: number;
  /** `status`, if sent and not empty. */
  readonly status?: ReadonlySet<ConversationStatus>;
  /** `contentToRetrieve`, if sent. */
  readonly content?: readonly ContentType[];
}

/** A valid request by conversation id. */
export interface ByIdRequest extends QueryParams {
  readonly conversationId: string;
  readonly content?: readonly ContentType[];
}

/** A valid request by consumer id. */
export interface ByConsumerRequest extends QueryParams {
  readonly consumer: string;
  readonly status: ReadonlySet<ConversationStatus>;
  readonly content?: readonly ContentType[];
}

function fail(message: string): never {
  throw new SimulatedRequestError(message);
}

function queryParams(params: URLSearchParams): QueryParams {
  const paging = pagingParams(params, {
    defaultLimit: DEFAULT_LIMIT,
    maxLimit: MAX_LIMIT,
    maxSourceLength: MAX_SOURCE_LENGTH,
  });
  const v = params.get("v") ?? DEFAULT_API_VERSION;
  if (!(API_VERSIONS as readonly string[]).includes(v)) {
    fail(`Invalid v "${v}": use ${API_VERSIONS.join(" or ")}`);
  }
  return { ...paging, v: v as ApiVersion };
}

function sortParam(params: URLSearchParams): SortKey[] {
  const sort = params.get("sort");
  if (sort === null || sort === "") return [];
  return sort.split(",").map((key) => {
    const [field = "", order = "asc", ...rest] = key.trim().split(":");
    if (!SORT_FIELDS.includes(field) || !SORT_ORDERS.includes(order) || rest.length > 0) {
      fail(
        `Invalid sort "${sort}": use field:order pairs with fields ${
          SORT_FIELDS.join(" or ")
        } and order ${SORT_ORDERS.join(" or ")}, e.g. start:desc`,
      );
    }
    return { field: field as SortKey["field"], descending: order === "desc" };
  });
}

function bodyObject(body: string, allowed: readonly string[], example: string): Json {
  const parsed = jsonObjectBody(body, { example });
  for (const key of Object.keys(parsed)) {
    if (!allowed.includes(key)) {
      fail(`Unknown body field "${key}": this endpoint takes ${allowed.join(", ")}`);
    }
  }
  return parsed;
}

/** The id a request by key names: a text that is not empty. */
function idField(body: Json, name: string, example: string): string {
  const id = body[name];
  if (typeof id !== "string" || id === "") {
    fail(`Missing or invalid ${name} in the body: send ${example}`);
  }
  return id;
}

function contentParam(body: Json): ContentType[] | undefined {
  const content = body.contentToRetrieve;
  if (content === undefined) return undefined;
  if (!Array.isArray(content)) {
    fail('Invalid contentToRetrieve: send an array of content types, e.g. ["messageRecords"]');
  }
  for (const value of content) {
    if (!isContentType(value)) {
      fail(
        `Unknown contentToRetrieve value ${JSON.stringify(value)}: use any of ${
          CONTENT_TYPES.join(", ")
        }`,
      );
    }
  }
  return content as ContentType[];
}

function statusParam(value: unknown, required: boolean): Set<ConversationStatus> | undefined {
  if (value === undefined && !required) return undefined;
  if (!Array.isArray(value) || (required && value.length === 0)) {
    fail('Missing or invalid status: send an array of "OPEN" and/or "CLOSE"');
  }
  for (const status of value) {
    if (!(CONVERSATION_STATUSES as readonly unknown[]).includes(status)) {
      fail(`Unknown status ${JSON.stringify(status)}: use "OPEN" or "CLOSE"`);
    }
  }
  return value.length === 0 ? undefined : new Set(value as ConversationStatus[]);
}

const START_EXAMPLE = '{"start":{"from":1700000000000,"to":1700086400000}}';

/**
 * Validates a conversations search as the API would.
 *
 * @param params the URL's query parameters
 * @param body the request body as text
 * @param options `now`, the simulator's time, which `"to": -1` stands for
 * @returns the request
 * @throws {SimulatedRequestError} naming what to fix
 *
 * @example
 * ```ts
 * import { parseSearchRequest } from "./request.ts";
 * import assert from "node:assert/strict";
 * const request = parseSearchRequest(
 *   new URLSearchParams("source=demo&limit=10&v=2"),
 *   '{"start":{"from":"1700000000000","to":1700003600000},"status":["OPEN"]}',
 *   { now: 1_800_000_000_000 },
 * );
 * assert.equal(request.roundedFrom, 1699999800000);
 * assert.deepEqual([...request.status!], ["OPEN"]);
 * const hundredDays = '{"start":{"from":0,"to":8640000000}}';
 * assert.throws(
 *   () => parseSearchRequest(new URLSearchParams("source=demo"), hundredDays, { now: 0 }),
 *   /three months/,
 * );
 * ```
 */
export function parseSearchRequest(
  params: URLSearchParams,
  body: string,
  options: { readonly now: number },
): SearchRequest {
  const query = queryParams(params);
  const sort = sortParam(params);
  const rollover = params.get("rollover") ?? "false";
  if (rollover !== "true" && rollover !== "false") {
    fail(`Invalid rollover "${rollover}": use true or false`);
  }
  const parsed = bodyObject(body, SEARCH_FILTERS, START_EXAMPLE);
  const start = parsed.start;
  if (typeof start !== "object" || start === null || Array.isArray(start)) {
    fail(`Missing start filter in the body: send ${START_EXAMPLE}`);
  }
  const from = epochMillis((start as Json).from, "start.from", START_EXAMPLE);
  const to = epochMillis((start as Json).to, "start.to", START_EXAMPLE);
  // The documented examples send "to": -1 for "up to now".
  const until = to === -1 ? options.now : to;
  if (until <= from) fail(`start.to (${to}) must be after start.from (${from})`);
  const roundedFrom = roundDown(from);
  const roundedTo = roundUp(until);
  if (roundedTo - roundedFrom > MAX_START_WINDOW_MS) {
    const days = ((roundedTo - roundedFrom) / 86_400_000).toFixed(1);
    fail(
      `The start range covers ${days} days after rounding to 10 minutes, more than three months (${MAX_START_WINDOW_DAYS} days): split it into shorter windows`,
    );
  }
  let updatedSince: number | undefined;
  if (parsed.latestUpdateTime !== undefined) {
    const latest = parsed.latestUpdateTime;
    const example = '{"latestUpdateTime":{"from":1700000000000}}';
    if (typeof latest !== "object" || latest === null || Array.isArray(latest)) {
      fail(`Invalid latestUpdateTime: send ${example}`);
    }
    updatedSince = roundDown(epochMillis((latest as Json).from, "latestUpdateTime.from", example));
  }
  const status = statusParam(parsed.status, false);
  const content = contentParam(parsed);
  return {
    ...query,
    sort,
    rollover: rollover === "true",
    from,
    to,
    roundedFrom,
    roundedTo,
    ...(updatedSince === undefined ? {} : { updatedSince }),
    ...(status ? { status } : {}),
    ...(content ? { content } : {}),
  };
}

/**
 * Validates a request by conversation id.
 *
 * @param params the URL's query parameters (`source`, optionally `v`)
 * @param body `{"conversationId": "…", "contentToRetrieve": […]}`
 * @returns the request
 * @throws {SimulatedRequestError} naming what to fix
 *
 * @example
 * ```ts
 * import { parseByIdRequest } from "./request.ts";
 * import assert from "node:assert/strict";
 * const request = parseByIdRequest(new URLSearchParams("source=demo"), '{"conversationId":"abc"}');
 * assert.equal(request.conversationId, "abc");
 * assert.throws(() => parseByIdRequest(new URLSearchParams("source=demo"), "{}"), /conversationId/);
 * ```
 */
export function parseByIdRequest(params: URLSearchParams, body: string): ByIdRequest {
  const query = queryParams(params);
  const example = '{"conversationId":"<conversation id>"}';
  const parsed = bodyObject(body, BY_ID_FIELDS, example);
  const conversationId = idField(parsed, "conversationId", example);
  const content = contentParam(parsed);
  return { ...query, conversationId, ...(content ? { content } : {}) };
}

/**
 * Validates a request by consumer id.
 *
 * @param params the URL's query parameters (`source`, `offset`, `limit`, optionally `v`)
 * @param body `{"consumer": "…", "status": ["OPEN","CLOSE"], "contentToRetrieve": […]}`
 * @returns the request
 * @throws {SimulatedRequestError} naming what to fix
 *
 * @example
 * ```ts
 * import { parseByConsumerRequest } from "./request.ts";
 * import assert from "node:assert/strict";
 * const request = parseByConsumerRequest(
 *   new URLSearchParams("source=demo"),
 *   '{"consumer":"abc","status":["CLOSE"]}',
 * );
 * assert.ok(request.status.has("CLOSE"));
 * assert.throws(
 *   () => parseByConsumerRequest(new URLSearchParams("source=demo"), '{"consumer":"abc"}'),
 *   /status/,
 * );
 * ```
 */
export function parseByConsumerRequest(params: URLSearchParams, body: string): ByConsumerRequest {
  const query = queryParams(params);
  const example = '{"consumer":"<participant id>","status":["OPEN","CLOSE"]}';
  const parsed = bodyObject(body, BY_CONSUMER_FIELDS, example);
  const consumer = idField(parsed, "consumer", example);
  const status = statusParam(parsed.status, true)!;
  const content = contentParam(parsed);
  return { ...query, consumer, status, ...(content ? { content } : {}) };
}
