/**
 * The synthetic chat account's people and routing: agents (a few busy ones,
 * day and night shifts), bots, agent groups and skills.
 *
 * Engagement History has no field that says "bot". In the simulated account
 * a bot is an agent of the agent group "Bots" (`agentGroupId` 1900) whose
 * `agentLoginName` ends in `.bot` (`helper.bot`, `faq.bot`): either fact
 * tells bots from humans ({@linkcode isBotLogin}).
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";

/** A skill chats are routed to. */
export interface Skill {
  readonly id: number;
  readonly name: string;
  /** Share of its chats the visitor abandons (non-interactive) at average traffic. */
  readonly abandonment: number;
  /** Queue waits in this skill relative to the others. */
  readonly waitFactor: number;
  /** Share of new chats routed to it. */
  readonly share: number;
  /** Topics of its chats (keys of phrases.json). */
  readonly topics: readonly string[];
}

/** When an agent works, on the account's local clock. */
export type Shift = "day" | "night" | "always";

/** An agent or a bot. */
export interface Agent {
  readonly id: number;
  readonly nick: string;
  readonly login: string;
  readonly full: string;
  readonly groupId: number;
  readonly groupName: string;
  readonly skills: readonly number[];
  readonly shift: Shift;
  /** How much of the work they take when on shift: the busy agents weigh most. */
  readonly weight: number;
  /** Share of their chats that end resolved. */
  readonly resolves: number;
  /** How quickly they answer: seconds to the first line, at average traffic. */
  readonly firstReplySeconds: number;
  readonly bot: boolean;
}

/** The skill of a chat no skill took. */
export const UNASSIGNED: Skill = Object.freeze({
  id: -1,
  name: "Unassigned",
  abandonment: 1,
  waitFactor: 1,
  share: 0,
  topics: ["billing"],
});

/** The bots' skill. */
export const BOT_SKILL: Skill = Object.freeze({
  id: 30,
  name: "Virtual assistant",
  abandonment: 0.05,
  waitFactor: 0.05,
  share: 0,
  topics: ["delivery", "account", "billing"],
});

/** Skills humans work in. */
export const HUMAN_SKILLS: readonly Skill[] = Object.freeze([
  {
    id: 14,
    name: "Billing",
    abandonment: 0.085,
    waitFactor: 0.9,
    share: 0.35,
    topics: ["billing", "billing", "cancellation"],
  },
  {
    id: 17,
    name: "Technical support",
    abandonment: 0.118,
    waitFactor: 1.4,
    share: 0.3,
    topics: ["technical", "technical", "account"],
  },
  { id: 21, name: "מכירות", abandonment: 0.1, waitFactor: 0.7, share: 0.2, topics: ["plans"] },
  {
    id: 25,
    name: "サポート",
    abandonment: 0.11,
    waitFactor: 1.1,
    share: 0.15,
    topics: ["delivery", "account", "technical"],
  },
]);

/** The bots' agent group: its members are the bots. */
export const BOT_GROUP = Object.freeze({ id: 1900, name: "Bots" });

const MAIN: [number, string] = [-1, "Main Group"];
const NIGHT: [number, string] = [1001, "Night shift"];
const TIER_2: [number, string] = [1002, "Tier 2, escalations"];

function human(
  [id, nick, login, full]: [number, string, string, string],
  [groupId, groupName]: [number, string],
  work: Pick<Agent, "skills" | "shift" | "weight" | "resolves" | "firstReplySeconds">,
): Agent {
  return Object.freeze({ id, nick, login, full, groupId, groupName, ...work, bot: false });
}

function bot([id, nick, login, full]: [number, string, string, string], weight: number): Agent {
  return Object.freeze({
    id,
    nick,
    login,
    full,
    groupId: BOT_GROUP.id,
    groupName: BOT_GROUP.name,
    skills: [BOT_SKILL.id],
    shift: "always",
    weight,
    resolves: 0.45,
    firstReplySeconds: 1.5,
    bot: true,
  });
}

/** Every agent and bot. Maya and Kenji are the busy ones; Sam resolves least. */
export const AGENTS: readonly Agent[] = Object.freeze([
  human([213185812, "Maya", "maya.k", "Maya Katz"], MAIN, {
    skills: [14, 17],
    shift: "day",
    weight: 6,
    resolves: 0.86,
    firstReplySeconds: 12,
  }),
  human([213185913, "Kenji", "kenji.s", "佐藤 健二"], MAIN, {
    skills: [25, 17, 21],
    shift: "day",
    weight: 5,
    resolves: 0.8,
    firstReplySeconds: 15,
  }),
  human([213186014, "Avi", "avi.l", "אבי לוי"], NIGHT, {
    skills: [21, 14, 17, 25],
    shift: "night",
    weight: 3,
    resolves: 0.76,
    firstReplySeconds: 20,
  }),
  human([213186115, "Sam, jr.", "sam.o", 'Sam "Sunny" O\'Hara'], NIGHT, {
    skills: [17, 14, 25],
    shift: "night",
    weight: 2,
    resolves: 0.6,
    firstReplySeconds: 35,
  }),
  human([213186216, "Léa", "lea.m", "Léa Müller"], TIER_2, {
    skills: [14, 21],
    shift: "day",
    weight: 2.5,
    resolves: 0.9,
    firstReplySeconds: 18,
  }),
  human([213186317, "Priya 🌟", "priya.r", "Priya Raman"], MAIN, {
    skills: [21, 14],
    shift: "day",
    weight: 2,
    resolves: 0.8,
    firstReplySeconds: 14,
  }),
  human([213186418, "Tom", "tom.b", "Tom Berg"], TIER_2, {
    skills: [17, 25],
    shift: "day",
    weight: 1.2,
    resolves: 0.7,
    firstReplySeconds: 28,
  }),
  bot([3, "Bot | helper", "helper.bot", "  Helper Bot  "], 3),
  bot([4, "FAQ bot", "faq.bot", "FAQ Bot"], 1),
]);

/**
 * Whether an `agentLoginName` is a bot's in the simulated account.
 *
 * @param login the login name
 * @returns true for bots
 *
 * @example
 * ```ts
 * import { isBotLogin } from "./roster.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isBotLogin("helper.bot"), true);
 * assert.equal(isBotLogin("maya.k"), false);
 * ```
 */
export function isBotLogin(login: string): boolean {
  return login.endsWith(".bot");
}

function onShift(shift: Shift, hour: number): boolean {
  if (shift === "always") return true;
  const day = hour >= 7 && hour < 19;
  return shift === "day" ? day : !day;
}

/**
 * Picks who takes a chat of a skill at a local hour: someone on shift with
 * the skill, busier agents more often; anyone with the skill when nobody is.
 *
 * @param random the record's stream
 * @param want the skill, the local hour and an agent to avoid (a transfer's source)
 * @returns the agent
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { pickAgent } from "./roster.ts";
 * import assert from "node:assert/strict";
 * const agent = pickAgent(createRandom(1), { skillId: 17, hour: 3 });
 * assert.ok(agent.skills.includes(17) && (agent.shift === "night"));
 * ```
 */
export function pickAgent(
  random: Random,
  want: { readonly skillId: number; readonly hour: number; readonly not?: Agent },
): Agent {
  const able = AGENTS.filter((agent) => agent.skills.includes(want.skillId) && agent !== want.not);
  const working = able.filter((agent) => onShift(agent.shift, want.hour));
  const pool = working.length > 0 ? working : able.length > 0 ? able : AGENTS;
  return random.pickWeighted(pool, (agent) => agent.weight);
}

/**
 * Picks the skill of a new chat by each skill's share.
 *
 * @param random the record's stream
 * @returns a human skill
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { HUMAN_SKILLS, pickSkill } from "./roster.ts";
 * import assert from "node:assert/strict";
 * assert.ok(HUMAN_SKILLS.includes(pickSkill(createRandom(3))));
 * ```
 */
export function pickSkill(random: Random): Skill {
  let roll = random.next();
  for (const skill of HUMAN_SKILLS) {
    roll -= skill.share;
    if (roll < 0) return skill;
  }
  return HUMAN_SKILLS.at(-1)!;
}
