/**
 * Values into cells: the text a JSON value gives in a column of a given type,
 * exactly as the server sent it, or the sign that it does not fit.
 *
 * @module
 */

import { isJsonObject, numberText } from "./json_text.ts";
import type { Column } from "./schema.ts";
import { lpTimeTextToIso } from "./times.ts";

/** A value that does not fit its column's type; it is kept in `extra` instead. */
export const MISFIT: unique symbol = Symbol("misfit");

/**
 * The text of a scalar JSON value as the server sent it: strings as is,
 * numbers with their source text, booleans as `true`/`false`, and a
 * `{"string": x}` wrapper as the text of x. Undefined for anything else.
 *
 * @param value a value parsed by {@linkcode parseJsonKeepingNumbers}
 * @returns its text, or undefined if it is not a scalar
 *
 * @example
 * ```ts
 * import { scalarText } from "./cells.ts";
 * import { parseJsonKeepingNumbers } from "./json_text.ts";
 * import assert from "node:assert/strict";
 * assert.equal(scalarText(parseJsonKeepingNumbers("77.0")), "77.0");
 * assert.equal(scalarText({ string: "er100004" }), "er100004");
 * assert.equal(scalarText(false), "false");
 * assert.equal(scalarText([1]), undefined);
 * ```
 */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  const number = numberText(value);
  if (number !== undefined) return number;
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "string") {
      const inner = value.string;
      return typeof inner === "string" ? inner : numberText(inner);
    }
  }
  return undefined;
}

const INTEGER = /^-?\d{1,18}$/;
const INTEGER_19 = /^-?\d{19}$/;
const INT64_MAX = 9223372036854775807n;
const FLOAT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function fitsInteger(text: string): boolean {
  if (INTEGER.test(text)) return true;
  if (!INTEGER_19.test(text)) return false;
  const value = BigInt(text);
  return value <= INT64_MAX && value >= -INT64_MAX - 1n;
}

function fitsFloat(text: string): boolean {
  return FLOAT.test(text) && Number.isFinite(Number(text));
}

/** Turns a raw value into a column's cell (see {@linkcode cellConverter}). */
export type CellConverter = (value: unknown) => string | null | typeof MISFIT;

/** The text of any scalar, the common kinds first. */
function textOf(value: unknown): string | undefined {
  return typeof value === "string"
    ? value
    : typeof value === "number"
    ? String(value)
    : typeof value === "boolean"
    ? (value ? "true" : "false")
    : scalarText(value);
}

/**
 * The function that makes a column's cells, chosen once per column so that
 * each value takes the shortest path for its column's type.
 *
 * @param column the column
 * @returns value → cell text, null for no value, or {@linkcode MISFIT}
 *
 * @example
 * ```ts
 * import { cellConverter, MISFIT } from "./cells.ts";
 * import assert from "node:assert/strict";
 * const column = { name: "n", type: "float", role: "field", description: "", source: "" } as const;
 * const convert = cellConverter(column);
 * assert.deepEqual([convert("1.5"), convert(null), convert("x")], ["1.5", null, MISFIT]);
 * const integer = cellConverter({ ...column, type: "integer" });
 * assert.deepEqual([integer(42), integer(1.5), integer(1e21)], ["42", MISFIT, MISFIT]);
 * ```
 */
export function cellConverter(column: Column): CellConverter {
  const nullWhen = column.nullWhen !== undefined && column.nullWhen.length > 0
    ? column.nullWhen
    : undefined;
  /** Text, or null for no value, or MISFIT when the value is not a scalar. */
  const textOrNull = nullWhen === undefined
    ? (value: unknown) => {
      if (value === undefined || value === null) return null;
      return textOf(value) ?? MISFIT;
    }
    : (value: unknown) => {
      if (value === undefined || value === null) return null;
      const text = textOf(value);
      if (text === undefined) return MISFIT;
      return nullWhen.includes(text) ? null : text;
    };
  switch (column.type) {
    case "json":
      return (value) => value === undefined || value === null ? null : JSON.stringify(value);
    case "string":
      return textOrNull;
    case "integer":
      return (value) => {
        const text = textOrNull(value);
        // A safe integer prints as plain digits: only other values need the test.
        return typeof text !== "string" || Number.isSafeInteger(value) || fitsInteger(text)
          ? text
          : MISFIT;
      };
    case "float":
      return (value) => {
        const text = textOrNull(value);
        return typeof text !== "string" || fitsFloat(text) ? text : MISFIT;
      };
    case "boolean":
      return (value) => {
        const text = textOrNull(value);
        return typeof text !== "string" || text === "true" || text === "false" ? text : MISFIT;
      };
    case "timestamp":
      if (column.normalise !== "lpTime") {
        return (value) => textOrNull(value) === null ? null : MISFIT;
      }
      return (value) => {
        const text = textOrNull(value);
        if (typeof text !== "string") return text;
        return typeof value === "string" ? lpTimeTextToIso(text) ?? MISFIT : MISFIT;
      };
  }
}

/**
 * The cell a value gives in a column, or {@linkcode MISFIT} when the value
 * does not fit the column's type (a `total` of `"12,5"`, a time that is not a
 * time). For many values of one column, {@linkcode cellConverter} is faster.
 *
 * @param value the raw value, parsed with its number text kept
 * @param column the column
 * @returns the cell text, null for no value, or MISFIT
 *
 * @example
 * ```ts
 * import { cellOf, MISFIT } from "./cells.ts";
 * import assert from "node:assert/strict";
 * const column = { name: "n", type: "integer", role: "field", description: "", source: "" } as const;
 * assert.equal(cellOf("12", column), "12");
 * assert.equal(cellOf("12,5", column), MISFIT);
 * ```
 */
export function cellOf(value: unknown, column: Column): string | null | typeof MISFIT {
  return cellConverter(column)(value);
}
