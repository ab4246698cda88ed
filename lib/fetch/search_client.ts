/**
 * One signed request: a window and an offset (or one record's key) in, a
 * stored-ready page out, with what the page says about its records.
 *
 * @module
 */

import type { Credentials } from "./credentials.ts";
import { type HistoryApi, isEmptyAnswer, SOURCE_NAME } from "./history_api.ts";
import { type HttpEffects, requestWithRetries, type RetryPolicy } from "./http.ts";
import type { PageEntry } from "./manifest.ts";
import { authorizationHeader } from "./oauth.ts";
import { type TimeWindow, windowFolderName } from "./windows.ts";

/** One page of search results. */
export interface SearchPage extends Pick<PageEntry, "count" | "records" | "partialResult"> {
  /** The response body exactly as received. */
  readonly body: Uint8Array;
  /** Keys of the page's records that the API truncated (`isPartial`). */
  readonly partialIds: readonly string[];
  /** Keys of the page's records that had not ended. */
  readonly openIds: readonly string[];
  /** When the response arrived. */
  readonly fetchedAt: Date;
}

/** Which page to fetch: a page of a window, or one record by its key. */
export interface PageRequest {
  readonly window: TimeWindow;
  readonly offset: number;
  readonly limit: number;
  /** Fetch this record whole instead of a page of the window. */
  readonly id?: string;
  /** Only the window's records changed since this moment, epoch ms (`latestUpdateTime`). */
  readonly updatedSince?: number;
}

/** Fetches one page; the seam between paging and HTTP. */
export type PageFetcher = (request: PageRequest) => Promise<SearchPage>;

/** Options of {@linkcode searchPageFetcher}. */
export interface SearchClientOptions {
  readonly api: HistoryApi;
  /** Scheme and host of the API, e.g. `https://va.enghist.liveperson.net`. */
  readonly baseUrl: string;
  readonly credentials: Credentials;
  /** Retry policy and effects for every request. */
  readonly http?: RetryPolicy & HttpEffects;
  /** Called once per HTTP attempt, for request counting in progress output. */
  readonly onRequest?: () => void;
  /** The current time, epoch ms, for each page's arrival time; default `Date.now`. */
  readonly now?: () => number;
}

/** The response was 200 but not a complete search result. */
export class UnexpectedResponseError extends Error {
  /** @param message what the body lacked, naming the window where known */
  constructor(message: string) {
    super(message);
    this.name = "UnexpectedResponseError";
  }
}

/**
 * Builds a request URL: `offset`, `limit`, `sort=start:asc`, the required
 * `source` and the API's own parameters, encoded as RFC 3986 so the signed URL
 * and the sent URL are the same string.
 *
 * @param baseUrl scheme and host of the API
 * @param path the endpoint's path
 * @param request the page
 * @param extraQuery the API's own parameters (`v=2`)
 * @returns the full URL
 *
 * @example
 * ```ts
 * import { searchUrl } from "./search_client.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   searchUrl("https://h.example/", "/api/account/42/search", { offset: 100, limit: 100 }),
 *   "https://h.example/api/account/42/search?offset=100&limit=100&sort=start%3Aasc&source=lpHistory_fetch",
 * );
 * ```
 */
export function searchUrl(
  baseUrl: string,
  path: string,
  request: { offset: number; limit: number },
  extraQuery: Readonly<Record<string, string>> = {},
): string {
  const query = [
    ["offset", String(request.offset)],
    ["limit", String(request.limit)],
    ["sort", "start:asc"],
    ["source", SOURCE_NAME],
    ...Object.entries(extraQuery),
  ].map(([name, value]) => `${name}=${encodeURIComponent(value!)}`).join("&");
  return `${baseUrl.replace(/\/+$/, "")}${path}?${query}`;
}

/**
 * Reads the facts paging needs from a search response body, refusing a body
 * that cannot be a complete answer: not JSON, no `_metadata.count` that is a
 * whole number of 0 or more, or no records array.
 *
 * @param body the body
 * @param api the API: where the records are, and how to read their state
 * @returns count, records on the page, the partial flag, and the partial and open records
 * @throws {UnexpectedResponseError} when the body is not a search result
 *
 * @example
 * ```ts
 * import { readPageFacts } from "./search_client.ts";
 * import assert from "node:assert/strict";
 * const api = {
 *   recordsField: "interactionHistoryRecords",
 *   recordState: (record: unknown) => {
 *     const info = (record as { info?: { engagementId?: string; isPartial?: boolean } }).info;
 *     return info?.engagementId ? { id: info.engagementId, partial: info.isPartial === true, open: false } : undefined;
 *   },
 * };
 * const body = new TextEncoder().encode(
 *   '{"_metadata":{"count":3},"interactionHistoryRecords":[{"info":{"engagementId":"a","isPartial":true}},{}]}',
 * );
 * assert.deepEqual(readPageFacts(body, api), {
 *   count: 3, records: 2, partialResult: false, partialIds: ["a"], openIds: [],
 * });
 * assert.throws(() => readPageFacts(new TextEncoder().encode('{"_metadata":{"count":3}}'), api));
 * ```
 */
export function readPageFacts(
  body: Uint8Array,
  api: Pick<HistoryApi, "recordsField" | "recordState" | "emptyBodyIsEmptyPage">,
): Omit<SearchPage, "body" | "fetchedAt"> {
  const recordsField = api.recordsField;
  const text = new TextDecoder().decode(body);
  if (isEmptyAnswer(api, text)) {
    return { count: 0, records: 0, partialResult: false, partialIds: [], openIds: [] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnexpectedResponseError(
      `the API answered 200 with a body that is not JSON (${body.byteLength} bytes): ` +
        `check LP_BASE_URL / --base-url points at the history API`,
    );
  }
  const page = parsed as {
    _metadata?: { count?: unknown; shardsStatusResult?: { partialResult?: unknown } };
    [field: string]: unknown;
  } | null;
  const count = page?._metadata?.count;
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) {
    throw new UnexpectedResponseError(
      `the API answered 200 with _metadata.count ${JSON.stringify(count)}, not a whole ` +
        `number of 0 or more`,
    );
  }
  const records = page?.[recordsField];
  if (!Array.isArray(records)) {
    throw new UnexpectedResponseError(
      `the API answered 200 with a count of ${count} but no "${recordsField}" array`,
    );
  }
  const partialIds: string[] = [];
  const openIds: string[] = [];
  for (const record of records) {
    const state = api.recordState(record);
    if (state?.partial) partialIds.push(state.id);
    if (state?.open) openIds.push(state.id);
  }
  return {
    count,
    records: records.length,
    partialResult: page?._metadata?.shardsStatusResult?.partialResult === true,
    partialIds,
    openIds,
  };
}

/** The JSON body of a request: a window's page, its changed records, or one record. */
function requestBody(api: HistoryApi, request: PageRequest): unknown {
  if (request.id !== undefined) return api.byId.body(request.id, request.window);
  if (request.updatedSince === undefined) return api.searchBody(request.window);
  if (!api.updatedSinceBody) {
    throw new RangeError(`The ${api.name} API cannot search for records changed since a moment`);
  }
  return api.updatedSinceBody(request.window, request.updatedSince);
}

/**
 * A {@linkcode PageFetcher} that signs and sends real search requests, with
 * retries.
 *
 * @param options API, host, credentials and retry policy
 * @returns the fetcher
 */
export function searchPageFetcher(options: SearchClientOptions): PageFetcher {
  const { api, credentials } = options;
  return async (request) => {
    const path = request.id === undefined
      ? api.searchPath(credentials.accountId)
      : api.byId.path(credentials.accountId);
    const url = searchUrl(options.baseUrl, path, request, api.searchQuery);
    const body = JSON.stringify(requestBody(api, request));
    const response = await requestWithRetries((signal) => {
      options.onRequest?.();
      return fetch(url, {
        method: "POST",
        headers: {
          "Authorization": authorizationHeader({ method: "POST", url }, options.credentials),
          "Content-Type": "application/json",
          "Accept": "application/json",
        },
        body,
        signal,
      });
    }, options.http);
    let facts;
    try {
      facts = readPageFacts(response.body, api);
    } catch (error) {
      if (!(error instanceof UnexpectedResponseError)) throw error;
      const what = request.id === undefined
        ? `window ${windowFolderName(request.window)}, offset ${request.offset}`
        : `record ${request.id}`;
      throw new UnexpectedResponseError(
        `${what}: ${error.message}. It is fetched again by the next run`,
      );
    }
    return { body: response.body, ...facts, fetchedAt: new Date((options.now ?? Date.now)()) };
  };
}
