/**
 * A fixed number of tasks at once, first come first served: the bound on the
 * pages a run holds in memory and the windows it works on at a time.
 *
 * @module
 */

/**
 * Runs at most `size` tasks at once; the others wait their turn in the order
 * they were asked for.
 *
 * @example
 * ```ts
 * import { TaskPool } from "./task_pool.ts";
 * import assert from "node:assert/strict";
 * const pool = new TaskPool(2);
 * let most = 0;
 * await Promise.all([1, 2, 3, 4, 5].map(() =>
 *   pool.run(async () => {
 *     most = Math.max(most, pool.running);
 *     await new Promise((resolve) => setTimeout(resolve, 1));
 *   })
 * ));
 * assert.equal(most, 2);
 * ```
 */
export class TaskPool {
  /** Most tasks running at once. */
  readonly size: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  /**
   * @param size most tasks at once, a whole number of 1 or more
   * @throws {RangeError} for any other size
   */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`Invalid pool size ${size}: use a whole number of 1 or more`);
    }
    this.size = size;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for their turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Waits for a turn and takes it.
   *
   * @returns the function that gives the turn back (calling it again does nothing)
   */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const start = () => {
        this.#running++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.#running--;
          this.#waiting.shift()?.();
        });
      };
      if (this.#running < this.size) start();
      else this.#waiting.push(start);
    });
  }

  /**
   * Runs `task` in its turn.
   *
   * @param task the task
   * @returns what the task returns
   * @throws what the task throws
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
