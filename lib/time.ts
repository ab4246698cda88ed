/**
 * Time conversions between what users type, what the API takes and what the
 * tables show. Built on the built-in `Temporal`.
 *
 * - user dates (`YYYY-MM-DD`, calendar days in a chosen time zone) → epoch ms
 * - epoch ms → ISO-8601 UTC (`2024-01-01T00:00:00.000Z`)
 * - LivePerson string times (`2015-05-28 04:46:23.209+0000` or the `T` form) → ISO-8601 UTC
 * - LivePerson's "absent" sentinels (`-1` for times, `"undefined"`, `"null"`, `"NA"`) → null
 *
 * @module
 */

/** Text values LivePerson uses to mean "no value". */
export const ABSENT_TEXT_SENTINELS: ReadonlySet<string> = new Set(["undefined", "null", "NA"]);

/** Thrown for a date or time zone the user typed that cannot be used. */
export class InvalidDateError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "InvalidDateError";
  }
}

/**
 * Checks a time zone name and returns its canonical form.
 *
 * @param timeZone an IANA name such as `Europe/Berlin`, or `UTC`
 * @returns the canonical name
 * @throws {InvalidDateError} for an unknown zone, with the fix
 *
 * @example
 * ```ts
 * import { checkTimeZone } from "./time.ts";
 * import assert from "node:assert/strict";
 * assert.equal(checkTimeZone("utc"), "UTC");
 * assert.throws(() => checkTimeZone("Mars/Olympus"), /Unknown time zone/);
 * ```
 */
export function checkTimeZone(timeZone: string): string {
  try {
    return Temporal.Now.zonedDateTimeISO(timeZone).timeZoneId;
  } catch {
    throw new InvalidDateError(
      `Unknown time zone "${timeZone}" for --tz: use an IANA name such as UTC, ` +
        `Europe/London or America/New_York`,
    );
  }
}

/**
 * Parses a calendar date typed by a user.
 *
 * @param text `YYYY-MM-DD`
 * @param optionName the option it came from, for the error message (`--from`)
 * @returns the date
 * @throws {InvalidDateError} naming the option and the expected form
 *
 * @example
 * ```ts
 * import { parseUserDate } from "./time.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseUserDate("2024-02-29", "--from").toString(), "2024-02-29");
 * assert.throws(() => parseUserDate("2024-13-01", "--from"), /Invalid --from "2024-13-01"/);
 * ```
 */
export function parseUserDate(text: string, optionName: string): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new InvalidDateError(`Invalid ${optionName} "${text}": expected YYYY-MM-DD`);
  }
  try {
    return Temporal.PlainDate.from(text, { overflow: "reject" });
  } catch {
    throw new InvalidDateError(
      `Invalid ${optionName} "${text}": no such calendar day (expected YYYY-MM-DD)`,
    );
  }
}

/**
 * Epoch milliseconds of the start of a calendar day in a time zone. On a day
 * whose midnight is skipped by a DST change, the day starts at the first
 * instant that exists.
 *
 * @param date the day
 * @param timeZone IANA zone name
 * @returns epoch ms
 *
 * @example
 * ```ts
 * import { startOfDayMs } from "./time.ts";
 * import assert from "node:assert/strict";
 * const day = Temporal.PlainDate.from("2024-01-01");
 * assert.equal(startOfDayMs(day, "UTC"), Date.UTC(2024, 0, 1));
 * assert.equal(startOfDayMs(day, "America/New_York"), Date.UTC(2024, 0, 1, 5));
 * ```
 */
export function startOfDayMs(date: Temporal.PlainDate, timeZone: string): number {
  return date.toZonedDateTime({ timeZone }).epochMilliseconds;
}

/**
 * Turns the inclusive calendar-day range a user typed into a half-open range of
 * epoch ms: `--from 2024-01-01 --to 2024-01-31` is all of January in `timeZone`.
 *
 * @param from first day, `YYYY-MM-DD`
 * @param to last day (inclusive), `YYYY-MM-DD`
 * @param timeZone IANA zone name; default UTC
 * @returns `{ from, to }` in epoch ms, `to` exclusive
 * @throws {InvalidDateError} for bad dates, an unknown zone, or `to` before `from`
 *
 * @example
 * ```ts
 * import { userDateRange } from "./time.ts";
 * import assert from "node:assert/strict";
 * const range = userDateRange("2024-01-01", "2024-01-31");
 * assert.equal(range.from, Date.UTC(2024, 0, 1));
 * assert.equal(range.to, Date.UTC(2024, 1, 1));
 * ```
 */
export function userDateRange(
  from: string,
  to: string,
  timeZone = "UTC",
): { from: number; to: number } {
  const zone = checkTimeZone(timeZone);
  const first = parseUserDate(from, "--from");
  const last = parseUserDate(to, "--to");
  if (Temporal.PlainDate.compare(last, first) < 0) {
    throw new InvalidDateError(
      `--to ${to} is before --from ${from}: --to is the last day to fetch (inclusive), ` +
        `so it must be on or after --from`,
    );
  }
  return {
    from: startOfDayMs(first, zone),
    to: startOfDayMs(last.add({ days: 1 }), zone),
  };
}

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
 * describes, offsets with or without a colon, and `Z`. Sentinels give null.
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
 * assert.equal(lpTimeToIso("undefined"), null);
 * ```
 */
export function lpTimeToIso(text: string | null | undefined): string | null {
  if (text === null || text === undefined || isAbsentText(text)) return null;
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

/**
 * True for the text values LivePerson uses to mean "no value": `"undefined"`,
 * `"null"`, `"NA"` (and the empty string).
 *
 * @param text a field value
 * @returns whether it means absent
 *
 * @example
 * ```ts
 * import { isAbsentText } from "./time.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isAbsentText("NA"), true);
 * assert.equal(isAbsentText("Nadia"), false);
 * ```
 */
export function isAbsentText(text: string): boolean {
  return text.trim() === "" || ABSENT_TEXT_SENTINELS.has(text.trim());
}
