/**
 * Dates and time zones as users type them on the command line: calendar
 * days (`YYYY-MM-DD`) in an IANA time zone, read into epoch milliseconds, with
 * messages that name the option that was wrong.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/**
 * Checks a time zone name and returns its canonical form.
 *
 * @param timeZone an IANA name such as `Europe/Berlin`, or `UTC`
 * @returns the canonical name
 * @throws {UsageError} for an unknown zone, with the fix
 *
 * @example
 * ```ts
 * import { checkTimeZone } from "./dates.ts";
 * import assert from "node:assert/strict";
 * assert.equal(checkTimeZone("utc"), "UTC");
 * assert.throws(() => checkTimeZone("Mars/Olympus"), /Unknown time zone/);
 * ```
 */
export function checkTimeZone(timeZone: string): string {
  try {
    return Temporal.Now.zonedDateTimeISO(timeZone).timeZoneId;
  } catch {
    throw new UsageError(
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
 * @throws {UsageError} naming the option and the expected form
 *
 * @example
 * ```ts
 * import { parseUserDate } from "./dates.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseUserDate("2024-02-29", "--from").toString(), "2024-02-29");
 * assert.throws(() => parseUserDate("2024-13-01", "--from"), /Invalid --from "2024-13-01"/);
 * ```
 */
export function parseUserDate(text: string, optionName: string): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new UsageError(`Invalid ${optionName} "${text}": expected YYYY-MM-DD`);
  }
  try {
    return Temporal.PlainDate.from(text, { overflow: "reject" });
  } catch {
    throw new UsageError(
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
 * import { startOfDayMs } from "./dates.ts";
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
 * @throws {UsageError} for bad dates, an unknown zone, or `to` before `from`
 *
 * @example
 * ```ts
 * import { userDateRange } from "./dates.ts";
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
    throw new UsageError(
      `--to ${to} is before --from ${from}: --to is the last day to fetch (inclusive), ` +
        `so it must be on or after --from`,
    );
  }
  return {
    from: startOfDayMs(first, zone),
    to: startOfDayMs(last.add({ days: 1 }), zone),
  };
}
