/**
 * Time conversions for every cell of every row, fast and without `Date`
 * objects: the forms LivePerson sends are checked and rebuilt character by
 * character, calendar dates computed with integer arithmetic (the date of the
 * last day seen is kept); any other form goes through Temporal (lib/time.ts).
 *
 * @module
 */

import { epochMsToIso, lpTimeToIso } from "../time.ts";

const DAY_MS = 86_400_000;
const MAX_DATE_MS = 253402300799999;
const ZERO = 0x30;

function digitAt(text: string, at: number): number {
  const digit = text.charCodeAt(at) - ZERO;
  return digit >= 0 && digit <= 9 ? digit : -1;
}

/** The number written by `count` digits at `at`, or -1 if one is not a digit. */
function numberAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let index = at; index < at + count; index++) {
    const digit = digitAt(text, index);
    if (digit < 0) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether `text` holds `YYYY-MM-DD?HH:mm:ss.sss` (any separator at 10) with real values. */
function isUtcDateTime(text: string): boolean {
  if (
    text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a || text.charCodeAt(19) !== 0x2e
  ) return false;
  const year = numberAt(text, 0, 4);
  const month = numberAt(text, 5, 2);
  const day = numberAt(text, 8, 2);
  const hours = numberAt(text, 11, 2);
  const minutes = numberAt(text, 14, 2);
  const seconds = numberAt(text, 17, 2);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    hours >= 0 && hours < 24 && minutes >= 0 && minutes < 60 && seconds >= 0 && seconds < 60 &&
    numberAt(text, 20, 3) >= 0;
}

/** The length of a UTC form LivePerson sends (`…Z`, `…+0000`, `…+00:00`), or 0. */
function utcFormLength(text: string): number {
  switch (text.length) {
    case 24:
      return text.charCodeAt(23) === 0x5a ? 24 : 0;
    case 28:
      return text.endsWith("+0000") ? 28 : 0;
    case 29:
      return text.endsWith("+00:00") ? 29 : 0;
    default:
      return 0;
  }
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
 * assert.equal(lpTimeTextToIso("2016-02-29 23:59:59.999Z"), "2016-02-29T23:59:59.999Z");
 * assert.equal(lpTimeTextToIso("2015-02-30 04:46:23.209+0000"), undefined);
 * assert.equal(lpTimeTextToIso("soon"), undefined);
 * ```
 */
export function lpTimeTextToIso(text: string): string | undefined {
  const form = utcFormLength(text);
  const separator = text.charCodeAt(10);
  if (form > 0 && (separator === 0x20 || separator === 0x54) && isUtcDateTime(text)) {
    if (form === 24 && separator === 0x54) return text;
    return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
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
 * `YYYY-MM-DD` of a day counted from 1970-01-01 (day 0 or later), by the
 * civil-from-days algorithm of Howard Hinnant's date library.
 */
function dateOfDay(day: number): string {
  const shifted = day + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) -
    Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, "0")}-${twoDigits(month)}-${twoDigits(dayOfMonth)}`;
}

let lastDay = -1;
let lastDate = "";

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
 * assert.equal(epochTextToIso("951782400000"), "2000-02-29T00:00:00.000Z");
 * assert.equal(epochTextToIso("-1"), null);
 * ```
 */
export function epochTextToIso(text: string): string | null {
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_DATE_MS) return epochMsToIso(text);
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDate = dateOfDay(day);
    lastDay = day;
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
  return `${lastDate}T${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(seconds)}.${fraction}Z`;
}
