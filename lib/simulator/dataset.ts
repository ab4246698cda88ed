/**
 * A deterministic synthetic Engagement History dataset.
 *
 * Record `i` is built from its own seeded stream, so {@linkcode engagementAt}
 * is pure and O(1): a server can serve a 100 000-record dataset without ever
 * holding it in memory. Start times strictly increase with the index and are
 * spread over `[from, to)`, so the indexes in a time range are found by binary
 * search ({@linkcode indexRange}).
 *
 * Records have every documented node and carry the dirt real data carries:
 * missing nodes and fields, sentinels (`-1`, `"undefined"`, `"null"`, `"NA"`,
 * `""`), open chats, mixed string/int ids, both string time forms, and text
 * with separators, quotes, line breaks, emoji and non-Latin scripts.
 *
 * @module
 */

import { DEMO_CREDENTIALS } from "./demo_credentials.ts";
import { createRandom, mixSeed, type Random } from "./random.ts";
import { formatLpTime, maybeAwkward } from "./values.ts";
import { campaignNode, coBrowseNode, surveysNode, visitorInfoNode } from "./dataset_nodes.ts";
import { SDE_TYPES, sdeEvent } from "./dataset_sdes.ts";

/** What the dataset contains. */
export interface DatasetOptions {
  /** Number of engagements; at most `to - from` and at most {@linkcode MAX_DATASET_COUNT}. */
  count: number;
  /** Earliest start time, epoch ms (inclusive). */
  from: number;
  /** Latest start time, epoch ms (exclusive). */
  to: number;
  /** Seed of the generator; default 1. */
  seed?: number;
  /** Account id; default the demo account. */
  accountId?: string;
}

/** One `interactionHistoryRecords[]` element. */
export type EngagementRecord = Record<string, unknown>;

/** Largest dataset: chat ids must stay within 10 digits. */
export const MAX_DATASET_COUNT = 100_000_000;

/** First chat id; engagementId = accountId + 10-digit chat id. */
const CHAT_ID_BASE = 4_000_000_000;
/** Chat ids of consecutive records are this far apart at most. */
const CHAT_ID_STRIDE = 50;

const STREAM_START = 1;
const STREAM_RECORD = 2;

interface Resolved {
  readonly count: number;
  readonly from: number;
  readonly to: number;
  readonly seed: number;
  readonly accountId: string;
}

function resolve(options: DatasetOptions): Resolved {
  const { count, from, to } = options;
  if (!Number.isInteger(from) || !Number.isInteger(to) || !(to > from)) {
    throw new RangeError(
      `Invalid dataset range from ${from} to ${to}: use integer epoch ms with to after from`,
    );
  }
  if (!Number.isInteger(count) || count < 0 || count > MAX_DATASET_COUNT || count > to - from) {
    throw new RangeError(
      `Invalid dataset count ${count}: use an integer from 0 to ${
        Math.min(MAX_DATASET_COUNT, to - from)
      } (at most one engagement per millisecond of the range)`,
    );
  }
  return {
    count,
    from,
    to,
    seed: options.seed ?? 1,
    accountId: options.accountId ?? DEMO_CREDENTIALS.accountId,
  };
}

function checkIndex(dataset: Resolved, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
    throw new RangeError(
      `Index ${index} is outside the dataset: use 0 to ${dataset.count - 1}`,
    );
  }
}

function startOf(dataset: Resolved, index: number): number {
  const step = (dataset.to - dataset.from) / dataset.count;
  const low = Math.floor(index * step);
  const high = index + 1 === dataset.count
    ? dataset.to - dataset.from
    : Math.floor((index + 1) * step);
  const jitter = createRandom(mixSeed(dataset.seed, index, STREAM_START)).next();
  return dataset.from + low + Math.floor(jitter * (high - low));
}

/**
 * The start time (`info.startTimeL`) of record `index`, without building the record.
 *
 * @param options the dataset
 * @param index the record index, `0 <= index < count`
 * @returns epoch ms; strictly increasing with `index`
 *
 * @example
 * ```ts
 * import { startTimeAt } from "./dataset.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 1_000 };
 * assert.ok(startTimeAt(options, 0) < startTimeAt(options, 1));
 * ```
 */
export function startTimeAt(options: DatasetOptions, index: number): number {
  const dataset = resolve(options);
  checkIndex(dataset, index);
  return startOf(dataset, index);
}

/**
 * The indexes of the records whose start time lies in `[from, to)`.
 *
 * @param options the dataset
 * @param from range start, epoch ms (inclusive)
 * @param to range end, epoch ms (exclusive)
 * @returns `{start, end}`, half-open: records `start` to `end - 1`
 *
 * @example
 * ```ts
 * import { indexRange } from "./dataset.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 100, from: 0, to: 100_000 };
 * assert.deepEqual(indexRange(options, 0, 100_000), { start: 0, end: 100 });
 * assert.deepEqual(indexRange(options, 0, 0), { start: 0, end: 0 });
 * ```
 */
export function indexRange(
  options: DatasetOptions,
  from: number,
  to: number,
): { start: number; end: number } {
  const dataset = resolve(options);
  const firstAtOrAfter = (time: number): number => {
    let low = 0;
    let high = dataset.count;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (startOf(dataset, middle) < time) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const start = firstAtOrAfter(from);
  return { start, end: Math.max(start, firstAtOrAfter(to)) };
}

const AGENTS = [
  { id: 213185812, nick: "Maya", login: "maya.k", full: "Maya Katz" },
  { id: 213185913, nick: "Kenji", login: "kenji.s", full: "佐藤 健二" },
  { id: 213186014, nick: "Avi", login: "avi.l", full: "אבי לוי" },
  { id: 213186115, nick: "Sam, jr.", login: "sam.o", full: 'Sam "Sunny" O\'Hara' },
  { id: 3, nick: "Bot | helper", login: "bot", full: "  Helper Bot  " },
] as const;

const SKILLS = [
  [-1, "Unassigned"],
  [14, "Billing"],
  [17, "Technical support"],
  [21, "מכירות"],
  [25, "サポート"],
] as const;

const GROUPS = [[-1, "Main Group"], [1001, "Night shift"], [1002, "Tier 2, escalations"]] as const;

const START_REASONS = [
  ["0", "Visitor request"],
  ["1", "Transfer"],
  ["3", "ACD attempt"],
  ["5", "Operator assignment"],
  ["7", "Rep request"],
] as const;

const END_REASONS = [
  ["201", "Rep stopped chat"],
  ["202", "Rep disconnected"],
  ["205", "Visitor disconnected"],
  ["208", "Visitor no longer in chat"],
  ["210", "Visitor closed chat"],
  ["101", "transfer"],
  ["106", "transfer to skill"],
] as const;

const VISITOR_LINES = [
  "Hi, my bill looks wrong this month",
  "Can I change my delivery address?",
  "It still does not work after the restart",
  "ok",
  "thank you!",
] as const;

const AGENT_LINES = [
  "Hello, how can I help you today?",
  "Let me check that for you.",
  "I have updated your account.",
  "Is there anything else I can help with?",
] as const;

interface Line extends Record<string, unknown> {
  timeL: number;
}

function visitorIdOf(random: Random): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length: 22 }, () => random.pick([...alphabet])).join("");
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
  const dataset = resolve(options);
  checkIndex(dataset, index);
  const startL = startOf(dataset, index);
  const random = createRandom(mixSeed(dataset.seed, index, STREAM_RECORD));
  const timeForm = random.chance(0.08) ? "T" : "space";
  const format = (ms: number): string => (ms < 0 ? "undefined" : formatLpTime(ms, timeForm));

  const open = random.chance(0.07);
  const interactive = !random.chance(0.1);
  const unassigned = random.chance(0.06);
  const agent = random.pick(AGENTS);
  const agentNick = unassigned ? "undefined" : agent.nick;
  const agentId = unassigned ? -1 : agent.id;
  const visitorName = maybeAwkward(random, random.pick(["You", "Visitor", "Dana", "ケン"]), {
    rate: 0.15,
    sentinels: true,
  });
  const requestedMissing = random.chance(0.04);
  const requestedL = requestedMissing ? -1 : startL - random.int(300, 45_000);

  // Transcript: lines carry lineSeq and/or agentId, as the two example styles do.
  const lineStyle = random.pick(["both", "both", "both", "seq", "agentId"] as const);
  const transcriptShape = random.pick(
    [
      "full",
      "full",
      "full",
      "full",
      "full",
      "full",
      "full",
      "full",
      "full",
      "empty",
      "missing",
    ] as const,
  );
  const lines: Line[] = [];
  let seq = random.int(1, 90);
  const pushLine = (line: Line, lineAgentId: number): void => {
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
  let clock = requestedMissing ? startL - 1_000 : requestedL + random.int(50, 250);
  if (transcriptShape === "full") {
    pushLine(
      system(clock, 4, "Thank you for contacting us. An agent will be with you shortly."),
      0,
    );
    clock = Math.max(clock + 1, startL);
    if (!unassigned) pushLine(system(clock, 3, `You are now chatting with ${agentNick}.`), 0);
    for (let turn = random.int(interactive ? 2 : 1, 9); turn > 0; turn--) {
      clock += random.int(2_000, 120_000);
      const byAgent = interactive && !unassigned && random.chance(0.5);
      if (byAgent && random.chance(0.12)) {
        pushLine({
          time: format(clock),
          timeL: clock,
          controlType: 0,
          text: random.chance(0.5) ? "" : "Choose one of the options",
          json: richContent(random),
          by: agentNick,
          source: "agent",
          subType: "REGULAR",
          textType: "rich-content",
          cannedAnswerType: 0,
        }, agentId);
        continue;
      }
      const url = byAgent && random.chance(0.1);
      pushLine({
        time: format(clock),
        timeL: clock,
        controlType: 0,
        text: url
          ? `https://example.com/help?topic=${random.int(1, 40)}&lang=en`
          : maybeAwkward(random, random.pick(byAgent ? AGENT_LINES : VISITOR_LINES), {
            rate: 0.25,
          }),
        by: byAgent ? agentNick : visitorName,
        source: byAgent ? "agent" : "visitor",
        subType: "REGULAR",
        textType: url ? "url" : byAgent ? random.pick(["plain", "html"]) : "plain",
        cannedAnswerType: byAgent
          ? random.pick([0, 0, 0, random.int(1, 400), -random.int(1, 400)])
          : 0,
      }, byAgent ? agentId : 0);
    }
  }
  const endL = open ? -1 : Math.max(clock, startL) + random.int(1_000, 60_000);
  if (transcriptShape === "full" && !open) {
    pushLine(system(endL, 5, "Thank you for chatting with us."), 0);
  }

  const [skillId, skillName] = unassigned ? SKILLS[0] : random.pick(SKILLS);
  const [groupId, groupName] = random.pick(GROUPS);
  const [startReason, startReasonDesc] = random.pick(START_REASONS);
  const [endReason, endReasonDesc] = open ? ["-1", "undefined"] : random.pick(END_REASONS);
  const alertedMCS = random.pick([-1, 0, 1]);
  const engagementSet = random.pick([0, 0, 0, 1, 2]);
  const chatId = CHAT_ID_BASE + index * CHAT_ID_STRIDE + random.int(0, CHAT_ID_STRIDE - 1);

  const hasSurveys = random.chance(0.82);
  const surveys = hasSurveys
    ? surveysNode(random, {
      preChatMs: requestedMissing ? startL - 2_000 : requestedL - random.int(100, 2_000),
      postChatMs: (open ? clock : endL) + random.int(500, 30_000),
      format,
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
    visitorId: visitorIdOf(random),
    visitorName,
    engagementId: `${dataset.accountId}${chatId}`,
    sharkEngagementId: `${dataset.accountId}_${visitorIdOf(random)}_${engagementSet}`,
    isInteractive: interactive,
    accountId: dataset.accountId,
    agentId: random.chance(0.6) ? String(agentId) : agentId,
    [random.chance(0.3) ? "agentName" : "agentNickName"]: agentNick,
    agentLoginName: unassigned ? "undefined" : agent.login,
    agentFullName: unassigned ? "undefined" : agent.full,
    skillId,
    skillName,
    isAgentSurvey: surveyRows("operator"),
    isPostChatSurvey: surveyRows("postChat"),
    isPreChatSurvey: surveyRows("preChat"),
    channel: random.pick([1, 1, 1, 1, -1, 2]),
    startReason: random.chance(0.8) ? startReason : Number(startReason),
    startReasonDesc,
    endReason,
    endReasonDesc,
    engagementSet,
    engagementSequence: startReason === "1" ? random.int(1, 3) : 0,
    agentGroupId: groupId,
    agentGroupName: groupName,
    mcs: random.chance(0.15) ? null : alertedMCS,
    alertedMCS,
    chatMCS: random.int(0, 100),
    chatRequestedTime: format(requestedL),
    chatRequestedTimeL: requestedL,
    chatStartUrl: random.pick([
      "https://shop.example.com/checkout?step=2&cart=a1,b2",
      "https://example.co.jp/サポート",
      "undefined",
    ]),
    chatStartPage: maybeAwkward(random, "Checkout - Example Shop", { rate: 0.2, sentinels: true }),
    isPartial: open,
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
      endMs: open ? clock : endL,
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
  const { count } = resolve(options);
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

/**
 * Finds the index of the record with this `engagementId`, in O(1).
 *
 * @param options the dataset
 * @param engagementId accountId followed by the 10-digit chat id
 * @returns the index, or `undefined` if no record has that id
 *
 * @example
 * ```ts
 * import { engagementAt, indexOfEngagementId } from "./dataset.ts";
 * import assert from "node:assert/strict";
 * const options = { count: 10, from: 0, to: 10_000 };
 * const id = (engagementAt(options, 4).info as { engagementId: string }).engagementId;
 * assert.equal(indexOfEngagementId(options, id), 4);
 * assert.equal(indexOfEngagementId(options, "123"), undefined);
 * ```
 */
export function indexOfEngagementId(
  options: DatasetOptions,
  engagementId: string,
): number | undefined {
  const dataset = resolve(options);
  if (!engagementId.startsWith(dataset.accountId)) return undefined;
  const chatText = engagementId.slice(dataset.accountId.length);
  if (!/^\d{10}$/.test(chatText)) return undefined;
  const index = Math.floor((Number(chatText) - CHAT_ID_BASE) / CHAT_ID_STRIDE);
  if (index < 0 || index >= dataset.count) return undefined;
  const record = engagementAt(options, index);
  return (record.info as { engagementId: string }).engagementId === engagementId
    ? index
    : undefined;
}
