/**
 * A binary min-heap: the smallest item first, by a comparison function.
 *
 * @module
 */

/**
 * A binary min-heap.
 *
 * @example
 * ```ts
 * import { MinHeap } from "./min_heap.ts";
 * import assert from "node:assert/strict";
 * const heap = new MinHeap<number>((a, b) => a - b);
 * for (const value of [5, 1, 4, 1, 3]) heap.push(value);
 * const out: number[] = [];
 * while (heap.size > 0) out.push(heap.pop()!);
 * assert.deepEqual(out, [1, 1, 3, 4, 5]);
 * ```
 */
export class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #compare: (a: T, b: T) => number;

  /** @param compare negative when `a` comes before `b`, as for `Array.prototype.sort` */
  constructor(compare: (a: T, b: T) => number) {
    this.#compare = compare;
  }

  /** Number of items held. */
  get size(): number {
    return this.#items.length;
  }

  /** @returns the smallest item, left in place; undefined when empty */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** @param item the item to add */
  push(item: T): void {
    const items = this.#items;
    let at = items.length;
    items.push(item);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.#compare(item, items[parent]!) >= 0) break;
      items[at] = items[parent]!;
      at = parent;
    }
    items[at] = item;
  }

  /** @returns the smallest item, removed; undefined when empty */
  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let at = 0;
    const length = items.length;
    while (true) {
      const left = 2 * at + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this.#compare(items[right]!, items[left]!) < 0 ? right : left;
      if (this.#compare(items[child]!, last) >= 0) break;
      items[at] = items[child]!;
      at = child;
    }
    items[at] = last;
    return top;
  }
}
