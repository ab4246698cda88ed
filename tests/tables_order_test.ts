/**
 * Rows in start-time order, each record once and its newest copy, on raw
 * stores as messy as fetches leave them: windows of two lengths over the same
 * days, a window fetched again, a record at two page boundaries, records
 * fetched again by key, pages of changed records, equal start times; and the
 * same tables whether pages are flattened on the main thread or by workers.
 */

import assert from "node:assert/strict";
import { RawStore } from "../lib/fetch/raw_store.ts";
import { readStoreManifest, storedPages } from "../lib/fetch/store_layout.ts";
import type { TimeWindow } from "../lib/fetch/windows.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { engagementAt } from "../lib/sources/engagement_history/simulator/dataset.ts";
import { buildTables } from "../lib/tables/build.ts";
import { writeTables } from "../lib/tables/write_tables.ts";
import { readTableCsv } from "./helpers/read_csv.ts";
import pl from "nodejs-polars";

const DAY = 86_400_000;
const JAN_1 = Date.UTC(2024, 0, 1);
const DATASET = { count: 240, from: JAN_1, to: JAN_1 + 3 * DAY, seed: 3 };
const { api, schema } = ENGAGEMENT_HISTORY_SOURCE;

type Engagement = { info: Record<string, unknown> } & Record<string, unknown>;

/** Record `index`, its copy labelled by the fetch that got it (in `agentFullName`). */
function copyOf(index: number, label: string): Engagement {
  const record = structuredClone(engagementAt(DATASET, index)) as Engagement;
  record.info.agentFullName = label;
  // Records 100 and 101 start at the same millisecond, the larger id first in the pages.
  if (index === 100 || index === 101) {
    const twin = engagementAt(DATASET, 100) as Engagement;
    record.info.startTime = twin.info.startTime;
    record.info.startTimeL = twin.info.startTimeL;
  }
  return record;
}

function startOf(index: number): number {
  return Number(copyOf(index, "").info.startTimeL);
}

function indexesIn(window: TimeWindow): number[] {
  const indexes: number[] = [];
  for (let index = 0; index < DATASET.count; index++) {
    const start = startOf(index);
    if (start >= window.from && start < window.to) indexes.push(index);
  }
  // The server's order for equal start times is its own: here the larger id first.
  if (indexes.includes(100) && indexes.includes(101)) {
    const at = indexes.indexOf(100);
    indexes.splice(at, 2, 101, 100);
  }
  return indexes;
}

function body(records: unknown[], count: number): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ _metadata: { count }, [api.recordsField]: records }),
  );
}

interface Fetch {
  readonly label: string;
  readonly at: Date;
}

/** A search of `window` stored in pages of `limit`, optionally repeating a record at a page boundary. */
async function storeWindow(
  store: RawStore,
  window: TimeWindow,
  fetch: Fetch,
  options: { limit: number; generation?: number; repeatAtBoundary?: boolean },
): Promise<void> {
  const indexes = indexesIn(window);
  const pages: number[][] = [];
  for (let offset = 0; offset < Math.max(1, indexes.length); offset += options.limit) {
    pages.push(indexes.slice(offset, offset + options.limit));
  }
  if (options.repeatAtBoundary && pages.length > 1) {
    // A record inserted before the second page was fetched pushed the first page's last one onto it.
    pages[1]!.unshift(pages[0]!.at(-1)!);
  }
  for (const [number, page] of pages.entries()) {
    await store.writePage({
      window,
      generation: options.generation ?? 1,
      offset: number * options.limit,
      limit: options.limit,
      count: indexes.length,
      records: page.length,
      partialResult: false,
      short: false,
      body: body(page.map((index) => copyOf(index, fetch.label)), indexes.length),
      fetchedAt: fetch.at,
    });
  }
  await store.completeWindow({
    window,
    generation: options.generation ?? 1,
    count: indexes.length,
    pages: pages.length,
    settled: true,
  });
}

/** Which fetch got the newest copy of each record, by index. */
type Newest = Map<number, string>;

/**
 * Writes a store as several fetches would leave it, and returns which label
 * each record's newest copy has.
 */
async function messyStore(rawDir: string): Promise<Newest> {
  const store = await RawStore.open(rawDir, api, { accountId: "42", host: "http://test" });
  const newest: Newest = new Map();
  const at = (hours: number) => new Date(JAN_1 + 10 * DAY + hours * 3_600_000);
  const days = [0, 1, 2].map((day) => ({ from: JAN_1 + day * DAY, to: JAN_1 + (day + 1) * DAY }));
  // Fetch A: one-day windows, pages of 30, a record repeated at a page boundary.
  for (const window of days) {
    await storeWindow(store, window, { label: "A", at: at(1) }, {
      limit: 30,
      repeatAtBoundary: true,
    });
  }
  for (let index = 0; index < DATASET.count; index++) newest.set(index, "A");
  // Fetch B: a two-day window over days 1 and 2, pages of 50.
  const twoDays = { from: JAN_1, to: JAN_1 + 2 * DAY };
  await storeWindow(store, twoDays, { label: "B", at: at(2) }, { limit: 50 });
  for (const index of indexesIn(twoDays)) newest.set(index, "B");
  // Fetch C: day 3 again, as a new generation.
  await storeWindow(store, days[2]!, { label: "C", at: at(3) }, { limit: 40, generation: 2 });
  for (const index of indexesIn(days[2]!)) newest.set(index, "C");
  // Records fetched again by key.
  for (const index of [5, 101, 230]) {
    const window = days.find((day) => startOf(index) >= day.from && startOf(index) < day.to)!;
    await store.writeRecord({
      id: String(copyOf(index, "").info.engagementId),
      window,
      records: 1,
      partial: false,
      open: false,
      body: body([copyOf(index, "R")], 1),
      fetchedAt: at(4),
    });
    newest.set(index, "R");
  }
  // A search for changed records of day 2.
  const changed = indexesIn(days[1]!).filter((_, position) => position % 7 === 0);
  await store.writeUpdatePage({
    since: JAN_1 + 9 * DAY,
    window: days[1]!,
    offset: 0,
    limit: 100,
    count: changed.length,
    records: changed.length,
    partialResult: false,
    body: body(changed.map((index) => copyOf(index, "U")), changed.length),
    fetchedAt: at(5),
  });
  for (const index of changed) newest.set(index, "U");
  return newest;
}

/** Asserts that every table's rows come in (startTime, engagementId) order. */
async function assertStartOrder(folder: string): Promise<void> {
  for (const table of schema.tables) {
    const rows = await readTableCsv(`${folder}/${table.name}.csv`);
    for (let index = 1; index < rows.length; index++) {
      const before = rows[index - 1]!;
      const row = rows[index]!;
      const keyBefore = [before.startTime ?? "\uffff", before.engagementId ?? ""];
      const key = [row.startTime ?? "\uffff", row.engagementId ?? ""];
      const inOrder = keyBefore[0]! < key[0]! ||
        (keyBefore[0] === key[0] && keyBefore[1]! <= key[1]!);
      assert.ok(inOrder, `${table.name} row ${index}: ${key} after ${keyBefore}`);
    }
  }
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tables_order_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("buildTables() writes rows in start-time order, ties by id, each record's newest copy once", async () => {
  await withDir(async (dir) => {
    const newest = await messyStore(`${dir}/raw`);
    const summary = await buildTables({
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
      source: ENGAGEMENT_HISTORY_SOURCE,
      formats: ["csv"],
    });
    assert.deepEqual(summary.order, { recordsOutOfOrder: 0, newerCopiesDropped: 0, problems: [] });
    assert.equal(summary.records, DATASET.count);
    const folder = `${dir}/tables/engagement-history`;
    await assertStartOrder(folder);
    const interactions = await readTableCsv(`${folder}/interaction.csv`);
    assert.equal(new Set(interactions.map((row) => row.engagementId)).size, DATASET.count);
    const labels = new Map(interactions.map((row) => [row.engagementId, row.agentFullName]));
    for (const [index, label] of newest) {
      const id = String(copyOf(index, "").info.engagementId);
      assert.equal(labels.get(id), label, `record ${index} (${id})`);
    }
    // The twins: same start, the smaller id first although the pages had it second.
    const twins = [100, 101].map((index) => String(copyOf(index, "").info.engagementId)).sort();
    const positions = twins.map((id) => interactions.findIndex((row) => row.engagementId === id));
    assert.equal(positions[1], positions[0]! + 1);
  });
});

Deno.test("writeTables() writes the same bytes with workers as on the main thread", async () => {
  await withDir(async (dir) => {
    await messyStore(`${dir}/raw`);
    const pages = storedPages(
      `${dir}/raw`,
      api,
      (await readStoreManifest(`${dir}/raw`, api)).entries,
    );
    const written = [];
    for (const workers of [0, 2]) {
      const folder = `${dir}/workers-${workers}`;
      written.push(await writeTables(pages, folder, { api, schema, formats: ["csv"], workers }));
      await assertStartOrder(folder);
    }
    assert.equal(written[1]!.workers, 2);
    assert.deepEqual({ ...written[1], workers: 0 }, written[0]);
    for (const table of schema.tables) {
      assert.deepEqual(
        await Deno.readFile(`${dir}/workers-2/${table.name}.csv`),
        await Deno.readFile(`${dir}/workers-0/${table.name}.csv`),
        table.name,
      );
    }
  });
});

Deno.test("a page out of start order is written once and counted, not lost", async () => {
  await withDir(async (dir) => {
    const store = await RawStore.open(`${dir}/raw`, api, { accountId: "42", host: "http://test" });
    const window = { from: JAN_1, to: JAN_1 + 3 * DAY };
    const indexes = indexesIn(window);
    // The server's pages came back with the second half first (a resumed fetch while records moved).
    const halves = [indexes.slice(120), indexes.slice(0, 120)];
    for (const [number, half] of halves.entries()) {
      await store.writePage({
        window,
        generation: 1,
        offset: number * 120,
        limit: 120,
        count: indexes.length,
        records: half.length,
        partialResult: false,
        short: false,
        body: body(half.map((index) => copyOf(index, "A")), indexes.length),
      });
    }
    await store.completeWindow({
      window,
      generation: 1,
      count: indexes.length,
      pages: 2,
      settled: true,
    });
    const summary = await buildTables({
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
      source: ENGAGEMENT_HISTORY_SOURCE,
      formats: ["csv"],
    });
    assert.equal(summary.records, DATASET.count);
    assert.ok(summary.order.recordsOutOfOrder > 0);
    assert.match(summary.order.problems[0]!, /was written after/);
    const interactions = await readTableCsv(`${dir}/tables/engagement-history/interaction.csv`);
    assert.equal(new Set(interactions.map((row) => row.engagementId)).size, DATASET.count);
  });
});

Deno.test("writeTables() makes the same CSV and Parquet from parts as from whole tables", async () => {
  await withDir(async (dir) => {
    await messyStore(`${dir}/raw`);
    const pages = storedPages(
      `${dir}/raw`,
      api,
      (await readStoreManifest(`${dir}/raw`, api)).entries,
    );
    const options = { api, schema, formats: ["csv", "parquet"] as const };
    await writeTables(pages, `${dir}/whole`, options);
    // Parts of 4 KB: most tables are written in several, and Parquet is made from them.
    await writeTables(pages, `${dir}/parts`, { ...options, partBytes: 4096 });
    assert.deepEqual(
      [...Deno.readDirSync(`${dir}/parts`)].map((entry) => entry.name).sort(),
      [...Deno.readDirSync(`${dir}/whole`)].map((entry) => entry.name).sort(),
      "no part is left behind",
    );
    for (const table of schema.tables) {
      assert.deepEqual(
        await Deno.readFile(`${dir}/parts/${table.name}.csv`),
        await Deno.readFile(`${dir}/whole/${table.name}.csv`),
        table.name,
      );
      const whole = pl.readParquet(`${dir}/whole/${table.name}.parquet`);
      const parts = pl.readParquet(`${dir}/parts/${table.name}.parquet`);
      assert.equal(parts.height, whole.height, table.name);
      assert.ok(parts.frameEqual(whole, true), table.name);
    }
    const interaction = await Deno.stat(`${dir}/whole/interaction.csv`);
    assert.ok(interaction.size > 4 * 4096, "the base table needed several parts");
  });
});
