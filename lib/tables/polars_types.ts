/**
 * The one mapping from column types to polars: how a text column of the
 * pipe-CSV becomes a typed column, for the Parquet copies and for the
 * notebooks that read the CSV.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { ColumnType } from "./schema.ts";

/** How the tables write timestamps in CSV. */
const ISO_FORMAT = "%Y-%m-%dT%H:%M:%S%.3fZ";

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
      return (options.lenientTimes
        ? pl.when(text.eq(pl.lit(""))).then(pl.lit(null)).otherwise(text)
        : text)
        .str.strptime(pl.Datetime("ms"), options.lenientTimes ? "%+" : ISO_FORMAT)
        .cast(pl.Datetime("ms", "UTC")).alias(name);
    case "string":
    case "json":
      return text.cast(pl.Utf8).alias(name);
  }
}
