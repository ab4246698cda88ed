/**
 * JSON parsing that keeps every number exactly as the server wrote it.
 *
 * `JSON.parse` turns `123456789012345678` into the float `123456789012345680`
 * and `77.0` into `77`. The tables must show what LivePerson sent, so numbers
 * are parsed into raw-JSON values (the TC39 "JSON.parse source text access"
 * feature, built into Deno's V8): the original text is kept, and
 * `JSON.stringify` writes it back unchanged.
 *
 * @module
 */

/** A number kept as its source text; `JSON.stringify` writes the text back verbatim. */
export interface RawJsonNumber {
  readonly rawJSON: string;
}

interface JsonWithSourceText {
  rawJSON(text: string): RawJsonNumber;
  isRawJSON(value: unknown): value is RawJsonNumber;
  parse(
    text: string,
    reviver: (key: string, value: unknown, context?: { source?: string }) => unknown,
  ): unknown;
}

const SOURCE_JSON = JSON as unknown as JsonWithSourceText;

function keepNumberText(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && context?.source !== undefined) {
    return SOURCE_JSON.rawJSON(context.source);
  }
  return value;
}

/**
 * Parses JSON text, turning every number into a {@linkcode RawJsonNumber}
 * that holds its exact source text.
 *
 * @param text JSON text
 * @returns the parsed value
 * @throws {SyntaxError} for invalid JSON
 *
 * @example
 * ```ts
 * import { numberText, parseJsonKeepingNumbers } from "./json_text.ts";
 * import assert from "node:assert/strict";
 * const value = parseJsonKeepingNumbers('{"id": 123456789012345678, "total": 77.0}') as
 *   Record<string, unknown>;
 * assert.equal(numberText(value.id), "123456789012345678");
 * assert.equal(JSON.stringify(value), '{"id":123456789012345678,"total":77.0}');
 * ```
 */
export function parseJsonKeepingNumbers(text: string): unknown {
  // A reviver makes parsing several times slower, so it is only used when some
  // number in the text would not print back as written (77.0, 1e3, 18 digits).
  return numbersRoundTrip(text) ? JSON.parse(text) : SOURCE_JSON.parse(text, keepNumberText);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** Integers of up to 15 digits are exact as doubles, so they always print back as written. */
const EXACT_DIGITS = 15;

/** Index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

/**
 * True when every number in the JSON text prints back, with `String()`,
 * exactly as written, so plain `JSON.parse` loses nothing. One pass: strings
 * are skipped with `indexOf`, and only a number that is not a short integer
 * is cut out and printed back.
 *
 * @param text JSON text (for invalid text the answer does not matter: parsing fails either way)
 * @returns whether plain `JSON.parse` keeps every number's text
 *
 * @example
 * ```ts
 * import { numbersRoundTrip } from "./json_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(numbersRoundTrip('{"a":[1,-2,1.5],"b":"77.0 \\" 1e3"}'), true);
 * assert.equal(numbersRoundTrip('{"a":77.0}'), false);
 * assert.equal(numbersRoundTrip('{"id":123456789012345678}'), false);
 * assert.equal(numbersRoundTrip("-0"), false);
 * ```
 */
export function numbersRoundTrip(text: string): boolean {
  const length = text.length;
  let at = 0;
  while (at < length) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const end = closingQuote(text, at);
      if (end < 0) return true;
      at = end + 1;
    } else if (code === MINUS || (code >= ZERO && code <= NINE)) {
      const start = at;
      const firstDigit = code === MINUS ? start + 1 : start;
      let integer = true;
      at++;
      while (at < length) {
        const next = text.charCodeAt(at);
        if (next >= ZERO && next <= NINE) at++;
        else if (
          next === 0x2e || next === 0x65 || next === 0x45 || next === 0x2b || next === MINUS
        ) {
          integer = false;
          at++;
        } else break;
      }
      const digits = at - firstDigit;
      const short = integer && digits >= 1 && digits <= EXACT_DIGITS &&
        (text.charCodeAt(firstDigit) !== ZERO || (digits === 1 && firstDigit === start));
      if (!short) {
        const token = text.slice(start, at);
        if (String(Number(token)) !== token) return false;
      }
    } else {
      at++;
    }
  }
  return true;
}

/**
 * Tells whether a value is a number kept as source text.
 *
 * @param value any parsed value
 * @returns true for a {@linkcode RawJsonNumber}
 *
 * @example
 * ```ts
 * import { isRawJsonNumber, parseJsonKeepingNumbers } from "./json_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isRawJsonNumber(parseJsonKeepingNumbers("1.50")), true);
 * assert.equal(isRawJsonNumber("1.50"), false);
 * ```
 */
export function isRawJsonNumber(value: unknown): value is RawJsonNumber {
  return SOURCE_JSON.isRawJSON(value);
}

/**
 * The source text of a number: a {@linkcode RawJsonNumber}'s text, or a plain
 * number's `String()` (which {@linkcode parseJsonKeepingNumbers} only leaves
 * when it equals the source text); undefined for anything else.
 *
 * @param value any parsed value
 * @returns the number's text as sent
 *
 * @example
 * ```ts
 * import { numberText, parseJsonKeepingNumbers } from "./json_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(numberText(parseJsonKeepingNumbers("-1")), "-1");
 * assert.equal(numberText(parseJsonKeepingNumbers("1.50")), "1.50");
 * assert.equal(numberText("x"), undefined);
 * ```
 */
export function numberText(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  return SOURCE_JSON.isRawJSON(value) ? value.rawJSON : undefined;
}

/**
 * Tells whether a parsed value is a JSON object (not an array, not a raw number).
 *
 * @param value any parsed value
 * @returns true for a plain JSON object
 *
 * @example
 * ```ts
 * import { isJsonObject, parseJsonKeepingNumbers } from "./json_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isJsonObject({ a: 1 }), true);
 * assert.equal(isJsonObject(parseJsonKeepingNumbers("3")), false);
 * assert.equal(isJsonObject([]), false);
 * ```
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !SOURCE_JSON.isRawJSON(value);
}
