/**
 * What the fetcher needs to know of a LivePerson history API, as data. Each
 * source describes its API with one of these (lib/sources/<source>/api.ts);
 * fetching, paging, storing and verifying are shared code.
 *
 * @module
 */

import type { TimeWindow } from "./windows.ts";

/** Whether a stored record is final, from the record itself. */
export interface RecordState {
  /** The record's key (`engagementId`, `conversationId`). */
  readonly id: string;
  /** The API truncated the record (`info.isPartial`): fetch it again by id. */
  readonly partial: boolean;
  /** The conversation had not ended when it was fetched: fetch it again later. */
  readonly open: boolean;
}

/** One LivePerson history API, described by the facts the shared code needs. */
export interface HistoryApi {
  /** Stable name, also the folder under data/raw/ and data/tables/ (`engagement-history`). */
  readonly name: string;
  /** Domain API service name that yields the API's host (`engHistDomain`). */
  readonly serviceName: string;
  /** Path of the search endpoint for an account, without query string. */
  searchPath(accountId: string): string;
  /** Query parameters the API wants besides paging, sort and source (`v=2`). */
  readonly searchQuery?: Readonly<Record<string, string>>;
  /** The JSON body of a search over a time window. */
  searchBody(window: TimeWindow): unknown;
  /**
   * The JSON body of a search for the records of a time window that changed
   * since `since` (epoch ms), for APIs that can filter on it (`latestUpdateTime`):
   * `--since-last` then fetches again what changed after the last run.
   */
  updatedSinceBody?(window: TimeWindow, since: number): unknown;
  /** The request that fetches one record by its key, whole. */
  readonly byId: {
    /** Path of the endpoint, without query string. */
    path(accountId: string): string;
    /** The JSON body; `window` is the window the record was found in. */
    body(id: string, window: TimeWindow): unknown;
  };
  /** Field of the response body that holds the records. */
  readonly recordsField: string;
  /** The API answers an empty result with an empty body (204) instead of a page. */
  readonly emptyBodyIsEmptyPage?: boolean;
  /** Reads a record's key and whether it is partial or open; undefined without a key. */
  recordState(record: unknown): RecordState | undefined;
  /** Longest time range one search request may cover, in milliseconds. */
  readonly maxWindowMs: number;
  /** Largest `limit` the endpoint accepts. */
  readonly maxPageSize: number;
  /** How long LivePerson keeps the data, in milliseconds. */
  readonly retentionMs: number;
}

/**
 * Whether a response body is the API's empty answer (a 204, or an empty body,
 * for an API that answers "no records" so): an empty page, not an error.
 *
 * @param api the API
 * @param body the response body as text
 * @returns true for an empty answer of an API that gives them
 *
 * @example
 * ```ts
 * import { isEmptyAnswer } from "./history_api.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isEmptyAnswer({ emptyBodyIsEmptyPage: true }, " \n"), true);
 * assert.equal(isEmptyAnswer({}, ""), false);
 * ```
 */
export function isEmptyAnswer(
  api: Pick<HistoryApi, "emptyBodyIsEmptyPage">,
  body: string,
): boolean {
  return api.emptyBodyIsEmptyPage === true && body.trim() === "";
}

/** The `source` query parameter every request sends (≤ 20 characters, required by the API). */
export const SOURCE_NAME = "lpHistory_fetch";
