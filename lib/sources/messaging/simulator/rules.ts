/**
 * The Messaging Interactions API's rules as the simulator enforces them:
 * paging limits, the `start` window and its rounding, the `source`, `sort`
 * and `v` parameters, the `contentToRetrieve` values and the sentinels.
 *
 * The simulator keeps its own copy of these rules on purpose: it must check
 * the client, so it never shares the client's constants.
 *
 * @module
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The API's name, as the client's source name. */
export const API_NAME = "messaging-interactions";
/** Domain API service name that yields the API's host. */
export const SERVICE_NAME = "msgHist";
/** Field of a response body that holds the records. */
export const RECORDS_FIELD = "conversationHistoryRecords";
/** Every endpoint path starts with this, followed by the account id. */
export const PATH_PREFIX = "/messaging_history/api/account/";

/** Largest `limit` the API accepts. */
export const MAX_LIMIT = 100;
/** `limit` when the request has none. */
export const DEFAULT_LIMIT = 50;
/** Longest `source` the API accepts. */
export const MAX_SOURCE_LENGTH = 20;

/** The API rounds `start.from` down and `start.to` up to this, and `latestUpdateTime.from` down. */
export const ROUNDING_MS = 10 * MINUTE;
/**
 * Longest `start` window, in days, after rounding. The docs say "three
 * months"; the simulator counts three months as 3 × 31 = 93 days, so any three
 * consecutive calendar months (at most 92 days) plus the 10-minute rounding of
 * both ends fit, and anything longer than three months is refused.
 */
export const MAX_START_WINDOW_DAYS = 93;
/** {@linkcode MAX_START_WINDOW_DAYS} in milliseconds. */
export const MAX_START_WINDOW_MS = MAX_START_WINDOW_DAYS * DAY;

/** Fields the `sort` parameter may name. */
export const SORT_FIELDS: readonly string[] = Object.freeze(["start", "end"]);
/** Orders the `sort` parameter may give. */
export const SORT_ORDERS: readonly string[] = Object.freeze(["asc", "desc"]);

/** Values of the `v` parameter. */
export const API_VERSIONS = Object.freeze(["1", "2"] as const);
/** One value of the `v` parameter. */
export type ApiVersion = typeof API_VERSIONS[number];
/** `v` when the request has none. */
export const DEFAULT_API_VERSION: ApiVersion = "1";

/** Conversation statuses, as the `status` filter and `info.status` spell them. */
export const CONVERSATION_STATUSES = Object.freeze(["OPEN", "CLOSE"] as const);
/** One conversation status. */
export type ConversationStatus = typeof CONVERSATION_STATUSES[number];

/** The `contentToRetrieve` values an answer holds when the request has none. */
const DEFAULT_CONTENT_TYPES = [
  "campaign",
  "messageRecords",
  "agentParticipants",
  "agentParticipantsLeave",
  "agentParticipantsActive",
  "consumerParticipants",
  "transfers",
  "interactions",
  "messageScores",
  "messageStatuses",
  "conversationSurveys",
  "coBrowseSessions",
  "summary",
  "sdes",
] as const;

/** The `contentToRetrieve` values an answer holds only when asked for. */
const OPT_IN_CONTENT_TYPES = [
  "unAuthSdes",
  "monitoring",
  "dialogs",
  "responseTime",
  "skillChanges",
  "intents",
  "uniqueIntents",
  "latestAgentSurvey",
  "previouslySubmittedAgentSurveys",
] as const;

/** Every valid `contentToRetrieve` value: the defaults, then the opt-in ones. */
export const CONTENT_TYPES = Object.freeze(
  [...DEFAULT_CONTENT_TYPES, ...OPT_IN_CONTENT_TYPES] as const,
);
/** One `contentToRetrieve` value. */
export type ContentType = typeof CONTENT_TYPES[number];

/** What an answer holds when the request has no `contentToRetrieve` (besides `info`). */
export const DEFAULT_CONTENT: readonly ContentType[] = Object.freeze([...DEFAULT_CONTENT_TYPES]);

/** Content an answer holds only when `contentToRetrieve` lists it. */
export const OPT_IN_CONTENT: readonly ContentType[] = Object.freeze([...OPT_IN_CONTENT_TYPES]);

/**
 * The record node each content type yields. `agentParticipantsLeave` and
 * `agentParticipantsActive` are documented only as content-type names, with
 * no node of their own: any of the three agent-participant types yields the
 * `agentParticipants` node.
 */
export const CONTENT_NODE: Readonly<Record<ContentType, string>> = Object.freeze({
  campaign: "campaign",
  messageRecords: "messageRecords",
  agentParticipants: "agentParticipants",
  agentParticipantsLeave: "agentParticipants",
  agentParticipantsActive: "agentParticipants",
  consumerParticipants: "consumerParticipants",
  transfers: "transfers",
  interactions: "interactions",
  messageScores: "messageScores",
  messageStatuses: "messageStatuses",
  conversationSurveys: "conversationSurveys",
  coBrowseSessions: "coBrowseSessions",
  summary: "summary",
  sdes: "sdes",
  unAuthSdes: "unAuthSdes",
  monitoring: "monitoring",
  dialogs: "dialogs",
  responseTime: "responseTime",
  skillChanges: "skillChanges",
  intents: "intents",
  uniqueIntents: "uniqueIntents",
  latestAgentSurvey: "latestAgentSurvey",
  previouslySubmittedAgentSurveys: "previouslySubmittedAgentSurveys",
});

/** Content types only answered with `v=2`. */
export const V2_ONLY_CONTENT: readonly ContentType[] = Object.freeze(["unAuthSdes"]);

/**
 * Body filters of the conversations search, as documented. The simulator
 * applies `start`, `latestUpdateTime`, `status` and `contentToRetrieve`, and
 * accepts the others without applying them.
 */
export const SEARCH_FILTERS: readonly string[] = Object.freeze([
  "start",
  "end",
  "fullDialogEndTime",
  "latestUpdateTime",
  "status",
  "skillIds",
  "latestSkillIds",
  "agentIds",
  "latestAgentIds",
  "agentGroupIds",
  "userPermissions",
  "keyword",
  "summary",
  "duration",
  "mcs",
  "alertedMcsValues",
  "csat",
  "nps",
  "source",
  "device",
  "messageContentTypes",
  "latestConversationQueueState",
  "sdeSearch",
  "responseTime",
  "contentToRetrieve",
  "questionBrick",
  "invalidFreeTextAnswer",
  "surveyBotConversations",
  "surveyIds",
  "fcr",
  "questionTypeAndFormatToRetrieve",
  "answerText",
  "selectedIntentOnly",
  "conversationsWithStepUpOnly",
  "agentSurveySearch",
  "annotationStates",
]);

/** Body fields of the request by conversation id. */
export const BY_ID_FIELDS: readonly string[] = Object.freeze([
  "conversationId",
  "contentToRetrieve",
]);
/** Body fields of the request by consumer id. */
export const BY_CONSUMER_FIELDS: readonly string[] = Object.freeze([
  "consumer",
  "status",
  "contentToRetrieve",
]);

/** The "no value" texts and numbers LivePerson writes instead of leaving a field out. */
export const SENTINELS = Object.freeze({
  /** A missing string, e.g. `endTime` of an open conversation, `device`, `token`. */
  undefinedText: "undefined",
  /** A missing id written as text, e.g. `transfers[].assignedAgentId`. */
  nullText: "null",
  /** Not available, e.g. `operatingSystem`. */
  notAvailable: "NA",
  /** An empty text. */
  empty: "",
  /** A missing epoch time or id, e.g. `endTimeL` of an open conversation, `latestSkillId`. */
  none: -1,
});

/**
 * Rounds epoch ms down to the API's 10-minute grid.
 *
 * @param ms epoch milliseconds
 * @returns the boundary at or before `ms`
 *
 * @example
 * ```ts
 * import { roundDown } from "./rules.ts";
 * import assert from "node:assert/strict";
 * assert.equal(roundDown(1_199_999), 600_000);
 * assert.equal(roundDown(1_200_000), 1_200_000);
 * ```
 */
export function roundDown(ms: number): number {
  return Math.floor(ms / ROUNDING_MS) * ROUNDING_MS;
}

/**
 * Rounds epoch ms up to the API's 10-minute grid.
 *
 * @param ms epoch milliseconds
 * @returns the boundary at or after `ms`
 *
 * @example
 * ```ts
 * import { roundUp } from "./rules.ts";
 * import assert from "node:assert/strict";
 * assert.equal(roundUp(600_001), 1_200_000);
 * assert.equal(roundUp(600_000), 600_000);
 * ```
 */
export function roundUp(ms: number): number {
  return Math.ceil(ms / ROUNDING_MS) * ROUNDING_MS;
}

/**
 * Whether a text is a valid `contentToRetrieve` value.
 *
 * @param value any value
 * @returns `true` for one of {@linkcode CONTENT_TYPES}
 *
 * @example
 * ```ts
 * import { isContentType } from "./rules.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isContentType("skillChanges"));
 * assert.ok(!isContentType("messages"));
 * ```
 */
export function isContentType(value: unknown): value is ContentType {
  return typeof value === "string" && (CONTENT_TYPES as readonly string[]).includes(value);
}
