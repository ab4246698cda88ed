/**
 * Value formats and deliberately awkward values used by the synthetic dataset.
 *
 * @module
 */

import type { Random } from "./random.ts";

/**
 * Formats epoch ms as LivePerson writes string times: `2015-05-28 04:46:23.209+0000`,
 * or with a `T` separator when `form` is `"T"` (the documented form).
 *
 * @param ms epoch milliseconds
 * @param form `"space"` (default, what the examples show) or `"T"`
 * @returns the formatted time in UTC
 *
 * @example
 * ```ts
 * import { formatLpTime } from "./values.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatLpTime(1432788383209), "2015-05-28 04:46:23.209+0000");
 * assert.equal(formatLpTime(1432788383209, "T"), "2015-05-28T04:46:23.209+0000");
 * ```
 */
export function formatLpTime(ms: number, form: "space" | "T" = "space"): string {
  const iso = new Date(ms).toISOString().replace("Z", "+0000");
  return form === "T" ? iso : iso.replace("T", " ");
}

/**
 * Strings that break naive CSV writers, parsers and encoders: separators,
 * quotes, backslashes, line breaks, tabs, emoji, right-to-left and CJK text,
 * and surrounding spaces.
 */
export const AWKWARD_STRINGS: readonly string[] = Object.freeze([
  "order A|B|C please",
  "Smith, Jordan",
  'she said "it broke"',
  "C:\\Users\\demo\\invoice.pdf",
  "first line\r\nsecond line",
  "line one\nline two",
  "col1\tcol2",
  "thanks 🙏🏽 great help 👍",
  "שלום, אני צריך עזרה עם ההזמנה",
  "注文の状況を確認したいです",
  "  leading and trailing spaces  ",
  "Ünïcödé façade — naïve",
  '{"looks":"like json"}',
  'back\\slash and "quote" | pipe, comma',
]);

/** Sentinel strings LivePerson uses for "no value". */
export const SENTINEL_STRINGS: readonly string[] = Object.freeze(["undefined", "null", "NA", ""]);

/**
 * Returns `clean` most of the time, an awkward string with probability `rate`,
 * and occasionally a sentinel when `sentinels` is set.
 *
 * @param random the record's stream
 * @param clean the ordinary value
 * @param options `rate` of awkward values (default 0.15) and whether sentinels may appear
 * @returns the chosen value
 *
 * @example
 * ```ts
 * import { createRandom } from "./random.ts";
 * import { maybeAwkward } from "./values.ts";
 * import assert from "node:assert/strict";
 * assert.equal(maybeAwkward(createRandom(1), "plain", { rate: 0 }), "plain");
 * ```
 */
export function maybeAwkward(
  random: Random,
  clean: string,
  options: { rate?: number; sentinels?: boolean } = {},
): string {
  const roll = random.next();
  const rate = options.rate ?? 0.15;
  if (roll < rate) return random.pick(AWKWARD_STRINGS);
  if (options.sentinels && roll < rate + 0.05) return random.pick(SENTINEL_STRINGS);
  return clean;
}

/**
 * Returns an id either as a string or as a number, as the documented examples
 * mix both for the same field.
 *
 * @param random the record's stream
 * @param id the id
 * @returns `id` or `String(id)`
 *
 * @example
 * ```ts
 * import { createRandom } from "./random.ts";
 * import { mixedId } from "./values.ts";
 * import assert from "node:assert/strict";
 * assert.equal(String(mixedId(createRandom(1), 7)), "7");
 * ```
 */
export function mixedId(random: Random, id: number): number | string {
  return random.chance(0.5) ? String(id) : id;
}

/**
 * Builds a version-4-shaped UUID from the stream (deterministic, not random).
 *
 * @param random the record's stream
 * @returns a lowercase UUID string
 *
 * @example
 * ```ts
 * import { createRandom } from "./random.ts";
 * import { pseudoUuid } from "./values.ts";
 * import assert from "node:assert/strict";
 * assert.match(pseudoUuid(createRandom(1)), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
 * ```
 */
export function pseudoUuid(random: Random): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => random.int(0, 15).toString(16)).join("");
  const variant = "89ab"[random.int(0, 3)];
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
