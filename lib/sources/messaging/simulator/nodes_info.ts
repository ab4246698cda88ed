/**
 * The `info` node: fixed facts about the conversation (ids, channel, client)
 * and facts that change while it runs (status, end times, duration, latest
 * agent and skill, MCS, CSAT, first intent, pending agent survey). The
 * changing part is one function, {@linkcode changingInfo}, used both for the
 * final record and for the copies the clock shows before it.
 *
 * The CSAT is written `csatRate`, as in the documented example (the field
 * table calls it `csat`).
 *
 * @module
 */

import { maybeAwkward } from "../../../simulator/values.ts";
import type { ConversationContext, TimeFormatter } from "./context.ts";
import { type Agent, type Skill, UNASSIGNED_SKILL } from "./roster.ts";

type Json = Record<string, unknown>;

/** Keys {@linkcode changingInfo} may leave out: they are deleted before it is applied. */
export const OPTIONAL_CHANGING_KEYS: readonly string[] = Object.freeze([
  "closeReason",
  "closeReasonDescription",
  "mcs",
  "alertedMCS",
  "csatRate",
  "firstIntentName",
  "firstIntentLabel",
]);

/** The state of a conversation at a moment, as `info` reports it. */
export interface InfoState {
  readonly start: number;
  /** When the main dialog closed; -1 while open. */
  readonly conversationEnd: number;
  /** When the last dialog closed; -1 while any is open. */
  readonly fullDialogEnd: number;
  /** Milliseconds: to the close, or to the moment for an open conversation. */
  readonly duration: number;
  /** The latest assigned agent, if any. */
  readonly agent?: Agent;
  readonly skill: Skill;
  /** Whether `latestAgentId` is written as text (the record's habit). */
  readonly agentIdAsText: boolean;
  /** Waiting for an agent. */
  readonly inQueue: boolean;
  readonly closeReason?: readonly [string, string];
  readonly mcs?: number;
  readonly csat?: number;
  readonly firstIntent?: { readonly intentName: unknown; readonly intentLabel: unknown };
  readonly pendingAgentSurvey: boolean;
}

/**
 * The fields of `info` that change while a conversation runs.
 *
 * @param state the conversation at a moment
 * @param format the record's time formatter
 * @returns the fields; optional ones are left out when they have no value
 *
 * @example
 * ```ts
 * import { changingInfo } from "./nodes_info.ts";
 * import assert from "node:assert/strict";
 * const info = changingInfo({ start: 0, conversationEnd: -1, fullDialogEnd: -1, duration: 5,
 *   skill: { id: -1, name: "Unassigned" }, agentIdAsText: true, inQueue: true,
 *   pendingAgentSurvey: false }, (ms) => (ms < 0 ? "undefined" : String(ms)));
 * assert.equal(info.status, "OPEN");
 * assert.equal(info.endTime, "undefined");
 * ```
 */
export function changingInfo(state: InfoState, format: TimeFormatter): Json {
  const open = state.conversationEnd === -1;
  const endL = open ? -1 : state.fullDialogEnd === -1 ? state.conversationEnd : state.fullDialogEnd;
  const agent = state.agent;
  const agentId = agent ? agent.id : -1;
  const info: Json = {
    endTime: format(endL),
    endTimeL: endL,
    conversationEndTime: format(state.conversationEnd),
    conversationEndTimeL: state.conversationEnd,
    fullDialogEndTime: format(state.fullDialogEnd),
    fullDialogEndTimeL: state.fullDialogEnd,
    duration: state.duration,
    latestAgentId: state.agentIdAsText ? String(agentId) : agentId,
    latestAgentNickname: agent?.nickname ?? "undefined",
    latestAgentFullName: agent?.fullName ?? "undefined",
    latestAgentLoginName: agent?.loginName ?? "undefined",
    latestSkillId: state.skill.id,
    latestSkillName: state.skill.name,
    latestAgentGroupId: agent?.groupId ?? -1,
    latestAgentGroupName: agent?.groupName ?? UNASSIGNED_SKILL.name,
    status: open ? "OPEN" : "CLOSE",
    fullDialogStatus: state.fullDialogEnd === -1 ? "OPEN" : "CLOSE",
    latestQueueState: state.inQueue ? "IN_QUEUE" : "ACTIVE",
    pendingAgentSurvey: state.pendingAgentSurvey,
  };
  if (state.closeReason && !open) {
    info.closeReason = state.closeReason[0];
    info.closeReasonDescription = state.closeReason[1];
  }
  if (state.mcs !== undefined) {
    info.mcs = state.mcs;
    info.alertedMCS = state.mcs < 34 ? -1 : state.mcs < 67 ? 0 : 1;
  }
  if (state.csat !== undefined) info.csatRate = state.csat;
  if (state.firstIntent) {
    info.firstIntentName = state.firstIntent.intentName;
    info.firstIntentLabel = state.firstIntent.intentLabel;
  }
  return info;
}

const CLIENTS = [
  {
    source: "APP",
    integration: "mobile-sdk",
    device: "MOBILE",
    os: "IOS",
    browser: "undefined",
    model: "iPhone15,2",
  },
  {
    source: "APP",
    integration: "mobile-sdk",
    device: "TABLET",
    os: "ANDROID",
    browser: "undefined",
    model: "SM-X700",
  },
  {
    source: "SHARK",
    integration: "web-sdk",
    device: "DESKTOP",
    os: "WINDOWS",
    browser: "Chrome",
    model: "NA",
  },
  {
    source: "SHARK",
    integration: "web-sdk",
    device: "DESKTOP",
    os: "MAC_OSX",
    browser: "Safari",
    model: "NA",
  },
  { source: "SMS", integration: "brand-sdk", device: "NA", os: "NA", browser: "NA", model: "NA" },
  {
    source: "FACEBOOK",
    integration: "brand-sdk",
    device: "undefined",
    os: "NA",
    browser: "NA",
    model: "undefined",
  },
  {
    source: "WhatsApp",
    integration: "brand-sdk",
    device: "MOBILE",
    os: "ANDROID",
    browser: "NA",
    model: "undefined",
  },
  {
    source: "Apple Business Chat",
    integration: "brand-sdk",
    device: "MOBILE",
    os: "IOS",
    browser: "NA",
    model: "undefined",
  },
] as const;

const FEATURES = [
  "PHOTOSHARING",
  "QUICKREPLIES",
  "COAPP",
  "AUTOMESSAGES",
  "RICHCONTENT",
  "SECUREFORMS",
] as const;

/** The conversation's client, shared by `info` and `monitoring`. */
export interface ClientFacts {
  readonly source: string;
  readonly device: string;
  readonly browser: string;
  readonly operatingSystem: string;
  readonly ipAddress: string;
}

/**
 * Builds the fixed fields of `info` (ids, channel, client, features) and the
 * client facts `monitoring` repeats.
 *
 * @param context the conversation being built
 * @returns the fields, in the example's order, and the client facts
 *
 * @example
 * ```ts
 * import { conversationContext } from "./dataset.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { fixedInfo } from "./nodes_info.ts";
 * import assert from "node:assert/strict";
 * const context = conversationContext(resolveDataset({ count: 9, from: 0, to: 86_400_000,
 *   accountId: "123" }), 4);
 * assert.equal(fixedInfo(context).info.brandId, "123");
 * ```
 */
export function fixedInfo(context: ConversationContext): { info: Json; client: ClientFacts } {
  const { random } = context;
  const client = random.pick(CLIENTS);
  const ipAddress = `${random.int(11, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${
    random.int(1, 254)
  }`;
  const browser = client.browser === "Chrome" || client.browser === "Safari"
    ? `${client.browser} ${random.int(100, 125)}.0`
    : client.browser;
  const info: Json = {
    startTime: context.format(context.plan.start),
    startTimeL: context.plan.start,
    conversationId: context.conversationId,
    brandId: context.dataset.accountId,
    source: client.source,
    device: client.device,
    browser,
    operatingSystem: client.os,
    firstConversation: context.firstConversation,
    isPartial: false,
    agentDeleted: random.chance(0.03),
  };
  // Newer fields are missing from some records, as older records lack them.
  const optional: Json = {
    deviceModel: client.model,
    browserVersion: client.browser === "Chrome" ? `${random.int(100, 125)}.0.6099.71` : "NA",
    operatingSystemVersion: client.os === "IOS" ? "17.4" : client.os === "ANDROID" ? "14" : "NA",
    sessionId: String(random.int(1_000_000_000, 2_000_000_000)),
    interactionContextId: String(random.int(1, 40)),
    timeZone: random.pick(["America/New_York", "Asia/Jerusalem", "Asia/Tokyo", "Europe/Berlin"]),
    features: FEATURES.filter(() => random.chance(0.5)),
    language: random.pick(["en-US", "he-IL", "ja-JP", "de-DE"]),
    integration: client.integration,
    integrationVersion: maybeAwkward(random, `${random.int(3, 5)}.${random.int(0, 20)}.0`, {
      rate: 0.05,
      sentinels: true,
    }),
    appId: client.source === "APP" ? "com.example.shop" : "undefined",
    appVersion: client.source === "APP" ? `4.${random.int(0, 9)}.${random.int(0, 9)}` : "undefined",
    ipAddress,
    wasStepUp: random.chance(0.1),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (random.chance(0.93)) info[key] = value;
  }
  return {
    info,
    client: {
      source: client.source,
      device: client.device,
      browser,
      operatingSystem: client.os,
      ipAddress,
    },
  };
}
