/**
 * The raw files of a store as streams of records in start-time order.
 *
 * A search asks LivePerson for the records that start in a window, sorted by
 * start (`sort=start:asc`), so the pages of one fetch of a window (one
 * generation), read by offset, give its records in start order, none
 * starting before the window; a window fetched again may leave pages of the
 * earlier fetch beyond the new one's last page, a stream of their own. The same holds
 * for the pages of one search for changed records (one window, one `since`),
 * and a record fetched again by key is a stream of one. Each stream is
 * known, before it is read, to start no earlier than its window's start.
 *
 * @module
 */

import type { StoredPage } from "../fetch/store_layout.ts";
import { windowFolderName } from "../fetch/windows.ts";

/** One raw file of a stream. */
export interface StreamFile {
  readonly path: string;
  /** 0 for the most recently fetched file of the store, 1 for the next, …; a lower age wins. */
  readonly age: number;
}

/** Files whose records come in start order, all starting at or after `from`. */
export interface PageStream {
  /** The earliest start its records can have: its window's start, ISO-8601 UTC. */
  readonly from: string;
  /** Its window, epoch ms (to spread its files over it when planning the reading order). */
  readonly window: { readonly from: number; readonly to: number };
  /** The files, in reading order. */
  readonly files: readonly StreamFile[];
}

/**
 * Groups a store's files into streams: the pages of each window, the pages of
 * each search for changed records, and each record fetched by key; streams
 * ordered by their window's start.
 *
 * @param pages the store's files, newest fetch first (as {@linkcode storedPages} lists them)
 * @returns the streams, earliest first
 *
 * @example
 * ```ts
 * import { pageStreams } from "./page_streams.ts";
 * import assert from "node:assert/strict";
 * const window = (day: number) => ({ from: Date.UTC(2024, 0, day), to: Date.UTC(2024, 0, day + 1) });
 * const page = (day: number, offset: number) => ({
 *   path: `p${day}-${offset}`,
 *   entry: { kind: "page", window: window(day), offset },
 * });
 * const streams = pageStreams([page(2, 0), page(1, 100), page(1, 0)] as never[]);
 * assert.deepEqual(streams.map((stream) => stream.from), [
 *   "2024-01-01T00:00:00.000Z",
 *   "2024-01-02T00:00:00.000Z",
 * ]);
 * assert.deepEqual(streams[0]!.files, [{ path: "p1-0", age: 2 }, { path: "p1-100", age: 1 }]);
 * ```
 */
export function pageStreams(pages: readonly StoredPage[]): PageStream[] {
  const groups = new Map<
    string,
    { window: { from: number; to: number }; files: (StreamFile & { order: number })[] }
  >();
  pages.forEach((page, age) => {
    const entry = page.entry;
    const window = windowFolderName(entry.window);
    const key = entry.kind === "page"
      ? `page ${window} ${entry.generation}`
      : entry.kind === "update"
      ? `update ${entry.since} ${window}`
      : `record ${entry.file}`;
    const order = entry.kind === "record" ? 0 : entry.offset;
    let group = groups.get(key);
    if (group === undefined) {
      group = { window: { from: entry.window.from, to: entry.window.to }, files: [] };
      groups.set(key, group);
    }
    group.files.push({ path: page.path, age, order });
  });
  return [...groups.entries()]
    .sort(([keyA, a], [keyB, b]) =>
      a.window.from - b.window.from || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0)
    )
    .map(([, group]) => ({
      from: new Date(group.window.from).toISOString(),
      window: group.window,
      files: group.files
        .sort((a, b) => a.order - b.order || a.age - b.age)
        .map(({ path, age }) => ({ path, age })),
    }));
}
