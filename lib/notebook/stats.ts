/**
 * Summaries that keep charts small and honest at any size: one row per group with its count,
 * quantiles or rate, and the 95 % interval of a rate, so a reader sees how many answers stand
 * behind each number. Every result is sorted with a tie-break, so the same data always gives
 * the same order.
 *
 * @module
 */
import pl from "nodejs-polars";

/**
 * The 95 % Wilson score interval of a proportion: unlike ±1.96·SE it stays within 0–1 and
 * is sensible for small counts, e.g. 3 of 4.
 *
 * @param hits Successes.
 * @param n Trials.
 * @param z The normal quantile; default 1.96 (95 %).
 * @returns `[low, high]` as fractions; `[0, 1]` when `n` is 0.
 *
 * @example
 * ```ts
 * import { wilsonInterval } from "./stats.ts";
 * import assert from "node:assert/strict";
 *
 * const [low, high] = wilsonInterval(50, 100);
 * assert.ok(Math.abs(low - 0.404) < 0.001 && Math.abs(high - 0.596) < 0.001);
 * assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
 * ```
 */
export function wilsonInterval(hits: number, n: number, z = 1.96): [number, number] {
  if (n <= 0) return [0, 1];
  const p = hits / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Options of {@linkcode describeBy}. */
export interface DescribeOptions {
  /** Round the statistics to this many decimals; default 1. */
  readonly decimals?: number;
  /** Sort by `n` (largest first, the default) or by the group columns. */
  readonly order?: "n" | "group";
}

/**
 * Count, mean and quantiles (10th, 25th, 50th, 75th, 90th percentile) of a numeric column per
 * group; nulls in the value are left out. One row per group whatever the number of rows, so a
 * chart of it stays small at thirteen months as at one day.
 *
 * @param df The rows.
 * @param by Group column(s); `[]` for one row over everything.
 * @param value The numeric column.
 * @param options Rounding and order.
 * @returns The group columns, `n` (Int64), `mean`, `p10`, `p25`, `median`, `p75`, `p90`
 *   (Float64); sorted by `n` descending, ties by the group columns.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { describeBy } from "./stats.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ skill: ["a", "a", "a", "b"], wait: [10, 20, 30, null] });
 * const stats = describeBy(df, "skill", "wait");
 * assert.deepEqual(stats.select("skill", "n", "median").toRecords(), [
 *   { skill: "a", n: 3, median: 20 },
 *   { skill: "b", n: 0, median: null },
 * ]);
 * ```
 */
export function describeBy(
  df: pl.DataFrame,
  by: string | readonly string[],
  value: string,
  options: DescribeOptions = {},
): pl.DataFrame {
  const keys = typeof by === "string" ? [by] : [...by];
  const decimals = options.decimals ?? 1;
  const v = pl.col(value).cast(pl.Float64);
  const stats = [
    v.count().cast(pl.Int64).alias("n"),
    v.mean().round(decimals).alias("mean"),
    v.quantile(0.1, "linear").round(decimals).alias("p10"),
    v.quantile(0.25, "linear").round(decimals).alias("p25"),
    v.median().round(decimals).alias("median"),
    v.quantile(0.75, "linear").round(decimals).alias("p75"),
    v.quantile(0.9, "linear").round(decimals).alias("p90"),
  ];
  const out = keys.length === 0 ? df.select(...stats) : df.groupBy(keys).agg(...stats);
  return sortGroups(out, keys, options.order ?? "n", "n");
}

/** Options of {@linkcode rateBy}. */
export interface RateOptions {
  /** Sort by `n` (largest first, the default), by `rate` (highest first) or by the groups. */
  readonly order?: "n" | "rate" | "group";
}

/**
 * The share of rows where a boolean column is true, per group, with its 95 % Wilson interval
 * and the counts behind it. Rows where the flag is null are not counted.
 *
 * @param df The rows.
 * @param by Group column(s); `[]` for one row over everything.
 * @param flag A boolean column, e.g. `abandoned`.
 * @param options Order of the rows.
 * @returns The group columns, `n` and `hits` (Int64), `rate`, `low`, `high` (Float64, percent,
 *   one decimal).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { rateBy } from "./stats.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ skill: ["a", "a", "a", "a", "b"], gone: [true, false, false, false, null] });
 * const rates = rateBy(df, "skill", "gone");
 * assert.deepEqual(rates.select("skill", "n", "hits", "rate").toRecords(), [
 *   { skill: "a", n: 4, hits: 1, rate: 25 },
 *   { skill: "b", n: 0, hits: 0, rate: null },
 * ]);
 * ```
 */
export function rateBy(
  df: pl.DataFrame,
  by: string | readonly string[],
  flag: string,
  options: RateOptions = {},
): pl.DataFrame {
  const keys = typeof by === "string" ? [by] : [...by];
  const f = pl.col(flag);
  const counts = [
    f.count().cast(pl.Int64).alias("n"),
    f.cast(pl.Int64).sum().cast(pl.Int64).alias("hits"),
  ];
  const grouped = keys.length === 0 ? df.select(...counts) : df.groupBy(keys).agg(...counts);
  const records = grouped.toRecords() as Record<string, unknown>[];
  const round = (x: number) => Math.round(x * 1000) / 10;
  const rate: (number | null)[] = [];
  const low: (number | null)[] = [];
  const high: (number | null)[] = [];
  for (const row of records) {
    const n = Number(row.n);
    const hits = Number(row.hits ?? 0);
    const [l, h] = wilsonInterval(hits, n);
    rate.push(n === 0 ? null : round(hits / n));
    low.push(n === 0 ? null : round(l));
    high.push(n === 0 ? null : round(h));
  }
  const out = grouped.withColumns(
    pl.col("hits").fillNull(0),
    pl.Series("rate", rate, pl.Float64),
    pl.Series("low", low, pl.Float64),
    pl.Series("high", high, pl.Float64),
  );
  const order = options.order ?? "n";
  return order === "rate"
    ? sortGroups(out, keys, "n", "rate")
    : sortGroups(out, keys, order === "group" ? "group" : "n", "n");
}

/**
 * Sorts groups by a measure, largest first, with nulls last and ties broken by the group
 * columns; or by the group columns alone.
 *
 * @param df One row per group.
 * @param keys The group columns.
 * @param order `"group"` to sort by the keys only; anything else sorts by `measure`.
 * @param measure The column to sort by, largest first.
 * @returns The sorted table.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { sortGroups } from "./stats.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ skill: ["b", "a", "c"], n: [147, 147, null] });
 * assert.deepEqual(sortGroups(df, ["skill"], "n", "n").getColumn("skill").toArray(), ["a", "b", "c"]);
 * ```
 */
export function sortGroups(
  df: pl.DataFrame,
  keys: readonly string[],
  order: string,
  measure: string,
): pl.DataFrame {
  if (keys.length === 0) return df;
  if (order === "group") return df.sort([...keys], keys.map(() => false), true);
  return df.sort([measure, ...keys], [true, ...keys.map(() => false)], true);
}
