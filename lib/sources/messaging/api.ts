/**
 * The Messaging Interactions API, as the client sees it.
 *
 * @module
 */

import type { HistoryApi } from "../../fetch/history_api.ts";
import type { TimeWindow } from "../../fetch/windows.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a search returns when `contentToRetrieve` is not sent. */
const DEFAULT_CONTENT = `
  campaign messageRecords agentParticipants agentParticipantsLeave agentParticipantsActive
  consumerParticipants transfers interactions messageScores messageStatuses conversationSurveys
  coBrowseSessions summary sdes`;

/** What a search returns only when `contentToRetrieve` lists it. */
const OPT_IN_CONTENT = `
  monitoring dialogs responseTime skillChanges intents uniqueIntents unAuthSdes latestAgentSurvey
  previouslySubmittedAgentSurveys`;

/**
 * Every content type the API can return. Once `contentToRetrieve` is sent,
 * only what it lists comes back, so the defaults are listed too.
 */
export const CONTENT_TO_RETRIEVE: readonly string[] = Object.freeze(
  `${DEFAULT_CONTENT} ${OPT_IN_CONTENT}`.trim().split(/\s+/),
);

function infoOf(record: unknown): Record<string, unknown> | undefined {
  if (typeof record !== "object" || record === null) return undefined;
  const info = (record as { info?: unknown }).info;
  return typeof info === "object" && info !== null ? info as Record<string, unknown> : undefined;
}

function conversationsPath(accountId: string, endpoint: string): string {
  return `/messaging_history/api/account/${
    encodeURIComponent(accountId)
  }/conversations/${endpoint}`;
}

function startFilter(window: TimeWindow) {
  return { start: { from: window.from, to: window.to }, contentToRetrieve: CONTENT_TO_RETRIEVE };
}

/**
 * The Messaging Interactions API: `POST …/conversations/search` by start
 * time, and `…/conversations/conversation/search` for one conversation
 * whole, both with every content type. `v=2` brings SDE values typed and the
 * unauthenticated SDEs.
 *
 * @example
 * ```ts
 * import { CONTENT_TO_RETRIEVE, MESSAGING_INTERACTIONS } from "./api.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   MESSAGING_INTERACTIONS.searchPath("123"),
 *   "/messaging_history/api/account/123/conversations/search",
 * );
 * const open = { info: { conversationId: "c1", status: "OPEN", isPartial: true } };
 * assert.deepEqual(MESSAGING_INTERACTIONS.recordState(open), { id: "c1", partial: true, open: true });
 * const body = MESSAGING_INTERACTIONS.byId.body("c1", { from: 0, to: 1 }) as { conversationId: string };
 * assert.equal(body.conversationId, "c1");
 * assert.equal(CONTENT_TO_RETRIEVE.length, 23);
 * ```
 */
export const MESSAGING_INTERACTIONS: HistoryApi = {
  name: "messaging-interactions",
  serviceName: "msgHist",
  searchPath: (accountId) => conversationsPath(accountId, "search"),
  searchQuery: { v: "2" },
  searchBody: startFilter,
  updatedSinceBody: (window, since) => ({
    ...startFilter(window),
    latestUpdateTime: { from: since },
  }),
  byId: {
    path: (accountId) => conversationsPath(accountId, "conversation/search"),
    body: (id) => ({ conversationId: id, contentToRetrieve: CONTENT_TO_RETRIEVE }),
  },
  recordsField: "conversationHistoryRecords",
  emptyBodyIsEmptyPage: true,
  recordState(record) {
    const info = infoOf(record);
    const id = info?.conversationId;
    if (typeof id !== "string") return undefined;
    return { id, partial: info?.isPartial === true, open: info?.status === "OPEN" };
  },
  // "Maximum interval three months": 90 days fit in any three calendar months.
  maxWindowMs: 90 * DAY_MS,
  maxPageSize: 100,
  // "13 months", as for chats.
  retentionMs: 396 * DAY_MS,
};
