/**
 * Time conversions between what the API sends and what the tables show,
 * built on the built-in `Temporal`:
 *
 * - epoch ms → ISO-8601 UTC (`2024-01-01T00:00:00.000Z`)
 * - LivePerson string times (`2015-05-28 04:46:23.209+0000` or the `T` form) → ISO-8601 UTC
 *
 * @module
 */

/**
 * Formats epoch milliseconds as ISO-8601 UTC; the time sentinel `-1`, and any
 * value that is not a finite number, give null.
 *
 * @param epochMs epoch milliseconds (a number or a string of digits)
 * @returns `YYYY-MM-DDTHH:mm:ss.sssZ`, or null when absent
 *
 * @example
 * ```ts
 * import { epochMsToIso } from "./time.ts";
 * import assert from "node:assert/strict";
 * assert.equal(epochMsToIso(1432788383209), "2015-05-28T04:46:23.209Z");
 * assert.equal(epochMsToIso("1432788383209"), "2015-05-28T04:46:23.209Z");
 * assert.equal(epochMsToIso(-1), null);
 * ```
 */
export function epochMsToIso(epochMs: unknown): string | null {
  const ms = typeof epochMs === "string" && /^-?\d+$/.test(epochMs.trim())
    ? Number(epochMs.trim())
    : epochMs;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) return null;
  return Temporal.Instant.fromEpochMilliseconds(Math.trunc(ms)).toString({
    fractionalSecondDigits: 3,
  });
}

/**
 * Normalises a LivePerson string time to ISO-8601 UTC. Accepts the space form
 * the API sends (`2015-05-28 04:46:23.209+0000`), the `T` form its reference
 * describes, offsets with or without a colon, and `Z`.
 *
 * @param text the time as LivePerson wrote it
 * @returns `YYYY-MM-DDTHH:mm:ss.sssZ`, or null when absent
 * @throws {RangeError} for text that is neither a time nor a sentinel
 *
 * @example
 * ```ts
 * import { lpTimeToIso } from "./time.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lpTimeToIso("2015-05-28 04:46:23.209+0000"), "2015-05-28T04:46:23.209Z");
 * assert.equal(lpTimeToIso("2015-05-28T06:46:23.209+02:00"), "2015-05-28T04:46:23.209Z");
 * assert.throws(() => lpTimeToIso("undefined"), /Not a LivePerson time/);
 * ```
 */
export function lpTimeToIso(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const match =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i
      .exec(text.trim());
  if (!match) {
    throw new RangeError(`Not a LivePerson time: "${text}"`);
  }
  const [, date, time, rawOffset] = match;
  const offset = rawOffset === undefined || /^z$/i.test(rawOffset)
    ? "+00:00"
    : rawOffset.replace(/^([+-]\d{2}):?(\d{2})$/, "$1:$2");
  return Temporal.Instant.from(`${date}T${time}${offset}`).toString({
    fractionalSecondDigits: 3,
  });
}
