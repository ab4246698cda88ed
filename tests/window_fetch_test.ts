import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { RawStore } from "../lib/fetch/raw_store.ts";
import { listedPages } from "../lib/fetch/store_layout.ts";
import {
  type PageRequest,
  type SearchPage,
  UnexpectedResponseError,
} from "../lib/fetch/search_client.ts";
import { fetchWindow, type WindowPlan } from "../lib/fetch/window_fetch.ts";
import { windowStates } from "../lib/fetch/window_state.ts";

const WINDOW = { from: 0, to: 600_000 };

interface FakeOptions {
  /** Records the window holds; a function of the request number for a moving count. */
  readonly total: number | ((request: number) => number);
  /** Offset → how many answers for it come back short before a whole one. */
  readonly shortAt?: Map<number, number>;
  /** Offset → how many answers for it are flagged partial before a whole one. */
  readonly partialAt?: Map<number, number>;
  /** Offset → records to put on the page, whatever the count says. */
  readonly recordsAt?: Map<number, number>;
  readonly failAt?: number;
}

/** A fetcher over a window of `total` records that logs every request. */
function fakeApi(options: FakeOptions) {
  const requests: PageRequest[] = [];
  const fetchPage = (request: PageRequest): Promise<SearchPage> => {
    requests.push(request);
    if (options.failAt === request.offset) {
      return Promise.reject(new UnexpectedResponseError("window X, offset 0: no records array"));
    }
    const total = typeof options.total === "number"
      ? options.total
      : options.total(requests.length);
    let records = Math.max(0, Math.min(request.limit, total - request.offset));
    const short = options.shortAt?.get(request.offset) ?? 0;
    if (short > 0) {
      options.shortAt!.set(request.offset, short - 1);
      records = Math.max(0, records - 40);
    }
    const partial = options.partialAt?.get(request.offset) ?? 0;
    if (partial > 0) options.partialAt!.set(request.offset, partial - 1);
    records = options.recordsAt?.get(request.offset) ?? records;
    return Promise.resolve({
      body: new TextEncoder().encode(JSON.stringify({ offset: request.offset, total, records })),
      count: total,
      records,
      partialResult: partial > 0,
      partialIds: [],
      openIds: [],
      fetchedAt: new Date(),
    });
  };
  return { requests, fetchPage };
}

async function withStore(fn: (store: RawStore) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "window_fetch_" });
  try {
    const store = await RawStore.open(dir, ENGAGEMENT_HISTORY, {
      accountId: "1",
      host: "http://test",
    });
    await fn(store);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const FRESH: WindowPlan = { window: WINDOW, generation: 1, goodOffsets: new Set(), settled: true };

function windowLines(store: RawStore) {
  return store.manifest.entries.filter((entry) => entry.kind === "window");
}

Deno.test("fetchWindow() stops when the offset reaches the count, with no extra request at a multiple of 100", async () => {
  for (
    const [total, offsets] of [[200, [0, 100]], [201, [0, 100, 200]], [99, [0]], [0, [0]]] as const
  ) {
    await withStore(async (store) => {
      const api = fakeApi({ total });
      const outcome = await fetchWindow(FRESH, { fetchPage: api.fetchPage, store, limit: 100 });
      assert.equal(outcome.complete, true);
      assert.deepEqual(api.requests.map((r) => r.offset), offsets);
      assert.deepEqual(windowLines(store).map((line) => line.count), [total]);
    });
  }
});

Deno.test("fetchWindow() fetches a short page again and leaves the window incomplete if it stays short", async () => {
  await withStore(async (store) => {
    const api = fakeApi({ total: 250, shortAt: new Map([[100, 9]]) });
    const outcome = await fetchWindow(FRESH, { fetchPage: api.fetchPage, store, limit: 100 });
    assert.equal(outcome.complete, false);
    assert.match(outcome.problem!, /offset 100: the page holds 60 of the 100 records/);
    assert.deepEqual(api.requests.map((r) => r.offset), [0, 100, 100, 100, 100]);
    assert.deepEqual(windowLines(store), [], "nothing inconsistent is marked complete");
    const short = [...listedPages(store.manifest.entries).values()].find((p) => p.offset === 100);
    assert.equal(short?.short, true);
  });
  await withStore(async (store) => {
    const api = fakeApi({ total: 250, shortAt: new Map([[100, 2]]) });
    const outcome = await fetchWindow(FRESH, { fetchPage: api.fetchPage, store, limit: 100 });
    assert.equal(outcome.complete, true);
    assert.deepEqual(api.requests.map((r) => r.offset), [0, 100, 100, 100, 200]);
  });
});

Deno.test("fetchWindow() treats an empty page before the count is reached as short", async () => {
  await withStore(async (store) => {
    const api = fakeApi({ total: 1e9, recordsAt: new Map([[0, 0]]) });
    const outcome = await fetchWindow(FRESH, { fetchPage: api.fetchPage, store, limit: 100 });
    assert.equal(outcome.complete, false);
    assert.match(outcome.problem!, /holds 0 of the 100 records/);
    assert.equal(api.requests.length, 4);
  });
});

Deno.test("fetchWindow() fetches a partial page again and reports one that stays partial", async () => {
  await withStore(async (store) => {
    const api = fakeApi({ total: 150, partialAt: new Map([[0, 1]]) });
    assert.equal(
      (await fetchWindow(FRESH, { fetchPage: api.fetchPage, store, limit: 100 })).complete,
      true,
    );
    assert.deepEqual(api.requests.map((r) => r.offset), [0, 0, 100]);
  });
  await withStore(async (store) => {
    const api = fakeApi({ total: 150, partialAt: new Map([[0, 99]]) });
    const outcome = await fetchWindow(FRESH, { fetchPage: api.fetchPage, store, limit: 100 });
    assert.equal(outcome.complete, false);
    assert.match(outcome.problem!, /flagged the page as partial/);
    assert.deepEqual(windowLines(store), []);
  });
});

Deno.test("fetchWindow() refuses a page with more records than its count allows", async () => {
  await withStore(async (store) => {
    const api = fakeApi({ total: 30, recordsAt: new Map([[0, 31]]) });
    const outcome = await fetchWindow(FRESH, { fetchPage: api.fetchPage, store, limit: 100 });
    assert.equal(outcome.complete, false);
    assert.match(outcome.problem!, /holds 31 records, more than its count of 30 allows/);
    assert.equal(listedPages(store.manifest.entries).size, 0, "the page is not stored");
  });
});

Deno.test("fetchWindow() leaves a window incomplete when the server's answer names no records", async () => {
  await withStore(async (store) => {
    const api = fakeApi({ total: 10, failAt: 0 });
    const outcome = await fetchWindow(FRESH, { fetchPage: api.fetchPage, store, limit: 100 });
    assert.equal(outcome.complete, false);
    assert.match(outcome.problem!, /no records array/);
  });
});

Deno.test("fetchWindow() resumes at the first missing page when the count is unchanged", async () => {
  await withStore(async (store) => {
    const first = fakeApi({ total: 450, shortAt: new Map([[200, 9]]) });
    await fetchWindow(FRESH, { fetchPage: first.fetchPage, store, limit: 100 });
    const state = windowStates(store.manifest.entries, []).get(
      "19700101T000000Z_19700101T001000Z",
    )!;
    assert.deepEqual([...state.goodOffsets].sort(), [0, 100]);
    const second = fakeApi({ total: 450 });
    const outcome = await fetchWindow({
      window: WINDOW,
      generation: state.generation,
      count: state.count,
      goodOffsets: state.goodOffsets,
      settled: true,
    }, { fetchPage: second.fetchPage, store, limit: 100 });
    assert.equal(outcome.complete, true);
    assert.deepEqual(second.requests.map((r) => r.offset), [200, 300, 400]);
  });
});

Deno.test("fetchWindow() starts over when the count changed, keeping pages the new count does not reach", async () => {
  await withStore(async (store) => {
    const first = fakeApi({ total: 450, shortAt: new Map([[400, 9]]) });
    await fetchWindow(FRESH, { fetchPage: first.fetchPage, store, limit: 100 });
    const state = windowStates(store.manifest.entries, []).get(
      "19700101T000000Z_19700101T001000Z",
    )!;
    const second = fakeApi({ total: 120 });
    const outcome = await fetchWindow({
      window: WINDOW,
      generation: state.generation,
      count: state.count,
      goodOffsets: state.goodOffsets,
      settled: true,
    }, { fetchPage: second.fetchPage, store, limit: 100 });
    assert.equal(outcome.complete, true);
    assert.equal(outcome.generation, 2);
    assert.deepEqual(second.requests.map((r) => r.offset), [400, 0, 100]);
    const pages = [...listedPages(store.manifest.entries).values()];
    assert.deepEqual(
      pages.map((page) => [page.offset, page.generation]).sort((a, b) => a[0]! - b[0]!),
      [[0, 2], [100, 2], [200, 1], [300, 1], [400, 1]],
    );
  });
});

Deno.test("fetchWindow() gives up on a window whose count keeps changing", async () => {
  await withStore(async (store) => {
    const api = fakeApi({ total: (request) => 300 + request });
    const outcome = await fetchWindow(FRESH, {
      fetchPage: api.fetchPage,
      store,
      limit: 100,
      maxCountChanges: 2,
    });
    assert.equal(outcome.complete, false);
    assert.match(outcome.problem!, /count kept changing/);
    assert.deepEqual(windowLines(store), []);
  });
});
