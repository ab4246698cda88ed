/**
 * Concurrent fetching stores exactly what sequential fetching stores, whatever
 * order the answers arrive in: pages of one generation, each once, windows
 * complete only when whole, a cut run resumed without fetching a saved page
 * again, and a request that cannot succeed stopping every other at once.
 *
 * The fake API answers each request after a seeded number of turns of the
 * event loop, so answers overtake each other without any wall-clock wait.
 */

import assert from "node:assert/strict";
import { fetchHistory, type FetchProgress } from "../lib/fetch/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import type { ManifestEntry, PageEntry } from "../lib/fetch/manifest.ts";
import { type PageToWrite, RawStore } from "../lib/fetch/raw_store.ts";
import { apiFolder, listedPages, readStoreManifest } from "../lib/fetch/store_layout.ts";
import type { PageRequest, SearchPage } from "../lib/fetch/search_client.ts";
import { TaskPool } from "../lib/fetch/task_pool.ts";
import { verifyStore } from "../lib/fetch/verify.ts";
import { fetchWindow } from "../lib/fetch/window_fetch.ts";
import { windowFolderName } from "../lib/fetch/windows.ts";
import { createRandom } from "../lib/simulator/random.ts";
import { DEMO_CREDENTIALS } from "../lib/simulator/server.ts";
import { treeHash } from "./helpers/run_script.ts";
import { DAY, fetchOptions, JAN_1, storedIds, withSimulator } from "./helpers/simulator.ts";

/** Records per one-day window from JAN_1: empty, tiny, a multiple of 100, and larger ones. */
const COUNTS = [0, 1, 100, 250, 1234, 777];
const PAGES = COUNTS.reduce((sum, count) => sum + Math.max(1, Math.ceil(count / 100)), 0);

interface FakeOptions {
  /** Seed of the answer order. */
  readonly seed: number;
  /** The request (1-based) that fails as no retry could cure. */
  readonly failAt?: number;
  /** Records of a window, by its start and the request's number. */
  readonly count?: (from: number, request: number) => number;
  /** Most turns of the event loop an answer waits; default 12, and 0 answers in order. */
  readonly maxTurns?: number;
}

/** Lets the event loop turn once: timers, I/O and promises due run first. */
function turn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A fake API whose answers arrive in a seeded, shuffled order. */
function shuffledApi(options: FakeOptions) {
  const random = createRandom(options.seed);
  const requests: PageRequest[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  let requestsWhenFailed: number | undefined;
  const fetchPage = async (request: PageRequest): Promise<SearchPage> => {
    const number = requests.push(request);
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    try {
      for (let turns = random.int(0, options.maxTurns ?? 12); turns > 0; turns--) await turn();
      if (number === options.failAt) {
        requestsWhenFailed = requests.length;
        throw new Error("the API went away for good");
      }
      const day = Math.round((request.window.from - JAN_1) / DAY);
      const count = options.count?.(request.window.from, number) ?? COUNTS[day] ?? 0;
      const records = Array.from(
        { length: Math.max(0, Math.min(request.limit, count - request.offset)) },
        (_, index) => ({ info: { engagementId: `${day}-${request.offset + index}` } }),
      );
      const body = new TextEncoder().encode(
        JSON.stringify({ _metadata: { count }, interactionHistoryRecords: records }),
      );
      return {
        body,
        count,
        records: records.length,
        partialResult: false,
        partialIds: [],
        openIds: [],
        fetchedAt: new Date(),
      };
    } finally {
      inFlight--;
    }
  };
  return {
    fetchPage,
    requests,
    get inFlight() {
      return inFlight;
    },
    get mostInFlight() {
      return mostInFlight;
    },
    /** Requests made when the failing one failed. */
    get requestsWhenFailed() {
      return requestsWhenFailed;
    },
  };
}

function options(rawDir: string, fetchPage: (request: PageRequest) => Promise<SearchPage>) {
  return {
    api: ENGAGEMENT_HISTORY,
    credentials: DEMO_CREDENTIALS,
    baseUrl: "http://fake",
    range: { from: JAN_1, to: JAN_1 + COUNTS.length * DAY },
    rawDir,
    fetchPage,
    concurrency: 6,
  };
}

const pageKey = (window: { from: number }, offset: number) => `${window.from}:${offset}`;

/** Every window line's generation has all its pages listed, each with the window's count. */
function assertCompleteWindowsWhole(entries: readonly ManifestEntry[]): void {
  const pages = entries.filter((entry): entry is PageEntry => entry.kind === "page");
  for (const line of entries) {
    if (line.kind !== "window") continue;
    const own = pages.filter((page) =>
      page.window.from === line.window.from && page.generation === line.generation
    );
    assert.equal(own.length, line.pages, `window ${line.window.from}: every page is stored`);
    assert.ok(own.every((page) => page.count === line.count), "one count throughout");
    assert.deepEqual(
      own.map((page) => page.offset).sort((a, b) => a - b),
      Array.from({ length: line.pages }, (_, index) => index * 100),
    );
  }
}

async function withDirs(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "lp-concurrent-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("fetchHistory() with answers in shuffled order stores what a sequential run stores, each page once", async () => {
  await withDirs(async (dir) => {
    const sequential = shuffledApi({ seed: 1 });
    await fetchHistory({ ...options(`${dir}/one`, sequential.fetchPage), concurrency: 1 });
    const api = shuffledApi({ seed: 2 });
    const progress: FetchProgress[] = [];
    const summary = await fetchHistory({
      ...options(`${dir}/six`, api.fetchPage),
      onProgress: (report) => progress.push(report),
    });
    assert.deepEqual(summary.incomplete, []);
    assert.equal(api.mostInFlight, 6, "six requests were in flight at once");
    assert.equal(api.requests.length, PAGES, "each page requested once");
    const entries = (await readStoreManifest(`${dir}/six`, ENGAGEMENT_HISTORY)).entries;
    const stored = entries.flatMap((entry) =>
      entry.kind === "page" ? [pageKey(entry.window, entry.offset)] : []
    );
    assert.equal(new Set(stored).size, PAGES, "each page stored once");
    const inOrder = [...stored].sort((a, b) => {
      const [af, ao] = a.split(":").map(Number);
      const [bf, bo] = b.split(":").map(Number);
      return af! - bf! || ao! - bo!;
    });
    assert.notDeepEqual(stored, inOrder, "pages were stored out of order");
    assertCompleteWindowsWhole(entries);
    assert.equal(entries.filter((entry) => entry.kind === "window").length, COUNTS.length);
    // Byte for byte the same pages as one request after another.
    const pagesOf = async (raw: string) => {
      const tree = await treeHash(`${raw}/engagement-history`);
      delete tree["manifest.jsonl"];
      return tree;
    };
    assert.deepEqual(await pagesOf(`${dir}/six`), await pagesOf(`${dir}/one`));
    const total = COUNTS.reduce((sum, count) => sum + count, 0);
    const ids = await storedIds(`${dir}/six`);
    assert.equal(ids.length, total);
    assert.equal(new Set(ids).size, total);
    const last = progress.at(-1)!;
    assert.deepEqual(
      [last.windowsDone, last.records, last.recordsKnown, last.pages],
      [COUNTS.length, total, total, PAGES],
    );
    assert.ok(
      progress.every((report, index) => index === 0 || report.pages >= progress[index - 1]!.pages),
    );
  });
});

Deno.test("a concurrent run cut off midway resumes to the same records, never fetching a saved page again", async () => {
  await withDirs(async (dir) => {
    const rawDir = `${dir}/raw`;
    const cut = shuffledApi({ seed: 3, failAt: 14 });
    await assert.rejects(fetchHistory(options(rawDir, cut.fetchPage)), /went away for good/);
    assert.equal(cut.inFlight, 0, "every request ended before the run did");
    assert.equal(cut.requests.length, cut.requestsWhenFailed, "none asked for after the failure");
    const afterCut = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
    assertCompleteWindowsWhole(afterCut);
    const saved = new Set(
      afterCut.flatMap((entry) =>
        entry.kind === "page" ? [pageKey(entry.window, entry.offset)] : []
      ),
    );
    assert.ok(saved.size >= 6 && saved.size < PAGES, `saved ${saved.size} of ${PAGES} pages`);

    const resumed = shuffledApi({ seed: 4 });
    const summary = await fetchHistory(options(rawDir, resumed.fetchPage));
    assert.deepEqual(summary.incomplete, []);
    const again = resumed.requests.filter((request) =>
      saved.has(pageKey(request.window, request.offset))
    );
    assert.deepEqual(again, [], "no saved page fetched again");
    assert.equal(saved.size + resumed.requests.length, PAGES, "every other page fetched once");
    const entries = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
    assertCompleteWindowsWhole(entries);
    const pageLines = entries.filter((entry) => entry.kind === "page").length;
    assert.equal(pageLines, PAGES, "each page stored once over both runs");
    const ids = await storedIds(rawDir);
    const total = COUNTS.reduce((sum, count) => sum + count, 0);
    assert.equal(ids.length, total);
    assert.equal(new Set(ids).size, total);
  });
});

Deno.test("fetchWindow() starts over when the count changes while pages arrive out of order", async () => {
  await withDirs(async (dir) => {
    const store = await RawStore.open(dir, ENGAGEMENT_HISTORY, {
      accountId: "1",
      host: "http://fake",
    });
    // Five records appear after the fourth request: answers from then on say 905.
    const api = shuffledApi({ seed: 5, count: (_, request) => request <= 4 ? 900 : 905 });
    const window = { from: JAN_1, to: JAN_1 + DAY };
    const outcome = await fetchWindow(
      { window, generation: 1, goodOffsets: new Set(), settled: true },
      { fetchPage: api.fetchPage, store, limit: 100, pool: new TaskPool(4) },
    );
    assert.deepEqual(outcome, { complete: true, generation: 2, count: 905 });
    const entries = store.manifest.entries;
    assertCompleteWindowsWhole(entries);
    const pages = entries.filter((entry): entry is PageEntry => entry.kind === "page");
    assert.ok(pages.every((page) => page.count === (page.generation === 1 ? 900 : 905)));
    assert.equal(pages.filter((page) => page.generation === 2).length, 10);
    const windows = entries.filter((entry) => entry.kind === "window");
    assert.deepEqual(windows.map((line) => [line.generation, line.count, line.pages]), [
      [2, 905, 10],
    ]);
    assert.equal(windowFolderName(window), "20240101T000000Z_20240102T000000Z");
  });
});

Deno.test("fetchWindow() ends every request of a window before it throws, and marks nothing complete", async () => {
  await withDirs(async (dir) => {
    const store = await RawStore.open(dir, ENGAGEMENT_HISTORY, {
      accountId: "1",
      host: "http://fake",
    });
    const api = shuffledApi({ seed: 6, failAt: 3, count: () => 2000 });
    const window = { from: JAN_1, to: JAN_1 + DAY };
    await assert.rejects(
      fetchWindow(
        { window, generation: 1, goodOffsets: new Set(), settled: true },
        { fetchPage: api.fetchPage, store, limit: 100, pool: new TaskPool(5) },
      ),
      /went away for good/,
    );
    assert.equal(api.inFlight, 0);
    assert.equal(
      api.requests.length,
      api.requestsWhenFailed,
      "no page asked for after the failure",
    );
    assert.ok(api.requests.length < 20);
    assert.ok(!store.manifest.entries.some((entry) => entry.kind === "window"));
  });
});

Deno.test("fetchWindow() never lets a page of a replaced generation land after its successor", async () => {
  await withDirs(async (dir) => {
    const store = await RawStore.open(dir, ENGAGEMENT_HISTORY, {
      accountId: "1",
      host: "http://fake",
    });
    // The page at offset 100 arrives with the old count and is slow to write; meanwhile the
    // next answer brings a new count, and the new generation fetches offset 100 again.
    const slowWrite = Promise.withResolvers<void>();
    const slowStore = Object.create(store, {
      writePage: {
        value: async (page: PageToWrite) => {
          if (page.generation === 1 && page.offset === 100) await slowWrite.promise;
          const entry = await store.writePage(page);
          if (page.generation === 2 && page.offset === 100) slowWrite.resolve();
          return entry;
        },
      },
      completeWindow: { value: store.completeWindow.bind(store) },
    }) as RawStore;
    const fake = shuffledApi({
      seed: 7,
      maxTurns: 0,
      count: (_, request) => (request <= 2 ? 900 : 905),
    });
    const fetchPage = async (request: PageRequest) => {
      const page = await fake.fetchPage(request);
      if (fake.requests.length === 5) {
        // Whichever comes first: the successor written, or a while with nothing to do.
        (async () => {
          for (let turns = 0; turns < 50; turns++) await turn();
          slowWrite.resolve();
        })();
      }
      return page;
    };
    const window = { from: JAN_1, to: JAN_1 + DAY };
    const outcome = await fetchWindow(
      { window, generation: 1, goodOffsets: new Set(), settled: true },
      { fetchPage, store: slowStore, limit: 100, pool: new TaskPool(4) },
    );
    assert.deepEqual(outcome, { complete: true, generation: 2, count: 905 });
    const entries = store.manifest.entries;
    const latest = [...listedPages(entries).values()];
    assert.deepEqual(latest.map((page) => [page.generation, page.count]), Array(10).fill([2, 905]));
    assert.deepEqual(await verifyStore(apiFolder(dir, ENGAGEMENT_HISTORY), entries), []);
    assertCompleteWindowsWhole(entries);
  });
});

Deno.test("fetchHistory() stops every request at once when one cannot succeed, and ends after them", async () => {
  // Two windows at once: one meets a 503 and would wait for ever; the other a 429 that
  // asks for an hour, which stops the run. The first must not keep it waiting.
  await withSimulator(
    { count: 200, days: 2, faults: { script: ["503", "429"], retryAfterSeconds: 3600 } },
    async (simulator, rawDir) => {
      const waits: number[] = [];
      await assert.rejects(
        fetchHistory(fetchOptions(simulator, rawDir, 2, {
          concurrency: 2,
          http: {
            sleep: (ms) => {
              waits.push(ms);
              return new Promise(() => {});
            },
          },
        })),
        /asked to wait 3600 s/,
      );
      assert.equal(waits.length, 1, "the 503's wait began, and was cut short");
      assert.equal(simulator.searches.length, 2);
    },
  );
});
