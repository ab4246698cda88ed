/**
 * The smaller nodes of a conversation: `campaign`, `monitoring`,
 * `coBrowseSessions`, `summary` and `responseTime`.
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import { maybeAwkward, mixedId, pseudoUuid } from "../../../simulator/values.ts";
import { type ConversationContext, timePair } from "./context.ts";
import type { Assignment } from "./nodes_routing.ts";

type Json = Record<string, unknown>;

const CAMPAIGNS = [
  { id: 4_100_200_112, name: "Messaging on site", goal: "Interact with consumers" },
  { id: 4_100_300_112, name: "Checkout rescue", goal: "Increase sales | upsell" },
  { id: 4_100_400_112, name: "Support, tier 1", goal: "Reduce calls" },
] as const;

/**
 * Builds a `campaign` node; ids are mostly text, `lobId` a number, as in the example.
 *
 * @param random the conversation's stream
 * @returns the node
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { campaignNode } from "./nodes_extras.ts";
 * import assert from "node:assert/strict";
 * assert.equal(typeof campaignNode(createRandom(1)).campaignName, "string");
 * ```
 */
export function campaignNode(random: Random): Json {
  const campaign = random.pick(CAMPAIGNS);
  const lob = random.pick([-1, 4_200_100_512, 4_200_100_612]);
  const app = random.pick([
    ["Shop app (iOS)", "Mobile App"],
    ["Web messaging", "Web"],
    ["WhatsApp connector", "Third-party channel"],
  ]);
  const node: Json = {
    campaignEngagementId: String(campaign.id + 7),
    campaignEngagementName: maybeAwkward(random, "Engagement | main button", { rate: 0.2 }),
    campaignId: String(campaign.id),
    campaignName: campaign.name,
    goalId: String(campaign.id + 3),
    goalName: campaign.goal,
    engagementSource: random.pick(["WEB_SITE", "SOCIAL_MEDIA", "MOBILE_APP", "THIRD_PARTY"]),
    visitorBehaviorId: mixedId(random, campaign.id + 9),
    visitorBehaviorName: random.pick(["Any behavior", "Browsing checkout", "Returning, loyal"]),
    engagementApplicationId: pseudoUuid(random),
    engagementApplicationName: app[0],
    engagementApplicationTypeId: pseudoUuid(random),
    engagementApplicationTypeName: app[1],
    visitorProfileId: String(campaign.id + 11),
    visitorProfileName: random.pick(["All visitors", "Logged-in customers", "VIP, gold"]),
    lobId: lob,
    lobName: lob === -1 ? "NA" : random.pick(["Sales", "Care"]),
    locationId: String(campaign.id + 13),
    locationName: random.pick(["Entire site", "Checkout pages", "מרכז העזרה"]),
    profileSystemDefault: random.chance(0.5),
    behaviorSystemDefault: random.chance(0.3),
  };
  if (random.chance(0.4)) {
    node.engagementAgentNote = maybeAwkward(random, "Offer 10% coupon", { rate: 0.4 });
  }
  return node;
}

const PLACES = [
  { country: "United States", countryCode: "US", state: "New York", city: "New York" },
  { country: "Israel", countryCode: "IL", state: "Tel Aviv District", city: "תל אביב-יפו" },
  { country: "Japan", countryCode: "JP", state: "Tokyo", city: "東京" },
  { country: "Germany", countryCode: "DE", state: "Bayern", city: "München" },
  { country: "", countryCode: "", state: "", city: "" },
  { country: "NA", countryCode: "NA", state: "NA", city: "NA" },
] as const;

/**
 * Builds a `monitoring` node: where the consumer was and on which page they started.
 *
 * @param random the conversation's stream
 * @param client the conversation's device, browser and operating system
 * @returns the node
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { monitoringNode } from "./nodes_extras.ts";
 * import assert from "node:assert/strict";
 * const node = monitoringNode(createRandom(1), { device: "DESKTOP", browser: "Firefox 120.0",
 *   operatingSystem: "LINUX", ipAddress: "203.0.113.9" });
 * assert.equal(node.device, "DESKTOP");
 * ```
 */
export function monitoringNode(
  random: Random,
  client: {
    readonly device: string;
    readonly browser: string;
    readonly operatingSystem: string;
    readonly ipAddress: string;
  },
): Json {
  return {
    ...random.pick(PLACES),
    isp: random.pick(["Example Telecom", "Fiber, Ltd.", "", "NA"]),
    org: maybeAwkward(random, random.pick(["Example Corp", "", "NA"]), { rate: 0.1 }),
    device: client.device,
    ipAddress: client.ipAddress,
    browser: client.browser,
    operatingSystem: client.operatingSystem,
    conversationStartPage: random.pick([
      "https://shop.example.com/checkout?step=2&cart=a1,b2",
      "https://example.co.jp/サポート",
      "undefined",
    ]),
    conversationStartPageTitle: maybeAwkward(random, "Checkout - Example Shop", {
      rate: 0.2,
      sentinels: true,
    }),
  };
}

const CAPABILITIES = [
  "CONSUMER_VIDEO_CONNECTION",
  "CONSUMER_VOICE_CONNECTION",
  "AGENT_APP_CONTROL",
  "SCREEN_SHARE",
] as const;

/**
 * Builds `coBrowseSessions`: one or two sessions of a human agent, inside the
 * main dialog, durations in milliseconds.
 *
 * @param context the conversation being built
 * @param assignments the conversation's assignments
 * @returns the node, or undefined when no human could co-browse
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { coBrowseSessionsNode } from "./nodes_extras.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000 }), 4);
 * // Only a human agent co-browses.
 * assert.equal(coBrowseSessionsNode(context, []), undefined);
 * ```
 */
export function coBrowseSessionsNode(
  context: ConversationContext,
  assignments: readonly Assignment[],
): Json | undefined {
  const { random, plan } = context;
  const human = assignments.find((assignment) => assignment.agent.userType === "1");
  if (!human) return undefined;
  const last = plan.messageTimes.at(-1) ?? human.time;
  const until = plan.conversationEnd === -1 ? last : plan.conversationEnd;
  if (until - human.time < 2_000) return undefined;
  const sessions: Json[] = [];
  let clock = human.time;
  for (let i = random.int(1, 2); i > 0 && until - clock >= 2_000; i--) {
    const startMs = clock + random.int(0, Math.floor((until - clock) / 2));
    const endMs = startMs + random.int(1_000, Math.max(1_000, Math.floor((until - startMs) / 2)));
    const interactive = random.chance(0.6);
    const session: Json = {
      sessionId: `${context.dataset.accountId}:${human.agent.id}__${pseudoUuid(random)}_${startMs}`,
      ...timePair(context.format, "startTime", startMs),
      ...timePair(context.format, "endTime", endMs),
    };
    if (interactive) {
      Object.assign(
        session,
        timePair(context.format, "interactiveTime", startMs + random.int(0, endMs - startMs)),
      );
    }
    Object.assign(session, {
      endReason: random.pick(["UNKOWN", "SERVER", "VISITOR", "AGENT", "TIMEOUT"]),
      duration: endMs - startMs,
      type: random.pick(["inApp", "web"]),
      agentId: String(human.agent.id),
      interactive,
    });
    if (random.chance(0.6)) session.capabilities = CAPABILITIES.filter(() => random.chance(0.5));
    sessions.push(session);
    clock = endMs;
  }
  return { coBrowseSessionsList: sessions };
}

/**
 * Builds a `summary` node, written a little after the conversation closed.
 *
 * @param context the conversation being built
 * @returns the node, or undefined for a conversation that never closes
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { summaryNode } from "./nodes_extras.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000,
 *   stuckOpenRate: 0 }), 4);
 * assert.ok(Number(summaryNode(context)?.lastUpdatedTime) > context.plan.conversationEnd);
 * ```
 */
export function summaryNode(context: ConversationContext): Json | undefined {
  const { random, plan } = context;
  if (plan.conversationEnd === -1) return undefined;
  return {
    text: maybeAwkward(
      random,
      random.pick([
        "Consumer asked about a late order; agent shared the tracking link.",
        "Billing question, refund issued.",
        "Router reset did not help; ticket opened.",
      ]),
      { rate: 0.25 },
    ),
    lastUpdatedTime: plan.conversationEnd + random.int(5_000, 300_000),
  };
}

/**
 * The `responseTime` node at a moment: an answer is due a configured time
 * after the consumer's last message, and nothing is due (-1) once an agent
 * answered or the conversation closed.
 *
 * @param configuredResponseTime the skill's response time, ms
 * @param state the last message's time and sender, and whether the conversation is closed
 * @returns the node
 *
 * @example
 * ```ts
 * import { responseTimeNode } from "./nodes_extras.ts";
 * import assert from "node:assert/strict";
 * const node = responseTimeNode(300_000, { lastConsumerMessage: 1_000, closed: false });
 * assert.equal(node.latestEffectiveResponseDueTime, 301_000);
 * ```
 */
export function responseTimeNode(
  configuredResponseTime: number,
  state: { readonly lastConsumerMessage?: number; readonly closed: boolean },
): Json {
  const due = state.closed || state.lastConsumerMessage === undefined
    ? -1
    : state.lastConsumerMessage + configuredResponseTime;
  return { latestEffectiveResponseDueTime: due, configuredResponseTime };
}
