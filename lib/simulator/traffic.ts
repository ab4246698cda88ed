/**
 * How busy a simulated contact centre is at each hour: a weekly rhythm (busy
 * weekday mornings and afternoons, quiet nights and weekends) on the
 * dataset's local clock, times a seeded day-to-day swing. Records are spread
 * over a dataset's range in proportion to it: the start-time machinery maps
 * each record's evenly spaced "virtual" slot onto real time through the
 * piecewise-linear warp built here, so start times still strictly increase
 * with the index and any record's start is found without building the others.
 *
 * The profile of a dataset (one piece per clock hour) is computed once and
 * remembered for a handful of datasets.
 *
 * @module
 */

import type { ResolvedDataset } from "./dataset_options.ts";
import { createRandom, mixSeed } from "./random.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The salt of the stream a day's swing is drawn from. */
const STREAM_DAY = 60;
/** Ranges with more pieces than this are spread evenly (over 22 years). */
const MAX_PIECES = 200_000;
/** Profiles remembered at once. */
const MAX_REMEMBERED = 8;

/** Relative traffic by local hour on Monday to Friday. */
const WEEKDAY_HOURS = [
  0.1,
  0.07,
  0.05,
  0.05,
  0.06,
  0.1,
  0.22,
  0.45,
  0.85,
  1.25,
  1.45,
  1.4,
  1.1,
  1.2,
  1.4,
  1.35,
  1.2,
  0.95,
  0.7,
  0.55,
  0.45,
  0.35,
  0.25,
  0.16,
] as const;

/** Relative traffic by local hour on Saturday and Sunday: later, lower, flatter. */
const WEEKEND_HOURS = [
  0.12,
  0.08,
  0.06,
  0.05,
  0.05,
  0.07,
  0.12,
  0.2,
  0.32,
  0.45,
  0.55,
  0.6,
  0.58,
  0.55,
  0.55,
  0.52,
  0.48,
  0.42,
  0.38,
  0.35,
  0.3,
  0.26,
  0.2,
  0.15,
] as const;

/** Relative traffic by ISO weekday (index 1 = Monday … 7 = Sunday). */
const WEEKDAYS = [0, 1.12, 1.05, 1, 0.98, 0.9, 1, 0.85] as const;

/** The local wall clock at a moment. */
export interface LocalClock {
  /** Hour of the day, 0–23. */
  readonly hour: number;
  /** ISO weekday: 1 Monday … 7 Sunday. */
  readonly weekday: number;
  /** Days since 1970-01-01 of the local date. */
  readonly epochDay: number;
}

/** A dataset's traffic: pieces of real time, their weight and their virtual length. */
export interface TrafficProfile {
  /** Records are spread evenly: the range is too short, too long or too dense for a rhythm. */
  readonly even: boolean;
  /** Real offsets from `from` where each piece starts, then the span. */
  readonly realEdges: Float64Array;
  /** Virtual offsets where each piece starts, then the span. */
  readonly virtualEdges: Float64Array;
  /** Traffic of each piece relative to the range's mean (1 = average). */
  readonly load: Float64Array;
  /** Local hour of each piece. */
  readonly hour: Uint8Array;
  /** The largest `load`. */
  readonly peak: number;
}

/**
 * The local clock at `ms` in a time zone.
 *
 * @param ms epoch ms
 * @param timeZone an IANA time zone name, or `UTC`
 * @returns hour, ISO weekday and local day number
 *
 * @example
 * ```ts
 * import { localClock } from "./traffic.ts";
 * import assert from "node:assert/strict";
 * // 2024-01-01 was a Monday.
 * assert.deepEqual(localClock(Date.UTC(2024, 0, 1, 9, 30), "UTC"), { hour: 9, weekday: 1, epochDay: 19723 });
 * assert.equal(localClock(Date.UTC(2024, 0, 1, 9, 30), "Asia/Tokyo").hour, 18);
 * ```
 */
export function localClock(ms: number, timeZone: string): LocalClock {
  if (timeZone === "UTC") {
    const epochDay = Math.floor(ms / DAY);
    return {
      hour: Math.floor((ms - epochDay * DAY) / HOUR),
      weekday: ((epochDay + 3) % 7 + 7) % 7 + 1,
      epochDay,
    };
  }
  const local = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  const date = local.toPlainDate();
  return {
    hour: local.hour,
    weekday: local.dayOfWeek,
    epochDay: Math.round(Date.UTC(date.year, date.month - 1, date.day) / DAY),
  };
}

/**
 * Relative traffic at a local clock, before the day's swing.
 *
 * @param clock the local clock
 * @returns a weight; 1.45 at the weekday peak, 0.05 in the dead of night
 *
 * @example
 * ```ts
 * import { rhythmAt } from "./traffic.ts";
 * import assert from "node:assert/strict";
 * assert.ok(rhythmAt({ hour: 10, weekday: 2, epochDay: 0 }) > 10 * rhythmAt({ hour: 3, weekday: 2, epochDay: 0 }));
 * ```
 */
export function rhythmAt(clock: LocalClock): number {
  const hours = clock.weekday >= 6 ? WEEKEND_HOURS : WEEKDAY_HOURS;
  return (hours[clock.hour] ?? 1) * (WEEKDAYS[clock.weekday] ?? 1);
}

function daySwing(seed: number, epochDay: number): number {
  // Some days are busier than others: ±20 %.
  return 0.8 + 0.4 * createRandom(mixSeed(seed, epochDay + 1_000_000, STREAM_DAY)).next();
}

function evenProfile(span: number): TrafficProfile {
  return {
    even: true,
    realEdges: Float64Array.of(0, span),
    virtualEdges: Float64Array.of(0, span),
    load: Float64Array.of(1),
    hour: Uint8Array.of(0),
    peak: 1,
  };
}

function buildProfile(dataset: ResolvedDataset): TrafficProfile {
  const span = dataset.to - dataset.from;
  // Pieces end on the hour (UTC); zones with half-hour offsets are read at mid-piece.
  const firstEdge = Math.ceil((dataset.from + 1) / HOUR) * HOUR;
  const pieces = Math.max(0, Math.ceil((dataset.to - firstEdge) / HOUR)) + 1;
  if (pieces <= 1 || pieces > MAX_PIECES) return evenProfile(span);
  const realEdges = new Float64Array(pieces + 1);
  const weight = new Float64Array(pieces);
  const hour = new Uint8Array(pieces);
  let total = 0;
  for (let piece = 0; piece < pieces; piece++) {
    const start = piece === 0 ? dataset.from : firstEdge + (piece - 1) * HOUR;
    const end = Math.min(dataset.to, firstEdge + piece * HOUR);
    const clock = localClock(Math.floor((start + end) / 2), dataset.timeZone);
    realEdges[piece] = start - dataset.from;
    weight[piece] = rhythmAt(clock) * daySwing(dataset.seed, clock.epochDay);
    hour[piece] = clock.hour;
    total += weight[piece]! * (end - start);
  }
  realEdges[pieces] = span;
  const mean = total / span;
  const virtualEdges = new Float64Array(pieces + 1);
  const load = new Float64Array(pieces);
  let cumulative = 0;
  let peak = 0;
  for (let piece = 0; piece < pieces; piece++) {
    load[piece] = weight[piece]! / mean;
    peak = Math.max(peak, load[piece]!);
    cumulative += weight[piece]! * (realEdges[piece + 1]! - realEdges[piece]!);
    virtualEdges[piece + 1] = (span * cumulative) / total;
  }
  virtualEdges[pieces] = span;
  return { even: false, realEdges, virtualEdges, load, hour, peak };
}

const remembered = new Map<string, TrafficProfile>();

/**
 * The traffic profile of a dataset's range, seed and time zone (remembered).
 *
 * @param dataset the resolved dataset
 * @returns the profile
 *
 * @example
 * ```ts
 * import { trafficProfile } from "./traffic.ts";
 * import { resolveDataset } from "./dataset_options.ts";
 * import assert from "node:assert/strict";
 * const week = trafficProfile(resolveDataset({ count: 10, from: 0, to: 7 * 86_400_000 }));
 * assert.equal(week.load.length, 7 * 24);
 * assert.equal(trafficProfile(resolveDataset({ count: 10, from: 0, to: 600_000 })).even, true);
 * ```
 */
export function trafficProfile(dataset: ResolvedDataset): TrafficProfile {
  const key = `${dataset.from}/${dataset.to}/${dataset.seed}/${dataset.timeZone}`;
  let profile = remembered.get(key);
  if (!profile) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key, profile = buildProfile(dataset));
  }
  return profile;
}

/** The last index `k` with `edges[k] <= value`, among the pieces. */
function pieceOf(edges: Float64Array, value: number): number {
  let low = 0;
  let high = edges.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (edges[middle]! <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Whether a dataset is dense enough that a rhythm could squeeze two records
 * into one millisecond; such datasets (and their slots) are spread evenly.
 *
 * @param dataset the resolved dataset
 * @param profile its traffic profile
 * @returns true when records must be spread evenly
 */
export function spreadEvenly(dataset: ResolvedDataset, profile: TrafficProfile): boolean {
  if (profile.even) return true;
  const step = (dataset.to - dataset.from) / dataset.count;
  // The busiest hour shrinks a slot by `peak`; keep every slot at least 2 ms wide.
  return step / profile.peak < 2;
}

/**
 * Maps a virtual offset (records spread evenly) to a real offset (records
 * following the traffic), both from the dataset's `from`.
 *
 * @param profile the dataset's profile
 * @param virtual an offset in `[0, span]`
 * @returns the real offset; strictly increasing in `virtual`, 0 at 0 and the span at the span
 *
 * @example
 * ```ts
 * import { trafficProfile, warpOffset } from "./traffic.ts";
 * import { resolveDataset } from "./dataset_options.ts";
 * import assert from "node:assert/strict";
 * const profile = trafficProfile(resolveDataset({ count: 10, from: 0, to: 86_400_000 }));
 * assert.equal(warpOffset(profile, 0), 0);
 * assert.equal(warpOffset(profile, 86_400_000), 86_400_000);
 * // Half the day's records have started long before noon: the night is quiet.
 * assert.ok(warpOffset(profile, 43_200_000) > 43_200_000);
 * ```
 */
export function warpOffset(profile: TrafficProfile, virtual: number): number {
  const piece = pieceOf(profile.virtualEdges, virtual);
  const v0 = profile.virtualEdges[piece]!;
  const v1 = profile.virtualEdges[piece + 1]!;
  const r0 = profile.realEdges[piece]!;
  const r1 = profile.realEdges[piece + 1]!;
  if (virtual >= v1) return r1;
  return r0 + ((virtual - v0) * (r1 - r0)) / (v1 - v0);
}

/**
 * How busy the centre is at `ms` relative to the dataset's average, and the
 * local hour there: waits grow and fewer humans are on shift when it is busy.
 *
 * @param dataset the resolved dataset
 * @param ms epoch ms, inside the range (clamped otherwise)
 * @returns `load` (1 = the range's mean traffic) and the local `hour`
 *
 * @example
 * ```ts
 * import { trafficAt } from "./traffic.ts";
 * import { resolveDataset } from "./dataset_options.ts";
 * import assert from "node:assert/strict";
 * const dataset = resolveDataset({ count: 10, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 8) });
 * const morning = trafficAt(dataset, Date.UTC(2024, 0, 2, 10, 15));
 * assert.equal(morning.hour, 10);
 * assert.ok(morning.load > 3 * trafficAt(dataset, Date.UTC(2024, 0, 2, 3)).load);
 * ```
 */
export function trafficAt(dataset: ResolvedDataset, ms: number): { load: number; hour: number } {
  const profile = trafficProfile(dataset);
  if (profile.even) {
    return { load: 1, hour: localClock(ms, dataset.timeZone).hour };
  }
  const offset = Math.min(Math.max(ms - dataset.from, 0), dataset.to - dataset.from - 1);
  const piece = pieceOf(profile.realEdges, offset);
  return { load: profile.load[piece]!, hour: profile.hour[piece]! };
}
