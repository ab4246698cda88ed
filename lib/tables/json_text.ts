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

const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;
// Outside strings, every number token follows the start, ":", "[" or ",".
const NUMBER_TOKEN = /(?:^|[:[,])\s*(-?\d[\d.eE+-]*)/g;

/**
 * True when every number in the JSON text prints back, with `String()`,
 * exactly as written, so plain `JSON.parse` loses nothing.
 */
function numbersRoundTrip(text: string): boolean {
  const outsideStrings = text.replace(JSON_STRING, '""');
  NUMBER_TOKEN.lastIndex = 0;
  for (
    let match = NUMBER_TOKEN.exec(outsideStrings);
    match;
    match = NUMBER_TOKEN.exec(outsideStrings)
  ) {
    const number = match[1]!;
    if (String(Number(number)) !== number) return false;
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
