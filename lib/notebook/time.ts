/**
 * Time for charts that stay readable from one day to thirteen months.
 *
 * Times are turned into *local clock* values: the instant shown in the notebook's time zone,
 * stored as if it were UTC. Grouping by day then cuts at local midnight, and Plot's `utc` scale
 * labels the axis with local days and hours. Counts over time pick their bucket from the span
 * (hours for a day or two, days up to about three months, weeks up to two years, then months),
 * and every bucket in the span gets a row, zero included, so a quiet day shows as a gap in the
 * bars rather than disappearing.
 *
 * @module
 */
import pl from "nodejs-polars";

/** How long one bar of a chart over time lasts. */
export type TimeBucket = "hour" | "day" | "week" | "month";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** polars' duration text of each bucket; weeks start on Monday. */
const EVERY: Record<TimeBucket, string> = { hour: "1h", day: "1d", week: "1w", month: "1mo" };

/**
 * An expression that turns a UTC `Datetime` column into local clock time in `timeZone`,
 * labelled UTC so that truncation, `dt.hour()` and Plot's `utc` scale all work on local time.
 *
 * @param column A `Datetime(ms, UTC)` column, e.g. `"startTime"`, or epoch milliseconds.
 * @param timeZone An IANA time zone.
 * @returns The expression, named after the column (alias it as you need).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { localClock } from "./time.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ t: [Date.UTC(2024, 6, 1, 22, 30)] })
 *   .withColumns(pl.col("t").cast(pl.Datetime("ms", "UTC")));
 * const local = df.select(localClock("t", "Europe/Berlin").dt.hour().alias("hour"));
 * assert.equal(local.getColumn("hour").get(0), 0); // 00:30 the next day in Berlin (UTC+2)
 * ```
 */
export function localClock(column: string, timeZone: string): pl.Expr {
  return pl.col(column).cast(pl.Datetime("ms", "UTC")).dt.convertTimeZone(timeZone)
    .dt.replaceTimeZone("UTC");
}

/**
 * The bucket that gives a chart over `spanMs` between about 24 and 100 bars.
 *
 * @param spanMs Length of the period shown.
 * @returns `hour` up to 3 days, `day` up to 100 days, `week` up to two years, else `month`.
 *
 * @example
 * ```ts
 * import { bucketFor } from "./time.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(bucketFor(86_400_000), "hour");
 * assert.equal(bucketFor(31 * 86_400_000), "day");
 * assert.equal(bucketFor(396 * 86_400_000), "week");
 * ```
 */
export function bucketFor(spanMs: number): TimeBucket {
  if (spanMs <= 3 * DAY_MS) return "hour";
  if (spanMs <= 100 * DAY_MS) return "day";
  if (spanMs <= 731 * DAY_MS) return "week";
  return "month";
}

/** Options of {@linkcode countPerPeriod}. */
export interface PeriodOptions {
  /** Bucket; default chosen by {@linkcode bucketFor} from the span. */
  readonly bucket?: TimeBucket;
  /** A column to split each bucket by (e.g. who handled the chat); each value gets every bucket. */
  readonly by?: string;
  /** First local day of the span (`YYYY-MM-DD`), e.g. the settings' `from`; default the data's. */
  readonly from?: string | null;
  /** Last local day of the span, included; default the data's. */
  readonly to?: string | null;
}

/** What {@linkcode countPerPeriod} returns. */
export interface PeriodCounts {
  /** Columns `period` and `periodEnd` (local clock, Datetime), `by` if asked, `count` (Int64). */
  readonly data: pl.DataFrame;
  /** The bucket used. */
  readonly bucket: TimeBucket;
}

/**
 * Counts rows per hour, day, week or month of a local-clock column, with a zero row for every
 * bucket of the span that has none.
 *
 * @param df The rows to count.
 * @param column A local-clock `Datetime` column (see {@linkcode localClock}).
 * @param options Bucket, split column and span.
 * @returns The counts in time order (then by the split value), and the bucket.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { countPerPeriod } from "./time.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ at: [Date.UTC(2024, 0, 1, 9), Date.UTC(2024, 0, 3, 9)] })
 *   .withColumns(pl.col("at").cast(pl.Datetime("ms", "UTC")));
 * const { data, bucket } = countPerPeriod(df, "at", { bucket: "day" });
 * assert.equal(bucket, "day");
 * assert.deepEqual(data.getColumn("count").toArray(), [1, 0, 1]);
 * ```
 */
export function countPerPeriod(
  df: pl.DataFrame,
  column: string,
  options: PeriodOptions = {},
): PeriodCounts {
  const [dataFirst, dataLast] = bounds(df, column);
  const first = options.from ? dayStart(options.from) : dataFirst;
  const last = options.to ? dayStart(options.to) + DAY_MS - 1 : dataLast;
  const bucket = options.bucket ??
    bucketFor(first === undefined || last === undefined ? 0 : last - first);
  const keys = options.by ? ["period", options.by] : ["period"];
  const counted = df.filter(pl.col(column).isNotNull())
    .withColumns(pl.col(column).dt.truncate(EVERY[bucket]).alias("period"))
    .groupBy(keys).agg(pl.len().cast(pl.Int64).alias("count"));
  const found = new Map<string, number>();
  for (const row of counted.toRecords() as Record<string, unknown>[]) {
    found.set(keyOf((row.period as Date).getTime(), row[options.by ?? ""]), Number(row.count));
  }
  const groups: unknown[] = options.by
    ? [...new Set(df.getColumn(options.by).toArray() as unknown[])].sort(compareValues)
    : [undefined];
  const periods: number[] = [];
  if (first !== undefined && last !== undefined) {
    for (let at = floorTo(first, bucket); at <= last; at = nextPeriod(at, bucket)) periods.push(at);
  }
  const rows: Record<string, unknown>[] = [];
  for (const period of periods) {
    for (const group of groups) {
      const row: Record<string, unknown> = {
        period: new Date(period),
        periodEnd: new Date(nextPeriod(period, bucket)),
      };
      if (options.by) row[options.by] = group;
      row.count = found.get(keyOf(period, group)) ?? 0;
      rows.push(row);
    }
  }
  const schema: Record<string, pl.DataType> = {
    period: pl.Datetime("ms", "UTC"),
    periodEnd: pl.Datetime("ms", "UTC"),
  };
  if (options.by) schema[options.by] = df.getColumn(options.by).dtype;
  schema.count = pl.Int64;
  return { data: pl.DataFrame(rows, { schema }), bucket };
}

/**
 * Label of a bucket for titles and axes: `"hour"`, `"day"`, `"week (from Monday)"`, `"month"`.
 *
 * @param bucket The bucket.
 * @returns The label.
 *
 * @example
 * ```ts
 * import { bucketLabel } from "./time.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(bucketLabel("week"), "week (from Monday)");
 * ```
 */
export function bucketLabel(bucket: TimeBucket): string {
  return bucket === "week" ? "week (from Monday)" : bucket;
}

/** Options of {@linkcode weekdayHourMeans}. */
export interface WeekdayHourOptions {
  /** First local day of the span (`YYYY-MM-DD`); default the data's first day. */
  readonly from?: string | null;
  /** Last local day of the span, included; default the data's last day. */
  readonly to?: string | null;
}

/** Monday first, as polars numbers weekdays (1 = Monday … 7 = Sunday). */
export const WEEKDAYS: readonly string[] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/**
 * The mean number of rows per weekday and hour of day: each count divided by how many times
 * that weekday occurs in the span, so that a month with five Fridays and four Mondays does not
 * make Fridays look busier. Every weekday × hour cell is present, zero included.
 *
 * @param df The rows.
 * @param column A local-clock `Datetime` column.
 * @param options The span, e.g. the settings' days.
 * @returns Columns `weekday` (Int64, 1 = Monday), `day of week` (`Mon` …), `hour` (Int64),
 *   `count` (Int64), `days` (Int64) and `perDay` (Float64), Monday 0 h first.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { weekdayHourMeans } from "./time.ts";
 * import assert from "node:assert/strict";
 *
 * // Two Mondays in the span, one row on one of them at 09:xx.
 * const df = pl.DataFrame({ at: [Date.UTC(2024, 0, 1, 9, 30)] })
 *   .withColumns(pl.col("at").cast(pl.Datetime("ms", "UTC")));
 * const means = weekdayHourMeans(df, "at", { from: "2024-01-01", to: "2024-01-08" });
 * assert.equal(means.height, 7 * 24);
 * const nine = means.filter(pl.col("weekday").eq(1).and(pl.col("hour").eq(9))).toRecords()[0];
 * assert.deepEqual([nine?.count, nine?.days, nine?.perDay], [1, 2, 0.5]);
 * ```
 */
export function weekdayHourMeans(
  df: pl.DataFrame,
  column: string,
  options: WeekdayHourOptions = {},
): pl.DataFrame {
  const [dataFirst, dataLast] = bounds(df, column);
  const first = options.from ? dayStart(options.from) : dataFirst;
  const last = options.to ? dayStart(options.to) : dataLast;
  const days = new Array(8).fill(0);
  if (first !== undefined && last !== undefined) {
    for (let day = floorTo(first, "day"); day <= last; day += DAY_MS) {
      days[isoWeekday(day)] += 1;
    }
  }
  const counted = df.filter(pl.col(column).isNotNull()).select(
    pl.col(column).dt.weekday().cast(pl.Int64).alias("weekday"),
    pl.col(column).dt.hour().cast(pl.Int64).alias("hour"),
  ).groupBy(["weekday", "hour"]).agg(pl.len().cast(pl.Int64).alias("count"));
  const found = new Map<string, number>();
  for (const row of counted.toRecords() as { weekday: number; hour: number; count: number }[]) {
    found.set(`${row.weekday}/${row.hour}`, Number(row.count));
  }
  const rows = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const count = found.get(`${weekday}/${hour}`) ?? 0;
      const n = days[weekday] as number;
      rows.push({
        weekday,
        "day of week": WEEKDAYS[weekday - 1],
        hour,
        count,
        days: n,
        perDay: n === 0 ? null : count / n,
      });
    }
  }
  return pl.DataFrame(rows, {
    schema: {
      weekday: pl.Int64,
      "day of week": pl.String,
      hour: pl.Int64,
      count: pl.Int64,
      days: pl.Int64,
      perDay: pl.Float64,
    },
  });
}

/**
 * Counts rows per hour of day (0–23, every hour present) of a local-clock column.
 *
 * @param df The rows.
 * @param column A local-clock `Datetime` column.
 * @returns Columns `hour` and `count` (Int64), hour 0 first.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { countPerHourOfDay } from "./time.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ at: [Date.UTC(2024, 0, 1, 23)] })
 *   .withColumns(pl.col("at").cast(pl.Datetime("ms", "UTC")));
 * const perHour = countPerHourOfDay(df, "at");
 * assert.equal(perHour.height, 24);
 * assert.equal(perHour.getColumn("count").get(23), 1);
 * ```
 */
export function countPerHourOfDay(df: pl.DataFrame, column: string): pl.DataFrame {
  const counted = df.filter(pl.col(column).isNotNull())
    .select(pl.col(column).dt.hour().cast(pl.Int64).alias("hour"))
    .groupBy("hour").agg(pl.len().cast(pl.Int64).alias("count"));
  const found = new Map<number, number>();
  for (const row of counted.toRecords() as { hour: number; count: number }[]) {
    found.set(Number(row.hour), Number(row.count));
  }
  const hours = Array.from({ length: 24 }, (_, hour) => hour);
  return pl.DataFrame({
    hour: pl.Series("hour", hours, pl.Int64),
    count: pl.Series("count", hours.map((hour) => found.get(hour) ?? 0), pl.Int64),
  });
}

/** The first and last value of a Datetime column as epoch ms; undefined when it has none. */
function bounds(df: pl.DataFrame, column: string): [number | undefined, number | undefined] {
  const row = df.select(
    pl.col(column).cast(pl.Int64).min().alias("first"),
    pl.col(column).cast(pl.Int64).max().alias("last"),
  ).toRecords()[0] as { first: unknown; last: unknown } | undefined;
  const ms = (value: unknown) => value === null || value === undefined ? undefined : Number(value);
  return [ms(row?.first), ms(row?.last)];
}

/** Midnight of a `YYYY-MM-DD` day on the local clock (labelled UTC). */
function dayStart(day: string): number {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, date);
}

function floorTo(ms: number, bucket: TimeBucket): number {
  const date = new Date(ms);
  switch (bucket) {
    case "hour":
      return Math.floor(ms / HOUR_MS) * HOUR_MS;
    case "day":
      return Math.floor(ms / DAY_MS) * DAY_MS;
    case "week": {
      const day = Math.floor(ms / DAY_MS) * DAY_MS;
      return day - (isoWeekday(day) - 1) * DAY_MS;
    }
    case "month":
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
}

function nextPeriod(ms: number, bucket: TimeBucket): number {
  const date = new Date(ms);
  switch (bucket) {
    case "hour":
      return ms + HOUR_MS;
    case "day":
      return ms + DAY_MS;
    case "week":
      return ms + 7 * DAY_MS;
    case "month":
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(ms: number): number {
  return ((new Date(ms).getUTCDay() + 6) % 7) + 1;
}

function keyOf(period: number, group: unknown): string {
  return `${period}\u0000${group === null ? "\u0001null" : String(group)}`;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return String(a) < String(b) ? -1 : 1;
}
