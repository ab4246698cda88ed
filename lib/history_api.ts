/**
 * What differs between LivePerson's history APIs, as data.
 *
 * Fetching, paging, storing and table building are shared code; each API is
 * described once here so a second API (Messaging Interactions) slots in as a
 * new constant rather than as branches through the code.
 *
 * @module
 */

/** One LivePerson history API, described by the facts the shared code needs. */
export interface HistoryApi {
  /** Stable name, also the folder under data/raw/ (`engagement-history`). */
  readonly name: string;
  /** Domain API service name that yields the API's host (`engHistDomain`). */
  readonly serviceName: string;
  /** Path of the search endpoint for an account, without query string. */
  searchPath(accountId: string): string;
  /** Field of the response body that holds the records. */
  readonly recordsField: string;
  /** Path inside a record to its primary key (`["info", "engagementId"]`). */
  readonly recordKeyPath: readonly string[];
  /** Path inside a record to its start time in epoch ms. */
  readonly recordStartPath: readonly string[];
  /** Longest time range one search request may cover, in milliseconds. */
  readonly maxWindowMs: number;
  /** Largest `limit` the endpoint accepts. */
  readonly maxPageSize: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Engagement History API (legacy chat): `POST .../interactions/search`.
 *
 * @example
 * ```ts
 * import { ENGAGEMENT_HISTORY } from "./history_api.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   ENGAGEMENT_HISTORY.searchPath("123"),
 *   "/interaction_history/api/account/123/interactions/search",
 * );
 * ```
 */
export const ENGAGEMENT_HISTORY: HistoryApi = {
  name: "engagement-history",
  serviceName: "engHistDomain",
  searchPath: (accountId) =>
    `/interaction_history/api/account/${encodeURIComponent(accountId)}/interactions/search`,
  recordsField: "interactionHistoryRecords",
  recordKeyPath: ["info", "engagementId"],
  recordStartPath: ["info", "startTimeL"],
  // "At most one month": 31 days is the longest month, and what the simulator enforces.
  maxWindowMs: 31 * DAY_MS,
  maxPageSize: 100,
};

/** The `source` query parameter every request sends (≤ 20 characters, required by the API). */
export const SOURCE_NAME = "lpHistory_fetch";
