/**
 * Freshness: windows are final only once settled; a nightly `--since-last`
 * run picks up new, late, completed and ended records; partial records are
 * fetched again whole; the future is never requested.
 */

import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { sinceLastRange } from "../lib/fetch/cursor.ts";
import { fetchHistory } from "../lib/fetch/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { readStoreManifest } from "../lib/fetch/store_layout.ts";
import { engagementAt } from "../lib/sources/engagement_history/simulator/dataset.ts";
import { indexOfEngagementId } from "../lib/sources/engagement_history/simulator/dataset_index.ts";
import { timelineOf } from "../lib/sources/engagement_history/simulator/dataset_views.ts";
import type { Simulator } from "../lib/simulator/server.ts";
import { buildTables } from "../lib/tables/build.ts";
import { readTableCsv } from "./helpers/read_csv.ts";
import { DAY, fetchOptions, JAN_1, withSimulator } from "./helpers/simulator.ts";
import { sortedCsvLines } from "./helpers/store_checks.ts";

const HOUR = 3_600_000;
const MINUTE = 60_000;

// The account is in Tokyo: just after midnight UTC, when the first run looks, it is busy.
const DATASET = {
  count: 4000,
  days: 8,
  rates: { partialRate: 0.08, lateRate: 0.3, stuckOpenRate: 0, timeZone: "Asia/Tokyo" },
};

Deno.test("--since-last after the clock moved on gives the tables of one full fetch, every record complete", async () => {
  let clock = JAN_1 + 4 * DAY + 15 * MINUTE;
  await withSimulator({ ...DATASET, clock: () => clock }, async (simulator, rawDir) => {
    const dataset = { count: 4000, from: JAN_1, to: JAN_1 + 8 * DAY, seed: 7, ...DATASET.rates };
    const freshness = { now: () => clock, settleMs: 10 * MINUTE };
    const first = await fetchHistory(fetchOptions(simulator, rawDir, 8, freshness));
    assert.ok(first.stillOpen.length > 0, "some chats were open at the first run");
    assert.ok(
      simulator.searches.some((search) => search.id !== undefined),
      "partial ones asked for by id",
    );
    const cursor = JAN_1 + 4 * DAY;
    // Late records of the last settled day that the first run could not see yet.
    const late = simulator.recordsIn(cursor - 3 * HOUR, cursor).filter((record) => {
      const index = indexOfEngagementId(
        dataset,
        (record.info as { engagementId: string }).engagementId,
      )!;
      return timelineOf(dataset, index).visibleAt > clock;
    });
    assert.ok(late.length > 0, "late arrivals fall inside the lookback");

    clock = JAN_1 + 8 * DAY + 6 * HOUR;
    const entries = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
    const plan = sinceLastRange(entries, { lookbackMs: 3 * HOUR, to: clock, where: rawDir });
    assert.deepEqual(plan.reread, { from: cursor - 3 * HOUR, to: cursor });
    const second = await fetchHistory({
      ...fetchOptions(simulator, rawDir, 8, freshness),
      ...plan,
    });
    assert.deepEqual([second.stillOpen, second.stillPartial, second.incomplete], [[], [], []]);

    const full = `${rawDir}-full`;
    await fetchHistory(fetchOptions(simulator, full, 8, freshness));
    const incremental = await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: rawDir,
      outDir: `${rawDir}-t1`,
      formats: ["csv"],
    });
    await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: full,
      outDir: `${rawDir}-t2`,
      formats: ["csv"],
    });
    assert.equal(incremental.records, 4000);
    assert.deepEqual([incremental.stillOpen, incremental.stillPartial], [[], []]);
    assert.deepEqual(await sortedCsvLines(`${rawDir}-t1`), await sortedCsvLines(`${rawDir}-t2`));

    // Records the search showed partial are whole in the tables.
    const lines = await readTableCsv(`${rawDir}-t1/engagement-history/transcript_lines.csv`);
    const partialIndexes = Array.from({ length: 4000 }, (_, i) => i)
      .filter((i) => timelineOf(dataset, i).searchPartial);
    assert.ok(partialIndexes.length > 100);
    for (const index of partialIndexes.slice(0, 50)) {
      const record = engagementAt(dataset, index);
      const id = (record.info as { engagementId: string }).engagementId;
      const expected = (record.transcript as { lines?: unknown[] } | undefined)?.lines?.length ?? 0;
      assert.equal(lines.filter((line) => line.engagementId === id).length, expected, id);
    }
    for (const suffix of ["-full", "-t1", "-t2"]) {
      await Deno.remove(`${rawDir}${suffix}`, { recursive: true });
    }
  });
});

function windowsAsked(simulator: Simulator, since: number): number[] {
  return [
    ...new Set(
      simulator.searches.slice(since).filter((s) => s.id === undefined).map((s) => s.from),
    ),
  ];
}

Deno.test("a range that reaches into today fetches today's window again next run, and never asks for the future", async () => {
  let clock = JAN_1 + 2 * DAY + 10 * HOUR;
  await withSimulator({ count: 2000, days: 8, clock: () => clock }, async (simulator, rawDir) => {
    const options = {
      ...fetchOptions(simulator, rawDir, 8),
      range: { from: JAN_1 + DAY, to: JAN_1 + 6 * DAY },
      now: () => clock,
    };
    const first = await fetchHistory(options);
    assert.deepEqual(windowsAsked(simulator, 0), [JAN_1 + DAY, JAN_1 + 2 * DAY]);
    assert.equal(first.unsettledWindows, 1);
    assert.equal(first.readUpTo, clock);
    const manifest = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
    const settled = manifest.flatMap((e) =>
      e.kind === "window" ? [[e.window.from, e.settled]] : []
    );
    assert.deepEqual(settled, [[JAN_1 + DAY, true], [JAN_1 + 2 * DAY, false]]);

    const asked = simulator.searches.length;
    clock += HOUR;
    await fetchHistory(options);
    assert.deepEqual(
      windowsAsked(simulator, asked),
      [JAN_1 + 2 * DAY],
      "today again, yesterday not",
    );
    assert.ok(
      simulator.searches.every((search) => search.from < clock),
      "no request for the future",
    );

    const again = simulator.searches.length;
    clock = JAN_1 + 3 * DAY + 3 * HOUR;
    const settledNow = await fetchHistory(options);
    assert.deepEqual(windowsAsked(simulator, again), [JAN_1 + 2 * DAY, JAN_1 + 3 * DAY]);
    assert.equal(settledNow.unsettledWindows, 1, "the new today; the old today has settled");
  });
});

Deno.test("fetchHistory() warns that LivePerson keeps 13 months, without failing", async () => {
  await withSimulator({ count: 10, days: 1 }, async (simulator, rawDir) => {
    const notes: string[] = [];
    const summary = await fetchHistory(fetchOptions(simulator, rawDir, 1, {
      now: () => JAN_1 + 420 * DAY,
      onNote: (note) => notes.push(note),
    }));
    assert.match(notes.join("\n"), /more than 13 months ago: LivePerson keeps 13 months/);
    assert.equal(summary.incomplete.length, 0);
  });
});

Deno.test("sinceLastRange() says what to run first when no earlier run settled anything", () => {
  assert.throws(
    () =>
      sinceLastRange([], {
        lookbackMs: 2 * HOUR,
        to: Date.now(),
        where: "data/raw/engagement-history",
      }),
    /found no settled data in data\/raw\/engagement-history.*run a first fetch with dates/,
  );
});
