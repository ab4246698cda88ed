/**
 * Synthetic `campaign`, `visitorInfo`, `surveys` and `coBrowseSessions` nodes.
 *
 * @module
 */

import type { Random } from "../../../simulator/random.ts";
import { maybeAwkward, mixedId, pseudoUuid } from "../../../simulator/values.ts";
import SAMPLES from "./samples.json" with { type: "json" };

/** Formats epoch ms as a record's string time (`"undefined"` for -1). */
export type TimeFormatter = (ms: number) => string;

const CAMPAIGNS = [
  {
    id: 1100200,
    name: "Live chat on site",
    goal: "Interact with visitors",
    engagement: "Sticky button",
  },
  {
    id: 1100300,
    name: "Checkout rescue",
    goal: "Increase sales",
    engagement: "Cart abandonment | popup",
  },
  { id: 1100400, name: "Support, tier 1", goal: "Reduce calls", engagement: "שירות לקוחות" },
] as const;

/**
 * Builds a `campaign` node; ids are strings or ints, as in the documented examples.
 *
 * @param random the record's stream
 * @returns the node
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { campaignNode } from "./dataset_nodes.ts";
 * import assert from "node:assert/strict";
 * assert.ok("campaignId" in campaignNode(createRandom(1)));
 * ```
 */
export function campaignNode(random: Random): Record<string, unknown> {
  const campaign = random.pick(CAMPAIGNS);
  const lob = random.pick([-1, 77, 78]);
  const node: Record<string, unknown> = {
    campaignEngagementId: mixedId(random, campaign.id + 12),
    campaignEngagementName: campaign.engagement,
    campaignId: mixedId(random, campaign.id),
    campaignName: campaign.name,
    goalId: mixedId(random, campaign.id + 5),
    goalName: campaign.goal,
    visitorBehaviorId: mixedId(random, campaign.id + 7),
    visitorBehaviorName: random.pick(["Any behavior", "Browsing checkout", "Returning visitor"]),
    visitorProfileId: mixedId(random, campaign.id + 9),
    visitorProfileName: random.pick(["All visitors", "Logged-in customers", "VIP, gold"]),
    lobId: mixedId(random, lob),
    lobName: lob === -1 ? "NA" : random.pick(["Sales", "Care"]),
  };
  if (random.chance(0.3)) {
    node.engagementAgentNote = maybeAwkward(random, "Offer 10% coupon", { rate: 0.4 });
  }
  return node;
}

/**
 * Builds a `visitorInfo` node, with `""` and `"NA"` places as in the examples.
 *
 * @param random the record's stream
 * @returns the node
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { visitorInfoNode } from "./dataset_nodes.ts";
 * import assert from "node:assert/strict";
 * assert.equal(typeof visitorInfoNode(createRandom(1)).device, "string");
 * ```
 */
export function visitorInfoNode(random: Random): Record<string, unknown> {
  const place = random.pick(SAMPLES.places);
  const os = random.pick(["WINDOWS", "MAC_OSX", "LINUX", "IOS", "ANDROID", "NA"]);
  const browser = random.pick(
    [
      [
        "CHROME",
        `Chrome ${random.int(90, 125)}.0.${random.int(1000, 6000)}.${random.int(10, 200)}`,
      ],
      ["FIREFOX", `Firefox ${random.int(100, 125)}.0`],
      ["SAFARI", `Safari ${random.int(14, 17)}.1`],
      ["OTHER", "undefined"],
    ] as const,
  );
  const node: Record<string, unknown> = {
    ...place,
    isp: random.pick(["Example Telecom", "Fiber, Ltd.", "", "NA"]),
    org: maybeAwkward(random, random.pick(["Example Corp", "", "NA"]), { rate: 0.1 }),
    device: os === "IOS" || os === "ANDROID"
      ? random.pick(["MOBILE", "TABLET"])
      : random.pick(["DESKTOP", "DESKTOP", "NA"]),
    ipAddress: `${random.int(11, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${
      random.int(1, 254)
    }`,
    browser: browser[1],
    operatingSystem: os,
  };
  if (random.chance(0.6)) node.browserType = browser[0];
  return node;
}

/** Options of {@linkcode surveysNode}. */
export interface SurveyTimes {
  /** When the pre-chat survey was answered (epoch ms). */
  readonly preChatMs: number;
  /** When the post-chat and agent surveys were answered (epoch ms). */
  readonly postChatMs: number;
  /** Formats string times of this record. */
  readonly format: TimeFormatter;
  /**
   * Which surveys the chat may have: a post-chat survey only after the
   * visitor chatted, an agent wrap-up only after a human's chat; default both.
   */
  readonly offered?: { readonly postChat: boolean; readonly operator: boolean };
  /**
   * The chat's outcome, read by the questions that measure it (`measure` in
   * samples.json): the position of the answer among the question's choices,
   * e.g. `{ csat: 0 }` for the best CSAT, `{ resolved: 1 }` for "No".
   */
  readonly measured?: Readonly<Record<string, number>>;
}

interface Question {
  readonly id: number;
  readonly text: string;
  /** Choices with their answer ids, or none for a free-text question. */
  readonly choices?: readonly (readonly [string, number])[];
  readonly multi?: boolean;
  readonly free?: readonly string[];
  /** The outcome this question asks about (csat, resolved, recommend, topic). */
  readonly measure?: string;
}

/** A survey of samples.json: which node, how often, and its questions. */
interface Survey {
  /** Key of its list in the `surveys` node. */
  readonly key: string;
  /** How often an engagement has it. */
  readonly chance: number;
  /** Which of the {@linkcode SurveyTimes} it was answered at. */
  readonly answeredAt: "preChat" | "postChat";
  readonly source: string;
  readonly name: string;
  readonly id: number;
  readonly questions: readonly Question[];
}

const SURVEYS = SAMPLES.surveys as readonly Survey[];

function answerRows(
  random: Random,
  questions: readonly Question[],
  survey: {
    source: string;
    name: string;
    id: number;
    ms: number;
    format: TimeFormatter;
    measured: Readonly<Record<string, number>>;
  },
): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const question of questions) {
    if (random.chance(0.25)) continue;
    let values: string[];
    let answersId: number[];
    if (question.choices) {
      const chosen = question.multi ? question.choices.filter(() => random.chance(0.4)) : [];
      // Earlier choices (the favourable ones) are likelier, as in real survey results.
      const favoured = Math.floor(question.choices.length * random.next() ** 1.8);
      const outcome = question.measure === undefined
        ? undefined
        : survey.measured[question.measure];
      if (chosen.length === 0) chosen.push(question.choices[outcome ?? favoured]!);
      values = chosen.map(([text]) => text);
      answersId = chosen.map(([, id]) => id);
      if (random.chance(0.05)) answersId = [-2];
    } else {
      values = [maybeAwkward(random, random.pick(question.free ?? [""]), { rate: 0.35 })];
      answersId = [random.chance(0.1) ? 0 : -1];
    }
    const missingTime = random.chance(0.05);
    const ms = survey.ms + random.int(0, 2_000);
    rows.push({
      scope: "Session",
      source: survey.source,
      displayName: question.text,
      value: values.join(","),
      values,
      answersId,
      // Trailing spaces in survey names occur in the documented examples.
      name: random.chance(0.2) ? `${survey.name} ` : survey.name,
      time: missingTime ? "undefined" : survey.format(ms),
      timeL: missingTime ? -1 : ms,
      questionID: question.id,
      surveyID: survey.id,
    });
  }
  return rows;
}

/**
 * Builds a `surveys` node with `preChat`, `postChat` and sometimes `operator`
 * answer rows; any of the three arrays may be empty or absent. Questions that
 * measure the chat's outcome answer as `measured` says; the rest lean to the
 * favourable choices.
 *
 * @param random the record's stream
 * @param times when each survey was answered and how to format times
 * @returns the node
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { surveysNode } from "./dataset_nodes.ts";
 * import { formatLpTime } from "../../../simulator/values.ts";
 * import assert from "node:assert/strict";
 * const node = surveysNode(createRandom(5), { preChatMs: 0, postChatMs: 1000, format: formatLpTime });
 * assert.equal(typeof node, "object");
 * const none = surveysNode(createRandom(5), {
 *   preChatMs: 0, postChatMs: 1000, format: formatLpTime,
 *   offered: { postChat: false, operator: false },
 * });
 * assert.ok(!("postChat" in none) && !("operator" in none));
 * ```
 */
export function surveysNode(random: Random, times: SurveyTimes): Record<string, unknown> {
  const node: Record<string, unknown> = {};
  for (const survey of SURVEYS) {
    if (!random.chance(survey.chance)) continue;
    const offered = times.offered?.[survey.key as "postChat" | "operator"] ?? true;
    if (!offered) continue;
    const ms = survey.answeredAt === "preChat" ? times.preChatMs : times.postChatMs;
    node[survey.key] = answerRows(random, survey.questions, {
      ...survey,
      ms,
      format: times.format,
      measured: times.measured ?? {},
    });
  }
  return node;
}

/**
 * Builds a `coBrowseSessions` node with one to three sessions inside `[startMs, endMs]`.
 *
 * @param random the record's stream
 * @param span the chat's start and end (epoch ms) and how to format times
 * @returns the node
 *
 * @example
 * ```ts
 * import { createRandom } from "../../../simulator/random.ts";
 * import { coBrowseNode } from "./dataset_nodes.ts";
 * import { formatLpTime } from "../../../simulator/values.ts";
 * import assert from "node:assert/strict";
 * const node = coBrowseNode(createRandom(5), { startMs: 0, endMs: 600_000, format: formatLpTime });
 * assert.ok(Array.isArray(node.coBrowseSessionsList));
 * ```
 */
export function coBrowseNode(
  random: Random,
  span: { startMs: number; endMs: number; format: TimeFormatter },
): Record<string, unknown> {
  const sessions: Record<string, unknown>[] = [];
  const length = Math.max(span.endMs - span.startMs, 1_000);
  for (let i = random.int(1, 3); i > 0; i--) {
    const startMs = span.startMs + random.int(0, Math.floor(length / 2));
    const endMs = startMs + random.int(1_000, Math.floor(length / 2) + 1_000);
    const interactive = random.chance(0.5);
    const session: Record<string, unknown> = {
      sessionId: pseudoUuid(random),
      startTime: span.format(startMs),
      startTimeL: startMs,
      endTime: span.format(endMs),
      endTimeL: endMs,
    };
    if (interactive) {
      const interactiveMs = startMs + random.int(0, endMs - startMs);
      session.interactiveTime = span.format(interactiveMs);
      session.interactiveTimeL = interactiveMs;
    }
    session.endReason = random.pick(["UNKOWN", "SERVER", "VISITOR", "AGENT", "TIMEOUT"]);
    session.duration = endMs - startMs;
    session.interactive = interactive;
    sessions.push(session);
  }
  return { coBrowseSessionsList: sessions };
}
