/**
 * What the manifest says about each window: which fetch of it is the latest,
 * which of its pages are stored and sound, and whether it is complete — the
 * facts a run needs to skip, repair, resume or fetch a window again.
 *
 * @module
 */

import type { ManifestEntry, PageEntry, WindowEntry } from "./manifest.ts";
import { listedPages } from "./store_layout.ts";
import type { StoreProblem } from "./verify.ts";
import { type TimeWindow, windowFolderName } from "./windows.ts";

/** The state of one window in the store. */
export interface WindowState {
  readonly window: TimeWindow;
  /** The latest generation (fetch) of the window. */
  readonly generation: number;
  /** `_metadata.count` of the latest generation. */
  readonly count: number;
  /** Offsets of the latest generation's pages that are stored, sound and not flagged. */
  readonly goodOffsets: ReadonlySet<number>;
  /** The completion line of the latest generation, if it has one. */
  readonly completion: WindowEntry | undefined;
  /** Whether a page of the latest generation failed verification. */
  readonly damaged: boolean;
}

/**
 * The offsets a window's pages start at: 0, limit, 2·limit … below `count`;
 * just 0 for an empty window (its one page records that it is empty).
 *
 * @param count `_metadata.count` of the window
 * @param limit page size
 * @returns the offsets
 *
 * @example
 * ```ts
 * import { pageOffsets } from "./window_state.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pageOffsets(250, 100), [0, 100, 200]);
 * assert.deepEqual(pageOffsets(0, 100), [0]);
 * ```
 */
export function pageOffsets(count: number, limit: number): number[] {
  const offsets = [0];
  for (let offset = limit; offset < count; offset += limit) offsets.push(offset);
  return offsets;
}

/**
 * How many pages a window of `count` records has: one per `limit` records,
 * and one for an empty window. The length of {@linkcode pageOffsets}, without
 * building it (a count can be absurd).
 *
 * @param count `_metadata.count` of the window
 * @param limit page size
 * @returns the number of pages
 *
 * @example
 * ```ts
 * import { pageCount } from "./window_state.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([pageCount(250, 100), pageCount(200, 100), pageCount(0, 100)], [3, 2, 1]);
 * ```
 */
export function pageCount(count: number, limit: number): number {
  return Math.max(1, Math.ceil(count / limit));
}

/**
 * Derives every window's state from the manifest and the verification problems.
 *
 * @param entries the manifest's entries
 * @param problems files that failed verification
 * @returns window folder name → state
 *
 * @example
 * ```ts
 * import { windowStates } from "./window_state.ts";
 * import assert from "node:assert/strict";
 * assert.equal(windowStates([], []).size, 0);
 * ```
 */
export function windowStates(
  entries: readonly ManifestEntry[],
  problems: readonly StoreProblem[],
): Map<string, WindowState> {
  const bad = new Set(problems.map((problem) => problem.file));
  const pagesByWindow = new Map<string, PageEntry[]>();
  for (const entry of listedPages(entries).values()) {
    const name = windowFolderName(entry.window);
    const pages = pagesByWindow.get(name) ?? [];
    pages.push(entry);
    pagesByWindow.set(name, pages);
  }
  const completions = new Map<string, WindowEntry>();
  const generations = new Map<string, number>();
  for (const entry of entries) {
    if (entry.kind !== "page" && entry.kind !== "window") continue;
    const name = windowFolderName(entry.window);
    generations.set(name, Math.max(generations.get(name) ?? 0, entry.generation));
    if (entry.kind === "window") completions.set(`${name}#${entry.generation}`, entry);
  }
  const states = new Map<string, WindowState>();
  for (const [name, generation] of generations) {
    const latest = (pagesByWindow.get(name) ?? []).filter((page) => page.generation === generation);
    const completion = completions.get(`${name}#${generation}`);
    const window = latest[0]?.window ?? completion?.window;
    if (window === undefined) continue;
    const goodOffsets = new Set(
      latest.filter((page) => !page.partialResult && !page.short && !bad.has(page.file))
        .map((page) => page.offset),
    );
    states.set(name, {
      window,
      generation,
      count: latest[0]?.count ?? completion?.count ?? 0,
      goodOffsets,
      completion,
      damaged: latest.some((page) => bad.has(page.file)),
    });
  }
  return states;
}
