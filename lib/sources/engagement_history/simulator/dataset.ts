/**
 * A deterministic synthetic Engagement History dataset.
 *
 * Record `i` is built from its own seeded stream, so {@linkcode engagementAt}
 * is pure and O(1): a server can serve a 100 000-record dataset without ever
 * holding it in memory. Start times strictly increase with the index and
 * follow a contact centre's week over `[from, to)` (busy weekday mornings and
 * afternoons, quiet nights and weekends), so the indexes in a time range are
 * found by binary search ({@linkcode indexRange}).
 *
 * The chats have the structure analyses look for (routes.ts, roster.ts,
 * transcript.ts): a few busy agents and two bots, queue waits with a long
 * tail, 9–14 % abandoned chats per skill, transfers that link engagements of
 * one visit, transcripts about a topic, and post-chat surveys whose CSAT and
 * "Was the issue resolved?" answers follow how the chat went.
 *
 * Records have every documented node and carry the dirt real data carries:
 * missing nodes and fields, sentinels (`-1`, `"undefined"`, `"null"`, `"NA"`,
 * `""`), open chats, mixed string/int ids, both string time forms, and text
 * with separators, quotes, line breaks, emoji and non-Latin scripts.
 *
 * @module
 */

import {
  type DatasetOptions,
  resolveDataset,
  type ResolvedDataset,
} from "../../../simulator/dataset_options.ts";
import { createRandom, mixSeed, type Random } from "../../../simulator/random.ts";
import { checkIndex, indexRange } from "../../../simulator/start_times.ts";
import { formatLpTime, maybeAwkward } from "../../../simulator/values.ts";
import { SDE_TYPES } from "../../common/simulator/sde_payloads.ts";
import { chatIdOf, type EngagementRecord } from "./dataset_index.ts";
import { campaignNode, coBrowseNode, surveysNode, visitorInfoNode } from "./dataset_nodes.ts";
import { sdeEvent } from "./dataset_sdes.ts";
import { type Route, routeOf } from "./routes.ts";
import { writeTranscript } from "./transcript.ts";

export { type DatasetOptions, MAX_DATASET_COUNT } from "../../../simulator/dataset_options.ts";
export { indexRange, startTimeAt } from "../../../simulator/start_times.ts";
export { type EngagementRecord, indexOfEngagementId } from "./dataset_index.ts";

const STREAM_RECORD = 2;
const STREAM_VISITOR = 8;

const START_REASONS = [
  ["0", "Visitor request"],
  ["0", "Visitor request"],
  ["0", "Visitor request"],
  ["0", "Visitor request"],
  ["3", "ACD attempt"],
  ["5", "Operator assignment"],
  ["7", "Rep request"],
] as const;

const TRANSFER_START = ["1", "Transfer"] as const;
const TRANSFER_ENDS = { agent: ["101", "transfer"], skill: ["106", "transfer to skill"] } as const;
/** How abandoned chats end: the visitor went away. */
const ABANDONED_ENDS = [
  ["205", "Visitor disconnected"],
  ["208", "Visitor no longer in chat"],
  ["210", "Visitor closed chat"],
] as const;
const ENDS = [
  ["201", "Rep stopped chat"],
  ["201", "Rep stopped chat"],
  ["201", "Rep stopped chat"],
  ["210", "Visitor closed chat"],
  ["210", "Visitor closed chat"],
  ["202", "Rep disconnected"],
  ["205", "Visitor disconnected"],
  ["208", "Visitor no longer in chat"],
] as const;

/** The pre-chat answer ("What is your question about?") of each topic. */
const TOPIC_CHOICE: Readonly<Record<string, number>> = {
  billing: 0,
  cancellation: 0,
  technical: 1,
  account: 1,
  delivery: 1,
  plans: 2,
};

const VISITOR_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function visitorIdOf(random: Random): string {
  let id = "";
  for (let i = 0; i < 22; i++) {
    id += VISITOR_ID_ALPHABET[Math.floor(random.next() * VISITOR_ID_ALPHABET.length)];
  }
  return id;
}

/** Who the visitor is: the same in every engagement of a visit. */
function visitorOf(dataset: ResolvedDataset, head: number) {
  const random = createRandom(mixSeed(dataset.seed, head, STREAM_VISITOR));
  const visitorName = maybeAwkward(random, random.pick(["You", "Visitor", "Dana", "ケン"]), {
    rate: 0.15,
    sentinels: true,
  });
  return {
    visitorName,
    visitorId: visitorIdOf(random),
    sharkVisitorId: visitorIdOf(random),
    engagementSet: random.pick([0, 0, 0, 1, 2]),
  };
}

/**
 * The visitor's CSAT, as a position on the post-chat scale (0 = "Very
 * satisfied" … 4 = "Very dissatisfied"): high when the problem was solved,
 * lower after a long wait.
 */
function csatPosition(random: Random, route: Route): number {
  const roll = random.next();
  let position = route.resolved
    ? (roll < 0.55 ? 0 : roll < 0.85 ? 1 : roll < 0.95 ? 2 : roll < 0.98 ? 3 : 4)
    : (roll < 0.05 ? 0 : roll < 0.15 ? 1 : roll < 0.4 ? 2 : roll < 0.7 ? 3 : 4);
  if (route.start - route.requested > 3 * 60_000 && random.chance(0.4)) position += 1;
  return Math.min(position, 4);
}

/**
 * Builds record `index` of the dataset. Pure: the same options and index
 * always give an equal record.
 *
 * @param options the dataset
 * @param index the record index, `0 <= index < count`
 * @returns the record
 * @throws {RangeError} if the options or the index are invalid
 *
 * @example
 * ```ts
 * import { engagementAt } from "./dataset.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 1_700_000_000_000, to: 1_700_086_400_000 };
 * const record = engagementAt(options, 3);
 * const info = record.info as { engagementId: string };
 * assert.match(info.engagementId, /^\d{18}$/);
 * assert.deepEqual(engagementAt(options, 3), record);
 * ```
 */
export function engagementAt(options: DatasetOptions, index: number): EngagementRecord {
  const dataset = resolveDataset(options);
  checkIndex(dataset, index);
  const route = routeOf(dataset, index);
  const startL = route.start;
  const random = createRandom(mixSeed(dataset.seed, index, STREAM_RECORD));
  const timeForm = random.chance(0.08) ? "T" : "space";
  const format = (ms: number): string => (ms < 0 ? "undefined" : formatLpTime(ms, timeForm));

  const { open, interactive, agent } = route;
  const agentNick = agent?.nick ?? "undefined";
  const agentId = agent?.id ?? -1;
  const visitor = visitorOf(dataset, route.head);
  const requestedL = random.chance(0.04) ? -1 : route.requested;

  const lineStyle = random.pick(["both", "both", "both", "seq", "agentId"] as const);
  const shapeRoll = random.next();
  const transcriptShape = shapeRoll < 0.88 ? "full" : shapeRoll < 0.94 ? "empty" : "missing";
  const transcript = writeTranscript({
    route,
    random,
    format,
    visitorName: visitor.visitorName,
    lineStyle,
  });
  const lines = transcriptShape === "full" ? transcript.lines : [];
  const endL = transcript.end;

  const [startReason, startReasonDesc] = route.transferIn
    ? TRANSFER_START
    : random.pick(START_REASONS);
  const [endReason, endReasonDesc] = open
    ? ["-1", "undefined"]
    : route.transferOut
    ? TRANSFER_ENDS[route.transferOut.kind]
    : random.pick(interactive ? ENDS : ABANDONED_ENDS);
  const alertedMCS = random.pick([-1, 0, 1]);
  const chatId = chatIdOf(dataset, index);

  const csat = csatPosition(random, route);
  const hasSurveys = random.chance(0.82);
  const surveys = hasSurveys
    ? surveysNode(random, {
      preChatMs: route.requested - random.int(100, 2_000),
      postChatMs: (open ? transcript.last : endL) + random.int(500, 30_000),
      format,
      offered: {
        // The visitor is asked after a chat that ended and was not handed on.
        postChat: !open && !route.transferOut && (interactive || random.chance(0.1)),
        operator: !open && agent !== undefined && !agent.bot,
      },
      measured: {
        csat,
        resolved: route.resolved ? 0 : 1,
        recommend: csat <= 1 || (csat === 2 && random.chance(0.5)) ? 0 : 1,
        topic: TOPIC_CHOICE[route.topic] ?? 0,
      },
    })
    : undefined;
  const surveyRows = (name: string): boolean =>
    Array.isArray(surveys?.[name]) && (surveys[name] as unknown[]).length > 0;

  const info: Record<string, unknown> = {
    startTime: format(startL),
    startTimeL: startL,
    endTime: format(endL),
    endTimeL: endL,
    duration: open ? 0 : Math.round((endL - startL) / 1000),
    visitorId: visitor.visitorId,
    visitorName: visitor.visitorName,
    engagementId: `${dataset.accountId}${chatId}`,
    sharkEngagementId: `${dataset.accountId}_${visitor.sharkVisitorId}_${visitor.engagementSet}`,
    isInteractive: interactive,
    accountId: dataset.accountId,
    agentId: random.chance(0.6) ? String(agentId) : agentId,
    [random.chance(0.3) ? "agentName" : "agentNickName"]: agentNick,
    agentLoginName: agent?.login ?? "undefined",
    agentFullName: agent?.full ?? "undefined",
    skillId: route.skill.id,
    skillName: route.skill.name,
    isAgentSurvey: surveyRows("operator"),
    isPostChatSurvey: surveyRows("postChat"),
    isPreChatSurvey: surveyRows("preChat"),
    channel: random.pick([1, 1, 1, 1, -1, 2]),
    startReason: random.chance(0.8) ? startReason : Number(startReason),
    startReasonDesc,
    endReason,
    endReasonDesc,
    engagementSet: visitor.engagementSet,
    engagementSequence: route.position,
    agentGroupId: agent?.groupId ?? -1,
    agentGroupName: agent?.groupName ?? "Main Group",
    mcs: random.chance(0.15) ? null : alertedMCS,
    alertedMCS,
    // The connection score follows the visitor's mood: high when satisfied, low when not.
    chatMCS: interactive
      ? Math.max(0, Math.min(100, 85 - 15 * csat + random.int(-15, 15)))
      : random.int(0, 30),
    chatRequestedTime: format(requestedL),
    chatRequestedTimeL: requestedL,
    chatStartUrl: random.pick([
      "https://shop.example.com/checkout?step=2&cart=a1,b2",
      "https://example.co.jp/サポート",
      "undefined",
    ]),
    chatStartPage: maybeAwkward(random, "Checkout - Example Shop", { rate: 0.2, sentinels: true }),
    isPartial: false,
    ended: !open,
    interactive,
    chatDataEnriched: !random.chance(0.1),
  };
  if (random.chance(0.5)) info.agentDeleted = random.chance(0.1);
  // Optional fields go missing now and then.
  if (random.chance(0.05)) delete info.chatStartPage;
  if (random.chance(0.05)) delete info.agentGroupName;

  const record: EngagementRecord = { info };
  if (transcriptShape !== "missing") record.transcript = { lines };
  if (lineStyle !== "agentId" && lines.length > 0 && random.chance(0.9)) {
    let mcs = 0;
    record.lineScores = lines.map((line) => {
      const lineRawScore = random.pick([0, 0, 0, 1, -1, 2]);
      mcs = Math.max(-100, Math.min(100, mcs + lineRawScore * 10));
      return { lineSeq: line.lineSeq, lineRawScore, mcs };
    });
  }
  if (surveys) record.surveys = surveys;
  record.campaign = campaignNode(random);
  if (random.chance(0.97)) record.visitorInfo = visitorInfoNode(random);
  const coBrowse = random.next();
  if (coBrowse < 0.25) {
    record.coBrowseSessions = coBrowseNode(random, {
      startMs: startL,
      endMs: open ? transcript.last : endL,
      format,
    });
  } else if (coBrowse < 0.3) {
    record.coBrowseSessions = { coBrowseSessionsList: [] };
  }
  if (random.chance(0.85)) {
    const events = Array.from(
      { length: random.int(0, 4) },
      () => sdeEvent(random, random.pick(SDE_TYPES), startL),
    );
    record.sdes = { events };
  }
  return record;
}

/**
 * Builds the whole dataset in index (and start-time) order. For large datasets
 * prefer {@linkcode engagementAt} with {@linkcode indexRange}.
 *
 * @param options the dataset
 * @returns all records
 *
 * @example
 * ```ts
 * import { generateEngagements } from "./dataset.ts";
 * import assert from "node:assert/strict";
 * assert.equal(generateEngagements({ count: 5, from: 0, to: 86_400_000 }).length, 5);
 * ```
 */
export function generateEngagements(options: DatasetOptions): EngagementRecord[] {
  const { count } = resolveDataset(options);
  return Array.from({ length: count }, (_, index) => engagementAt(options, index));
}

/**
 * The records whose start time lies in `[from, to)`, in start-time order.
 *
 * @param options the dataset
 * @param from range start, epoch ms (inclusive)
 * @param to range end, epoch ms (exclusive)
 * @returns the records
 *
 * @example
 * ```ts
 * import { engagementsIn } from "./dataset.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 10_000 };
 * assert.equal(engagementsIn(options, 0, 5_000).length, 5);
 * ```
 */
export function engagementsIn(
  options: DatasetOptions,
  from: number,
  to: number,
): EngagementRecord[] {
  const { start, end } = indexRange(options, from, to);
  return Array.from({ length: end - start }, (_, offset) => engagementAt(options, start + offset));
}
