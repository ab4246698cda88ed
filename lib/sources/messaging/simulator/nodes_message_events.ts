/**
 * What happens to messages after they are sent: `messageStatuses` (accepted,
 * read), `messageScores` (the running MCS of the consumer's messages), and
 * the intents read from them (`intents`, `uniqueIntents`).
 *
 * Every status and score falls before its dialog closes, so a closed
 * conversation changes no more through them.
 *
 * @module
 */

import { createRandom } from "../../../simulator/random.ts";
import { pseudoUuid } from "../../../simulator/values.ts";
import { type ConversationContext, timePair } from "./context.ts";
import type { SentMessage } from "./nodes_messages.ts";

type Json = Record<string, unknown>;

/** Intents the account's classifier knows: a stable id and a label. */
const INTENTS: readonly (readonly [string, string])[] = (() => {
  const ids = createRandom(20_240_101);
  return [
    "track my order",
    "cancel subscription",
    "billing question",
    "technical issue",
    "change delivery address",
    "שאלה על חשבונית",
    "返品したい",
  ].map((label) => [pseudoUuid(ids), label] as const);
})();

const MODEL_VERSIONS = [
  { modelName: "intent-classifier", modelVersion: "2.1" },
  { modelName: "domain-router", modelVersion: "1.0" },
] as const;

/** `time` capped at its dialog's end (-1: the dialog never ends). */
function before(end: number, time: number): number {
  return end === -1 ? time : Math.min(time, end);
}

/**
 * Builds `messageStatuses`: the other side accepts, and often reads, each message.
 *
 * @param context the conversation being built
 * @param sent the messages
 * @returns the node, in time order
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { routeConversation } from "./nodes_routing.ts";
 * import { messageRecordsNode } from "./nodes_messages.ts";
 * import { messageStatusesNode } from "./nodes_message_events.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000 }), 4);
 * const { sent } = messageRecordsNode(context, routeConversation(context), "APP");
 * const statuses = messageStatusesNode(context, sent);
 * assert.ok(statuses.every((status) => typeof status.messageDeliveryStatus === "string"));
 * ```
 */
export function messageStatusesNode(
  context: ConversationContext,
  sent: readonly SentMessage[],
): Json[] {
  const { random } = context;
  const statuses: Json[] = [];
  for (const message of sent) {
    // The consumer reads the agent's messages; the handling agent reads the consumer's.
    const reader = message.sender
      ? { id: context.consumer.participantId, type: "Consumer" }
      : message.handler
      ? { id: String(message.handler.id), type: "Agent" }
      : undefined;
    if (!reader) continue;
    const steps: [string, number][] = [["ACCEPT", random.int(100, 1_500)]];
    if (message.sender && random.chance(0.2)) steps.unshift(["SENT", random.int(1, 90)]);
    if (random.chance(0.7)) steps.push(["READ", random.int(2_000, 90_000)]);
    for (const [status, delay] of steps) {
      const time = message.time + delay;
      // A message is not read after its dialog closed.
      if (message.dialogEnd !== -1 && time > message.dialogEnd) continue;
      statuses.push({
        messageId: message.messageId,
        seq: message.seq,
        ...timePair(context.format, "time", time),
        participantId: reader.id,
        participantType: reader.type,
        messageDeliveryStatus: status,
        dialogId: message.dialogId,
      });
    }
  }
  return statuses.sort((a, b) => Number(a.timeL) - Number(b.timeL));
}

/**
 * Builds `messageScores`: a raw score and the running MCS (0–100) for each
 * consumer message of the main dialog.
 *
 * @param context the conversation being built
 * @param sent the messages
 * @returns the node and the final MCS (undefined without scores)
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { routeConversation } from "./nodes_routing.ts";
 * import { messageRecordsNode } from "./nodes_messages.ts";
 * import { messageScoresNode } from "./nodes_message_events.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000 }), 4);
 * const { sent } = messageRecordsNode(context, routeConversation(context), "APP");
 * const { scores } = messageScoresNode(context, sent);
 * assert.ok(scores.every((score) => Number(score.mcs) >= 0 && Number(score.mcs) <= 100));
 * ```
 */
export function messageScoresNode(
  context: ConversationContext,
  sent: readonly SentMessage[],
): { scores: Json[]; mcs?: number } {
  const { random } = context;
  const scores: Json[] = [];
  let mcs = random.int(30, 70);
  let scored = false;
  for (const message of sent) {
    if (message.sender || message.dialogId !== context.conversationId) continue;
    const messageRawScore = random.pick([0, 0, 0, 1, 1, 2, -1, -2]);
    mcs = Math.max(0, Math.min(100, mcs + messageRawScore * 9));
    scored = true;
    scores.push({
      messageId: message.messageId,
      messageRawScore,
      mcs,
      ...timePair(
        context.format,
        "time",
        before(message.dialogEnd, message.time + random.int(500, 8_000)),
      ),
    });
  }
  return { scores, ...(scored ? { mcs } : {}) };
}

function classification(
  random: ReturnType<typeof createRandom>,
  [intentName, intentLabel]: readonly [string, string],
  confidenceScore: number,
): Json {
  return {
    intentName,
    intentLabel,
    confidenceScore: Math.round(confidenceScore * 1000) / 1000,
    versions: MODEL_VERSIONS.slice(0, random.int(1, 2)).map((version) => ({ ...version })),
  };
}

/**
 * Builds `intents` (one per classified consumer message) and `uniqueIntents`.
 *
 * @param context the conversation being built
 * @param sent the messages
 * @returns both nodes, empty when the account classifies nothing here
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { routeConversation } from "./nodes_routing.ts";
 * import { messageRecordsNode } from "./nodes_messages.ts";
 * import { intentsNodes } from "./nodes_message_events.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000 }), 4);
 * const { sent } = messageRecordsNode(context, routeConversation(context), "APP");
 * const { intents, uniqueIntents } = intentsNodes(context, sent);
 * assert.ok(uniqueIntents.length <= intents.length);
 * ```
 */
export function intentsNodes(
  context: ConversationContext,
  sent: readonly SentMessage[],
): { intents: Json[]; uniqueIntents: Json[] } {
  const { random } = context;
  const intents: Json[] = [];
  const unique = new Map<string, Json>();
  const classifies = random.chance(0.45);
  for (const message of sent) {
    if (!classifies || !message.consumerText || !random.chance(0.5)) continue;
    const chosen = random.pick(INTENTS);
    const score = 0.5 + random.next() / 2;
    const others = INTENTS.filter((intent) => intent !== chosen).slice(0, random.int(0, 2));
    intents.push({
      selectedClassification: classification(random, chosen, score),
      allClassifications: [
        classification(random, chosen, score),
        ...others.map((other) => classification(random, other, random.next() * (1 - score))),
      ],
      messageId: message.messageId,
    });
    unique.set(chosen[0], { intentName: chosen[0], intentLabel: chosen[1] });
  }
  return { intents, uniqueIntents: [...unique.values()] };
}
