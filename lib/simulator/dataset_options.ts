/**
 * What a simulated dataset holds, for any source: how many records over which
 * time span, from which seed, for which account, and how many of them are
 * late, partial or never end. Every source's dataset takes these options.
 *
 * @module
 */

import { DEMO_CREDENTIALS } from "./demo_credentials.ts";

/** What a dataset contains. */
export interface DatasetOptions {
  /** Number of records; at most `to - from` and at most {@linkcode MAX_DATASET_COUNT}. */
  count: number;
  /** Earliest start time, epoch ms (inclusive). */
  from: number;
  /** Latest start time, epoch ms (exclusive). */
  to: number;
  /** Seed of the generator; default 1. */
  seed?: number;
  /** Account id; default the demo account. */
  accountId?: string;
  /** Share of conversations that never end (abandoned, still open); default 0.03. */
  stuckOpenRate?: number;
  /** Share that appear in search only 30 to 150 minutes after they start; default 0.07. */
  lateRate?: number;
  /** Share whose search copy is partial (whole only when asked for by key); default 0.05. */
  partialRate?: number;
  /**
   * The contact centre's time zone (an IANA name): its busy hours and quiet
   * nights follow this clock; default `UTC`.
   */
  timeZone?: string;
}

/** Dataset options with their defaults filled in. */
export interface ResolvedDataset {
  readonly count: number;
  readonly from: number;
  readonly to: number;
  readonly seed: number;
  readonly accountId: string;
  readonly stuckOpenRate: number;
  readonly lateRate: number;
  readonly partialRate: number;
  readonly timeZone: string;
}

/** Largest dataset: record ids must stay within their digits. */
export const MAX_DATASET_COUNT = 100_000_000;

function checkedTimeZone(timeZone: string): string {
  if (timeZone === "UTC") return timeZone;
  try {
    return new Intl.DateTimeFormat("en", { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new RangeError(
      `Invalid dataset timeZone "${timeZone}": use an IANA name such as UTC or Europe/Berlin`,
    );
  }
}

/**
 * Checks dataset options and fills in the defaults.
 *
 * @param options the dataset
 * @returns the options, complete
 * @throws {RangeError} naming the bad option
 *
 * @example
 * ```ts
 * import { resolveDataset } from "./dataset_options.ts";
 * import assert from "node:assert/strict";
 * assert.equal(resolveDataset({ count: 1, from: 0, to: 10 }).seed, 1);
 * assert.throws(() => resolveDataset({ count: 1, from: 0, to: 10, lateRate: 2 }), /lateRate/);
 * assert.throws(() => resolveDataset({ count: 1, from: 0, to: 10, timeZone: "Mars/Base" }), /timeZone/);
 * ```
 */
export function resolveDataset(options: DatasetOptions): ResolvedDataset {
  const { count, from, to } = options;
  if (!Number.isInteger(from) || !Number.isInteger(to) || !(to > from)) {
    throw new RangeError(
      `Invalid dataset range from ${from} to ${to}: use integer epoch ms with to after from`,
    );
  }
  if (!Number.isInteger(count) || count < 0 || count > MAX_DATASET_COUNT || count > to - from) {
    throw new RangeError(
      `Invalid dataset count ${count}: use an integer from 0 to ${
        Math.min(MAX_DATASET_COUNT, to - from)
      } (at most one record per millisecond of the range)`,
    );
  }
  const rate = (name: "stuckOpenRate" | "lateRate" | "partialRate", fallback: number) => {
    const value = options[name] ?? fallback;
    if (!(value >= 0 && value <= 1)) {
      throw new RangeError(`Invalid dataset ${name} ${value}: use a share from 0 to 1`);
    }
    return value;
  };
  return {
    count,
    from,
    to,
    seed: options.seed ?? 1,
    accountId: options.accountId ?? DEMO_CREDENTIALS.accountId,
    stuckOpenRate: rate("stuckOpenRate", 0.03),
    lateRate: rate("lateRate", 0.07),
    partialRate: rate("partialRate", 0.05),
    timeZone: checkedTimeZone(options.timeZone ?? "UTC"),
  };
}
