/**
 * One piece of async work at a time, in the order asked: what keeps the
 * manifest's lines whole and in step with the files they describe while
 * several pages arrive at once.
 *
 * @module
 */

/**
 * Runs async work one piece at a time, first come first served. A piece that
 * fails does not stop the next.
 *
 * @example
 * ```ts
 * import { Mutex } from "./mutex.ts";
 * import assert from "node:assert/strict";
 * const mutex = new Mutex();
 * const order: string[] = [];
 * const slow = mutex.run(async () => {
 *   await new Promise((resolve) => setTimeout(resolve, 5));
 *   order.push("slow");
 * });
 * const quick = mutex.run(() => Promise.resolve(order.push("quick")));
 * await Promise.all([slow, quick]);
 * assert.deepEqual(order, ["slow", "quick"]);
 * ```
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  /**
   * Runs `work` once every piece asked for before it has ended.
   *
   * @param work the work
   * @returns what `work` returns
   * @throws what `work` throws
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => {});
    return result;
  }
}
