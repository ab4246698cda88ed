/**
 * One signed search request: a window and an offset in, a stored-ready page out.
 *
 * @module
 */

import type { Credentials } from "./credentials.ts";
import { type HistoryApi, SOURCE_NAME } from "./history_api.ts";
import { type HttpEffects, requestWithRetries, type RetryPolicy } from "./http.ts";
import { authorizationHeader } from "./oauth.ts";
import type { TimeWindow } from "./windows.ts";

/** One page of search results. */
export interface SearchPage {
  /** The response body exactly as received. */
  readonly body: Uint8Array;
  /** `_metadata.count`: records in the whole window. */
  readonly count: number;
  /** Records on this page. */
  readonly records: number;
  /** `_metadata.shardsStatusResult.partialResult`: the server says the page may be incomplete. */
  readonly partialResult: boolean;
  /** When the response arrived. */
  readonly fetchedAt: Date;
}

/** Which page to fetch. */
export interface PageRequest {
  readonly window: TimeWindow;
  readonly offset: number;
  readonly limit: number;
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
}

/** The response was 200 but not a search result; retrying will not help. */
export class UnexpectedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnexpectedResponseError";
  }
}

/**
 * Builds the search URL for a page: `offset`, `limit`, `sort=start:asc` and
 * the required `source`, encoded as RFC 3986 so the signed URL and the sent URL
 * are the same string.
 *
 * @param options API, base URL and account
 * @param request the page
 * @returns the full URL
 *
 * @example
 * ```ts
 * import { searchUrl } from "./search_client.ts";
 * import { ENGAGEMENT_HISTORY } from "./history_api.ts";
 * import assert from "node:assert/strict";
 * const url = searchUrl(
 *   { api: ENGAGEMENT_HISTORY, baseUrl: "https://h.example", accountId: "42" },
 *   { offset: 100, limit: 100 },
 * );
 * assert.equal(
 *   url,
 *   "https://h.example/interaction_history/api/account/42/interactions/search" +
 *     "?offset=100&limit=100&sort=start%3Aasc&source=lpHistory_fetch",
 * );
 * ```
 */
export function searchUrl(
  options: { api: HistoryApi; baseUrl: string; accountId: string },
  request: { offset: number; limit: number },
): string {
  const query = [
    ["offset", String(request.offset)],
    ["limit", String(request.limit)],
    ["sort", "start:asc"],
    ["source", SOURCE_NAME],
  ].map(([name, value]) => `${name}=${encodeURIComponent(value!)}`).join("&");
  return `${options.baseUrl.replace(/\/+$/, "")}${
    options.api.searchPath(options.accountId)
  }?${query}`;
}

/**
 * Reads the facts paging needs from a search response body.
 *
 * @param body the body
 * @param recordsField the field that holds the records
 * @returns count, records on the page, and the partial flag
 * @throws {UnexpectedResponseError} when the body is not a search result
 *
 * @example
 * ```ts
 * import { readPageFacts } from "./search_client.ts";
 * import assert from "node:assert/strict";
 * const body = new TextEncoder().encode('{"_metadata":{"count":3},"records":[{},{}]}');
 * assert.deepEqual(readPageFacts(body, "records"), { count: 3, records: 2, partialResult: false });
 * ```
 */
export function readPageFacts(
  body: Uint8Array,
  recordsField: string,
): { count: number; records: number; partialResult: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new UnexpectedResponseError(
      `The API answered 200 with a body that is not JSON (${body.byteLength} bytes): ` +
        `check LP_BASE_URL / --base-url points at the history API`,
    );
  }
  const page = parsed as {
    _metadata?: { count?: unknown; shardsStatusResult?: { partialResult?: unknown } };
    [field: string]: unknown;
  };
  const count = page?._metadata?.count;
  const records = page?.[recordsField] ?? [];
  if (typeof count !== "number" || !Array.isArray(records)) {
    throw new UnexpectedResponseError(
      `The API answered 200 without _metadata.count or "${recordsField}": ` +
        `check LP_BASE_URL / --base-url points at the history API`,
    );
  }
  return {
    count,
    records: records.length,
    partialResult: page._metadata?.shardsStatusResult?.partialResult === true,
  };
}

/**
 * A {@linkcode PageFetcher} that signs and sends real search requests, with
 * retries.
 *
 * @param options API, host, credentials and retry policy
 * @returns the fetcher
 */
export function searchPageFetcher(options: SearchClientOptions): PageFetcher {
  return async (request) => {
    const url = searchUrl({ ...options, accountId: options.credentials.accountId }, request);
    const body = JSON.stringify({ start: { from: request.window.from, to: request.window.to } });
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
    return {
      body: response.body,
      ...readPageFacts(response.body, options.api.recordsField),
      fetchedAt: new Date(),
    };
  };
}
