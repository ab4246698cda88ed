/**
 * The transcript of a simulated chat, following its route: the system's
 * greeting at the request, the visitor's first words while waiting, the
 * agent's first line some seconds after the start (a bot's at once), a
 * conversation about the visitor's topic that ends solved or not, a
 * transfer line when the chat is handed over, and the closing line. Chats
 * the visitor abandoned have no exchange: the agent greets nobody, or the
 * visitor leaves before any agent speaks.
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import { maybeAwkward } from "../../../simulator/values.ts";
import { startTalk, type Talk } from "../../common/simulator/talk.ts";
import type { TimeFormatter } from "./dataset_nodes.ts";
import type { Route } from "./routes.ts";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** One `transcript.lines[]` element. */
export interface Line extends Record<string, unknown> {
  timeL: number;
}

/** What a transcript is written from. */
export interface TranscriptInput {
  readonly route: Route;
  /** The record's stream. */
  readonly random: Random;
  readonly format: TimeFormatter;
  /** `by` of the visitor's lines. */
  readonly visitorName: string;
  /** Which of `lineSeq` and `agentId` the lines carry, as the two documented styles do. */
  readonly lineStyle: "both" | "seq" | "agentId";
}

/** A transcript and when the chat ended. */
export interface Transcript {
  readonly lines: Line[];
  /** When the chat ended (`endTimeL`); -1 when it never does. */
  readonly end: number;
  /** The last line's time, or the start when later. */
  readonly last: number;
}

type Speaker = "visitor" | "agent" | "transfer";

/** Who speaks, in order, after the agent's first line. */
function script(random: Random, route: Route): Speaker[] {
  const agent = route.agent!;
  if (agent.bot) {
    const turns: Speaker[] = ["visitor", "agent", "visitor"];
    if (random.chance(0.5)) turns.push("agent", "visitor");
    turns.push(route.transferOut ? "transfer" : "agent");
    if (!route.transferOut && random.chance(0.4)) turns.push("visitor");
    return turns;
  }
  if (route.transferOut) {
    return [
      "visitor",
      "agent",
      "visitor",
      ...(random.chance(0.5) ? ["agent" as const] : []),
      "transfer",
    ];
  }
  const turns: Speaker[] = ["visitor", "agent", "visitor"];
  if (random.chance(0.4)) turns.push("agent", "visitor");
  else turns.push("agent");
  turns.push("agent", "visitor");
  if (random.chance(0.7)) turns.push("agent");
  if (random.chance(0.3)) turns.push("visitor");
  return turns;
}

function seconds(random: Random, median: number): number {
  // Lognormal around the median: most replies quick, some slow.
  const u = Math.max(random.next(), 1e-9);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  return Math.round(Math.min(Math.max(median * Math.exp(0.6 * z), 1), 600) * SECOND);
}

function richContent(random: Random): Record<string, unknown> {
  return {
    type: "vertical",
    elements: [
      { type: "text", text: maybeAwkward(random, "Pick a plan", { rate: 0.3 }) },
      {
        type: "button",
        title: random.pick(["Basic", "Pro | yearly", "プレミアム"]),
        click: {
          actions: [{ type: "link", uri: `https://example.com/plans/${random.int(1, 9)}` }],
        },
      },
    ],
  };
}

/**
 * Writes the transcript of a chat and decides when it ended.
 *
 * @param input the route, the record's stream and how lines are written
 * @returns the lines in time order, the end time and the last line's time
 *
 * @example
 * ```ts
 * import { resolveDataset } from "../../../simulator/dataset_options.ts";
 * import { createRandom } from "../../../simulator/random.ts";
 * import { formatLpTime } from "../../../simulator/values.ts";
 * import { routeOf } from "./routes.ts";
 * import { writeTranscript } from "./transcript.ts";
 * import assert from "node:assert/strict";
 * const route = routeOf(resolveDataset({ count: 50, from: 0, to: 86_400_000, stuckOpenRate: 0 }), 7);
 * const transcript = writeTranscript({ route, random: createRandom(1), format: formatLpTime, visitorName: "Dana", lineStyle: "both" });
 * assert.ok(transcript.end > route.start);
 * assert.equal(transcript.lines.at(-1)?.timeL, transcript.end);
 * ```
 */
export function writeTranscript(input: TranscriptInput): Transcript {
  const { route, random, format, lineStyle } = input;
  const agent = route.agent;
  const agentNick = agent?.nick ?? "undefined";
  const agentId = agent?.id ?? -1;
  const talk: Talk = startTalk(random, route.topic, {
    resolved: route.resolved,
    handoff: route.transferOut !== undefined,
  });
  const lines: Line[] = [];
  let seq = random.int(1, 90);
  const push = (line: Line, lineAgentId: number): void => {
    if (lineStyle !== "agentId") line.lineSeq = String(seq);
    if (lineStyle !== "seq") line.agentId = lineAgentId;
    seq += random.int(1, 3);
    lines.push(line);
  };
  const system = (timeL: number, controlType: number, text: string): Line => ({
    time: format(timeL),
    timeL,
    controlType,
    text,
    by: "info",
    source: "system",
    subType: random.chance(0.1) ? "ONLY_TO_REP" : "REGULAR",
    textType: "plain",
    cannedAnswerType: 0,
  });
  const visitorLine = (timeL: number, text: string): Line => ({
    time: format(timeL),
    timeL,
    controlType: 0,
    text: maybeAwkward(random, text, { rate: 0.08 }),
    by: input.visitorName,
    source: "visitor",
    subType: "REGULAR",
    textType: "plain",
    cannedAnswerType: 0,
  });
  let agentLines = 0;
  const agentLine = (timeL: number, text: string): Line => {
    const bot = agent?.bot === true;
    const n = agentLines++;
    // A bot offers options after its greeting; agents now and then send a card.
    if (n > 0 && random.chance(bot ? (n === 1 ? 0.6 : 0) : 0.05)) {
      return {
        time: format(timeL),
        timeL,
        controlType: 0,
        text: random.chance(0.5) ? "" : "Choose one of the options",
        json: richContent(random),
        by: agentNick,
        source: "agent",
        subType: "REGULAR",
        textType: "rich-content",
        cannedAnswerType: 0,
      };
    }
    const url = !bot && random.chance(0.03);
    return {
      time: format(timeL),
      timeL,
      controlType: 0,
      text: url
        ? `https://example.com/help?topic=${random.int(1, 40)}&lang=en`
        : maybeAwkward(random, text, { rate: 0.04 }),
      by: agentNick,
      source: "agent",
      subType: "REGULAR",
      textType: url ? "url" : bot ? "plain" : random.pick(["plain", "plain", "html"]),
      cannedAnswerType: bot ? 0 : random.pick([0, 0, 0, random.int(1, 400), -random.int(1, 400)]),
    };
  };

  // Waiting in the queue.
  let clock = route.requested + random.int(50, 250);
  push(
    system(
      clock,
      4,
      route.transferIn
        ? "Please wait while we transfer you to the next available agent."
        : "Thank you for contacting us. An agent will be with you shortly.",
    ),
    0,
  );
  const waited = route.start - route.requested;
  let visitorSpoke = false;
  if (!agent || (waited > 8 * SECOND && random.chance(agent.bot ? 0 : 0.45))) {
    clock += random.int(1_000, Math.max(1_001, Math.min(waited - 500, 30 * SECOND)));
    push(visitorLine(Math.min(clock, route.start - 1), talk.visitor()), 0);
    visitorSpoke = true;
  }
  clock = Math.max(clock + 1, route.start);
  if (!agent) return closing(clock + random.int(1 * SECOND, 40 * SECOND));
  push(system(clock, 3, `You are now chatting with ${agentNick}.`), 0);
  if (!route.interactive && visitorSpoke) {
    // The visitor left before the agent said anything.
    return closing(clock + random.int(1 * SECOND, 20 * SECOND));
  }

  const busy = 0.6 + 0.4 * Math.min(route.load, 2.5);
  const firstReply = agent.bot
    ? random.int(500, 2_500)
    : seconds(random, agent.firstReplySeconds * busy);
  const timed: { time: number; speaker: Speaker }[] = [];
  let at = clock + firstReply;
  timed.push({ time: at, speaker: "agent" });
  if (route.interactive) {
    for (const speaker of script(random, route)) {
      at += speaker === "visitor"
        ? seconds(random, agent.bot ? 8 : 18)
        : agent.bot
        ? random.int(700, 3_000)
        : seconds(random, agent.firstReplySeconds * 1.8 * busy);
      timed.push({ time: at, speaker });
    }
  }
  if (route.transferOut) {
    // The chat ends when the transfer is asked for: its last line comes just before.
    const deadline = route.transferOut.time - random.int(500, 4_000);
    const last = timed.at(-1)!.time;
    const scale = (deadline - clock) / (last - clock);
    for (const line of timed) line.time = clock + Math.floor((line.time - clock) * scale);
  }
  for (const { time, speaker } of timed) {
    if (speaker === "visitor") push(visitorLine(time, talk.visitor()), 0);
    else if (speaker === "transfer") {
      const out = route.transferOut!;
      push(agentLine(time, talk.transfer(agent.bot ? undefined : out.toSkill.name)), agentId);
    } else push(agentLine(time, agent.bot ? talk.bot() : talk.agent()), agentId);
  }
  const last = Math.max(timed.at(-1)!.time, route.start);
  if (route.transferOut) return closing(route.transferOut.time);
  return closing(
    last +
      (route.interactive
        ? random.int(1 * SECOND, 60 * SECOND)
        : random.int(30 * SECOND, 3 * MINUTE)),
  );

  function closing(end: number): Transcript {
    const last = Math.max(lines.at(-1)?.timeL ?? route.start, route.start);
    if (route.open) return { lines, end: -1, last };
    const endL = Math.max(end, last + 1);
    push(system(endL, 5, "Thank you for chatting with us."), 0);
    return { lines, end: endL, last };
  }
}
