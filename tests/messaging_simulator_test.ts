/**
 * The synthetic Messaging Interactions dataset: determinism, ids, start
 * times, every documented node and field, dirt, and internal consistency.
 */

import assert from "node:assert/strict";
import {
  buildConversation,
  conversationAt,
  conversationsIn,
} from "../lib/sources/messaging/simulator/dataset.ts";
import { resolveDataset } from "../lib/simulator/dataset_options.ts";
import { indexRange, startTimeAt } from "../lib/simulator/start_times.ts";
import {
  consumerIdOf,
  consumerPoolSize,
  conversationIdOf,
  indexesOfConsumer,
  indexOfConversationId,
} from "../lib/sources/messaging/simulator/dataset_index.ts";
import { planAt } from "../lib/sources/messaging/simulator/dataset_plan.ts";
import { SDE_TYPES } from "../lib/sources/common/simulator/sde_payloads.ts";
import { updatedAt } from "../lib/sources/messaging/simulator/view_copies.ts";
import { count, info, type Json, list, path, RECORDS, strings, WEEK } from "./helpers/messaging.ts";

Deno.test("conversationAt() is deterministic for a seed and differs across seeds", () => {
  const again = Array.from({ length: WEEK.count }, (_, index) => conversationAt(WEEK, index));
  assert.equal(JSON.stringify(again), JSON.stringify(RECORDS));
  const other = conversationAt({ ...WEEK, seed: 8 }, 10);
  assert.notEqual(JSON.stringify(other), JSON.stringify(RECORDS[10]));
});

Deno.test("conversationsIn() returns the records whose start lies in the range, in order", () => {
  const from = Date.UTC(2024, 0, 2, 3, 10);
  const to = Date.UTC(2024, 0, 4, 17, 40);
  const expected = RECORDS.filter((record) => {
    const start = info(record).startTimeL as number;
    return start >= from && start < to;
  });
  assert.ok(expected.length > 50);
  assert.deepEqual(conversationsIn(WEEK, from, to), expected);
  const { start, end } = indexRange(WEEK, from, to);
  assert.equal(end - start, expected.length);
  assert.deepEqual(indexRange(WEEK, WEEK.from, WEEK.to), { start: 0, end: WEEK.count });
});

Deno.test("startTimeAt() strictly increases inside [from, to) and matches info.startTimeL", () => {
  let previous = -Infinity;
  for (let index = 0; index < WEEK.count; index++) {
    const start = startTimeAt(WEEK, index);
    assert.ok(start > previous && start >= WEEK.from && start < WEEK.to);
    assert.equal(info(RECORDS[index]!).startTimeL, start);
    previous = start;
  }
  const dense = { count: 500, from: 1_000, to: 1_500 };
  assert.deepEqual(
    Array.from({ length: 500 }, (_, index) => startTimeAt(dense, index)),
    Array.from({ length: 500 }, (_, index) => 1_000 + index),
  );
});

Deno.test("conversationIds are unique UUIDs that indexOfConversationId() maps back", () => {
  const ids = RECORDS.map((record) => info(record).conversationId as string);
  assert.equal(new Set(ids).size, ids.length);
  ids.forEach((id, index) => {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(indexOfConversationId(WEEK, id), index);
  });
  // Neighbouring indexes do not give neighbouring ids.
  assert.notEqual(ids[0]!.slice(0, 8), ids[1]!.slice(0, 8));
  assert.equal(indexOfConversationId(WEEK, "e5c58e49-e4a5-40a8-8a18-d6580d1d5630"), undefined);
  assert.equal(indexOfConversationId(WEEK, ids[3]!.toUpperCase()), undefined);
  assert.equal(indexOfConversationId({ ...WEEK, seed: 8 }, ids[3]!), undefined);
  // An id with a valid tail but a changed head is refused: the whole id is verified.
  const forged = `0${ids[3]!.slice(1)}` === ids[3]
    ? `1${ids[3]!.slice(1)}`
    : `0${ids[3]!.slice(1)}`;
  assert.equal(indexOfConversationId(WEEK, forged), undefined);
  // An index past the dataset's end is refused even though the id decodes.
  const bigger = { ...WEEK, count: 400 };
  assert.equal(
    indexOfConversationId(WEEK, conversationIdOf(resolveDataset(bigger), 350)),
    undefined,
  );
});

Deno.test("a 100 000-conversation dataset answers by index and by id without being built", () => {
  const big = { count: 100_000, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 2, 1), seed: 3 };
  const last = conversationAt(big, 99_999);
  const id = info(last).conversationId as string;
  assert.equal(indexOfConversationId(big, id), 99_999);
  // Counted by binary search, not by building: weekdays are far busier than the weekend.
  const perDay = (from: number, days: number) => {
    const { start, end } = indexRange(big, from, from + days * 86_400_000);
    return (end - start) / days;
  };
  const weekdays = perDay(Date.UTC(2024, 0, 8), 5);
  const weekend = perDay(Date.UTC(2024, 0, 13), 2);
  assert.ok(weekdays > 100_000 / 60 && weekdays > 1.5 * weekend, `${weekdays} vs ${weekend}`);
  assert.equal(consumerPoolSize(resolveDataset(big)), 33_334);
});

Deno.test("conversationAt() rejects invalid options and indexes with a RangeError", () => {
  assert.throws(() => conversationAt(WEEK, WEEK.count), /outside the dataset/);
  assert.throws(() => conversationAt(WEEK, -1), /outside the dataset/);
  assert.throws(() => conversationAt({ ...WEEK, count: -1 }, 0), /Invalid dataset count/);
  assert.throws(() => conversationAt({ ...WEEK, partialRate: 2 }, 0), /partialRate/);
});

Deno.test("consumers form a pool: each consumer's conversations are found without a scan", () => {
  const dataset = resolveDataset(WEEK);
  const poolSize = consumerPoolSize(dataset);
  assert.equal(poolSize, 100);
  for (const number of [0, 17, 99]) {
    const participantId = consumerIdOf(dataset, number);
    const indexes = indexesOfConsumer(WEEK, participantId);
    assert.deepEqual(indexes, [number, number + 100, number + 200]);
    for (const index of indexes) {
      const record = RECORDS[index]!;
      for (const consumer of list(record.consumerParticipants)) {
        assert.equal(consumer.participantId, participantId);
      }
      for (const message of list(record.messageRecords)) {
        if (message.sentBy === "Consumer") assert.equal(message.participantId, participantId);
      }
      assert.equal(info(record).firstConversation, index === number);
    }
  }
  assert.deepEqual(indexesOfConsumer(WEEK, conversationIdOf(dataset, 3)), []);
  assert.deepEqual(indexesOfConsumer(WEEK, "f92c9890-2c95-428b-8a32-083528620d31"), []);
});

const NODES = [
  "campaign",
  "monitoring",
  "messageRecords",
  "agentParticipants",
  "consumerParticipants",
  "transfers",
  "interactions",
  "dialogs",
  "messageScores",
  "messageStatuses",
  "conversationSurveys",
  "coBrowseSessions",
  "sdes",
  "unAuthSdes",
  "summary",
  "responseTime",
  "intents",
  "uniqueIntents",
  "skillChanges",
  "latestAgentSurvey",
  "previouslySubmittedAgentSurveys",
];

function filled(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value === null || typeof value !== "object") return false;
  const inner = (value as Json).coBrowseSessionsList ?? (value as Json).events;
  return inner === undefined ? Object.keys(value).length > 0 : filled(inner);
}

Deno.test("every node is filled in some of 300 records and missing or empty in others", () => {
  for (const node of NODES) {
    assert.ok(count((record) => filled(record[node])) >= 5, `${node} filled`);
    assert.ok(count((record) => !filled(record[node])) >= 5, `${node} missing or empty`);
  }
  for (const node of ["messageRecords", "transfers", "conversationSurveys", "intents"]) {
    assert.ok(count((record) => !(node in record)) >= 1, `${node} missing`);
    assert.ok(count((record) => list(record[node]).length === 0 && node in record) >= 1, node);
  }
  assert.ok(count((record) => !("coBrowseSessions" in record)) >= 5);
  assert.ok(
    count((record) =>
      list(path(record, "coBrowseSessions", "coBrowseSessionsList"))
          .length === 0 && "coBrowseSessions" in record
    ) >= 1,
  );
  assert.ok(
    count((record) => "sdes" in record && list(path(record, "sdes", "events")).length === 0) >= 1,
  );
});

const INFO_FIELDS = [
  "startTime",
  "startTimeL",
  "endTime",
  "endTimeL",
  "conversationEndTime",
  "conversationEndTimeL",
  "fullDialogEndTime",
  "fullDialogEndTimeL",
  "duration",
  "conversationId",
  "brandId",
  "latestAgentId",
  "latestAgentNickname",
  "latestAgentFullName",
  "latestAgentLoginName",
  "agentDeleted",
  "latestSkillId",
  "latestSkillName",
  "latestAgentGroupId",
  "latestAgentGroupName",
  "latestQueueState",
  "source",
  "closeReason",
  "closeReasonDescription",
  "mcs",
  "alertedMCS",
  "status",
  "fullDialogStatus",
  "firstConversation",
  "csatRate",
  "device",
  "deviceModel",
  "browser",
  "browserVersion",
  "operatingSystem",
  "operatingSystemVersion",
  "isPartial",
  "sessionId",
  "interactionContextId",
  "timeZone",
  "features",
  "language",
  "integration",
  "integrationVersion",
  "appId",
  "appVersion",
  "ipAddress",
  "wasStepUp",
  "firstIntentName",
  "firstIntentLabel",
  "pendingAgentSurvey",
];

Deno.test("info has every documented field in some records, with documented values", () => {
  for (const field of INFO_FIELDS) {
    assert.ok(count((record) => field in info(record)) >= 5, `info.${field}`);
  }
  assert.ok(count((record) => !("timeZone" in info(record))) >= 1, "newer fields go missing");
  const values = (field: string) => new Set(RECORDS.map((record) => info(record)[field]));
  for (const source of ["APP", "SHARK", "SMS", "FACEBOOK", "WhatsApp"]) {
    assert.ok(values("source").has(source), source);
  }
  assert.deepEqual([...values("status")].sort(), ["CLOSE", "OPEN"]);
  assert.deepEqual([...values("latestQueueState")].sort(), ["ACTIVE", "IN_QUEUE"]);
  assert.ok([...values("csatRate")].every((csat) => csat === undefined || (csat as number) >= 1));
  assert.ok(count((record) => typeof info(record).csatRate === "number") >= 10);
  assert.ok(count((record) => "csat" in info(record)) === 0, "the example's spelling, csatRate");
  assert.ok(count((record) => info(record).pendingAgentSurvey === true) >= 1);
  assert.ok(count((record) => Array.isArray(info(record).features)) >= 100);
});

Deno.test("messages come in every documented kind, with awkward text and bot context data", () => {
  const messages = RECORDS.flatMap((record) => list(record.messageRecords));
  const types = new Set(messages.map((message) => message.type));
  for (
    const type of [
      "TEXT_PLAIN",
      "TEXT_HTML",
      "LINK",
      "HOSTED_FILE",
      "IMG",
      "SECURE_FORM_INVITATION",
      "SECURE_FORM_SUBMIT",
      "RICH_CONTENT",
    ]
  ) assert.ok(types.has(type), type);
  const data = (key: string) =>
    messages.map((message) => (message.messageData as Json)[key] as Json).filter(Boolean);
  assert.ok(
    data("richContent").every((rich) => typeof JSON.parse(rich.content as string) === "object"),
  );
  assert.ok(data("quickReplies").length > 10);
  assert.ok(data("quickReplies").every((replies) => JSON.parse(replies.content as string).replies));
  assert.ok(
    data("file").every((file) => "relativePath" in file && "fileType" in file && "preview" in file),
  );
  assert.ok(data("link").every((link) => /^https:/.test(link.externalFileLink as string)));
  assert.ok(data("secureForm").every((form) => "formId" in form && "invitationId" in form));
  assert.ok(data("secureForm").some((form) => "submissionId" in form));
  const contexts = messages.map((message) => message.contextData as Json).filter(Boolean);
  assert.ok(contexts.length > 10);
  for (const context of contexts) {
    assert.equal(typeof context.rawMetadata, "string");
    assert.ok(Array.isArray(JSON.parse(context.rawMetadata as string)));
  }
  const structured = contexts.flatMap((context) => list(context.structuredMetadata));
  const responses = structured.map((item) => item.botResponse as Json).filter(Boolean);
  assert.ok(responses.some((response) => list(response.businessCases).length > 0));
  for (const intent of responses.flatMap((response) => list(response.intents))) {
    assert.deepEqual(Object.keys(intent), ["id", "name", "confidence", "confidenceScore"]);
  }
  assert.ok(structured.some((item) => typeof (item.actionReason as Json)?.reason === "string"));
  assert.ok(messages.some((message) => String(message.messageId).startsWith("ms::conv:")));
  assert.ok(messages.some((message) => String(message.messageId).startsWith("ms::dialog:")));
  assert.ok(messages.some((message) => typeof message.seq === "string"), "seq as text");
  assert.ok(messages.some((message) => message.dialogId === "undefined"));
  assert.ok(messages.some((message) => message.audience === "AGENTS_AND_MANAGERS"));
});

Deno.test("bots and humans share the work, with transfers and skill changes", () => {
  const has = (test: (participant: Json) => boolean) =>
    count((record) => list(record.agentParticipants).some(test));
  assert.ok(has((p) => p.userType === "2" && p.userTypeName === "Bot") >= 90, "bots");
  assert.ok(has((p) => p.userType === "1" && p.userTypeName === "Human") >= 120, "humans");
  assert.ok(has((p) => p.permission === "READER" && p.role === "MANAGER") >= 3, "managers");
  assert.ok(has((p) => "contextData" in p) >= 5, "bot participants with context data");
  const transfers = RECORDS.flatMap((record) => list(record.transfers));
  assert.ok(count((record) => list(record.transfers).length > 0) >= 40);
  assert.ok(transfers.some((transfer) => transfer.assignedAgentId === "null"));
  assert.ok(transfers.some((transfer) => /^\d+$/.test(transfer.assignedAgentId as string)));
  assert.ok(new Set(transfers.map((transfer) => transfer.reason)).size >= 4);
  assert.ok(count((record) => list(record.skillChanges).length >= 2) >= 40);
  const changes = RECORDS.flatMap((record) => list(record.skillChanges));
  for (const change of changes) {
    for (const key of ["time", "timeL", "sourceSkillId", "targetSkillId", "reason", "dialogId"]) {
      assert.ok(key in change, `skillChanges[].${key}`);
    }
  }
  const dialogs = RECORDS.flatMap((record) => list(record.dialogs));
  assert.ok(dialogs.some((dialog) => dialog.dialogType === "MAIN"));
  assert.ok(dialogs.some((dialog) => dialog.dialogType === "POST_SURVEY"));
});

Deno.test("surveys hold CSAT, NPS, FCR, free text and invalid answers; agent surveys their answers", () => {
  const rows = RECORDS.flatMap((record) =>
    list(record.conversationSurveys).flatMap((survey) => list(survey.surveyData))
  );
  const byType = (type: string) => rows.filter((row) => row.questionType === type);
  assert.ok(
    byType("csat").every((row) =>
      row.answerId === "InvalidAnswer" || /^[1-5]$/.test(row.answer as string)
    ),
  );
  assert.ok(byType("nps").some((row) => /^(10|[0-9])$/.test(row.answer as string)));
  assert.ok(
    byType("fcr").some((row) => row.answer === "yes") &&
      byType("fcr").some((row) => row.answer === "no"),
  );
  assert.ok(byType("custom").some((row) => row.questionFormat === "open"));
  assert.ok(rows.some((row) => row.answerId === "InvalidAnswer" && row.isValidAnswer === false));
  for (const record of RECORDS) {
    const csat = list(record.conversationSurveys).flatMap((survey) => list(survey.surveyData))
      .find((row) => row.questionType === "csat" && row.isValidAnswer === true);
    assert.equal(info(record).csatRate, csat === undefined ? undefined : Number(csat.answer));
  }
  const latest = RECORDS.map((record) => record.latestAgentSurvey as Json).filter(Boolean);
  assert.ok(new Set(latest.map((survey) => survey.surveyStatus)).size >= 3);
  const previous = RECORDS.flatMap((record) => list(record.previouslySubmittedAgentSurveys));
  const answers = previous.flatMap((survey) => list(survey.submittedAnswers));
  assert.ok(answers.some((answer) => list(answer.answers).length > 0));
  assert.ok(previous.some((survey) => typeof survey.acSurveyRevision === "string"));
  assert.ok(previous.some((survey) => typeof survey.acSurveyRevision === "number"));
});

Deno.test("co-browse sessions have capabilities and millisecond durations", () => {
  const sessions = RECORDS.flatMap((record) =>
    list(path(record, "coBrowseSessions", "coBrowseSessionsList"))
  );
  assert.ok(sessions.length >= 10);
  for (const session of sessions) {
    assert.equal(session.duration, (session.endTimeL as number) - (session.startTimeL as number));
    assert.equal("interactiveTimeL" in session, session.interactive === true);
  }
  assert.ok(sessions.some((session) => list(session.capabilities).length > 0));
  assert.ok(sessions.some((session) => !("capabilities" in session)));
});

Deno.test("sdes and unAuthSdes carry all ten SDE types, typed as for v=2", () => {
  const events = (node: string) => RECORDS.flatMap((record) => list(path(record, node, "events")));
  const all = [...events("sdes"), ...events("unAuthSdes")];
  for (const type of SDE_TYPES) {
    const payloads = all.filter((event) => type in event).map((event) => event[type] as Json);
    assert.ok(payloads.length > 0, type);
    assert.ok(payloads.every((payload) => /^\d{13}$/.test(payload.serverTimeStamp as string)));
  }
  for (const event of all) {
    assert.match(event.serverTimeStamp as string, /^\d{13}$/);
    assert.equal(typeof event.sdeType, "string");
  }
  assert.ok(events("unAuthSdes").every((event) => event.isAuthenticated === false));
  assert.ok(events("sdes").some((event) => event.isAuthenticated === true));
  assert.ok(events("sdes").some((event) => !("isAuthenticated" in event)));
  const payloadsOf = (type: string) =>
    all.filter((event) => type in event).map((event) => event[type] as Json);
  const customer = payloadsOf("customerInfo").map((payload) => payload.customerInfo as Json);
  assert.ok(customer.every((info) => typeof info.balance === "number"));
  assert.ok(customer.every((info) => typeof info.loginStatus === "number"));
  assert.ok(customer.some((info) => typeof info.companySize === "number"));
  const carts = payloadsOf("cartStatus");
  assert.ok(
    carts.every((cart) => typeof cart.total === "number" && typeof cart.numItems === "number"),
  );
  const products = carts.flatMap((cart) => list(cart.products));
  assert.ok(products.every((item) => typeof item.quantity === "number"));
  assert.ok(products.every((item) => typeof (item.product as Json).price === "number"));
  assert.ok(payloadsOf("lead").every((lead) => typeof (lead.lead as Json).value === "number"));
  assert.ok(
    payloadsOf("marketingCampaignInfo").every((payload) =>
      typeof (payload.marketingCampaignInfo as Json).originatingChannel === "number"
    ),
  );
  assert.ok(
    payloadsOf("serviceActivity").every((payload) =>
      typeof (payload.serviceActivity as Json).status === "number"
    ),
  );
  const errors = payloadsOf("visitorError").map((payload) => payload.visitorError as Json);
  assert.ok(errors.some((error) => typeof error.level === "number"));
  assert.ok(errors.some((error) => typeof error.resolved === "boolean"));
  assert.ok(payloadsOf("purchase").some((purchase) => (purchase.cart as Json).total === null));
});

Deno.test("300 records carry realistic dirt: sentinels, mixed ids, awkward text, both time forms", () => {
  const texts = RECORDS.flatMap((record) => strings(record));
  for (const sentinel of ["undefined", "null", "NA", ""]) {
    assert.ok(texts.filter((text) => text === sentinel).length >= 5, `sentinel "${sentinel}"`);
  }
  assert.ok(
    count((record) => info(record).endTimeL === -1 && info(record).endTime === "undefined") >= 3,
  );
  assert.ok(count((record) => info(record).latestSkillId === -1) >= 3);
  assert.ok(count((record) => typeof info(record).latestAgentId === "string") >= 50);
  assert.ok(count((record) => typeof info(record).latestAgentId === "number") >= 50);
  const behaviorIds = RECORDS.map((record) =>
    (record.campaign as Json | undefined)?.visitorBehaviorId
  );
  assert.ok(behaviorIds.some((id) => typeof id === "string"));
  assert.ok(behaviorIds.some((id) => typeof id === "number"));
  assert.ok(count((record) => /T/.test(info(record).startTime as string)) >= 3, "T-form times");
  assert.ok(count((record) => / /.test(info(record).startTime as string)) >= 250);
  const patterns: [string, RegExp][] = [
    ["pipe", /\|/],
    ["double quote", /"/],
    ["CR/LF", /\r\n/],
    ["tab", /\t/],
    ["emoji", /\p{Extended_Pictographic}/u],
    ["Hebrew", /\p{Script=Hebrew}/u],
    ["Japanese", /\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Han}/u],
  ];
  const messageTexts = RECORDS.flatMap((record) =>
    list(record.messageRecords).map((message) =>
      ((message.messageData as Json).msg as Json | undefined)?.text
    )
  ).filter((text): text is string => typeof text === "string");
  for (const [name, pattern] of patterns) {
    assert.ok(messageTexts.filter((text) => pattern.test(text)).length >= 3, `message ${name}`);
  }
});

Deno.test("records are consistent: times, durations, ids that refer to each other", () => {
  for (let index = 0; index < WEEK.count; index++) {
    const record = RECORDS[index]!;
    const { startTimeL, endTimeL, conversationEndTimeL, fullDialogEndTimeL, duration } = info(
      record,
    ) as Record<string, number>;
    const closed = info(record).status === "CLOSE";
    const plan = planAt(WEEK, index);
    if (closed) {
      assert.equal(conversationEndTimeL, plan.conversationEnd);
      assert.equal(duration, conversationEndTimeL! - startTimeL!, "duration in ms");
      assert.equal(endTimeL, fullDialogEndTimeL);
      assert.ok(fullDialogEndTimeL! >= conversationEndTimeL!);
    } else {
      assert.ok(plan.stuckOpen);
      assert.deepEqual([endTimeL, conversationEndTimeL, fullDialogEndTimeL], [-1, -1, -1]);
    }
    const messages = list(record.messageRecords);
    const times = messages.map((message) => message.timeL as number);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    const ids = new Set(messages.map((message) => message.messageId));
    if ("messageRecords" in record) {
      for (const node of ["messageStatuses", "messageScores", "intents"]) {
        for (const item of list(record[node])) assert.ok(ids.has(item.messageId), node);
      }
    }
    const main = list(record.dialogs).find((dialog) => dialog.dialogType === "MAIN");
    if (main) assert.equal(main.dialogId, info(record).conversationId);
    const interactions = list(record.interactions);
    if (interactions.length > 0) {
      assert.equal(String(info(record).latestAgentId), interactions.at(-1)!.assignedAgentId);
    }
    // Nothing happens after the plan says the conversation settled.
    const built = buildConversation(resolveDataset(WEEK), index);
    assert.ok(updatedAt(built, Infinity) <= plan.settledBy, `record ${index} settles`);
  }
});
