/**
 * The Messaging Interactions simulator's clock: when conversations appear,
 * open and partial copies, what changes when (latestUpdateTime), and the
 * content and version an answer is shaped by.
 */

import assert from "node:assert/strict";
import { buildConversation, conversationAt } from "../lib/sources/messaging/simulator/dataset.ts";
import { resolveDataset } from "../lib/simulator/dataset_options.ts";
import { LATEST_APPEARANCE_MS, visibleIndexes } from "../lib/simulator/visibility.ts";
import {
  conversationAsOf,
  timelineOf,
  updatedAtOf,
  type ViewRequest,
} from "../lib/sources/messaging/simulator/dataset_views.ts";
import { SDE_TYPES } from "../lib/sources/common/simulator/sde_payloads.ts";
import {
  CONTENT_TYPES,
  DEFAULT_CONTENT,
  OPT_IN_CONTENT,
} from "../lib/sources/messaging/simulator/rules.ts";
import { recordAsOf, updatedAt } from "../lib/sources/messaging/simulator/view_copies.ts";
import { info, type Json, list, path } from "./helpers/messaging.ts";

const MINUTE = 60_000;
const LATER = Date.UTC(2030, 0, 1);

const CLOCK = {
  count: 300,
  from: Date.UTC(2024, 0, 1),
  to: Date.UTC(2024, 0, 8),
  seed: 11,
  partialRate: 0.3,
  lateRate: 0.2,
  stuckOpenRate: 0.05,
};

const TIMELINES = Array.from({ length: CLOCK.count }, (_, index) => timelineOf(CLOCK, index));
const EVERYTHING = { content: CONTENT_TYPES, v: "2" } as const;

function view(index: number, request: ViewRequest): Json {
  const record = conversationAsOf(CLOCK, index, request);
  assert.ok(record, `conversation ${index} is visible at ${request.now}`);
  return record;
}

function indexWhere(test: (index: number) => boolean, what: string): number {
  const index = TIMELINES.findIndex((_, at) => test(at));
  assert.ok(index >= 0, `the dataset has ${what}`);
  return index;
}

Deno.test("timelineOf(): conversations appear 20 s to 4 min after they start, late ones 30 to 150 min", () => {
  let late = 0;
  for (const timeline of TIMELINES) {
    const lag = timeline.visibleAt - timeline.start;
    if (lag >= 30 * MINUTE) {
      late++;
      assert.ok(lag <= LATEST_APPEARANCE_MS);
    } else {
      assert.ok(lag >= 20_000 && lag <= 4 * MINUTE, `lag ${lag}`);
    }
  }
  assert.ok(late >= 30 && late <= 90, `${late} late of 300 at lateRate 0.2`);
});

Deno.test("a conversation is invisible before it appears and visible from then on, in both views", () => {
  for (const index of [0, 57, 123, 299]) {
    const { visibleAt } = TIMELINES[index]!;
    for (const viewName of ["search", "byId"] as const) {
      assert.equal(
        conversationAsOf(CLOCK, index, { now: visibleAt - 1, view: viewName }),
        undefined,
      );
      assert.ok(conversationAsOf(CLOCK, index, { now: visibleAt, view: viewName }));
    }
    assert.equal(updatedAtOf(CLOCK, index, visibleAt - 1), undefined);
  }
});

Deno.test("visibleIndexes() leaves a late conversation out until its time, not its neighbours", () => {
  const late = indexWhere(
    (index) =>
      index > 0 && TIMELINES[index]!.visibleAt - TIMELINES[index]!.start >= 30 * MINUTE &&
      TIMELINES[index - 1]!.visibleAt < TIMELINES[index]!.start + 10 * MINUTE,
    "a late conversation after an ordinary one",
  );
  const range = { start: late - 1, end: late + 1 };
  const soon = TIMELINES[late]!.start + 10 * MINUTE;
  assert.deepEqual(visibleIndexes(CLOCK, range, soon), [late - 1]);
  assert.deepEqual(visibleIndexes(CLOCK, range, TIMELINES[late]!.visibleAt), [late - 1, late]);
});

Deno.test("before its close a conversation is OPEN with only what happened by then", () => {
  const index = indexWhere((at) => {
    const { plan, visibleAt } = TIMELINES[at]!;
    return !plan.stuckOpen && plan.messageTimes.filter((time) => time > visibleAt).length >= 3 &&
      plan.messageTimes.some((time) => time >= visibleAt) && plan.survey !== undefined;
  }, "an open conversation with messages still to come");
  const { plan, visibleAt } = TIMELINES[index]!;
  const now = plan.messageTimes.find((time) => time >= visibleAt)!;
  const record = view(index, { now, view: "byId", ...EVERYTHING });
  const final = conversationAt(CLOCK, index);
  assert.deepEqual(
    [
      info(record).status,
      info(record).fullDialogStatus,
      info(record).endTime,
      info(record).endTimeL,
    ],
    ["OPEN", "OPEN", "undefined", -1],
  );
  assert.equal(info(record).conversationEndTimeL, -1);
  assert.equal(info(record).duration, now - plan.start, "duration runs to now, in ms");
  for (const key of ["closeReason", "csatRate"]) assert.ok(!(key in info(record)), key);
  const messages = list(record.messageRecords);
  assert.ok(messages.length < list(final.messageRecords).length);
  assert.equal(messages.at(-1)!.timeL, now);
  for (
    const [node, key] of [
      ["messageStatuses", "timeL"],
      ["messageScores", "timeL"],
      ["agentParticipants", "timeL"],
      ["transfers", "timeL"],
      ["interactions", "interactionTimeL"],
      ["skillChanges", "timeL"],
    ]
  ) {
    for (const item of list(record[node!])) assert.ok((item[key!] as number) <= now, node);
  }
  for (const event of list(path(record, "sdes", "events"))) {
    assert.ok(Number(event.serverTimeStamp) <= now);
  }
  assert.deepEqual(list(record.conversationSurveys), []);
  assert.ok(!("latestAgentSurvey" in record) && !("summary" in record));
  const dialogs = list(record.dialogs);
  assert.deepEqual(dialogs.map((dialog) => [dialog.dialogType, dialog.status, dialog.endTimeL]), [
    ["MAIN", "OPEN", -1],
  ]);
});

Deno.test("between the close and the survey's end the conversation is CLOSE, its survey still to come", () => {
  const index = indexWhere((at) => {
    const { plan, visibleAt } = TIMELINES[at]!;
    return plan.survey?.submitted === true && visibleAt < plan.survey.end &&
      "conversationSurveys" in conversationAt(CLOCK, at);
  }, "a conversation whose survey is submitted after it appears");
  const { plan, visibleAt } = TIMELINES[index]!;
  const survey = plan.survey!;
  const during = view(index, {
    now: Math.max(visibleAt, plan.conversationEnd),
    view: "byId",
    ...EVERYTHING,
  });
  assert.deepEqual(
    [info(during).status, info(during).fullDialogStatus, info(during).endTimeL],
    ["CLOSE", "OPEN", plan.conversationEnd],
  );
  assert.equal(info(during).fullDialogEndTimeL, -1);
  assert.equal(info(during).duration, plan.conversationEnd - plan.start);
  assert.deepEqual(list(during.conversationSurveys), []);
  assert.ok(!("csatRate" in info(during)));
  const surveyDialog = list(during.dialogs).find((dialog) => dialog.dialogType === "POST_SURVEY");
  assert.equal(surveyDialog?.status, "OPEN");
  const after = view(index, { now: survey.end, view: "byId", ...EVERYTHING });
  assert.deepEqual([info(after).fullDialogStatus, info(after).endTimeL], ["CLOSE", survey.end]);
  assert.equal(list(after.conversationSurveys).length, 1);
});

Deno.test("once settled, the view by id with every content type and v=2 is the final record", () => {
  for (let index = 0; index < CLOCK.count; index++) {
    const record = view(index, { now: LATER, view: "byId", ...EVERYTHING });
    const final = conversationAt(CLOCK, index);
    if (TIMELINES[index]!.plan.stuckOpen) {
      assert.equal(info(record).status, "OPEN");
      assert.equal(info(record).duration, LATER - TIMELINES[index]!.start, "it keeps running");
      (record.info as Json).duration = info(final).duration;
    }
    assert.deepEqual(record, final);
    assert.deepEqual(
      view(index, {
        now: Math.max(TIMELINES[index]!.plan.settledBy, TIMELINES[index]!.visibleAt),
        view: "byId",
        ...EVERYTHING,
      })
        .messageRecords,
      final.messageRecords,
    );
  }
});

Deno.test("search shows drawn-partial conversations partial; by id they are whole", () => {
  let partial = 0;
  for (let index = 0; index < CLOCK.count; index++) {
    const search = view(index, { now: LATER, view: "search" });
    const byId = view(index, { now: LATER, view: "byId" });
    assert.equal(info(byId).isPartial, false);
    if (!TIMELINES[index]!.searchPartial) {
      assert.equal(info(search).isPartial, false);
      assert.equal(list(search.messageRecords).length, list(byId.messageRecords).length);
      continue;
    }
    partial++;
    assert.equal(info(search).isPartial, true);
    const whole = list(byId.messageRecords).length;
    assert.equal(list(search.messageRecords).length, Math.ceil(whole / 2));
    assert.ok(!("conversationSurveys" in search));
    assert.ok(list(path(search, "sdes", "events")).length <= 1);
    const kept = new Set(list(search.messageRecords).map((message) => message.messageId));
    if ("messageRecords" in search) {
      for (const status of list(search.messageStatuses)) assert.ok(kept.has(status.messageId));
    }
  }
  assert.ok(partial >= 60 && partial <= 120, `${partial} partial of 300 at partialRate 0.3`);
});

Deno.test("open and partial are independent: every combination occurs at first sight", () => {
  const combos = new Set<string>();
  TIMELINES.forEach((timeline, index) => {
    const record = view(index, { now: timeline.visibleAt, view: "search" });
    combos.add(`${info(record).status}/${info(record).isPartial}`);
  });
  assert.deepEqual([...combos].sort(), ["CLOSE/false", "CLOSE/true", "OPEN/false", "OPEN/true"]);
});

Deno.test("file previews come only in the answer by conversation id", () => {
  const files = (record: Json) =>
    list(record.messageRecords).map((message) => (message.messageData as Json).file as Json)
      .filter(Boolean);
  const index = indexWhere(
    (at) => !TIMELINES[at]!.searchPartial && files(conversationAt(CLOCK, at)).length > 0,
    "a whole conversation with a file",
  );
  assert.ok(files(view(index, { now: LATER, view: "byId" })).every((file) => "preview" in file));
  assert.ok(
    files(view(index, { now: LATER, view: "search" })).every((file) => !("preview" in file)),
  );
});

/** Every moment something in a record happens: each time field, and each SDE stamp. */
function momentsOf(value: unknown, key = "", out: Set<number> = new Set()): Set<number> {
  if (Array.isArray(value)) value.forEach((item) => momentsOf(item, key, out));
  else if (value !== null && typeof value === "object") {
    for (const [name, inner] of Object.entries(value)) momentsOf(inner, name, out);
  } else if (/(time|Time)(L|Stamp)?$/.test(key) && /^\d{13}$/.test(String(value))) {
    out.add(Number(value));
  }
  return out;
}

Deno.test("updatedAt() moves whenever the record changes, and only to times by then", () => {
  const dataset = resolveDataset(CLOCK);
  for (let index = 0; index < CLOCK.count; index += 7) {
    const built = buildConversation(dataset, index);
    const { plan, agentSurveyStates } = built.story;
    const times = momentsOf([conversationAt(CLOCK, index), agentSurveyStates]);
    for (const time of [...times]) times.add(time - 1).add(time + 1);
    const moments = [...times].filter((time) => time >= plan.start).sort((a, b) => a - b);
    let previousTime = plan.start;
    let previous = recordAsOf(built, previousTime);
    for (const now of moments) {
      const record = recordAsOf(built, now);
      const changed = updatedAt(built, now);
      assert.ok(changed <= now && changed >= updatedAt(built, previousTime), `record ${index}`);
      // Whatever changed between two moments must count as a change after the first.
      (previous.info as Json).duration = (record.info as Json).duration;
      if (JSON.stringify(previous) !== JSON.stringify(record)) {
        assert.ok(changed > previousTime, `record ${index} changed after ${previousTime}`);
      }
      previous = record;
      previousTime = now;
    }
    if (!plan.stuckOpen) {
      assert.ok(updatedAt(built, plan.conversationEnd) >= plan.conversationEnd, "the close");
      assert.ok(updatedAt(built, plan.fullDialogEnd) >= plan.fullDialogEnd, "the survey");
    }
  }
});

Deno.test("contentToRetrieve: defaults when absent, exactly the list when sent, opt-ins only on request", () => {
  const nodesSeen = new Set<string>();
  for (let index = 0; index < CLOCK.count; index++) {
    const byDefault = view(index, { now: LATER, view: "byId" });
    for (const key of Object.keys(byDefault)) {
      assert.ok(key === "info" || (DEFAULT_CONTENT as string[]).includes(key), `default ${key}`);
    }
    const only = view(index, { now: LATER, view: "byId", content: ["messageRecords"] });
    assert.deepEqual(
      Object.keys(only),
      "messageRecords" in byDefault ? ["info", "messageRecords"] : ["info"],
    );
    const optIn = view(index, { now: LATER, view: "byId", content: OPT_IN_CONTENT, v: "2" });
    for (const key of Object.keys(optIn)) {
      nodesSeen.add(key);
      assert.ok(key === "info" || (OPT_IN_CONTENT as string[]).includes(key), `opt-in ${key}`);
    }
    const active = view(index, { now: LATER, view: "byId", content: ["agentParticipantsActive"] });
    assert.equal("agentParticipants" in active, "agentParticipants" in byDefault);
  }
  for (const node of OPT_IN_CONTENT.filter((type) => type !== "unAuthSdes")) {
    assert.ok(nodesSeen.has(node), `${node} comes when asked for`);
  }
  assert.ok(nodesSeen.has("unAuthSdes"));
});

function payloadLeaves(events: Json[]): unknown[] {
  const leaves: unknown[] = [];
  const walk = (value: unknown, key: string) => {
    if (key === "isAuthenticated") return;
    if (Array.isArray(value)) value.forEach((item) => walk(item, ""));
    else if (value !== null && typeof value === "object") {
      for (const [name, inner] of Object.entries(value)) walk(inner, name);
    } else leaves.push(value);
  };
  for (const event of events) {
    for (const type of SDE_TYPES) if (type in event) walk(event[type], type);
  }
  return leaves;
}

Deno.test("v=1 gives SDE values as text, v=2 typed; unAuthSdes only with v=2 when asked for", () => {
  const withUnAuth = [...DEFAULT_CONTENT, "unAuthSdes"] as const;
  let unAuthSeen = 0;
  const v1Events: Json[] = [];
  const v2Events: Json[] = [];
  for (let index = 0; index < CLOCK.count; index++) {
    const final = conversationAt(CLOCK, index);
    const v1 = view(index, { now: LATER, view: "byId", content: withUnAuth, v: "1" });
    const v2 = view(index, { now: LATER, view: "byId", content: withUnAuth, v: "2" });
    const v2Default = view(index, { now: LATER, view: "byId", v: "2" });
    assert.ok(!("unAuthSdes" in v1), "never with v=1");
    assert.ok(!("unAuthSdes" in v2Default), "not unless asked for");
    assert.equal("unAuthSdes" in v2, "unAuthSdes" in final);
    if ("unAuthSdes" in v2) unAuthSeen++;
    v1Events.push(...list(path(v1, "sdes", "events")));
    v2Events.push(...list(path(v2, "sdes", "events")), ...list(path(v2, "unAuthSdes", "events")));
  }
  assert.ok(unAuthSeen >= 30);
  const v1Leaves = payloadLeaves(v1Events);
  assert.ok(v1Leaves.length > 500);
  assert.ok(v1Leaves.every((leaf) => typeof leaf === "string" || leaf === null));
  const v2Leaves = payloadLeaves(v2Events);
  assert.ok(v2Leaves.filter((leaf) => typeof leaf === "number").length > 100);
  assert.ok(v2Leaves.some((leaf) => typeof leaf === "boolean"), "visitorError.resolved");
  assert.ok(v2Events.every((event) => typeof event.serverTimeStamp === "string"));
});
