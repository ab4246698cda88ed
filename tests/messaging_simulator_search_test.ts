/**
 * The Messaging Interactions simulator's endpoints, called directly (no HTTP):
 * request validation, rounding and the three-month limit, paging, 204,
 * filters (status, latestUpdateTime), sorting, by id, by consumer, and the
 * SimulatedApi the generic server uses.
 */

import assert from "node:assert/strict";
import { SimulatedRequestError } from "../lib/simulator/simulated_api.ts";
import { buildConversation, conversationAt } from "../lib/sources/messaging/simulator/dataset.ts";
import { resolveDataset } from "../lib/simulator/dataset_options.ts";
import {
  consumerIdOf,
  conversationIdOf,
} from "../lib/sources/messaging/simulator/dataset_index.ts";
import { statusAt, timelineOf } from "../lib/sources/messaging/simulator/dataset_views.ts";
import { MESSAGING_SIMULATED } from "../lib/sources/messaging/simulator/mod.ts";
import {
  parseByConsumerRequest,
  parseByIdRequest,
  parseSearchRequest,
} from "../lib/sources/messaging/simulator/request.ts";
import {
  byConsumerAnswer,
  byIdAnswer,
  matchingIndexes,
  searchAnswer,
} from "../lib/sources/messaging/simulator/search.ts";
import { updatedAt } from "../lib/sources/messaging/simulator/view_copies.ts";
import { info, type Json, list } from "./helpers/messaging.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
const ACCOUNT = "90412377";
const BASE = `http://127.0.0.1:9/messaging_history/api/account/${ACCOUNT}/conversations`;
const DATASET = {
  count: 400,
  from: Date.UTC(2024, 0, 1),
  to: Date.UTC(2024, 0, 5),
  seed: 5,
  partialRate: 0.1,
  stuckOpenRate: 0.05,
};
const LATER = Date.UTC(2030, 0, 1);

function query(text: string): URLSearchParams {
  return new URLSearchParams(text);
}

function search(
  params: string,
  body: Json,
  now = LATER,
): { status: number; body?: Json; records: Json[]; metadata: Json } {
  const request = parseSearchRequest(query(params), JSON.stringify(body), { now });
  const answer = searchAnswer(DATASET, request, { href: `${BASE}/search`, now });
  const records = list(answer.body?.conversationHistoryRecords);
  return { ...answer, records, metadata: (answer.body?._metadata ?? {}) as Json };
}

function ids(records: Json[]): string[] {
  return records.map((record) => info(record).conversationId as string);
}

const WHOLE = { start: { from: DATASET.from, to: DATASET.to } };

Deno.test("parseSearchRequest() refuses bad queries with a message that says what to fix", () => {
  const body = JSON.stringify(WHOLE);
  const cases: [string, RegExp][] = [
    ["limit=10", /Missing source.*source=/],
    ["source=", /Missing source/],
    ["source=a_source_name_that_is_too_long", /at most 20/],
    ["source=x&limit=0", /Invalid limit 0: use 1 to 100/],
    ["source=x&limit=101", /Invalid limit 101: use 1 to 100/],
    ["source=x&limit=ten", /Invalid limit "ten": use a whole number/],
    ["source=x&offset=-1", /Invalid offset -1/],
    ["source=x&sort=duration:asc", /Invalid sort.*start or end/],
    ["source=x&sort=start:des", /Invalid sort.*asc or desc/],
    ["source=x&v=3", /Invalid v "3": use 1 or 2/],
    ["source=x&rollover=yes", /Invalid rollover "yes": use true or false/],
  ];
  for (const [params, message] of cases) {
    assert.throws(() => parseSearchRequest(query(params), body, { now: LATER }), (error) => {
      assert.ok(error instanceof SimulatedRequestError);
      assert.equal(error.status, 400);
      assert.match(error.message, message, params);
      return true;
    });
  }
});

Deno.test("parseSearchRequest() refuses bad bodies, naming the field and the fix", () => {
  const cases: [string, RegExp][] = [
    ["not json", /not valid JSON/],
    ["[]", /must be a JSON object/],
    ["{}", /Missing start filter/],
    ['{"start":{"from":"soon","to":1}}', /invalid start\.from.*epoch milliseconds/],
    ['{"start":{"from":5,"to":5}}', /start\.to \(5\) must be after start\.from \(5\)/],
    [
      '{"start":{"from":0,"to":1},"contentToRetrieve":["messages"]}',
      /Unknown contentToRetrieve value "messages".*messageRecords/,
    ],
    ['{"start":{"from":0,"to":1},"contentToRetrieve":"sdes"}', /send an array/],
    [
      '{"start":{"from":0,"to":1},"status":["CLOSED"]}',
      /Unknown status "CLOSED": use "OPEN" or "CLOSE"/,
    ],
    ['{"start":{"from":0,"to":1},"latestUpdateTime":{"from":"x"}}', /latestUpdateTime\.from/],
    [
      '{"start":{"from":0,"to":1},"contentToRetreive":["sdes"]}',
      /Unknown body field "contentToRetreive"/,
    ],
  ];
  for (const [body, message] of cases) {
    assert.throws(() => parseSearchRequest(query("source=x"), body, { now: LATER }), message, body);
  }
  // Documented filters the simulator does not apply are accepted.
  const documented = { ...WHOLE, skillIds: ["-1"], keyword: "bonus", sdeSearch: { lead: "x" } };
  assert.doesNotThrow(() =>
    parseSearchRequest(query("source=x"), JSON.stringify(documented), { now: LATER })
  );
});

Deno.test("start is rounded out to 10 minutes and may span at most three months (93 days) after rounding", () => {
  const from = Date.UTC(2024, 0, 1, 0, 3, 20);
  const request = parseSearchRequest(
    query("source=x"),
    JSON.stringify({ start: { from: String(from), to: from + 5 * MINUTE } }),
    { now: LATER },
  );
  assert.deepEqual([request.roundedFrom, request.roundedTo], [
    Date.UTC(2024, 0, 1),
    Date.UTC(2024, 0, 1, 0, 10),
  ]);
  const at = (start: number, end: number) =>
    parseSearchRequest(query("source=x"), JSON.stringify({ start: { from: start, to: end } }), {
      now: LATER,
    });
  const origin = Date.UTC(2024, 0, 1);
  assert.doesNotThrow(() => at(origin, origin + 93 * DAY));
  assert.doesNotThrow(() => at(origin + 1, origin + 93 * DAY - 1), "rounds to exactly 93 days");
  assert.throws(() => at(origin, origin + 93 * DAY + 1), /more than three months \(93 days\)/);
  assert.throws(() => at(origin - 1, origin + 93 * DAY), /93\.0 days/, "rounding makes it longer");
  // Jan 1 to Apr 1 is three calendar months.
  assert.doesNotThrow(() => at(origin, Date.UTC(2024, 3, 1)));
  // "to": -1 stands for now.
  const now = Date.UTC(2024, 0, 2, 12, 4);
  const open = parseSearchRequest(
    query("source=x"),
    JSON.stringify({ start: { from: origin, to: -1 } }),
    { now },
  );
  assert.equal(open.roundedTo, Date.UTC(2024, 0, 2, 12, 10));
  assert.equal(open.to, -1);
});

Deno.test("pages: offset and limit walk every match once, with count, self, next and last", () => {
  const first = search("source=x&limit=100", WHOLE);
  assert.equal(first.status, 200);
  assert.equal(first.metadata.count, 400);
  const seen: string[] = [];
  for (let offset = 0; offset < 400; offset += 70) {
    const page = search(`source=x&limit=70&offset=${offset}`, WHOLE);
    const metadata = page.metadata as Record<string, { href?: string }>;
    assert.equal(metadata.self?.href, `${BASE}/search?limit=70&offset=${offset}`);
    assert.equal(metadata.last?.href, `${BASE}/search?limit=70&offset=350`);
    assert.equal(
      metadata.next?.href,
      offset + 70 < 400 ? `${BASE}/search?limit=70&offset=${offset + 70}` : undefined,
    );
    assert.deepEqual(page.metadata.shardsStatusResult as Json, { partialResult: false });
    seen.push(...ids(page.records));
  }
  const expected = Array.from(
    { length: 400 },
    (_, index) => conversationIdOf(resolveDataset(DATASET), index),
  );
  assert.deepEqual(seen, expected, "start order, each conversation once");
  const beyond = search("source=x&offset=400", WHOLE);
  assert.deepEqual([beyond.status, beyond.records.length, beyond.metadata.count], [200, 0, 400]);
  assert.equal(search("source=x", WHOLE).records.length, 50, "limit defaults to 50");
});

Deno.test("an empty result is 204 No Content: no conversations started then, or none visible yet", () => {
  const before = { start: { from: DATASET.from - 10 * DAY, to: DATASET.from - DAY } };
  assert.deepEqual(search("source=x", before), { status: 204, records: [], metadata: {} });
  assert.equal(search("source=x", WHOLE, DATASET.from).status, 204);
  const firstVisible = timelineOf(DATASET, 0).visibleAt;
  const early = search(
    "source=x",
    { start: { from: DATASET.from, to: DATASET.from + DAY } },
    firstVisible,
  );
  assert.equal(early.status, 200);
  assert.ok(ids(early.records).includes(conversationIdOf(resolveDataset(DATASET), 0)));
});

Deno.test("status filters OPEN and CLOSE as the conversations stand at now", () => {
  const now = Date.UTC(2024, 0, 3, 12);
  const both = matchingIndexes(
    DATASET,
    parseSearchRequest(query("source=x"), JSON.stringify(WHOLE), { now }),
    now,
  );
  const of = (status: string) =>
    matchingIndexes(
      DATASET,
      parseSearchRequest(query("source=x"), JSON.stringify({ ...WHOLE, status: [status] }), {
        now,
      }),
      now,
    );
  const open = of("OPEN");
  const closed = of("CLOSE");
  assert.ok(open.length >= 10 && closed.length >= 100);
  assert.deepEqual([...open, ...closed].sort((a, b) => a - b), both);
  const page = search("source=x&limit=100", { ...WHOLE, status: ["OPEN"] }, now);
  assert.ok(page.records.every((record) => info(record).status === "OPEN"));
  for (const index of open) assert.equal(statusAt(timelineOf(DATASET, index).plan, now), "OPEN");
});

Deno.test("latestUpdateTime matches exactly what changed since the rounded cursor, never the unchanged", () => {
  const dataset = resolveDataset(DATASET);
  const cursor = Date.UTC(2024, 0, 3);
  const matches = (now: number, from = cursor) =>
    new Set(matchingIndexes(
      DATASET,
      parseSearchRequest(
        query("source=x"),
        JSON.stringify({ ...WHOLE, latestUpdateTime: { from } }),
        { now },
      ),
      now,
    ));
  for (const now of [cursor + 20 * MINUTE, cursor + 3 * 3_600_000, LATER]) {
    const found = matches(now);
    const expected = new Set<number>();
    for (let index = 0; index < DATASET.count; index++) {
      const visible = timelineOf(DATASET, index).visibleAt <= now;
      if (visible && updatedAt(buildConversation(dataset, index), now) >= cursor) {
        expected.add(index);
      }
    }
    assert.deepEqual(found, expected, `at ${new Date(now).toISOString()}`);
    assert.deepEqual(matches(now, cursor + 9 * MINUTE), found, "the cursor is rounded down");
  }
  const unchanged = [...Array(DATASET.count).keys()].filter((index) =>
    timelineOf(DATASET, index).plan.settledBy < cursor
  );
  assert.ok(unchanged.length > 100);
  assert.ok(unchanged.every((index) => !matches(LATER).has(index)), "unchanged ones never match");
});

/**
 * Finds a conversation quiet from a 10-minute boundary until `event`, and
 * asks the search with that boundary as the cursor just before and at `event`.
 */
function changeAfterCursor(event: (index: number) => number | undefined): {
  before: boolean;
  at: boolean;
} {
  const dataset = resolveDataset(DATASET);
  for (let index = 0; index < DATASET.count; index++) {
    const time = event(index);
    if (time === undefined) continue;
    const built = buildConversation(dataset, index);
    const cursor = Math.ceil((updatedAt(built, time - 1) + 1) / (10 * MINUTE)) * 10 * MINUTE;
    if (cursor > time || timelineOf(DATASET, index).visibleAt > time - 1) continue;
    const found = (now: number) =>
      matchingIndexes(
        DATASET,
        parseSearchRequest(
          query("source=x"),
          JSON.stringify({ ...WHOLE, latestUpdateTime: { from: cursor } }),
          { now },
        ),
        now,
      ).includes(index);
    return { before: found(time - 1), at: found(time) };
  }
  assert.fail("no conversation fits");
}

Deno.test("latestUpdateTime picks up a conversation that closed after the cursor, from its close on", () => {
  const closing = changeAfterCursor((index) => {
    const { plan } = timelineOf(DATASET, index);
    return plan.stuckOpen ? undefined : plan.conversationEnd;
  });
  assert.deepEqual(closing, { before: false, at: true });
});

Deno.test("latestUpdateTime picks up a conversation surveyed after the cursor, from the survey on", () => {
  const surveyed = changeAfterCursor((index) => timelineOf(DATASET, index).plan.survey?.end);
  assert.deepEqual(surveyed, { before: false, at: true });
});

Deno.test("sort orders by start or end, ascending or descending", () => {
  const descending = search("source=x&limit=100&sort=start:desc", WHOLE);
  const ascending = search("source=x&limit=100&sort=start:asc", WHOLE);
  assert.deepEqual(
    ids(descending.records),
    ids(search("source=x&limit=100&offset=300", WHOLE).records).reverse(),
  );
  assert.deepEqual(ids(ascending.records), ids(search("source=x&limit=100", WHOLE).records));
  const now = Date.UTC(2024, 0, 4, 12);
  for (const order of ["asc", "desc"]) {
    const ends: number[] = [];
    for (let offset = 0; offset < 400; offset += 100) {
      const page = search(`source=x&limit=100&offset=${offset}&sort=end:${order}`, WHOLE, now);
      ends.push(...page.records.map((record) => info(record).endTimeL as number));
    }
    const sorted = [...ends].sort((a, b) => (order === "asc" ? a - b : b - a));
    assert.deepEqual(ends, sorted, `end:${order}`);
    assert.ok(ends.includes(-1), "open conversations sort with endTimeL -1");
  }
});

Deno.test("the request by conversation id answers that conversation whole, or 204", () => {
  const dataset = resolveDataset(DATASET);
  const partial = [...Array(DATASET.count).keys()].find((index) =>
    timelineOf(DATASET, index).searchPartial
  )!;
  const conversationId = conversationIdOf(dataset, partial);
  const ask = (body: Json, now = LATER, params = "source=x") =>
    byIdAnswer(DATASET, parseByIdRequest(query(params), JSON.stringify(body)), {
      href: `${BASE}/conversation/search`,
      now,
    });
  const answer = ask({ conversationId });
  assert.equal(answer.status, 200);
  const [record] = list(answer.body?.conversationHistoryRecords);
  assert.equal((answer.body?._metadata as Json).count, 1);
  assert.equal(info(record!).isPartial, false);
  const final = conversationAt(DATASET, partial);
  assert.deepEqual(record!.messageRecords, final.messageRecords);
  assert.ok(!("dialogs" in record!), "defaults only");
  const dialogs = ask({ conversationId, contentToRetrieve: ["dialogs"] });
  assert.deepEqual(Object.keys(list(dialogs.body?.conversationHistoryRecords)[0]!), [
    "info",
    ...("dialogs" in final ? ["dialogs"] : []),
  ]);
  assert.equal(ask({ conversationId: "e5c58e49-e4a5-40a8-8a18-d6580d1d5630" }).status, 204);
  assert.equal(ask({ conversationId }, timelineOf(DATASET, partial).visibleAt - 1).status, 204);
  assert.throws(() => ask({ conversationId }, LATER, "v=2"), /Missing source/);
  assert.throws(() => ask({ conversationId: 42 }), /conversationId/);
  assert.throws(() => ask({ conversationId, start: {} }), /Unknown body field "start"/);
});

Deno.test("the request by consumer id pages that consumer's conversations, of the statuses asked for", () => {
  const dataset = resolveDataset(DATASET);
  const consumer = consumerIdOf(dataset, 7);
  const ask = (body: Json, params = "source=x", now = LATER) =>
    byConsumerAnswer(DATASET, parseByConsumerRequest(query(params), JSON.stringify(body)), {
      href: `${BASE}/consumer/search`,
      now,
    });
  const all = ask({ consumer, status: ["OPEN", "CLOSE"] });
  const records = list(all.body?.conversationHistoryRecords);
  assert.deepEqual(ids(records), [7, 141, 275].map((index) => conversationIdOf(dataset, index)));
  for (const record of records) {
    for (const participant of list(record.consumerParticipants)) {
      assert.equal(participant.participantId, consumer);
    }
  }
  const paged = ask({ consumer, status: ["OPEN", "CLOSE"] }, "source=x&limit=2&offset=2");
  assert.equal(list(paged.body?.conversationHistoryRecords).length, 1);
  assert.equal((paged.body?._metadata as Json).count, 3);
  const now = timelineOf(DATASET, 141).start + 5 * MINUTE;
  const open = ask({ consumer, status: ["OPEN"] }, "source=x", now);
  const closed = ask({ consumer, status: ["CLOSE"] }, "source=x", now);
  const openIds = ids(list(open.body?.conversationHistoryRecords));
  const closedIds = ids(list(closed.body?.conversationHistoryRecords));
  assert.ok(
    !openIds.includes(conversationIdOf(dataset, 275)) &&
      !closedIds.includes(conversationIdOf(dataset, 275)),
    "not started yet",
  );
  assert.ok(closedIds.includes(conversationIdOf(dataset, 7)));
  assert.equal(ask({ consumer: "nobody", status: ["OPEN"] }).status, 204);
  assert.throws(() => ask({ consumer }), /Missing or invalid status/);
  assert.throws(() => ask({ consumer, status: [] }), /Missing or invalid status/);
  assert.throws(() => ask({ status: ["OPEN"] }), /Missing or invalid consumer/);
});

Deno.test("MESSAGING_SIMULATED matches its three paths, reads the facts, answers and lists records", () => {
  const api = MESSAGING_SIMULATED;
  assert.deepEqual([api.name, api.serviceName, api.recordsField], [
    "messaging-interactions",
    "msgHist",
    "conversationHistoryRecords",
  ]);
  const prefix = `/messaging_history/api/account/${ACCOUNT}/conversations`;
  assert.deepEqual(api.match(`${prefix}/search`), { endpoint: "search", accountId: ACCOUNT });
  assert.deepEqual(api.match(`${prefix}/conversation/search`), {
    endpoint: "byId",
    accountId: ACCOUNT,
  });
  assert.deepEqual(
    api.match(`/messaging_history/api/account/a%20b/conversations/consumer/search`),
    {
      endpoint: "byConsumer",
      accountId: "a b",
    },
  );
  for (
    const path of [
      `${prefix}/search/`,
      `${prefix}/other/search`,
      `/interaction_history/api/account/${ACCOUNT}/interactions/search`,
      `/messaging_history/api/account/%E0%A4%A/conversations/search`,
    ]
  ) assert.equal(api.match(path), undefined, path);
  assert.deepEqual(
    api.facts({
      endpoint: "search",
      params: query("offset=50&limit=x"),
      body: '{"start":{"from":"100","to":-1}}',
    }),
    { offset: 50, limit: NaN, from: 100, to: -1 },
  );
  assert.deepEqual(
    api.facts({ endpoint: "byId", params: query(""), body: '{"conversationId":"c"}' }),
    {
      offset: 0,
      limit: 50,
      from: NaN,
      to: NaN,
      id: "c",
    },
  );
  assert.equal(api.facts({ endpoint: "byConsumer", params: query(""), body: "oops" }).from, NaN);
  const request = (endpoint: string, body: Json, params = "source=x&limit=3") => ({
    endpoint,
    params: query(params),
    body: JSON.stringify(body),
    href: `${BASE}/search`,
    now: LATER,
  });
  const page = api.answer(request("search", WHOLE), DATASET);
  assert.equal(list(page.body?.conversationHistoryRecords).length, 3);
  const conversationId = conversationIdOf(resolveDataset(DATASET), 9);
  assert.equal(api.answer(request("byId", { conversationId }), DATASET).status, 200);
  const consumer = consumerIdOf(resolveDataset(DATASET), 9);
  const mine = api.answer(request("byConsumer", { consumer, status: ["CLOSE"] }), DATASET);
  assert.equal(mine.status, 200);
  assert.throws(() => api.answer(request("search", {}), DATASET), SimulatedRequestError);
  const records = api.records(DATASET, DATASET.from - DAY, DATASET.from + DAY);
  assert.ok(records.length > 80 && records.length < 120);
  assert.deepEqual(records[0], conversationAt(DATASET, 0));
  assert.deepEqual(api.records(DATASET, DATASET.to, DATASET.to + DAY), []);
});
