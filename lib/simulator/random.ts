/**
 * A tiny seeded pseudo-random generator (mulberry32) for the synthetic dataset.
 *
 * Every record draws from its own stream, seeded from the dataset seed and the
 * record's index, so any record can be built in O(1) without the others.
 *
 * @module
 */

/** A seeded stream of pseudo-random numbers with a few convenience draws. */
export interface Random {
  /** A float in `[0, 1)`. */
  next(): number;
  /** An integer in `[min, max]` (both inclusive). */
  int(min: number, max: number): number;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** One element of a non-empty array, each as likely as its weight (one draw). */
  pickWeighted<T>(items: readonly T[], weightOf: (item: T) => number): T;
}

/**
 * Mixes a seed, an index and a salt into one 32-bit stream seed, so that
 * neighbouring indexes give unrelated streams.
 *
 * @param seed the dataset seed
 * @param index the record index
 * @param salt distinguishes several streams of one record
 * @returns an unsigned 32-bit integer
 *
 * @example
 * ```ts
 * import { mixSeed } from "./random.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mixSeed(1, 2, 3), mixSeed(1, 2, 3));
 * assert.notEqual(mixSeed(1, 2, 3), mixSeed(1, 3, 3));
 * ```
 */
export function mixSeed(seed: number, index: number, salt = 0): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  // The index may exceed 32 bits in principle: fold its high part in too.
  h = Math.imul(h ^ (index >>> 0), 0x27d4eb2d) ^ Math.floor(index / 4294967296);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h >>> 0;
}

/**
 * Creates a mulberry32 stream.
 *
 * @param seed any 32-bit integer
 * @returns the stream
 *
 * @example
 * ```ts
 * import { createRandom } from "./random.ts";
 * import assert from "node:assert/strict";
 * const a = createRandom(42);
 * const b = createRandom(42);
 * assert.equal(a.next(), b.next());
 * const n = a.int(1, 6);
 * assert.ok(n >= 1 && n <= 6);
 * assert.equal(a.pickWeighted(["never", "always"], (item) => item === "never" ? 0 : 1), "always");
 * ```
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError("Cannot pick from an empty array");
      return items[Math.floor(next() * items.length)] as T;
    },
    pickWeighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
      if (items.length === 0) throw new RangeError("Cannot pick from an empty array");
      let total = 0;
      for (const item of items) total += weightOf(item);
      let roll = next() * total;
      for (const item of items) {
        roll -= weightOf(item);
        if (roll < 0) return item;
      }
      return items.at(-1)!;
    },
  };
}
