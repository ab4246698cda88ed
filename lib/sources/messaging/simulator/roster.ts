/**
 * The synthetic account's people and routing: human agents, bots, managers,
 * skills, agent groups, and the consumer pool's profiles.
 *
 * @module
 */

import { createRandom, mixSeed } from "../../../simulator/random.ts";
import { maybeAwkward } from "../../../simulator/values.ts";
import type { ResolvedDataset } from "../../../simulator/dataset_options.ts";

/** A person or bot who can be assigned a conversation. */
export interface Agent {
  readonly id: number;
  readonly loginName: string;
  readonly nickname: string;
  readonly fullName: string;
  /** `userType` as LivePerson writes it: "0" System, "1" Human, "2" Bot. */
  readonly userType: "0" | "1" | "2";
  readonly groupId: number;
  readonly groupName: string;
}

/** A skill conversations are routed to. */
export interface Skill {
  readonly id: number;
  readonly name: string;
}

/** `userTypeName` for each `userType`. */
export const USER_TYPE_NAMES = Object.freeze({ "0": "System", "1": "Human", "2": "Bot" });

/** The skill of a conversation no skill has taken yet. */
export const UNASSIGNED_SKILL: Skill = Object.freeze({ id: -1, name: "Unassigned" });

/** Skills humans work in. */
export const HUMAN_SKILLS: readonly Skill[] = Object.freeze([
  { id: 3_592_991_110, name: "Billing" },
  { id: 3_592_991_210, name: "Technical support" },
  { id: 3_592_991_310, name: "Sales | upgrades" },
  { id: 3_592_991_410, name: "מחלקת שירות" },
  { id: 3_592_991_510, name: "サポート窓口" },
]);

/** Skills bots work in. */
export const BOT_SKILLS: readonly Skill[] = Object.freeze([
  { id: 3_592_990_910, name: "Bot - welcome" },
  { id: 3_592_991_010, name: "Bot - order status" },
]);

/** The skill of post-conversation survey dialogs. */
export const SURVEY_SKILL: Skill = Object.freeze({ id: 3_592_992_010, name: "Survey bot" });

/** Human agents. */
export const HUMANS: readonly Agent[] = Object.freeze([
  human(3_677_470_410, "maya.k", "Maya", "Maya Katz", [1_001, "Care, day shift"]),
  human(3_677_470_510, "kenji.s", "Kenji", "佐藤 健二", [1_001, "Care, day shift"]),
  human(3_677_470_610, "avi.l", "Avi", "אבי לוי", [1_002, "Care | night"]),
  human(3_677_470_710, "sam.o", "Sam, jr.", 'Sam "Sunny" O\'Hara', [1_002, "Care | night"]),
  human(3_677_470_810, "lea.m", "Léa", "Léa Müller", [-1, "Main Group"]),
  human(3_677_470_910, "priya.r", "Priya 🌟", "Priya Raman", [1_003, "Sales"]),
]);

/** Bots. */
export const BOTS: readonly Agent[] = Object.freeze([
  bot(3_610_037_310, "welcome-bot", "Welcome Bot"),
  bot(3_610_037_410, "order-bot", "Order status | bot"),
  bot(3_610_037_510, "faq-bot", "  FAQ bot  "),
]);

/** The bot that runs post-conversation surveys. */
export const SURVEY_BOT: Agent = bot(3_610_037_610, "survey-bot", "Survey bot");

/** Managers who look in on conversations. */
export const MANAGERS: readonly Agent[] = Object.freeze([
  human(3_673_156_810, "dana.mgr", "Dana (manager)", "Dana Cohen", [-1, "Main Group"]),
]);

function human(
  id: number,
  loginName: string,
  nickname: string,
  fullName: string,
  [groupId, groupName]: [number, string],
): Agent {
  return Object.freeze({ id, loginName, nickname, fullName, userType: "1", groupId, groupName });
}

function bot(id: number, loginName: string, nickname: string): Agent {
  return Object.freeze({
    id,
    loginName,
    nickname,
    fullName: nickname,
    userType: "2",
    groupId: -1,
    groupName: "Main Group",
  });
}

/** A consumer's profile, the same in each of their conversations. */
export interface ConsumerProfile {
  readonly participantId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone: string;
  readonly token: string;
  readonly avatarURL: string;
}

const STREAM_CONSUMER = 40;

/**
 * The profile of consumer `number`, drawn from its own stream.
 *
 * @param dataset the resolved dataset
 * @param consumer the consumer's number and participant id
 * @returns the profile, with `"undefined"` where the consumer gave nothing
 *
 * @example
 * ```ts
 * import { consumerProfile } from "./roster.ts";
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import assert from "node:assert/strict";
 * const dataset = resolveDataset({ count: 3, from: 0, to: 10 });
 * const profile = consumerProfile(dataset, { number: 1, participantId: "p" });
 * assert.deepEqual(consumerProfile(dataset, { number: 1, participantId: "p" }), profile);
 * ```
 */
export function consumerProfile(
  dataset: ResolvedDataset,
  consumer: { readonly number: number; readonly participantId: string },
): ConsumerProfile {
  const random = createRandom(mixSeed(dataset.seed, consumer.number, STREAM_CONSUMER));
  const firstName = maybeAwkward(
    random,
    random.pick(["Dana", "Kenji", "נועה", "Alex", "María José", "Visitor"]),
    { rate: 0.1, sentinels: true },
  );
  const lastName = random.pick(["Levi", "Sato", "O'Brien", "García", "", "undefined"]);
  return {
    participantId: consumer.participantId,
    firstName,
    lastName,
    email: random.chance(0.5) ? `consumer${consumer.number}@example.com` : "undefined",
    phone: random.pick(["+1 212-555-0100", "+972-3-555-0199", "0", ""]),
    token: random.chance(0.3) ? `tok_${random.int(100000, 999999)}` : "undefined",
    avatarURL: random.chance(0.2)
      ? `https://cdn.example.com/avatars/${random.int(1, 500)}.png`
      : "undefined",
  };
}
