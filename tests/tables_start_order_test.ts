/**
 * StreamSchedule and StartOrderBuffer on generated stores: windows of two
 * lengths over the same days, copies of records fetched at different times,
 * equal start times. Whatever the store, records come out in (start, id)
 * order, each once, as its youngest copy; and the buffer holds only about a
 * page per stream, however many records pass through.
 */

import assert from "node:assert/strict";
import { createRandom, type Random } from "../lib/simulator/random.ts";
import type { PageStream } from "../lib/tables/page_streams.ts";
import { type HeldRecord, StartOrderBuffer, StreamSchedule } from "../lib/tables/start_order.ts";

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

interface Copy {
  readonly start: string;
  readonly id: string;
  readonly age: number;
}

/** Records of `days` days, `perHour` an hour; several share each start time. */
function records(random: Random, days: number, perHour: number): { id: string; at: number }[] {
  const list: { id: string; at: number }[] = [];
  for (let hour = 0; hour < days * 24; hour++) {
    for (let index = 0; index < perHour; index++) {
      // Whole minutes, so that equal start times are common.
      const at = T0 + hour * HOUR + random.int(0, 59) * 60_000;
      list.push({ id: `r${hour}-${index}`, at });
    }
  }
  return list;
}

/** One fetch: windows of `hours`, pages of `limit`, sorted by start (ids in any order on ties). */
function fetchStreams(
  random: Random,
  all: readonly { id: string; at: number }[],
  options: { hours: number; limit: number; age: number; days: number },
): { streams: PageStream[]; pages: Map<string, Copy[]> } {
  const streams: PageStream[] = [];
  const pages = new Map<string, Copy[]>();
  for (let from = T0; from < T0 + options.days * 24 * HOUR; from += options.hours * HOUR) {
    const to = from + options.hours * HOUR;
    const inWindow = all.filter((record) => record.at >= from && record.at < to)
      .map((record) => ({ ...record, tie: random.next() }))
      .sort((a, b) => a.at - b.at || a.tie - b.tie);
    const files = [];
    for (let offset = 0; offset < Math.max(1, inWindow.length); offset += options.limit) {
      const path = `age${options.age}/${from}/${offset}`;
      pages.set(
        path,
        inWindow.slice(offset, offset + options.limit).map((record) => ({
          start: new Date(record.at).toISOString(),
          id: record.id,
          age: options.age,
        })),
      );
      files.push({ path, age: options.age });
    }
    streams.push({ from: new Date(from).toISOString(), window: { from, to }, files });
  }
  return { streams, pages };
}

/** Runs the schedule and the buffer as the tables step does; returns what came out and the peak held. */
function run(streams: PageStream[], pages: Map<string, Copy[]>) {
  const sorted = [...streams].sort((a, b) => a.window.from - b.window.from);
  const schedule = new StreamSchedule(sorted);
  const buffer = new StartOrderBuffer<Copy>();
  const written: Copy[] = [];
  const write = (record: HeldRecord<Copy>) => written.push(record.value);
  let peak = 0;
  for (const file of schedule.files) {
    schedule.startFile(file);
    for (const copy of pages.get(file.path)!) {
      schedule.advance(copy.start);
      buffer.push({ start: copy.start, id: copy.id, age: file.age, value: copy });
    }
    schedule.endFile();
    peak = Math.max(peak, buffer.size);
    buffer.release(schedule.watermark(), write);
  }
  buffer.release(undefined, write);
  return { written, peak, report: buffer.report() };
}

function assertOrderedOnceYoungest(written: readonly Copy[], ids: readonly string[]): void {
  for (let index = 1; index < written.length; index++) {
    const [a, b] = [written[index - 1]!, written[index]!];
    assert.ok(a.start < b.start || (a.start === b.start && a.id < b.id), `${a.id} before ${b.id}`);
  }
  assert.deepEqual(written.map((copy) => copy.id).sort(), [...ids].sort());
}

Deno.test("one fetch with one-day windows: ordered, each record once, about a page held", () => {
  const random = createRandom(21);
  const all = records(random, 10, 40);
  const { streams, pages } = fetchStreams(random, all, { hours: 24, limit: 100, age: 0, days: 10 });
  const { written, peak, report } = run(streams, pages);
  assertOrderedOnceYoungest(written, all.map((record) => record.id));
  assert.deepEqual(report.recordsOutOfOrder, 0);
  // 9600 records pass; the buffer never holds much more than one page of 100.
  assert.ok(peak <= 200, `held at most ${peak}`);
});

Deno.test("windows of two lengths fetched at different times: the youngest copy wins, in order", () => {
  const random = createRandom(5);
  const all = records(random, 6, 20);
  const older = fetchStreams(random, all, { hours: 24, limit: 50, age: 2, days: 6 });
  const newer = fetchStreams(random, all.filter((_, index) => index % 3 === 0), {
    hours: 72,
    limit: 70,
    age: 1,
    days: 6,
  });
  const newest = fetchStreams(random, all.filter((_, index) => index % 7 === 0), {
    hours: 6,
    limit: 30,
    age: 0,
    days: 6,
  });
  const pages = new Map([...older.pages, ...newer.pages, ...newest.pages]);
  const { written, peak, report } = run(
    [...older.streams, ...newer.streams, ...newest.streams],
    pages,
  );
  assertOrderedOnceYoungest(written, all.map((record) => record.id));
  assert.deepEqual(report, { recordsOutOfOrder: 0, newerCopiesDropped: 0, problems: [] });
  const expectedAge = (index: number) => index % 7 === 0 ? 0 : index % 3 === 0 ? 1 : 2;
  const ages = new Map(written.map((copy) => [copy.id, copy.age]));
  all.forEach((record, index) => assert.equal(ages.get(record.id), expectedAge(index), record.id));
  // Overlapping streams advance together: a few pages, not a window of three days (1440 records).
  assert.ok(peak <= 400, `held at most ${peak}`);
});
