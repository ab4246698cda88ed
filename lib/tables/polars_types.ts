/**
 * The one mapping from column types to polars: how a text column of the
 * pipe-CSV becomes a typed column, for the Parquet copies and for the
 * notebooks that read the CSV.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { ColumnType } from "./schema.ts";

/**
 * The polars type a column is read as from the tables' CSV: integers, floats
 * and booleans are parsed by polars' CSV reader into their types (a value it
 * cannot parse stops the read with an error); text, JSON and times are read as
 * text, times then turned into their type by {@linkcode typedFromText}, which
 * is faster than the reader's own parsing of times.
 *
 * @param type the column's type
 * @returns the polars type to read the column as
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { csvReadType } from "./polars_types.ts";
 * import assert from "node:assert/strict";
 * assert.ok(csvReadType("integer").equals(pl.Int64));
 * assert.ok(csvReadType("timestamp").equals(pl.Utf8));
 * ```
 */
export function csvReadType(type: ColumnType): pl.DataType {
  switch (type) {
    case "integer":
      return pl.Int64;
    case "float":
      return pl.Float64;
    case "boolean":
      return pl.Bool;
    case "timestamp":
    case "string":
    case "json":
      return pl.Utf8;
  }
}

/**
 * The expression that turns a text column into its type. The empty string of
 * a text column stays the empty string; in typed columns null is null.
 *
 * @param name the column
 * @param type its type
 * @param options `lenientTimes`: parse any ISO-8601 form (for files of other origins)
 * @returns the polars expression
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { typedFromText } from "./polars_types.ts";
 * import assert from "node:assert/strict";
 * const frame = pl.DataFrame({ n: ["1", null] }).select(typedFromText("n", "integer"));
 * assert.equal(frame.getColumn("n").dtype.variant, "Int64");
 * ```
 */
export function typedFromText(
  name: string,
  type: ColumnType,
  options: { lenientTimes?: boolean } = {},
): pl.Expr {
  const text = pl.col(name);
  switch (type) {
    case "integer":
      return text.cast(pl.Int64, false).alias(name);
    case "float":
      return text.cast(pl.Float64, false).alias(name);
    case "boolean":
      return pl.when(text.eq(pl.lit("true"))).then(pl.lit(true))
        .when(text.eq(pl.lit("false"))).then(pl.lit(false))
        .otherwise(pl.lit(null)).cast(pl.Bool).alias(name);
    case "timestamp":
      // ISO 8601 ("%+") takes the tables' form, `2024-01-01T10:00:00.123Z`, and
      // parses it faster than the form spelled out.
      return (options.lenientTimes
        ? pl.when(text.eq(pl.lit(""))).then(pl.lit(null)).otherwise(text)
        : text)
        .str.strptime(pl.Datetime("ms"), "%+")
        .cast(pl.Datetime("ms", "UTC")).alias(name);
    case "string":
    case "json":
      return text.cast(pl.Utf8).alias(name);
  }
}
