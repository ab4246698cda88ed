import assert from "node:assert/strict";
import {
  type DatasetOptions,
  engagementAt,
  engagementsIn,
  generateEngagements,
  indexRange,
  startTimeAt,
} from "../lib/sources/engagement_history/simulator/dataset.ts";
import { SDE_TYPES } from "../lib/sources/common/simulator/sde_payloads.ts";

const WEEK: DatasetOptions = {
  count: 200,
  from: Date.UTC(2024, 0, 1),
  to: Date.UTC(2024, 0, 8),
  seed: 7,
};

type Json = Record<string, unknown>;

function records(): Json[] {
  return generateEngagements(WEEK);
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => strings(item, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

function info(record: Json): Json {
  return record.info as Json;
}

Deno.test("generateEngagements() is deterministic for a seed and differs across seeds", () => {
  assert.equal(JSON.stringify(records()), JSON.stringify(records()));
  assert.notEqual(
    JSON.stringify(generateEngagements({ ...WEEK, seed: 8 })),
    JSON.stringify(records()),
  );
});

Deno.test("engagementAt() builds one record without the others and equals the generated one", () => {
  const all = records();
  assert.deepEqual(engagementAt(WEEK, 123), all[123]);
});

Deno.test("engagementAt() gives 18-digit string engagementIds, unique and growing with the index", () => {
  const ids = records().map((record) => info(record).engagementId);
  for (const id of ids) {
    assert.equal(typeof id, "string");
    assert.match(id as string, /^\d{18}$/);
    assert.ok((id as string).startsWith("90412377"));
  }
  assert.equal(new Set(ids).size, ids.length);
  const sorted = [...(ids as string[])].sort();
  assert.deepEqual(ids, sorted);
});

Deno.test("startTimeAt() strictly increases and stays inside [from, to)", () => {
  let previous = -Infinity;
  for (let index = 0; index < WEEK.count; index++) {
    const start = startTimeAt(WEEK, index);
    assert.ok(start > previous && start >= WEEK.from && start < WEEK.to);
    assert.equal(info(engagementAt(WEEK, index)).startTimeL, start);
    previous = start;
  }
});

Deno.test("startTimeAt() works when count equals the range length in ms", () => {
  const dense = { count: 1000, from: 5_000, to: 6_000 };
  assert.deepEqual(
    Array.from({ length: 1000 }, (_, index) => startTimeAt(dense, index)),
    Array.from({ length: 1000 }, (_, index) => 5_000 + index),
  );
});

Deno.test("indexRange() and engagementsIn() agree with filtering every record", () => {
  const all = records();
  const from = Date.UTC(2024, 0, 2, 3, 10);
  const to = Date.UTC(2024, 0, 4, 17, 40);
  const expected = all.filter((record) => {
    const start = info(record).startTimeL as number;
    return start >= from && start < to;
  });
  assert.deepEqual(engagementsIn(WEEK, from, to), expected);
  const { start, end } = indexRange(WEEK, from, to);
  assert.equal(end - start, expected.length);
  assert.deepEqual(indexRange(WEEK, 0, WEEK.from), { start: 0, end: 0 });
  assert.deepEqual(indexRange(WEEK, WEEK.from, WEEK.to), { start: 0, end: 200 });
});

Deno.test("engagementAt() builds the last record of a 100 000-record dataset on its own", () => {
  const big = { count: 100_000, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 31) };
  const last = engagementAt(big, 99_999);
  const { start, end } = indexRange(big, Date.UTC(2024, 0, 10), Date.UTC(2024, 0, 11));
  assert.match(info(last).engagementId as string, /^\d{18}$/);
  assert.ok(Number(info(last).startTimeL) < big.to);
  assert.ok(end - start > 3000 && end - start < 3700);
});

Deno.test("engagementAt() rejects invalid options and indexes with a RangeError", () => {
  assert.throws(() => engagementAt(WEEK, 200), /outside the dataset/);
  assert.throws(() => engagementAt({ ...WEEK, count: -1 }, 0), /Invalid dataset count/);
  assert.throws(() => engagementAt({ ...WEEK, to: WEEK.from }, 0), /Invalid dataset range/);
  assert.throws(
    () => engagementAt({ count: 10, from: 0, to: 5 }, 0),
    /at most one record per millisecond/,
  );
});

Deno.test("generateEngagements() has every documented node in a 200-record dataset", () => {
  const all = records();
  const some = (test: (record: Json) => boolean) => all.some(test);
  const path = (record: Json, ...keys: string[]): unknown =>
    keys.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], record);
  for (
    const field of [
      "startTime",
      "startTimeL",
      "endTime",
      "endTimeL",
      "duration",
      "visitorId",
      "visitorName",
      "engagementId",
      "sharkEngagementId",
      "isInteractive",
      "accountId",
      "agentId",
      "agentNickName",
      "agentName",
      "agentLoginName",
      "agentFullName",
      "agentDeleted",
      "skillId",
      "skillName",
      "isAgentSurvey",
      "isPostChatSurvey",
      "isPreChatSurvey",
      "channel",
      "startReason",
      "startReasonDesc",
      "endReason",
      "endReasonDesc",
      "engagementSet",
      "engagementSequence",
      "agentGroupId",
      "agentGroupName",
      "mcs",
      "alertedMCS",
      "chatMCS",
      "chatRequestedTime",
      "chatRequestedTimeL",
      "chatStartUrl",
      "chatStartPage",
      "isPartial",
      "ended",
      "interactive",
      "chatDataEnriched",
    ]
  ) {
    assert.ok(some((record) => field in info(record)), `info.${field}`);
  }
  const lines = all.flatMap((record) => (path(record, "transcript", "lines") as Json[]) ?? []);
  for (const source of ["agent", "visitor", "system"]) {
    assert.ok(lines.some((line) => line.source === source), `a ${source} line`);
  }
  assert.ok(
    lines.some((line) => line.textType === "rich-content" && typeof line.json === "object"),
  );
  assert.ok(lines.some((line) => typeof line.lineSeq === "string"));
  assert.ok(lines.some((line) => typeof line.agentId === "number"));
  assert.ok(some((record) => Array.isArray(record.lineScores) && record.lineScores.length > 0));
  assert.ok(some((record) => "campaignId" in (record.campaign as Json)));
  assert.ok(some((record) => "engagementAgentNote" in (record.campaign as Json)));
  assert.ok(some((record) => typeof path(record, "visitorInfo", "device") === "string"));
  for (const survey of ["preChat", "postChat", "operator"]) {
    const rows = all.flatMap((record) => (path(record, "surveys", survey) as Json[]) ?? []);
    assert.ok(rows.length > 0, `surveys.${survey}`);
    for (
      const field of [
        "scope",
        "source",
        "displayName",
        "value",
        "values",
        "answersId",
        "name",
        "time",
        "timeL",
        "questionID",
        "surveyID",
      ]
    ) {
      assert.ok(rows.every((row) => field in row), `surveys.${survey}[].${field}`);
    }
  }
  const sessions = all.flatMap((record) =>
    (path(record, "coBrowseSessions", "coBrowseSessionsList") as Json[]) ?? []
  );
  assert.ok(sessions.some((session) => "interactiveTimeL" in session));
  assert.ok(sessions.some((session) => session.interactive === false));
  const events = all.flatMap((record) => (path(record, "sdes", "events") as Json[]) ?? []);
  for (const type of SDE_TYPES) {
    const payloads = events.filter((event) => type in event).map((event) => event[type] as Json);
    assert.ok(payloads.length > 0, `an SDE of type ${type}`);
    assert.ok(payloads.every((p) => /^\d{13}$/.test(p.serverTimeStamp as string)), type);
    assert.ok(payloads.some((p) => /^\d{13}$/.test(p.originalTimeStamp as string)), type);
  }
  assert.ok(events.some((event) => typeof event.sdeType === "string"));
  assert.ok(events.some((event) => typeof event.isAuthenticated === "boolean"));
  assert.ok(events.some((event) => /^\d{13}$/.test(event.serverTimeStamp as string)));
  const payloadsOf = (type: string) =>
    events.filter((event) => type in event).map((event) => event[type] as Json);
  assert.ok(payloadsOf("cartStatus").some((p) => (p.products as Json[]).length > 0));
  assert.ok(
    payloadsOf("customerInfo").some((p) =>
      "lastPaymentDate" in (p.customerInfo as Json) &&
      "registrationDate" in (p.customerInfo as Json)
    ),
  );
  assert.ok(
    payloadsOf("personalInfo").some((p) =>
      ((p.personalInfo as Json).contacts as Json[]).length > 0 &&
      "customerAge" in (p.personalInfo as Json)
    ),
  );
  assert.ok(payloadsOf("marketingCampaignInfo").every((p) => "marketingCampaignInfo" in p));
  assert.ok(payloadsOf("lead").every((p) => "lead" in p));
  assert.ok(payloadsOf("purchase").some((p) => ((p.cart as Json).products as Json[]).length > 0));
  assert.ok(payloadsOf("viewedProduct").some((p) => (p.products as Json[]).length > 0));
  assert.ok(payloadsOf("serviceActivity").every((p) => "serviceActivity" in p));
  assert.ok(payloadsOf("visitorError").every((p) => "visitorError" in p));
  assert.ok(payloadsOf("searchContent").some((p) => (p.keywords as string[]).length > 0));
});

Deno.test("generateEngagements() spreads realistic dirt over a 200-record dataset", () => {
  const all = records();
  const count = (test: (record: Json) => boolean) => all.filter(test).length;
  assert.ok(count((record) => !("surveys" in record)) >= 5, "records without surveys");
  assert.ok(count((record) => !("sdes" in record)) >= 5, "records without sdes");
  assert.ok(count((record) => !("coBrowseSessions" in record)) >= 5, "records without co-browse");
  assert.ok(count((record) => !("transcript" in record)) >= 1, "records without a transcript");
  assert.ok(
    count((record) =>
      ((record.transcript as Json | undefined)?.lines as unknown[])?.length === 0
    ) >=
      1,
    "records with an empty transcript",
  );
  assert.ok(
    count((record) => info(record).endTime === "undefined" && info(record).endTimeL === -1) >= 3,
    "open chats",
  );
  assert.ok(count((record) => info(record).chatRequestedTimeL === -1) >= 1, "-1 times");
  assert.ok(count((record) => info(record).skillId === -1) >= 5, "-1 ids");
  assert.ok(count((record) => /T/.test(info(record).startTime as string)) >= 3, "T-form times");
  assert.ok(
    count((record) => / /.test(info(record).startTime as string)) >= 100,
    "space-form times",
  );
  assert.ok(count((record) => typeof info(record).agentId === "string") >= 20, "string agentId");
  assert.ok(count((record) => typeof info(record).agentId === "number") >= 20, "number agentId");
  assert.ok(count((record) => info(record).mcs === null) >= 5, "null mcs");
  const texts = all.flatMap((record) => strings(record));
  for (const sentinel of ["undefined", "null", "NA", ""]) {
    assert.ok(texts.filter((text) => text === sentinel).length >= 5, `sentinel "${sentinel}"`);
  }
  const patterns: [string, RegExp][] = [
    ["pipe", /\|/],
    ["comma", /,/],
    ["double quote", /"/],
    ["backslash", /\\/],
    ["CR/LF", /\r\n/],
    ["tab", /\t/],
    ["emoji", /\p{Extended_Pictographic}/u],
    ["Hebrew", /\p{Script=Hebrew}/u],
    ["Japanese", /\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Han}/u],
    ["leading space", /^ /],
    ["trailing space", / $/],
  ];
  for (const [name, pattern] of patterns) {
    assert.ok(texts.filter((text) => pattern.test(text)).length >= 3, name);
  }
});

Deno.test("engagementAt() keeps times, durations and line scores consistent", () => {
  for (const record of records()) {
    const { startTimeL, endTimeL, duration } = info(record) as {
      startTimeL: number;
      endTimeL: number;
      duration: number;
    };
    if (endTimeL !== -1) {
      assert.ok(endTimeL > startTimeL);
      assert.equal(duration, Math.round((endTimeL - startTimeL) / 1000));
    } else {
      assert.equal(info(record).endTime, "undefined");
    }
    const lines = ((record.transcript as Json | undefined)?.lines as Json[] | undefined) ?? [];
    const times = lines.map((line) => line.timeL as number);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    const scores = (record.lineScores as Json[] | undefined) ?? [];
    const seqs = new Set(lines.map((line) => line.lineSeq));
    for (const score of scores) assert.ok(seqs.has(score.lineSeq));
  }
});
