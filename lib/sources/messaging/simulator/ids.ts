/**
 * UUID-shaped ids that carry a number: conversation ids carry the record
 * index, consumer ids the consumer's number. The number is scrambled into the
 * last 12 hex digits by a small keyed Feistel network (a bijection on 48
 * bits), so ids look random yet decode in O(1); the other digits come from a
 * seeded stream, so decoding also verifies the whole id.
 *
 * @module
 */

import { createRandom, mixSeed } from "../../../simulator/random.ts";

const HALF_BITS = 24;
const HALF_MASK = 0xff_ffff;
const ROUNDS = 4;
/** Largest number an id can carry. */
export const MAX_ID_NUMBER = 2 ** 48 - 1;

function roundKey(seed: number, salt: number, round: number, half: number): number {
  return mixSeed(seed, half, salt * 16 + round) & HALF_MASK;
}

/**
 * Scrambles a number of at most 48 bits into another, reversibly.
 *
 * @param value the number, `0 <= value <= 2^48 - 1`
 * @param key the seed and a salt that tells the kinds of id apart
 * @returns the scrambled number
 *
 * @example
 * ```ts
 * import { scramble, unscramble } from "./ids.ts";
 * import assert from "node:assert/strict";
 * const key = { seed: 7, salt: 1 };
 * assert.equal(unscramble(scramble(12345, key), key), 12345);
 * assert.notEqual(scramble(1, key), scramble(2, key) - 1);
 * ```
 */
export function scramble(value: number, key: { seed: number; salt: number }): number {
  let left = Math.floor(value / 2 ** HALF_BITS);
  let right = value % 2 ** HALF_BITS;
  for (let round = 0; round < ROUNDS; round++) {
    [left, right] = [right, (left ^ roundKey(key.seed, key.salt, round, right)) >>> 0];
  }
  return left * 2 ** HALF_BITS + right;
}

/**
 * Reverses {@linkcode scramble}.
 *
 * @param value a scrambled number
 * @param key the key it was scrambled with
 * @returns the original number
 *
 * @example
 * ```ts
 * import { scramble, unscramble } from "./ids.ts";
 * import assert from "node:assert/strict";
 * assert.equal(unscramble(scramble(0, { seed: 1, salt: 2 }), { seed: 1, salt: 2 }), 0);
 * ```
 */
export function unscramble(value: number, key: { seed: number; salt: number }): number {
  let left = Math.floor(value / 2 ** HALF_BITS);
  let right = value % 2 ** HALF_BITS;
  for (let round = ROUNDS - 1; round >= 0; round--) {
    [left, right] = [(right ^ roundKey(key.seed, key.salt, round, left)) >>> 0, left];
  }
  return left * 2 ** HALF_BITS + right;
}

/**
 * A version-4-shaped UUID that carries `value` in its last 12 hex digits.
 *
 * @param value the number to carry, `0 <= value <= 2^48 - 1`
 * @param key the dataset seed and a salt per kind of id
 * @returns a lowercase UUID
 *
 * @example
 * ```ts
 * import { numberedUuid } from "./ids.ts";
 * import assert from "node:assert/strict";
 * const id = numberedUuid(5, { seed: 1, salt: 3 });
 * assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
 * ```
 */
export function numberedUuid(value: number, key: { seed: number; salt: number }): string {
  const random = createRandom(mixSeed(key.seed, value, 100 + key.salt));
  const hex = (n: number) =>
    Array.from({ length: n }, () => random.int(0, 15).toString(16)).join("");
  const variant = "89ab"[random.int(0, 3)];
  const tail = scramble(value, key).toString(16).padStart(12, "0");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${tail}`;
}

/**
 * The number a {@linkcode numberedUuid} carries, or undefined when the text
 * is not an id this key made.
 *
 * @param id any text
 * @param key the key the id was made with
 * @returns the number, verified
 *
 * @example
 * ```ts
 * import { numberedUuid, numberOfUuid } from "./ids.ts";
 * import assert from "node:assert/strict";
 * const key = { seed: 9, salt: 1 };
 * assert.equal(numberOfUuid(numberedUuid(42, key), key), 42);
 * assert.equal(numberOfUuid("not-an-id", key), undefined);
 * assert.equal(numberOfUuid(numberedUuid(42, key), { seed: 9, salt: 2 }), undefined);
 * ```
 */
export function numberOfUuid(id: string, key: { seed: number; salt: number }): number | undefined {
  const match = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-([0-9a-f]{12})$/.exec(id);
  if (!match) return undefined;
  const value = unscramble(parseInt(match[1]!, 16), key);
  return numberedUuid(value, key) === id ? value : undefined;
}
