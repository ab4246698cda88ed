/**
 * A conversation as the builder leaves it: every node with every event it
 * will ever have (the raw record), and the story behind it that the clock
 * needs to show the record at any moment.
 *
 * @module
 */

import type { TimeForm } from "./context.ts";
import type { ConversationPlan } from "./dataset_plan.ts";
import type { Routing } from "./nodes_routing.ts";

type Json = Record<string, unknown>;

/**
 * What the clock needs besides the raw record; kept apart, so dropped nodes
 * lose nothing. Its assignments and skill changes are the routing's own.
 */
export interface ConversationStory extends Pick<Routing, "assignments" | "skillChanges"> {
  readonly plan: ConversationPlan;
  readonly timeForm: TimeForm;
  /** When each transfer happened; the conversation waits in the queue until the next assignment. */
  readonly transferTimes: readonly number[];
  /** Whether `info.latestAgentId` is written as text. */
  readonly agentIdAsText: boolean;
  /** `closeReason` and `closeReasonDescription` once closed. */
  readonly closeReason: readonly [string, string];
  /** The post-conversation survey's valid CSAT answer, if any. */
  readonly csat?: number;
  /** The running MCS after each scored message. */
  readonly scores: readonly { readonly time: number; readonly mcs: number }[];
  /** Each classified message's selected intent. */
  readonly intents: readonly {
    readonly time: number;
    readonly intentName: unknown;
    readonly intentLabel: unknown;
  }[];
  /** Each message: its id, when, whether the consumer sent it, whether in the main dialog. */
  readonly messages: readonly {
    readonly messageId: string;
    readonly time: number;
    readonly byConsumer: boolean;
    readonly main: boolean;
  }[];
  /** The agent survey's states in time order (`lastUpdateTime`). */
  readonly agentSurveyStates: readonly Json[];
  /** The configured response time, when the record has a `responseTime` node. */
  readonly configuredResponseTime?: number;
}

/** A built conversation. */
export interface BuiltConversation {
  /** Every node, every event; `info` holds only the fields that never change. */
  readonly raw: Json;
  readonly story: ConversationStory;
}
