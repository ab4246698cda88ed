/**
 * The search for changed records (`--since-last` on messaging): what it asks
 * for, that it stores every page as a copy that wins over the older one, and
 * that it is recorded complete only when every page came whole.
 */

import assert from "node:assert/strict";
import { RawStore } from "../lib/fetch/raw_store.ts";
import type { PageRequest, SearchPage } from "../lib/fetch/search_client.ts";
import { readStoreManifest, storedPages } from "../lib/fetch/store_layout.ts";
import { fetchUpdates, planUpdates } from "../lib/fetch/updates.ts";
import { verifyStore } from "../lib/fetch/verify.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const API = { name: "messaging-interactions" };

Deno.test("planUpdates() searches the stored windows before the run's, since the run's start or the last complete search", () => {
  const windows = [
    { kind: "window", window: { from: 10 * DAY, to: 11 * DAY } },
    { kind: "window", window: { from: 11 * DAY, to: 12 * DAY } },
  ];
  const options = { from: 20 * DAY, lookbackMs: 2 * HOUR, now: 21 * DAY, retentionMs: 396 * DAY };
  assert.deepEqual(planUpdates(windows as never[], options), {
    since: 20 * DAY,
    range: { from: 10 * DAY, to: 20 * DAY },
  });
  // A complete search that began before the run's windows: ask from before it began.
  const earlier = [...windows, { kind: "updates", startedAt: new Date(15 * DAY).toISOString() }];
  assert.equal(planUpdates(earlier as never[], options)?.since, 15 * DAY - 2 * HOUR);
  // Older windows than LivePerson keeps are not searched; none at all, no search.
  assert.deepEqual(planUpdates(windows as never[], { ...options, retentionMs: 8 * DAY })?.range, {
    from: 13 * DAY,
    to: 20 * DAY,
  });
  assert.equal(planUpdates(windows as never[], { ...options, from: 10 * DAY }), undefined);
});

/** A page of `count` records whose keys are the offsets, or as `shape` changes it. */
function page(request: PageRequest, count: number, shape: Partial<SearchPage> = {}): SearchPage {
  const ids = Array.from(
    { length: Math.max(0, Math.min(request.limit, count - request.offset)) },
    (_, i) => `c${request.offset + i}`,
  );
  const body = JSON.stringify({
    _metadata: { count },
    conversationHistoryRecords: ids.map((id) => ({ info: { conversationId: id } })),
  });
  return {
    body: new TextEncoder().encode(body),
    count,
    records: ids.length,
    partialResult: false,
    partialIds: [],
    openIds: [],
    fetchedAt: new Date(),
    ...shape,
  };
}

async function withStore(run: (store: RawStore, dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "updates_test_" });
  try {
    await run(await RawStore.open(dir, API, { accountId: "1", host: "http://h" }), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("fetchUpdates() pages through every window, stores each page verified, and records the search complete", async () => {
  await withStore(async (store, dir) => {
    const requests: PageRequest[] = [];
    const plan = { since: 50 * DAY, range: { from: 0, to: 120 * DAY } };
    const outcome = await fetchUpdates(plan, {
      store,
      limit: 2,
      maxWindowMs: 90 * DAY,
      now: () => 51 * DAY,
      fetchPage: (request) => {
        requests.push(request);
        return Promise.resolve(
          page(request, 3, { partialIds: request.offset === 0 ? ["c0"] : [] }),
        );
      },
    });
    assert.deepEqual(outcome, {
      complete: true,
      records: 6,
      partial: [{ id: "c0", window: { from: 0, to: 90 * DAY } }, {
        id: "c0",
        window: { from: 90 * DAY, to: 120 * DAY },
      }],
    });
    assert.deepEqual(
      requests.map((request) => [request.window.from / DAY, request.offset, request.updatedSince]),
      [[0, 0, 50 * DAY], [0, 2, 50 * DAY], [90, 0, 50 * DAY], [90, 2, 50 * DAY]],
    );
    const entries = (await readStoreManifest(dir, API)).entries;
    assert.deepEqual(entries.map((entry) => entry.kind), [
      "store",
      "update",
      "update",
      "update",
      "update",
      "updates",
    ]);
    assert.deepEqual(await verifyStore(store.folder, entries), [], "pages listed and intact");
    const newest = storedPages(dir, API, entries)[0]!;
    assert.match(newest.path, /updates\/since-19700220T000000Z_19700401T000000Z_/);
  });
});

Deno.test("fetchUpdates() leaves a search with a page that stays partial incomplete, and starts a window over when its count changes", async () => {
  await withStore(async (store, dir) => {
    const plan = { since: DAY, range: { from: 0, to: DAY } };
    const options = { store, limit: 2, maxWindowMs: 90 * DAY, now: () => 2 * DAY };
    const partial = await fetchUpdates(plan, {
      ...options,
      incompleteRetries: 1,
      fetchPage: (request) =>
        Promise.resolve(page(request, 4, { partialResult: request.offset === 2 })),
    });
    assert.equal(partial.complete, false);
    assert.match(partial.problem ?? "", /offset 2 stayed partial/);
    let kinds = (await readStoreManifest(dir, API)).entries.map((entry) => entry.kind);
    assert.ok(!kinds.includes("updates"), "not recorded complete");

    // The count grows from 3 to 4 after the first page: the window is paged again (two more).
    let calls = 0;
    const grown = await fetchUpdates(plan, {
      ...options,
      fetchPage: (request) => Promise.resolve(page(request, calls++ === 0 ? 3 : 4)),
    });
    assert.deepEqual([grown.complete, calls], [true, 4]);
    kinds = (await readStoreManifest(dir, API)).entries.map((entry) => entry.kind);
    assert.equal(kinds.at(-1), "updates");
  });
});
