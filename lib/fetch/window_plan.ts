/**
 * Which windows a fetch works on, and how: the windows of earlier runs still
 * to finish, the windows that settled ones already cover, and for each window
 * whether to skip it, fetch it afresh or resume it.
 *
 * @module
 */

import type { RawStore } from "./raw_store.ts";
import { nextGeneration, type WindowPlan } from "./window_fetch.ts";
import { pageCount, type WindowState } from "./window_state.ts";
import { type TimeWindow, windowFolderName } from "./windows.ts";

/**
 * Whether two half-open windows share an instant.
 *
 * @param a a window
 * @param b another
 * @returns true when they overlap
 *
 * @example
 * ```ts
 * import { overlaps } from "./window_plan.ts";
 * import assert from "node:assert/strict";
 * assert.equal(overlaps({ from: 0, to: 10 }, { from: 9, to: 20 }), true);
 * assert.equal(overlaps({ from: 0, to: 10 }, { from: 10, to: 20 }), false);
 * ```
 */
export function overlaps(a: TimeWindow, b: TimeWindow): boolean {
  return a.from < b.to && b.from < a.to;
}

/**
 * Whether settled complete windows of an earlier run (of another length,
 * perhaps) cover `window` entirely, so it need not be fetched.
 *
 * @param window the window
 * @param states the stored windows
 * @returns true when covered without a gap
 */
export function coveredBySettled(window: TimeWindow, states: Iterable<WindowState>): boolean {
  const pieces = [...states]
    .filter((state) => state.completion?.settled && !state.damaged)
    .map((state) => state.window)
    .filter((piece) => piece.to > window.from && piece.from < window.to)
    .sort((a, b) => a.from - b.from);
  let reached = window.from;
  for (const piece of pieces) {
    if (piece.from > reached) return false;
    reached = Math.max(reached, piece.to);
  }
  return reached >= window.to;
}

/** What to do with one window. */
export type WindowAction = { readonly skip: true } | {
  readonly skip: false;
  readonly plan: WindowPlan;
};

/**
 * Decides what a run does with one window: skip it (complete, settled,
 * intact), fetch it afresh as a new generation, or resume its generation at
 * the pages it lacks.
 *
 * @param window the window
 * @param state what the store holds of it
 * @param context the store, whether to fetch it again anyway, whether it is settled, page size
 * @returns the action
 */
export function decideWindow(
  window: TimeWindow,
  state: WindowState | undefined,
  context: { store: RawStore; refetch: boolean; settled: boolean; limit: number },
): WindowAction {
  const fresh = (): WindowAction => ({
    skip: false,
    plan: {
      window,
      generation: nextGeneration(context.store, window),
      goodOffsets: new Set(),
      settled: context.settled,
    },
  });
  if (context.refetch || state === undefined) return fresh();
  const completion = state.completion;
  if (completion && !completion.settled) return fresh();
  // Good offsets are pages of the generation, all below its count: counting them suffices
  // (and a count can be absurd, too large to list its offsets).
  const allGood = state.goodOffsets.size >= pageCount(state.count, context.limit);
  if (completion && !state.damaged && allGood) return { skip: true };
  return {
    skip: false,
    plan: {
      window,
      generation: state.generation,
      count: state.count,
      goodOffsets: state.goodOffsets,
      settled: context.settled,
    },
  };
}

/**
 * Windows of earlier runs to work on again: incomplete, unsettled or damaged,
 * begun before now and not older than LivePerson keeps.
 *
 * @param states the stored windows
 * @param context now, the retention, and the windows the run works on anyway
 * @returns the windows
 */
export function pendingWindows(
  states: Iterable<WindowState>,
  context: { nowMs: number; retentionMs: number; skip: ReadonlySet<string> },
): TimeWindow[] {
  return [...states]
    .filter((state) => !context.skip.has(windowFolderName(state.window)))
    .filter((state) => state.damaged || state.completion === undefined || !state.completion.settled)
    .filter((state) => state.window.from < context.nowMs)
    .filter((state) => state.window.to > context.nowMs - context.retentionMs)
    .map((state) => state.window);
}
