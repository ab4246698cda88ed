/**
 * The page pool's order and sharing: pages come back in the order asked,
 * failures included, and the main thread does waiting pages itself while the
 * page it needs next is not ready, so it never sits idle with work waiting.
 */

import assert from "node:assert/strict";
import { type PageRowsSource, rowsInOrder } from "../lib/tables/page_pool.ts";
import type { PageRows } from "../lib/tables/page_rows.ts";

function rowsOf(path: string): PageRows {
  return {
    recordsRead: 1,
    recordsWithoutId: 0,
    ids: [path],
    starts: [null],
    states: new Uint8Array(1),
    notes: [null],
    bytes: new Uint8Array(),
    offsets: Uint32Array.of(0, 0),
    rowCounts: Uint32Array.of(0),
  };
}

/**
 * A source like the worker pool with one slow worker: it takes the first page
 * and answers only once the main thread has nothing left to help with; every
 * later page waits, and `help` does it at once.
 */
function slowWorkerSource(failing?: string) {
  const waiting: { path: string; settle: () => void }[] = [];
  const helped: string[] = [];
  let worker: (() => void) | undefined;
  const page = (path: string) => path === failing ? Promise.reject(new Error(path)) : rowsOf(path);
  const source: PageRowsSource = {
    rows: (path) =>
      new Promise<PageRows>((resolve, reject) => {
        const settle = () => Promise.resolve().then(() => page(path)).then(resolve, reject);
        if (worker === undefined) {
          // Answers in the end even if nobody helps, so that a failure shows as one, not a hang.
          const timer = setTimeout(settle, 50);
          worker = () => {
            clearTimeout(timer);
            settle();
          };
        } else {
          waiting.push({ path, settle });
        }
      }),
    help: () => {
      const next = waiting.shift();
      if (next === undefined) {
        worker?.();
        return Promise.resolve(false);
      }
      helped.push(next.path);
      next.settle();
      return Promise.resolve(true);
    },
    close: () => {},
  };
  return { source, helped };
}

Deno.test("rowsInOrder() gives pages in the order asked while the main thread helps", async () => {
  const paths = ["p0", "p1", "p2", "p3", "p4", "p5"];
  const { source, helped } = slowWorkerSource();
  const seen: string[] = [];
  for await (const rows of rowsInOrder(paths, source, 4)) {
    seen.push(rows.ids[0]!);
    // While the worker held the first page, the main thread did the three asked after it.
    if (seen.length === 1) assert.deepEqual(helped, ["p1", "p2", "p3"]);
  }
  assert.deepEqual(seen, paths);
  assert.deepEqual(helped, ["p1", "p2", "p3", "p4", "p5"]);
});

Deno.test("rowsInOrder() reports a failed page in its turn, after the pages before it", async () => {
  const { source, helped } = slowWorkerSource("p2");
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const rows of rowsInOrder(["p0", "p1", "p2", "p3"], source, 3)) {
      seen.push(rows.ids[0]!);
    }
  }, /p2/);
  assert.deepEqual(seen, ["p0", "p1"]);
  assert.ok(helped.includes("p2"), "the failing page was done by the main thread");
});
