/**
 * `contextData` of bot messages and bot participants: the raw metadata as a
 * JSON string, and the same metadata structured (`botResponse`, `actionReason`).
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import { maybeAwkward } from "../../../simulator/values.ts";

const BOT_INTENTS = [
  ["order-status", "check order status"],
  ["billing-dispute", "dispute a charge"],
  ["human-handoff", "talk to a person"],
  ["reset-password", "reset password"],
] as const;

const CONFIDENCE = [
  ["HIGH", 0.92],
  ["MEDIUM", 0.753],
  ["LOW", 0.31],
] as const;

/**
 * Builds a `contextData` node: a bot response, an action reason, or both.
 *
 * @param random the conversation's stream
 * @param externalConversationId the bot platform's id for the conversation
 * @returns `{rawMetadata, structuredMetadata}`
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { contextDataNode } from "./context_data.ts";
 * import assert from "node:assert/strict";
 * const node = contextDataNode(createRandom(1), "ext-1");
 * assert.equal(typeof node.rawMetadata, "string");
 * assert.ok(Array.isArray(node.structuredMetadata));
 * ```
 */
export function contextDataNode(
  random: Random,
  externalConversationId: string,
): Record<string, unknown> {
  const raw: Record<string, unknown>[] = [];
  const structured: Record<string, unknown>[] = [];
  const shape = random.pick(["both", "both", "botResponse", "actionReason"] as const);
  if (shape !== "actionReason") {
    const intents = Array.from({ length: random.int(1, 2) }, () => {
      const [id, name] = random.pick(BOT_INTENTS);
      const [confidence, score] = random.pick(CONFIDENCE);
      return { id, name, confidence, confidenceScore: score };
    });
    const businessCases = random.chance(0.8)
      ? [maybeAwkward(random, random.pick(["returns", "billing", "onboarding"]), { rate: 0.2 })]
      : [];
    // The raw form names its type and leaves the intent name out, as the documented example does.
    raw.push({
      type: "BotResponse",
      intents: intents.map(({ id, confidence, confidenceScore }) => ({
        id,
        confidence,
        confidenceScore,
      })),
      externalConversationId,
      businessCases,
    });
    structured.push({ botResponse: { externalConversationId, businessCases, intents } });
  }
  if (shape !== "botResponse") {
    const reason = random.pick(["escalation requested", "no match", "business hours | closed"]);
    raw.push({ type: "ActionReason", reason, reasonId: `reason-${random.int(1, 20)}` });
    structured.push({ actionReason: { reason } });
  }
  return { rawMetadata: JSON.stringify(raw), structuredMetadata: structured };
}
