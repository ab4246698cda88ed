/**
 * Who takes each simulated chat, when it was requested, whether the visitor
 * stayed, and where it was transferred: the routing of Engagement History
 * records, drawn without building them.
 *
 * Engagement History has no transfer node: a transfer ends one engagement
 * (`endReason` 101 "transfer" to another agent of the skill, 106 "transfer
 * to skill") and starts the next of the same visit (`startReason` "1",
 * `engagementSequence` one higher, the same `visitorId`, `visitorName` and
 * `sharkEngagementId`). Here the next engagement of a visit is always the
 * next record: records are grouped in threes, and a visit may run through the
 * rest of its group, so a record's route depends on at most two records
 * before it and one after it, each drawn in O(1). The transferred chat ends
 * when the transfer is requested, which is the next chat's
 * `chatRequestedTimeL`; the visitor waits in the queue until the next chat
 * starts.
 *
 * @module
 */

import type { ResolvedDataset } from "../../../simulator/dataset_options.ts";
import { createRandom, mixSeed, type Random } from "../../../simulator/random.ts";
import { startOf } from "../../../simulator/start_times.ts";
import { trafficAt } from "../../../simulator/traffic.ts";
import {
  type Agent,
  BOT_SKILL,
  HUMAN_SKILLS,
  pickAgent,
  pickSkill,
  type Skill,
  UNASSIGNED,
} from "./roster.ts";

const STREAM_ROUTE = 7;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
/** A visit runs through at most this many consecutive records. */
export const VISIT_GROUP = 3;
/** The shortest time a chat takes before it is transferred. */
const MIN_CHAT_BEFORE_TRANSFER = 45 * SECOND;
/** Share of new chats no skill takes: the visitor leaves before routing. */
const UNROUTED = 0.035;
/** Transfers happen only when the next record starts within this long. */
const MAX_TRANSFER_GAP = 20 * MINUTE;

/** A hand-over between two engagements of a visit. */
export interface Transfer {
  /** When the transfer was requested: the first chat's end, the second's request time. */
  readonly time: number;
  /** 101 (to an agent of the same skill) or 106 (to another skill). */
  readonly kind: "agent" | "skill";
  readonly fromAgent: Agent;
  readonly fromSkill: Skill;
  readonly toSkill: Skill;
}

/** The routing of one record. */
export interface Route {
  /** Start time (`startTimeL`). */
  readonly start: number;
  /** When the visitor asked for this chat: the queue wait is `start - requested`. */
  readonly requested: number;
  /** Index of its visit's first engagement. */
  readonly head: number;
  /** Its place in the visit (`engagementSequence`): 0 for the first engagement. */
  readonly position: number;
  /** The chat never ends (stuck open). */
  readonly open: boolean;
  /** The skill it was routed to; {@linkcode UNASSIGNED} when none. */
  readonly skill: Skill;
  /** Who took it; undefined when nobody did. */
  readonly agent?: Agent;
  /** What the visitor wants (a key of phrases.json). */
  readonly topic: string;
  /** Agent and visitor both spoke; false: the visitor abandoned the chat. */
  readonly interactive: boolean;
  /** The visitor's problem was solved in this chat. */
  readonly resolved: boolean;
  /** How busy the centre was at the start, relative to the dataset's mean. */
  readonly load: number;
  /** The transfer that started this chat, if any. */
  readonly transferIn?: Transfer;
  /** The transfer that ended this chat, if any. */
  readonly transferOut?: Transfer;
}

/** Draws from a lognormal with this median: most waits short, a long tail. */
function lognormal(random: Random, median: number, spread: number): number {
  const u = Math.max(random.next(), 1e-9);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  return median * Math.exp(spread * z);
}

/** The queue wait of a new chat, ms: longer in busy hours and in slow skills. */
function queueWait(random: Random, skill: Skill, load: number, bot: boolean): number {
  if (bot) return random.int(400, 3_000);
  const busy = 0.35 + 0.65 * Math.min(load, 2.5) ** 1.5;
  let wait = lognormal(random, 18 * SECOND * skill.waitFactor * busy, 0.85);
  // Now and then the queue jams: a few chats wait many minutes.
  if (random.chance(0.04)) wait *= 4 + 12 * random.next();
  return Math.round(Math.min(Math.max(wait, 1 * SECOND), 45 * MINUTE));
}

function otherSkill(random: Random, not: Skill): Skill {
  for (let tries = 0; tries < 8; tries++) {
    const skill = pickSkill(random);
    if (skill !== not) return skill;
  }
  return HUMAN_SKILLS.find((skill) => skill !== not)!;
}

/**
 * Draws record `index`'s route, given the transfer that started it.
 *
 * @param dataset the resolved dataset
 * @param index the record
 * @param incoming the transfer into it and the visit so far, if any
 * @returns the route, with its outgoing transfer decided
 */
function draw(
  dataset: ResolvedDataset,
  index: number,
  incoming?: { readonly transfer: Transfer; readonly from: Route },
): Route {
  const start = startOf(dataset, index);
  const random = createRandom(mixSeed(dataset.seed, index, STREAM_ROUTE));
  const open = random.next() < dataset.stuckOpenRate;
  const { load, hour } = trafficAt(dataset, start);
  const kindRoll = random.next();
  // Bots take more of the quiet hours, when few humans are on shift.
  const botShare = 0.08 + 0.3 * Math.max(0, 1 - load);
  const kind = incoming
    ? "human"
    : kindRoll < UNROUTED
    ? "none"
    : kindRoll < UNROUTED + botShare
    ? "bot"
    : "human";
  const intended = incoming ? incoming.transfer.toSkill : pickSkill(random);
  const topic = incoming ? incoming.from.topic : random.pick(intended.topics);
  const skill = kind === "none" ? UNASSIGNED : kind === "bot" ? BOT_SKILL : intended;
  const agent = kind === "none" ? undefined : pickAgent(random, {
    skillId: skill.id,
    hour,
    ...(incoming?.transfer.kind === "agent" ? { not: incoming.transfer.fromAgent } : {}),
  });
  const wait = incoming
    ? start - incoming.transfer.time
    : queueWait(random, skill, load, kind === "bot");
  // Visitors leave more often in busy hours; those who left had waited longer.
  const abandonRate = skill.abandonment * (0.85 + 0.12 * Math.min(load, 2.5));
  const abandoned = kind === "none" || random.chance(abandonRate);
  const requested = incoming
    ? incoming.transfer.time
    : start - (abandoned && kind === "human" ? Math.round(wait * 1.6) : wait);

  let transferOut: Transfer | undefined;
  const next = index + 1;
  const linkRoll = random.next();
  const kindOfTransfer = random.chance(0.4) ? "agent" : "skill";
  const waitRoll = random.next();
  if (
    agent && !open && !abandoned && next < dataset.count && next % VISIT_GROUP !== 0 &&
    linkRoll < (agent.bot ? 0.75 : 0.1)
  ) {
    const nextStart = startOf(dataset, next);
    const gap = nextStart - start;
    // A bot hands over within a minute or two, an agent after a few minutes.
    const talked = agent.bot
      ? 20 * SECOND + waitRoll * 100 * SECOND
      : lognormal(random, 3 * MINUTE, 0.5);
    if (gap >= MIN_CHAT_BEFORE_TRANSFER + 3 * SECOND && gap <= MAX_TRANSFER_GAP) {
      const toSkill = agent.bot
        ? intended
        : kindOfTransfer === "agent"
        ? skill
        : otherSkill(random, skill);
      transferOut = {
        // The visitor waits in the queue from the hand-over to the next chat's start.
        time: start +
          Math.round(Math.min(Math.max(talked, MIN_CHAT_BEFORE_TRANSFER), gap - 3 * SECOND)),
        kind: agent.bot || toSkill !== skill ? "skill" : "agent",
        fromAgent: agent,
        fromSkill: skill,
        toSkill,
      };
    }
  }
  const longWait = start - requested > 5 * MINUTE;
  const resolved = !abandoned && !transferOut && agent !== undefined &&
    random.chance(agent.resolves * (longWait ? 0.85 : 1));
  return {
    start,
    requested,
    head: incoming ? incoming.from.head : index,
    position: incoming ? incoming.from.position + 1 : 0,
    open,
    skill,
    ...(agent ? { agent } : {}),
    topic,
    interactive: !abandoned,
    resolved,
    load,
    ...(incoming ? { transferIn: incoming.transfer } : {}),
    ...(transferOut ? { transferOut } : {}),
  };
}

/**
 * The route of record `index`: drawn from its group's earlier records, so
 * that a visit's engagements agree on every transfer.
 *
 * @param dataset the resolved dataset
 * @param index the record, already checked
 * @returns its route
 *
 * @example
 * ```ts
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { routeOf } from "./routes.ts";
 * import assert from "node:assert/strict";
 * const dataset = resolveDataset({ count: 300, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 8) });
 * for (let index = 0; index < 299; index++) {
 *   const out = routeOf(dataset, index).transferOut;
 *   if (out) assert.deepEqual(routeOf(dataset, index + 1).transferIn, out);
 * }
 * ```
 */
export function routeOf(dataset: ResolvedDataset, index: number): Route {
  const first = index - (index % VISIT_GROUP);
  let route = draw(dataset, first);
  for (let at = first + 1; at <= index; at++) {
    route = draw(
      dataset,
      at,
      route.transferOut ? { transfer: route.transferOut, from: route } : undefined,
    );
  }
  return route;
}
