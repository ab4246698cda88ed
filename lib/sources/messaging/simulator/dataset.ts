/**
 * A deterministic synthetic Messaging Interactions dataset.
 *
 * Conversation `i` is built from its own seeded streams (a time plan, then
 * the content), so {@linkcode conversationAt} is pure and O(1): a server can
 * serve 100 000 conversations without holding them. Records have every
 * documented node and carry the dirt real data carries: nodes missing or
 * empty, sentinels (`-1`, `"undefined"`, `"null"`, `"NA"`, `""`), ids as text
 * or numbers, and text with separators, quotes, line breaks, tabs, emoji,
 * right-to-left and CJK scripts.
 *
 * @module
 */

import {
  type DatasetOptions,
  resolveDataset,
  type ResolvedDataset,
} from "../../../simulator/dataset_options.ts";
import { createRandom, mixSeed } from "../../../simulator/random.ts";
import { checkIndex, indexRange } from "../../../simulator/start_times.ts";
import type { BuiltConversation } from "./built.ts";
import { type ConversationContext, formatterOf, timePair } from "./context.ts";
import {
  consumerIdOf,
  consumerNumberOf,
  consumerPoolSize,
  conversationIdOf,
  type ConversationRecord,
} from "./dataset_index.ts";
import { planOf } from "./dataset_plan.ts";
import { numberedUuid } from "./ids.ts";
import { intentsNodes, messageScoresNode, messageStatusesNode } from "./nodes_message_events.ts";
import { messageRecordsNode } from "./nodes_messages.ts";
import { campaignNode, coBrowseSessionsNode, monitoringNode, summaryNode } from "./nodes_extras.ts";
import { fixedInfo } from "./nodes_info.ts";
import { routeConversation } from "./nodes_routing.ts";
import { sdeEventsNode } from "./nodes_sdes.ts";
import { agentSurveyStates, conversationSurveysNode } from "./nodes_surveys.ts";
import { consumerProfile, SURVEY_SKILL } from "./roster.ts";
import { finalMoment, recordAsOf } from "./view_copies.ts";

export type { DatasetOptions } from "../../../simulator/dataset_options.ts";
export { indexRange, startTimeAt } from "../../../simulator/start_times.ts";
export { type ConversationRecord, indexOfConversationId } from "./dataset_index.ts";

type Json = Record<string, unknown>;

const STREAM_CONTENT = 2;
const SALT_SURVEY_DIALOG = 3;

const CLOSE_REASONS = [
  ["AGENT", "MANUAL_CLOSE"],
  ["AGENT", "MANUAL_CLOSE"],
  ["CONSUMER", "MANUAL_CLOSE"],
  ["SYSTEM", "AUTO_CLOSE"],
] as const;

/**
 * The context conversation `index` is built in: its ids, plan, consumer, time
 * format and a fresh content stream.
 *
 * @param dataset the resolved dataset
 * @param index the index, already checked
 * @returns the context
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 5, from: 0, to: 86_400_000 }), 2);
 * assert.equal(context.index, 2);
 * ```
 */
export function conversationContext(dataset: ResolvedDataset, index: number): ConversationContext {
  const random = createRandom(mixSeed(dataset.seed, index, STREAM_CONTENT));
  const consumerNumber = consumerNumberOf(dataset, index);
  const timeForm = random.chance(0.05) ? "T" : "space";
  return {
    dataset,
    index,
    conversationId: conversationIdOf(dataset, index),
    surveyDialogId: numberedUuid(index, { seed: dataset.seed, salt: SALT_SURVEY_DIALOG }),
    plan: planOf(dataset, index),
    consumer: consumerProfile(dataset, {
      number: consumerNumber,
      participantId: consumerIdOf(dataset, consumerNumber),
    }),
    firstConversation: index < consumerPoolSize(dataset),
    timeForm,
    format: formatterOf(timeForm),
    random,
  };
}

function consumerParticipantsNode(context: ConversationContext): Json[] {
  const { consumer, plan, random } = context;
  const entry = (joinMs: number, dialogId: string): Json => ({
    participantId: consumer.participantId,
    firstName: consumer.firstName,
    lastName: consumer.lastName,
    token: consumer.token,
    email: consumer.email,
    phone: consumer.phone,
    avatarURL: consumer.avatarURL,
    ...timePair(context.format, "time", joinMs + random.int(1, 900)),
    ...timePair(context.format, "joinTime", joinMs),
    consumerName: consumer.firstName === "" ? "undefined" : consumer.firstName,
    dialogId,
  });
  const entries = [entry(plan.start, context.conversationId)];
  if (plan.survey) entries.push(entry(plan.survey.start, context.surveyDialogId));
  return entries;
}

function dialogsNode(
  context: ConversationContext,
  closeReason: readonly [string, string],
  mainSkill: { id: number; name: string },
): Json[] {
  const { plan } = context;
  const dialogs: Json[] = [{
    dialogId: context.conversationId,
    status: plan.conversationEnd === -1 ? "OPEN" : "CLOSE",
    dialogType: "MAIN",
    dialogChannelType: "MESSAGING",
    ...timePair(context.format, "startTime", plan.start),
    ...timePair(context.format, "endTime", plan.conversationEnd),
    closeReason: closeReason[0],
    closeReasonDescription: closeReason[1],
    skillId: mainSkill.id,
    skillName: mainSkill.name,
  }];
  if (plan.survey) {
    dialogs.push({
      dialogId: context.surveyDialogId,
      status: "CLOSE",
      dialogType: "POST_SURVEY",
      dialogChannelType: "MESSAGING",
      ...timePair(context.format, "startTime", plan.survey.start),
      ...timePair(context.format, "endTime", plan.survey.end),
      closeReason: plan.survey.submitted ? "CONSUMER" : "SYSTEM",
      closeReasonDescription: plan.survey.submitted ? "MANUAL_CLOSE" : "TIMEOUT",
      skillId: SURVEY_SKILL.id,
      skillName: SURVEY_SKILL.name,
    });
  }
  return dialogs;
}

/**
 * Builds conversation `index` with every event it will ever have, and the
 * story the clock needs ({@linkcode recordAsOf} shows it at a moment).
 *
 * @param dataset the resolved dataset
 * @param index the index, already checked
 * @returns the raw record and its story
 *
 * @example
 * ```ts
 * import { buildConversation } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * const built = buildConversation(resolveDataset({ count: 3, from: 0, to: 86_400_000 }), 1);
 * assert.equal(typeof (built.raw.info as { conversationId: string }).conversationId, "string");
 * ```
 */
export function buildConversation(dataset: ResolvedDataset, index: number): BuiltConversation {
  const context = conversationContext(dataset, index);
  const { random, plan } = context;
  const { info, client } = fixedInfo(context);
  const routing = routeConversation(context);
  const { messageRecords, sent } = messageRecordsNode(context, routing, client.source);
  const messageStatuses = messageStatusesNode(context, sent);
  const { scores } = messageScoresNode(context, sent);
  const { intents, uniqueIntents } = intentsNodes(context, sent);
  const { surveys, csat } = conversationSurveysNode(context, { resolved: routing.resolved });
  const states = agentSurveyStates(context, routing.assignments);
  const closeReason = random.pick(CLOSE_REASONS);
  const mainSkill = routing.skillChanges.at(-1)?.to ?? { id: -1, name: "Unassigned" };
  const raw: Json = { info };
  // A node goes missing now and then, as in records from older systems or trimmed answers.
  const put = (key: string, value: unknown, keep = 0.97) => {
    if (random.chance(keep)) raw[key] = value;
  };
  put("campaign", campaignNode(random), 0.95);
  put("monitoring", monitoringNode(random, client), 0.9);
  put("messageRecords", messageRecords, 0.98);
  put("agentParticipants", routing.agentParticipants, 0.98);
  put("consumerParticipants", consumerParticipantsNode(context));
  put("transfers", routing.transfers);
  put("interactions", routing.interactions, 0.98);
  put("dialogs", dialogsNode(context, closeReason, mainSkill));
  put("messageScores", scores, 0.85);
  put("messageStatuses", messageStatuses);
  put("conversationSurveys", surveys, surveys.length > 0 ? 1 : 0.9);
  const coBrowse = random.chance(0.3)
    ? coBrowseSessionsNode(context, routing.assignments)
    : undefined;
  if (coBrowse) raw.coBrowseSessions = coBrowse;
  else if (random.chance(0.05)) raw.coBrowseSessions = { coBrowseSessionsList: [] };
  const sdes = random.next();
  if (sdes < 0.6) raw.sdes = { events: sdeEventsNode(context, { authenticated: true }) };
  else if (sdes < 0.65) raw.sdes = { events: [] };
  if (random.chance(0.3)) {
    raw.unAuthSdes = { events: sdeEventsNode(context, { authenticated: false }) };
  }
  const summary = random.chance(0.5) ? summaryNode(context) : undefined;
  if (summary) raw.summary = summary;
  const configuredResponseTime = random.chance(0.7)
    ? random.pick([60_000, 300_000, 3_600_000, 86_400_000])
    : undefined;
  // Placeholders: these nodes depend on the moment, and the clock fills them in.
  if (configuredResponseTime !== undefined) raw.responseTime = {};
  put("intents", intents, 0.9);
  if ("intents" in raw) raw.uniqueIntents = uniqueIntents;
  put("skillChanges", routing.skillChangesNode, 0.95);
  if (states.length > 0) {
    raw.latestAgentSurvey = {};
    raw.previouslySubmittedAgentSurveys = [];
  }
  return {
    raw,
    story: {
      plan,
      timeForm: context.timeForm,
      assignments: routing.assignments,
      skillChanges: routing.skillChanges,
      transferTimes: routing.transfers.map((transfer) => Number(transfer.timeL)),
      agentIdAsText: random.chance(0.6),
      closeReason,
      ...(csat === undefined ? {} : { csat }),
      scores: scores.map((score) => ({ time: Number(score.timeL), mcs: Number(score.mcs) })),
      intents: intents.map((intent) => {
        const selected = intent.selectedClassification as Json;
        const message = sent.find((item) => item.messageId === intent.messageId)!;
        return {
          time: message.time,
          intentName: selected.intentName,
          intentLabel: selected.intentLabel,
        };
      }),
      messages: sent.map((message) => ({
        messageId: message.messageId,
        time: message.time,
        byConsumer: message.sender === undefined,
        main: message.dialogId === context.conversationId,
      })),
      agentSurveyStates: states,
      ...(configuredResponseTime === undefined ? {} : { configuredResponseTime }),
    },
  };
}

/**
 * Builds conversation `index` in its final form: every node (the opt-in ones
 * and `unAuthSdes` too), SDE values typed as for `v=2`, as it stands once
 * nothing changes any more (a conversation that never ends: as of its last
 * event). Pure: the same options and index always give an equal record.
 *
 * @param options the dataset
 * @param index the index, `0 <= index < count`
 * @returns the record
 * @throws {RangeError} if the options or the index are invalid
 *
 * @example
 * ```ts
 * import { conversationAt } from "./dataset.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 1_700_000_000_000, to: 1_700_086_400_000 };
 * const record = conversationAt(options, 3);
 * assert.match((record.info as { conversationId: string }).conversationId, /^[0-9a-f-]{36}$/);
 * assert.deepEqual(conversationAt(options, 3), record);
 * ```
 */
export function conversationAt(options: DatasetOptions, index: number): ConversationRecord {
  const dataset = resolveDataset(options);
  checkIndex(dataset, index);
  const built = buildConversation(dataset, index);
  return recordAsOf(built, finalMoment(built));
}

/**
 * The final records whose start time lies in `[from, to)`, in start order.
 *
 * @param options the dataset
 * @param from range start, epoch ms (inclusive)
 * @param to range end, epoch ms (exclusive)
 * @returns the records
 *
 * @example
 * ```ts
 * import { conversationsIn } from "./dataset.ts";
 * import assert from "node:assert/strict";
 * assert.equal(conversationsIn({ count: 10, from: 0, to: 10_000 }, 0, 5_000).length, 5);
 * ```
 */
export function conversationsIn(
  options: DatasetOptions,
  from: number,
  to: number,
): ConversationRecord[] {
  const { start, end } = indexRange(options, from, to);
  return Array.from(
    { length: end - start },
    (_, offset) => conversationAt(options, start + offset),
  );
}
