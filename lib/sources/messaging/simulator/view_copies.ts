/**
 * A built conversation as it stands at a moment, and the trimmed copies the
 * search returns.
 *
 * {@linkcode recordAsOf} keeps only the events that happened by `now`
 * (messages, statuses, scores, participants, transfers, interactions, skill
 * changes, co-browse sessions, SDEs, summary, agent-survey states), and
 * derives what depends on them: dialogs, surveys, response time and the
 * changing `info` fields. Before the close the conversation is OPEN
 * (`endTime` "undefined", `endTimeL` -1, duration up to `now`); between the
 * close and the end of the survey dialog it is CLOSE with `fullDialogStatus`
 * OPEN and no survey yet.
 *
 * @module
 */

import type { BuiltConversation } from "./built.ts";
import { formatterOf } from "./context.ts";
import { responseTimeNode } from "./nodes_extras.ts";
import { changingInfo, OPTIONAL_CHANGING_KEYS } from "./nodes_info.ts";
import { routingAsOf } from "./nodes_routing.ts";

type Json = Record<string, unknown>;

/** Lists whose entries happen at a time, and the field that holds it. */
const TIMED_LISTS: readonly (readonly [readonly string[], string])[] = [
  [["messageRecords"], "timeL"],
  [["messageStatuses"], "timeL"],
  [["messageScores"], "timeL"],
  [["agentParticipants"], "timeL"],
  [["consumerParticipants"], "timeL"],
  [["transfers"], "timeL"],
  [["interactions"], "interactionTimeL"],
  [["skillChanges"], "timeL"],
  // A co-browse session shows once it has ended.
  [["coBrowseSessions", "coBrowseSessionsList"], "endTimeL"],
  [["sdes", "events"], "serverTimeStamp"],
  [["unAuthSdes", "events"], "serverTimeStamp"],
];

function listAt(record: Json, path: readonly string[]): { holder: Json; key: string } | undefined {
  let holder: unknown = record;
  for (const key of path.slice(0, -1)) {
    holder = (holder as Json | undefined)?.[key];
    if (holder === null || typeof holder !== "object") return undefined;
  }
  const key = path.at(-1)!;
  return Array.isArray((holder as Json)[key]) ? { holder: holder as Json, key } : undefined;
}

function asList(value: unknown): Json[] {
  return Array.isArray(value) ? value as Json[] : [];
}

function uniqueIntentsOf(intents: readonly Json[]): Json[] {
  const unique = new Map<unknown, Json>();
  for (const intent of intents) {
    const selected = intent.selectedClassification as Json;
    if (!unique.has(selected.intentName)) {
      unique.set(selected.intentName, {
        intentName: selected.intentName,
        intentLabel: selected.intentLabel,
      });
    }
  }
  return [...unique.values()];
}

/** Keeps the entries of messageId-keyed lists whose message is in `kept`. */
function keepMessages(record: Json, kept: ReadonlySet<unknown>): void {
  for (const key of ["messageStatuses", "messageScores", "intents"]) {
    if (Array.isArray(record[key])) {
      record[key] = asList(record[key]).filter((item) => kept.has(item.messageId));
    }
  }
  if (Array.isArray(record.uniqueIntents)) {
    record.uniqueIntents = uniqueIntentsOf(asList(record.intents));
  }
}

function dialogsAsOf(built: BuiltConversation, dialogs: Json[], now: number): Json[] {
  const { plan } = built.story;
  const format = formatterOf(built.story.timeForm);
  const closed = plan.conversationEnd !== -1 && now >= plan.conversationEnd;
  const skill = routingAsOf(built.story, closed ? plan.conversationEnd : now).skill;
  const shown: Json[] = [];
  for (const dialog of dialogs) {
    const main = dialog.dialogType === "MAIN";
    const end = main ? plan.conversationEnd : plan.survey?.end ?? -1;
    const begin = main ? plan.start : plan.survey?.start ?? Infinity;
    if (now < begin) continue;
    if (main) Object.assign(dialog, { skillId: skill.id, skillName: skill.name });
    if (end === -1 || now < end) {
      Object.assign(dialog, { status: "OPEN", endTime: format(-1), endTimeL: -1 });
      delete dialog.closeReason;
      delete dialog.closeReasonDescription;
    }
    shown.push(dialog);
  }
  return shown;
}

/**
 * The conversation as it stands at `now`: only what happened by then.
 *
 * @param built the built conversation
 * @param now epoch ms
 * @returns a new record
 *
 * @example
 * ```ts
 * import { buildConversation } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { recordAsOf } from "./view_copies.ts";
 * import assert from "node:assert/strict";
 * const built = buildConversation(resolveDataset({ count: 3, from: 0, to: 86_400_000, stuckOpenRate: 0 }), 1);
 * const early = recordAsOf(built, built.story.plan.start);
 * assert.equal((early.info as { status: string }).status, "OPEN");
 * assert.equal((recordAsOf(built, 1e15).info as { status: string }).status, "CLOSE");
 * ```
 */
export function recordAsOf(built: BuiltConversation, now: number): Json {
  const { story } = built;
  const { plan } = story;
  const record = structuredClone(built.raw);
  for (const [path, timeKey] of TIMED_LISTS) {
    const list = listAt(record, path);
    if (list) {
      list.holder[list.key] = asList(list.holder[list.key]).filter((item) =>
        Number(item[timeKey]) <= now
      );
    }
  }
  const sentBy = new Set(
    story.messages.filter((message) => message.time <= now).map((message) => message.messageId),
  );
  keepMessages(record, sentBy);
  const closed = plan.conversationEnd !== -1 && now >= plan.conversationEnd;
  const fullyClosed = plan.fullDialogEnd !== -1 && now >= plan.fullDialogEnd;
  if (Array.isArray(record.dialogs)) {
    record.dialogs = dialogsAsOf(built, asList(record.dialogs), now);
  }
  if (Array.isArray(record.conversationSurveys) && !(plan.survey && now >= plan.survey.end)) {
    record.conversationSurveys = [];
  }
  const summary = record.summary as Json | undefined;
  if (summary && Number(summary.lastUpdatedTime) > now) delete record.summary;
  const states = story.agentSurveyStates.filter((state) => Number(state.lastUpdateTime) <= now);
  const latestState = states.at(-1);
  if ("latestAgentSurvey" in record) {
    if (latestState) record.latestAgentSurvey = structuredClone(latestState);
    else delete record.latestAgentSurvey;
  }
  if ("previouslySubmittedAgentSurveys" in record) {
    record.previouslySubmittedAgentSurveys = structuredClone(
      states.filter((state) => state.surveyStatus !== "OPEN"),
    );
  }
  if (story.configuredResponseTime !== undefined && "responseTime" in record) {
    const last = story.messages.findLast((message) => message.main && message.time <= now);
    record.responseTime = responseTimeNode(story.configuredResponseTime, {
      ...(last?.byConsumer ? { lastConsumerMessage: last.time } : {}),
      closed,
    });
  }
  const routing = routingAsOf(story, closed ? plan.conversationEnd : now);
  const assigned = routing.assignment;
  const firstIntent = story.intents.find((intent) => intent.time <= now);
  const mcs = story.scores.findLast((score) => score.time <= now)?.mcs;
  const info = record.info as Json;
  for (const key of OPTIONAL_CHANGING_KEYS) delete info[key];
  Object.assign(
    info,
    changingInfo({
      start: plan.start,
      conversationEnd: closed ? plan.conversationEnd : -1,
      fullDialogEnd: fullyClosed ? plan.fullDialogEnd : -1,
      duration: closed ? plan.conversationEnd - plan.start : Math.max(0, now - plan.start),
      ...(assigned ? { agent: assigned.agent } : {}),
      skill: routing.skill,
      agentIdAsText: story.agentIdAsText,
      inQueue: !assigned ||
        story.transferTimes.some((time) => time > assigned.time && time <= now),
      closeReason: story.closeReason,
      ...(mcs === undefined ? {} : { mcs }),
      ...(story.csat !== undefined && fullyClosed ? { csat: story.csat } : {}),
      ...(firstIntent ? { firstIntent } : {}),
      pendingAgentSurvey: latestState?.surveyStatus === "OPEN",
    }, formatterOf(story.timeForm)),
  );
  return record;
}

/**
 * When the conversation last changed by `now`: the latest of its start, its
 * messages and every other timed event, its close, the close of its survey
 * dialog, its summary and its agent-survey states, that are not after `now`.
 *
 * @param built the built conversation
 * @param now epoch ms
 * @returns epoch ms, at least the start
 *
 * @example
 * ```ts
 * import { buildConversation } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { updatedAt } from "./view_copies.ts";
 * import assert from "node:assert/strict";
 * const built = buildConversation(resolveDataset({ count: 3, from: 0, to: 86_400_000, stuckOpenRate: 0 }), 1);
 * assert.equal(updatedAt(built, 0), built.story.plan.start);
 * assert.ok(updatedAt(built, 1e15) >= built.story.plan.fullDialogEnd);
 * ```
 */
export function updatedAt(built: BuiltConversation, now: number): number {
  const { raw, story } = built;
  const { plan } = story;
  let latest = plan.start;
  const consider = (time: number) => {
    if (time <= now && time > latest) latest = time;
  };
  // The story too: info follows it even where the record leaves a node out.
  for (const message of story.messages) consider(message.time);
  for (const score of story.scores) consider(score.time);
  for (const assignment of story.assignments) consider(assignment.time);
  for (const change of story.skillChanges) consider(change.time);
  for (const time of story.transferTimes) consider(time);
  for (const [path, timeKey] of TIMED_LISTS) {
    const list = listAt(raw, path);
    if (list) { for (const item of asList(list.holder[list.key])) consider(Number(item[timeKey])); }
  }
  if (plan.conversationEnd !== -1) consider(plan.conversationEnd);
  if (plan.fullDialogEnd !== -1) consider(plan.fullDialogEnd);
  const summary = raw.summary as Json | undefined;
  if (summary) consider(Number(summary.lastUpdatedTime));
  for (const state of story.agentSurveyStates) consider(Number(state.lastUpdateTime));
  return latest;
}

/**
 * The moment after which the conversation no longer changes: once settled, or
 * for one that never ends, its last event (only its duration grows after).
 *
 * @param built the built conversation
 * @returns epoch ms
 *
 * @example
 * ```ts
 * import { buildConversation } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { finalMoment } from "./view_copies.ts";
 * import assert from "node:assert/strict";
 * const built = buildConversation(resolveDataset({ count: 3, from: 0, to: 86_400_000, stuckOpenRate: 1 }), 1);
 * assert.ok(Number.isFinite(finalMoment(built)));
 * ```
 */
export function finalMoment(built: BuiltConversation): number {
  const { plan } = built.story;
  return plan.stuckOpen ? updatedAt(built, Infinity) : plan.settledBy;
}

/**
 * Trims a search copy the way the API does for heavy conversations: flagged
 * `isPartial`, only the first half of the messages (and their statuses,
 * scores and intents), no post-conversation survey, and only the latest SDE.
 * Changes `record` in place.
 *
 * @param record a record as of a moment
 * @returns the same record, trimmed
 *
 * @example
 * ```ts
 * import { partialCopy } from "./view_copies.ts";
 * import assert from "node:assert/strict";
 * const record = partialCopy({ info: {}, messageRecords: [{ messageId: "a" }, { messageId: "b" },
 *   { messageId: "c" }], conversationSurveys: [] });
 * assert.equal((record.info as { isPartial: boolean }).isPartial, true);
 * assert.equal((record.messageRecords as unknown[]).length, 2);
 * assert.ok(!("conversationSurveys" in record));
 * ```
 */
export function partialCopy(record: Json): Json {
  (record.info as Json).isPartial = true;
  if (Array.isArray(record.messageRecords)) {
    const messages = asList(record.messageRecords);
    record.messageRecords = messages.slice(0, Math.ceil(messages.length / 2));
    keepMessages(
      record,
      new Set(asList(record.messageRecords).map((message) => message.messageId)),
    );
  }
  delete record.conversationSurveys;
  const sdes = record.sdes as Json | undefined;
  if (sdes && Array.isArray(sdes.events)) sdes.events = asList(sdes.events).slice(-1);
  return record;
}

/**
 * Drops the file previews (base64 thumbnails) that only the request by
 * conversation id returns. Changes `record` in place.
 *
 * @param record a record
 * @returns the same record
 *
 * @example
 * ```ts
 * import { withoutPreviews } from "./view_copies.ts";
 * import assert from "node:assert/strict";
 * const record = withoutPreviews({ messageRecords: [{ messageData: { file: { preview: "x" } } }] });
 * assert.deepEqual(record.messageRecords, [{ messageData: { file: {} } }]);
 * ```
 */
export function withoutPreviews(record: Json): Json {
  for (const message of asList(record.messageRecords)) {
    const file = (message.messageData as Json | undefined)?.file as Json | undefined;
    if (file) delete file.preview;
  }
  return record;
}
