/**
 * The Engagement History API (legacy chat), as the client sees it.
 *
 * @module
 */

import type { HistoryApi } from "../../fetch/history_api.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

function infoOf(record: unknown): Record<string, unknown> | undefined {
  if (typeof record !== "object" || record === null) return undefined;
  const info = (record as { info?: unknown }).info;
  return typeof info === "object" && info !== null ? info as Record<string, unknown> : undefined;
}

/** A number, also when parsed with its source text kept (`{ rawJSON: "-1" }`). */
function numberOf(value: unknown): number {
  if (typeof value === "object" && value !== null && "rawJSON" in value) {
    return Number((value as { rawJSON: unknown }).rawJSON);
  }
  return Number(value);
}

function searchPath(accountId: string): string {
  return `/interaction_history/api/account/${encodeURIComponent(accountId)}/interactions/search`;
}

/**
 * The Engagement History API (legacy chat): `POST .../interactions/search`. It
 * has no get-by-id endpoint: the search with the `engagementId` filter (time
 * range ignored, but still required) returns one chat whole.
 *
 * @example
 * ```ts
 * import { ENGAGEMENT_HISTORY } from "./api.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   ENGAGEMENT_HISTORY.searchPath("123"),
 *   "/interaction_history/api/account/123/interactions/search",
 * );
 * const open = { info: { engagementId: "e1", ended: false, endTimeL: -1, isPartial: false } };
 * assert.deepEqual(ENGAGEMENT_HISTORY.recordState(open), { id: "e1", partial: false, open: true });
 * ```
 */
export const ENGAGEMENT_HISTORY: HistoryApi = {
  name: "engagement-history",
  serviceName: "engHistDomain",
  searchPath,
  searchBody: (window) => ({ start: { from: window.from, to: window.to } }),
  byId: {
    path: searchPath,
    body: (id, window) => ({ start: { from: window.from, to: window.to }, engagementId: id }),
  },
  recordsField: "interactionHistoryRecords",
  recordState(record) {
    const info = infoOf(record);
    const id = info?.engagementId;
    if (typeof id !== "string" && typeof id !== "number") return undefined;
    return {
      id: String(id),
      partial: info?.isPartial === true,
      open: info?.ended === false || numberOf(info?.endTimeL) === -1,
    };
  },
  // "At most one month": 31 days is the longest month, and what the simulator enforces.
  maxWindowMs: 31 * DAY_MS,
  maxPageSize: 100,
  // "Data is stored for 13 months."
  retentionMs: 396 * DAY_MS,
};
