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

import { type DatasetOptions, resolveDataset } from "../../../simulator/dataset_options.ts";
import { createRandom, mixSeed, type Random } from "../../../simulator/random.ts";
import { checkIndex, indexRange, startOf } from "../../../simulator/start_times.ts";
import { formatLpTime, maybeAwkward } from "../../../simulator/values.ts";
import { SDE_TYPES } from "../../common/simulator/sde_payloads.ts";
import { chatIdOf, type EngagementRecord } from "./dataset_index.ts";
import { campaignNode, coBrowseNode, surveysNode, visitorInfoNode } from "./dataset_nodes.ts";
import { sdeEvent } from "./dataset_sdes.ts";

export { type DatasetOptions, MAX_DATASET_COUNT } from "../../../simulator/dataset_options.ts";
export { indexRange, startTimeAt } from "../../../simulator/start_times.ts";
export { type EngagementRecord, indexOfEngagementId } from "./dataset_index.ts";

const STREAM_RECORD = 2;

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
  const dataset = resolveDataset(options);
  checkIndex(dataset, index);
  const startL = startOf(dataset, index);
  const random = createRandom(mixSeed(dataset.seed, index, STREAM_RECORD));
  const timeForm = random.chance(0.08) ? "T" : "space";
  const format = (ms: number): string => (ms < 0 ? "undefined" : formatLpTime(ms, timeForm));

  // A chat that never ends: abandoned, and open in every copy.
  const open = random.next() < dataset.stuckOpenRate;
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
  const chatId = chatIdOf(dataset, index);

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
