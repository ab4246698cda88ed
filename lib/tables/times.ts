/**
 * Time conversions for every cell of every row, fast: the usual forms are
 * rebuilt from their parts (the calendar date of a day computed once), the
 * rest go through Temporal (lib/time.ts).
 *
 * @module
 */

import { epochMsToIso, lpTimeToIso } from "../time.ts";

// The form LivePerson sends: UTC, milliseconds.
const UTC_LP_TIME =
  /^(\d{4}-\d{2}-\d{2})[ T]([0-2]\d):([0-5]\d):([0-5]\d)\.(\d{3})(?:\+0000|\+00:00|Z)$/;
const DAY_MS = 86_400_000;
const MAX_DATE_MS = 253402300799999;

const validDates = new Map<string, boolean>();
const dayTexts = new Map<number, string>();

function isCalendarDate(text: string): boolean {
  let valid = validDates.get(text);
  if (valid === undefined) {
    const date = new Date(`${text}T00:00:00.000Z`);
    valid = !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
    if (validDates.size > 100_000) validDates.clear();
    validDates.set(text, valid);
  }
  return valid;
}

/**
 * A LivePerson string time as ISO-8601 UTC, or undefined for text that is not
 * a time. Accepts the space form the API sends (`2015-05-28 04:46:23.209+0000`),
 * the `T` form, offsets with or without a colon, and `Z`.
 *
 * @param text the time as sent
 * @returns `YYYY-MM-DDTHH:mm:ss.sssZ`, or undefined
 *
 * @example
 * ```ts
 * import { lpTimeTextToIso } from "./times.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lpTimeTextToIso("2015-05-28 04:46:23.209+0000"), "2015-05-28T04:46:23.209Z");
 * assert.equal(lpTimeTextToIso("2015-05-28T06:46:23.209+02:00"), "2015-05-28T04:46:23.209Z");
 * assert.equal(lpTimeTextToIso("2015-02-30 04:46:23.209+0000"), undefined);
 * assert.equal(lpTimeTextToIso("soon"), undefined);
 * ```
 */
export function lpTimeTextToIso(text: string): string | undefined {
  const match = UTC_LP_TIME.exec(text);
  if (match && Number(match[2]) < 24 && isCalendarDate(match[1]!)) {
    return `${match[1]}T${match[2]}:${match[3]}:${match[4]}.${match[5]}Z`;
  }
  try {
    return lpTimeToIso(text) ?? undefined;
  } catch {
    return undefined;
  }
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * Epoch milliseconds, given as text, as ISO-8601 UTC; null for `-1` and for
 * text that is not a time.
 *
 * @param text epoch milliseconds as text (`1432788383209`)
 * @returns `YYYY-MM-DDTHH:mm:ss.sssZ`, or null
 *
 * @example
 * ```ts
 * import { epochTextToIso } from "./times.ts";
 * import assert from "node:assert/strict";
 * assert.equal(epochTextToIso("1432788383209"), "2015-05-28T04:46:23.209Z");
 * assert.equal(epochTextToIso("-1"), null);
 * ```
 */
export function epochTextToIso(text: string): string | null {
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_DATE_MS) return epochMsToIso(text);
  const day = Math.floor(ms / DAY_MS);
  let date = dayTexts.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayTexts.size > 100_000) dayTexts.clear();
    dayTexts.set(day, date);
  }
  const inDay = ms - day * DAY_MS;
  const milliseconds = inDay % 1000;
  const seconds = Math.floor(inDay / 1000) % 60;
  const minutes = Math.floor(inDay / 60_000) % 60;
  const hours = Math.floor(inDay / 3_600_000);
  const fraction = milliseconds < 10
    ? `00${milliseconds}`
    : milliseconds < 100
    ? `0${milliseconds}`
    : String(milliseconds);
  return `${date}T${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(seconds)}.${fraction}Z`;
}
