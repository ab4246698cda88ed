/**
 * What visitors, agents and bots say in a simulated chat or conversation:
 * lines about one topic (billing, delivery, account, …) that follow the
 * course of a real contact — the visitor's question, the agent's greeting,
 * a question back, an action, a solution or an apology, thanks or
 * frustration — written from recurring phrases with a few filled-in values
 * (order numbers, amounts, error codes), so that frequent n-grams in the
 * transcripts mean something.
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import PHRASES from "./phrases.json" with { type: "json" };

/** The topics a contact can be about. */
export const TOPICS: readonly string[] = Object.freeze(Object.keys(PHRASES.topics));

type TopicPhrases = (typeof PHRASES.topics)["billing"];

/** The lines of one contact, in the order its people speak. */
export interface Talk {
  /** The topic. */
  readonly topic: string;
  /** The visitor's next line. */
  visitor(): string;
  /** A human agent's next line. */
  agent(): string;
  /** A bot's next line. */
  bot(): string;
  /** The line that hands the contact over: a bot's to an agent, an agent's to a skill. */
  transfer(skillName?: string): string;
}

/** How the contact goes. */
export interface TalkOptions {
  /** The agent solves the visitor's problem (otherwise apologises). */
  readonly resolved: boolean;
  /** The bot hands over to a human (otherwise it answers by itself). */
  readonly handoff?: boolean;
}

/**
 * Starts the talk of one contact.
 *
 * @param random the contact's stream
 * @param topic one of {@linkcode TOPICS}; unknown topics talk about billing
 * @param options whether the problem is solved and whether a bot hands over
 * @returns a talk whose lines follow the contact's course
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { startTalk } from "./talk.ts";
 * import assert from "node:assert/strict";
 * const talk = startTalk(createRandom(1), "delivery", { resolved: true });
 * const question = talk.visitor();
 * assert.match(talk.agent(), /help|welcome/i);
 * assert.notEqual(talk.visitor(), question);
 * ```
 */
export function startTalk(random: Random, topic: string, options: TalkOptions): Talk {
  const phrases: TopicPhrases = (PHRASES.topics as Record<string, TopicPhrases>)[topic] ??
    PHRASES.topics.billing;
  const values = new Map<string, string>();
  const value = (slot: string): string => {
    let text = values.get(slot);
    if (text === undefined) {
      values.set(slot, text = fill(random, slot));
    }
    return text;
  };
  const say = (choices: readonly string[], extra: Record<string, string> = {}): string =>
    random.pick(choices).replace(/\{(\w+)\}/g, (_, slot: string) => extra[slot] ?? value(slot));
  const used = new Set<string>();
  const fresh = (choices: readonly string[]): string => {
    const unused = choices.filter((choice) => !used.has(choice));
    const text = say(unused.length > 0 ? unused : choices);
    used.add(text);
    return text;
  };
  let visitorLines = 0;
  let agentLines = 0;
  let botLines = 0;
  return {
    topic: PHRASES.topics[topic as keyof typeof PHRASES.topics] ? topic : "billing",
    visitor() {
      const n = visitorLines++;
      if (botLines > 0 && agentLines === 0 && n < 2) return say(PHRASES.visitorToBot);
      if (n === 0 || (botLines > 0 && n === 2)) return say(phrases.open);
      if (agentLines >= 4) {
        return say(options.resolved ? PHRASES.visitorThanks : PHRASES.visitorUnhappy);
      }
      return random.chance(0.7) ? fresh(phrases.detail) : say(PHRASES.visitorFiller);
    },
    agent() {
      const n = agentLines++;
      if (n === 0) return say(PHRASES.agentGreeting);
      if (n === 1) return fresh(phrases.ask);
      if (n === 2) return random.chance(0.8) ? fresh(phrases.act) : say(PHRASES.agentHold);
      if (n === 3) return say(options.resolved ? phrases.solve : phrases.fail);
      return say(PHRASES.agentWrap);
    },
    bot() {
      const n = botLines++;
      if (n === 0) return say(PHRASES.botGreeting);
      if (n === 1) return say(PHRASES.botAsk);
      return say(options.handoff ? PHRASES.botHandoff : PHRASES.botSolve);
    },
    transfer(skillName) {
      if (skillName === undefined) return say(PHRASES.botHandoff);
      return say(PHRASES.agentTransfer, { skill: skillName });
    },
  };
}

function fill(random: Random, slot: string): string {
  switch (slot) {
    case "order":
      return String(random.int(1_000_000, 9_999_999));
    case "amount":
      return `$${random.int(5, 240)}.${random.pick(["00", "50", "99"])}`;
    case "days":
      return String(random.int(2, 10));
    case "code":
      return `E${random.int(100, 999)}`;
    case "percent":
      return String(random.pick([10, 15, 20, 25]));
    case "gb":
      return String(random.pick([5, 10, 20, 50, 100]));
    case "plan":
      return random.pick(PHRASES.plans);
    case "product":
      return random.pick(PHRASES.products);
    case "link":
      return `https://example.com/help?topic=${random.int(1, 40)}&lang=en`;
    default:
      return slot;
  }
}
