/**
 * Records out in start-time order (ties by id), each once — its most
 * recently fetched copy — while memory holds only a few pages' worth.
 *
 * {@linkcode StreamSchedule} says which file to read next: always from the
 * stream that has got least far in time, so that all streams advance
 * together; and up to which start time every record has been read (its
 * watermark): a stream's records come in start order and none starts before
 * its window, so nothing unread starts earlier than the least advanced
 * stream. {@linkcode StartOrderBuffer} holds the records read but not yet
 * written and lets out, in order, those that start before the watermark.
 * Copies of one record start at the same time, so they meet in the buffer and
 * the newest is kept.
 *
 * When the data breaks those promises — a page out of order, a record that
 * starts before its window, copies with different start times — every
 * record is still written once, and the breaks are counted
 * ({@linkcode OrderReport}).
 *
 * @module
 */

import { MinHeap } from "./min_heap.ts";
import type { PageStream, StreamFile } from "./page_streams.ts";

/** Sorts after every ISO-8601 time: the place of a record without a start time. */
const NO_START = "\uffff";

/** A file in reading order, with the stream it belongs to. */
export interface ScheduledFile extends StreamFile {
  /** Index of its stream. */
  readonly stream: number;
}

/**
 * The order to read files in: each stream's files in their order, streams
 * interleaved as if each spread its records evenly over its window, so that
 * streams over the same time (windows of different lengths) advance together.
 */
function readingOrder(streams: readonly PageStream[]): ScheduledFile[] {
  const planned: { file: ScheduledFile; at: number }[] = [];
  streams.forEach((stream, index) => {
    const { from, to } = stream.window;
    const count = stream.files.length;
    stream.files.forEach((file, order) => {
      planned.push({ file: { ...file, stream: index }, at: from + ((to - from) * order) / count });
    });
  });
  // A stable sort: streams that start together are read in their given order.
  return planned.sort((a, b) => a.at - b.at).map(({ file }) => file);
}

/**
 * The order to read a store's files in, and how far every stream has been
 * read (its watermark): no unread record starts before the least advanced
 * stream's last start, or before the window of a stream not yet opened.
 *
 * @example
 * ```ts
 * import { StreamSchedule } from "./start_order.ts";
 * import assert from "node:assert/strict";
 * const day = (n: number) => Date.UTC(2024, 0, n);
 * const schedule = new StreamSchedule([
 *   { from: "2024-01-01T00:00:00.000Z", window: { from: day(1), to: day(2) }, files: [{ path: "a0", age: 1 }, { path: "a1", age: 1 }] },
 *   { from: "2024-01-02T00:00:00.000Z", window: { from: day(2), to: day(3) }, files: [{ path: "b0", age: 0 }] },
 * ]);
 * assert.deepEqual(schedule.files.map((file) => file.path), ["a0", "a1", "b0"]);
 * schedule.startFile(schedule.files[0]!);
 * schedule.advance("2024-01-01T12:00:00.000Z");
 * schedule.endFile();
 * assert.equal(schedule.watermark(), "2024-01-01T12:00:00.000Z");
 * schedule.startFile(schedule.files[1]!);
 * schedule.advance("2024-01-01T23:00:00.000Z");
 * schedule.endFile();
 * assert.equal(schedule.watermark(), "2024-01-02T00:00:00.000Z");
 * schedule.startFile(schedule.files[2]!);
 * schedule.endFile();
 * assert.equal(schedule.watermark(), undefined);
 * ```
 */
export class StreamSchedule {
  /** Every file, in the order to read them. */
  readonly files: readonly ScheduledFile[];
  readonly #streams: readonly PageStream[];
  /** Per stream: the start of the last record read from it (its window's start before). */
  readonly #positions: string[];
  /** Per stream: files not read yet. */
  readonly #unread: number[];
  /** Per stream: whether a file of it has been started. */
  readonly #opened: boolean[];
  /** Streams opened and not finished. */
  readonly #active = new Set<number>();
  /** The first stream, in window order, not opened yet. */
  #waiting = 0;
  #current = -1;

  /** @param streams the streams, earliest window first ({@linkcode pageStreams}) */
  constructor(streams: readonly PageStream[]) {
    this.#streams = streams;
    this.files = readingOrder(streams);
    this.#positions = streams.map((stream) => stream.from);
    this.#unread = streams.map((stream) => stream.files.length);
    this.#opened = streams.map(() => false);
  }

  /**
   * Starts reading a file (in the order of {@linkcode StreamSchedule.files}).
   *
   * @param file the file
   */
  startFile(file: ScheduledFile): void {
    this.#current = file.stream;
    this.#active.add(file.stream);
    this.#opened[file.stream] = true;
    while (this.#opened[this.#waiting] === true) this.#waiting++;
  }

  /**
   * Notes the start of a record read from the current file.
   *
   * @param start the record's start, ISO-8601 UTC; null when it has none
   */
  advance(start: string | null): void {
    if (start !== null && this.#current >= 0) this.#positions[this.#current] = start;
  }

  /** Ends the current file. */
  endFile(): void {
    const stream = this.#current;
    if (stream < 0) return;
    this.#unread[stream]!--;
    if (this.#unread[stream] === 0) this.#active.delete(stream);
    this.#current = -1;
  }

  /**
   * How far every stream has been read: no record still unread starts before it.
   *
   * @returns the start time, or undefined when every file has been read
   */
  watermark(): string | undefined {
    let low = this.#streams[this.#waiting]?.from;
    for (const stream of this.#active) {
      const position = this.#positions[stream]!;
      if (low === undefined || position < low) low = position;
    }
    return low;
  }
}

/** A record read, waiting for its turn. */
export interface HeldRecord<T> {
  /** Its start, ISO-8601 UTC, or null. */
  readonly start: string | null;
  readonly id: string;
  /** The age of the file it came from ({@linkcode StreamFile}): the youngest copy wins. */
  readonly age: number;
  /** What to write for it. */
  readonly value: T;
}

/** What {@linkcode StartOrderBuffer} saw of the promises it relies on. */
export interface OrderReport {
  /** Records written after a record that starts later (0 when every table is in start order). */
  readonly recordsOutOfOrder: number;
  /**
   * Copies dropped although fetched more recently than the copy kept: a copy
   * with another start time, or one read after its record was written.
   */
  readonly newerCopiesDropped: number;
  /** Examples of both (at most 20). */
  readonly problems: readonly string[];
}

interface Entry<T> extends HeldRecord<T> {
  /** Its place in reading order, so that equal records keep it. */
  readonly sequence: number;
  /** The start as compared: {@linkcode NO_START} for none. */
  readonly sortStart: string;
}

function compareEntries<T>(a: Entry<T>, b: Entry<T>): number {
  if (a.sortStart !== b.sortStart) return a.sortStart < b.sortStart ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.age - b.age || a.sequence - b.sequence;
}

/**
 * Holds records until every record that starts before them has been read,
 * then lets them out in order, each id once.
 *
 * @example
 * ```ts
 * import { StartOrderBuffer } from "./start_order.ts";
 * import assert from "node:assert/strict";
 * const buffer = new StartOrderBuffer<string>();
 * buffer.push({ start: "2024-01-02", id: "b", age: 3, value: "b, older" });
 * buffer.push({ start: "2024-01-01", id: "a", age: 3, value: "a" });
 * buffer.push({ start: "2024-01-02", id: "b", age: 0, value: "b, newer" });
 * const written: string[] = [];
 * buffer.release("2024-01-02", (record) => written.push(record.value));
 * assert.deepEqual(written, ["a"]);
 * assert.equal(buffer.release(undefined, (record) => written.push(record.value)), 1);
 * assert.deepEqual(written, ["a", "b, newer"]);
 * ```
 */
export class StartOrderBuffer<T> {
  readonly #heap = new MinHeap<Entry<T>>(compareEntries);
  /** Age of the copy written of each id. */
  readonly #written = new Map<string, number>();
  #sequence = 0;
  #last: Entry<T> | undefined;
  #outOfOrder = 0;
  #newerDropped = 0;
  readonly #problems: string[] = [];

  /** Records held. */
  get size(): number {
    return this.#heap.size;
  }

  /** Distinct records let out so far. */
  get written(): number {
    return this.#written.size;
  }

  /** @param record a record read */
  push(record: HeldRecord<T>): void {
    this.#heap.push({
      ...record,
      sequence: this.#sequence++,
      sortStart: record.start ?? NO_START,
    });
  }

  /**
   * Lets out, in start order, the records that start before `watermark` (all
   * of them when it is undefined); of several copies of a record, the one
   * from the youngest file (the first read among equals).
   *
   * @param watermark no record still unread starts before it ({@linkcode StreamSchedule.watermark})
   * @param write receives each record let out
   * @returns the copies dropped as duplicates
   */
  release(watermark: string | undefined, write: (record: HeldRecord<T>) => void): number {
    const heap = this.#heap;
    let dropped = 0;
    for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
      if (watermark !== undefined && top.sortStart >= watermark) break;
      heap.pop();
      const last = this.#last;
      if (last !== undefined && last.id === top.id && last.sortStart === top.sortStart) {
        // An older copy, sorted right behind the one written.
        dropped++;
        continue;
      }
      const writtenAge = this.#written.get(top.id);
      if (writtenAge !== undefined) {
        dropped++;
        if (top.age < writtenAge) {
          this.#newerDropped++;
          this.#problem(
            `a newer copy of ${top.id} (start ${top.start}) was read after an older copy had ` +
              `been written`,
          );
        }
        continue;
      }
      if (last !== undefined && compareEntries(top, last) < 0) {
        this.#outOfOrder++;
        this.#problem(
          `${top.id} (start ${top.start}) was written after ${last.id} (start ${last.start})`,
        );
      }
      this.#written.set(top.id, top.age);
      this.#last = top;
      write(top);
    }
    return dropped;
  }

  #problem(message: string): void {
    if (this.#problems.length < 20) this.#problems.push(message);
  }

  /** @returns what broke the order or the newest-copy rule, if anything */
  report(): OrderReport {
    return {
      recordsOutOfOrder: this.#outOfOrder,
      newerCopiesDropped: this.#newerDropped,
      problems: [...this.#problems],
    };
  }
}
