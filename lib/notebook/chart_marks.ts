/**
 * Plot marks for summaries (one mark per group, never one per row), so a chart's size does
 * not grow with the data: a distribution as a band from the 25th to the 75th percentile with
 * whiskers to the 10th and 90th and a tick at the median, a rate as a bar with its 95 %
 * interval, each labelled with the count behind it.
 *
 * @module
 */
import pl from "nodejs-polars";
import * as Plot from "@observablehq/plot";

/** Options of {@linkcode distributionMarks}. */
export interface DistributionMarkOptions {
  /** The group column on the y axis. */
  readonly y: string;
  /** Fill of the 25–75 % band; default steelblue. */
  readonly fill?: string;
  /** Draw the count of each group right of its whisker; default true. */
  readonly counts?: boolean;
}

/**
 * Horizontal box summaries from `describeBy()` output: whisker p10–p90, band p25–p75, median
 * tick, and `n` to the right.
 *
 * @param stats One row per group with `p10`, `p25`, `median`, `p75`, `p90` and `n`.
 * @param options The y column and looks.
 * @returns Marks for `plotSvg`/`showChart`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { distributionMarks } from "./chart_marks.ts";
 * import { plotSvg } from "./chart.ts";
 * import assert from "node:assert/strict";
 *
 * const stats = pl.DataFrame({ skill: ["a"], n: [10], p10: [1], p25: [2], median: [3], p75: [4], p90: [5] });
 * const svg = plotSvg({ title: "Waits", marks: distributionMarks(stats, { y: "skill" }) });
 * assert.ok(svg.includes("n=10"));
 * ```
 */
export function distributionMarks(
  stats: pl.DataFrame,
  options: DistributionMarkOptions,
): Plot.Markish[] {
  const rows = stats.filter(pl.col("n").gt(0)).toRecords();
  const y = options.y;
  const marks: Plot.Markish[] = [
    Plot.ruleY(rows, { y, x1: "p10", x2: "p90", stroke: "#555" }),
    Plot.barX(rows, {
      y,
      x1: "p25",
      x2: "p75",
      fill: options.fill ?? "steelblue",
      insetTop: 4,
      insetBottom: 4,
    }),
    Plot.tickX(rows, {
      y,
      x: "median",
      stroke: "black",
      strokeWidth: 2,
      insetTop: 2,
      insetBottom: 2,
    }),
  ];
  if (options.counts ?? true) {
    marks.push(
      Plot.text(rows, {
        y,
        x: "p90",
        text: (d: { n: number }) => `n=${d.n}`,
        dx: 6,
        textAnchor: "start",
        fontSize: 10,
        fill: "#555",
      }),
    );
  }
  return marks;
}

/** Options of {@linkcode rateMarks}. */
export interface RateMarkOptions {
  /** The group column on the y axis. */
  readonly y: string;
  /** The rate column (percent); default `rate`. */
  readonly x?: string;
  /** Interval columns (percent); default `low` and `high`. */
  readonly low?: string;
  readonly high?: string;
  /** Count column shown beside each bar; default `n`. */
  readonly n?: string;
  /** Bar fill: a colour, or a column whose values the chart's color scale maps; default steelblue. */
  readonly fill?: string;
}

/**
 * A rate per group as a bar with its 95 % interval as a line and the count behind it, e.g.
 * from `rateBy()` or `scoreAnswers()`.
 *
 * @param rates One row per group.
 * @param options Column names and fill.
 * @returns Marks for `plotSvg`/`showChart`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { rateMarks } from "./chart_marks.ts";
 * import { plotSvg } from "./chart.ts";
 * import assert from "node:assert/strict";
 *
 * const rates = pl.DataFrame({ skill: ["a"], n: [40], rate: [25], low: [14], high: [40] });
 * const svg = plotSvg({ title: "Abandoned", marks: rateMarks(rates, { y: "skill" }) });
 * assert.ok(svg.includes("n=40"));
 * ```
 */
export function rateMarks(rates: pl.DataFrame, options: RateMarkOptions): Plot.Markish[] {
  const x = options.x ?? "rate";
  const low = options.low ?? "low";
  const high = options.high ?? "high";
  const n = options.n ?? "n";
  const rows = rates.filter(pl.col(x).isNotNull()).toRecords();
  return [
    Plot.barX(rows, { y: options.y, x, fill: options.fill ?? "steelblue", fillOpacity: 0.8 }),
    Plot.ruleY(rows, { y: options.y, x1: low, x2: high, stroke: "black" }),
    Plot.text(rows, {
      y: options.y,
      x: high,
      text: (d: Record<string, unknown>) => `n=${d[n]}`,
      dx: 6,
      textAnchor: "start",
      fontSize: 10,
      fill: "#555",
    }),
    Plot.ruleX([0]),
  ];
}

/**
 * A column's values in the table's order, for a scale's `domain`, so that a chart shows its
 * groups in the order the analysis sorted them (Plot would otherwise sort names).
 *
 * @param df The table.
 * @param column The column.
 * @returns Its distinct values in first-seen order.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { orderOf } from "./chart_marks.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(orderOf(pl.DataFrame({ skill: ["b", "a", "b"] }), "skill"), ["b", "a"]);
 * ```
 */
export function orderOf(df: pl.DataFrame, column: string): string[] {
  return [...new Set((df.getColumn(column).toArray() as unknown[]).map(String))];
}

/**
 * A chart height that gives each of `rows` bands the same room, plus room for axes.
 *
 * @param rows Bands on the y axis.
 * @param options Pixels per band (default 22) and for the axes (default 60).
 * @returns Height in pixels, at least 120.
 *
 * @example
 * ```ts
 * import { bandHeight } from "./chart_marks.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(bandHeight(10), 280);
 * ```
 */
export function bandHeight(rows: number, options: { row?: number; extra?: number } = {}): number {
  return Math.max(120, rows * (options.row ?? 22) + (options.extra ?? 60));
}
