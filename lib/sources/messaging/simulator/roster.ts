/**
 * The synthetic account's people and routing: human agents, bots, managers,
 * skills, agent groups, and the consumer pool's profiles.
 *
 * @module
 */

import { createRandom, mixSeed, type Random } from "../../../simulator/random.ts";
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
  /** When they work on the account's local clock: day 07–19, night the rest. */
  readonly shift: "day" | "night" | "always";
  /** How much of the work they take when on shift: the busy agents weigh most. */
  readonly weight: number;
  /** Share of their conversations that end with the problem solved. */
  readonly resolves: number;
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

/** Human agents; Maya and Kenji are the busy ones, Sam solves least. */
export const HUMANS: readonly Agent[] = Object.freeze([
  human(3_677_470_410, "maya.k", "Maya", "Maya Katz", [1_001, "Care, day shift"], [6, "day", 0.85]),
  human(3_677_470_510, "kenji.s", "Kenji", "佐藤 健二", [1_001, "Care, day shift"], [
    5,
    "day",
    0.8,
  ]),
  human(3_677_470_610, "avi.l", "Avi", "אבי לוי", [1_002, "Care | night"], [3, "night", 0.76]),
  human(
    3_677_470_710,
    "sam.o",
    "Sam, jr.",
    'Sam "Sunny" O\'Hara',
    [1_002, "Care | night"],
    [2, "night", 0.6],
  ),
  human(3_677_470_810, "lea.m", "Léa", "Léa Müller", [-1, "Main Group"], [2.5, "day", 0.9]),
  human(3_677_470_910, "priya.r", "Priya 🌟", "Priya Raman", [1_003, "Sales"], [2, "day", 0.8]),
]);

/** Bots. */
export const BOTS: readonly Agent[] = Object.freeze([
  bot(3_610_037_310, "welcome-bot", "Welcome Bot", 3),
  bot(3_610_037_410, "order-bot", "Order status | bot", 2),
  bot(3_610_037_510, "faq-bot", "  FAQ bot  ", 1),
]);

/** The bot that runs post-conversation surveys. */
export const SURVEY_BOT: Agent = bot(3_610_037_610, "survey-bot", "Survey bot", 1);

/** Managers who look in on conversations. */
export const MANAGERS: readonly Agent[] = Object.freeze([
  human(3_673_156_810, "dana.mgr", "Dana (manager)", "Dana Cohen", [-1, "Main Group"], [
    1,
    "day",
    0.9,
  ]),
]);

function human(
  id: number,
  loginName: string,
  nickname: string,
  fullName: string,
  [groupId, groupName]: [number, string],
  [weight, shift, resolves]: [number, "day" | "night", number],
): Agent {
  return Object.freeze({
    id,
    loginName,
    nickname,
    fullName,
    userType: "1",
    groupId,
    groupName,
    shift,
    weight,
    resolves,
  });
}

function bot(id: number, loginName: string, nickname: string, weight: number): Agent {
  return Object.freeze({
    id,
    loginName,
    nickname,
    fullName: nickname,
    userType: "2",
    groupId: -1,
    groupName: "Main Group",
    shift: "always",
    weight,
    resolves: 0.45,
  });
}

/**
 * Picks who takes a conversation at a local hour: someone on shift, the busy
 * ones more often; anyone when nobody is on shift.
 *
 * @param random the conversation's stream
 * @param pool the agents to choose from
 * @param want the local hour and an agent to avoid (a transfer's source)
 * @returns the agent
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { HUMANS, pickWorker } from "./roster.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pickWorker(createRandom(1), HUMANS, { hour: 3 }).shift, "night");
 * ```
 */
export function pickWorker(
  random: Random,
  pool: readonly Agent[],
  want: { readonly hour: number; readonly not?: Agent },
): Agent {
  const day = want.hour >= 7 && want.hour < 19;
  const able = pool.filter((agent) => agent !== want.not);
  const working = able.filter((agent) =>
    agent.shift === "always" || (agent.shift === "day") === day
  );
  const choices = working.length > 0 ? working : able.length > 0 ? able : pool;
  return random.pickWeighted(choices, (agent) => agent.weight);
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
