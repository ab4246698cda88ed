/**
 * The one-pass number check of lib/tables/json_text.ts against a reference
 * that parses every number with its source text: on generated JSON full of
 * number-like strings, escapes and numbers that do and do not print back.
 */

import assert from "node:assert/strict";
import { numbersRoundTrip, numberText, parseJsonKeepingNumbers } from "../lib/tables/json_text.ts";
import { createRandom, type Random } from "../lib/simulator/random.ts";

const NUMBERS = [
  "0",
  "-0",
  "7",
  "-1",
  "1485969115981",
  "999999999999999",
  "9007199254740993",
  "123456789012345678",
  "77.0",
  "77.5",
  "-0.25",
  "1e3",
  "1E-7",
  "2.5e+10",
  "0.1",
  "100",
  "-1234567890123456",
];
const STRINGS = ["", "77.0", '1e3 \\" 12', "a\\\\", '\\\\\\"x', ":[,-5", "ケン", "\\u0022 9.0"];

function value(random: Random, depth: number): string {
  const kind = random.int(0, depth > 2 ? 2 : 4);
  if (kind === 0) return random.pick(NUMBERS);
  if (kind === 1) return `"${random.pick(STRINGS)}"`;
  if (kind === 2) return random.pick(["true", "false", "null"]);
  const items = Array.from({ length: random.int(0, 4) }, () => value(random, depth + 1));
  if (kind === 3) return `[ ${items.join(" ,")}]`;
  return `{${items.map((item, index) => `"${random.pick(STRINGS)}${index}" :${item}`).join(",")}}`;
}

/** Whether any number of the parsed value prints back differently from its source text. */
function anyNumberChanges(parsed: unknown): boolean {
  const text = numberText(parsed);
  if (text !== undefined) return String(Number(text)) !== text;
  if (parsed === null || typeof parsed !== "object") return false;
  return Object.values(parsed as Record<string, unknown>).some(anyNumberChanges);
}

Deno.test("numbersRoundTrip() agrees with a number-by-number check on generated JSON", () => {
  const random = createRandom(11);
  let needReviver = 0;
  for (let round = 0; round < 3000; round++) {
    const text = value(random, 0);
    const reference = (JSON as unknown as {
      parse(
        text: string,
        reviver: (key: string, value: unknown, context: unknown) => unknown,
      ): unknown;
      rawJSON(text: string): unknown;
    }).parse(
      text,
      (_key, parsed, context) =>
        typeof parsed === "number"
          ? (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(
            (context as { source: string }).source,
          )
          : parsed,
    );
    const changes = anyNumberChanges(reference);
    if (changes) needReviver++;
    assert.equal(numbersRoundTrip(text), !changes, text);
  }
  assert.ok(needReviver > 100 && needReviver < 2900, `${needReviver} texts needed the reviver`);
});

Deno.test("parseJsonKeepingNumbers() keeps the text of numbers that would not print back", () => {
  const parsed = parseJsonKeepingNumbers(
    '{"s":"x\\"1.0","n":[1.0, 5, 123456789012345678, -0]}',
  ) as { s: string; n: unknown[] };
  assert.equal(parsed.s, 'x"1.0');
  assert.deepEqual(parsed.n.map(numberText), ["1.0", "5", "123456789012345678", "-0"]);
  assert.equal(numberText((parseJsonKeepingNumbers("[5, 6]") as unknown[])[0]), "5");
});
