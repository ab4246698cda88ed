/**
 * Fault injection for the simulator: which failure, if any, a search request meets.
 *
 * @module
 */

import { createRandom, mixSeed } from "./random.ts";

/**
 * What happens to one search request. Besides failures the server admits
 * (429, 5xx, drops, `partialResult`), three answer 200 with a gap it does not
 * admit: `short` leaves records out without flagging the page, `no-records`
 * sends the count without the records array, `absurd-count` claims a billion
 * records and sends none.
 */
export type FaultKind =
  | "ok"
  | "429"
  | "500"
  | "503"
  | "drop"
  | "partial"
  | "slow"
  | "short"
  | "no-records"
  | "absurd-count";

/** Fault rates (probabilities per search request, summed in this order) and timings. */
export interface FaultOptions {
  /** Share of requests answered 429 with `Retry-After`. */
  rate429?: number;
  /** Share answered 500 or 503 (half each). */
  rate5xx?: number;
  /** Share whose connection is destroyed without (or in the middle of) a response. */
  rateDrop?: number;
  /** Share answered 200 with `partialResult: true` and some records missing. */
  ratePartial?: number;
  /** Delay added to every request, in ms. */
  latencyMs?: number;
  /** Delay of a `"slow"` fault, in ms; default 5000. */
  slowMs?: number;
  /** `Retry-After` of a 429, in seconds; default 1. */
  retryAfterSeconds?: number;
  /** Seed of the fault stream; default 1. */
  seed?: number;
  /** Faults consumed one per search request before the rates apply. */
  script?: FaultKind[];
  /**
   * Most searches answered at once, like LivePerson's server-side cap on
   * concurrent requests: a search that arrives while this many are in progress
   * is answered 429 with `Retry-After` at once, without drawing a fault.
   * Default: no cap.
   */
  maxConcurrent?: number;
}

/** Draws the fault of each successive search request. */
export interface FaultPicker {
  /** The fault of the next search request. */
  next(): FaultKind;
}

const KINDS: readonly FaultKind[] = [
  "ok",
  "429",
  "500",
  "503",
  "drop",
  "partial",
  "slow",
  "short",
  "no-records",
  "absurd-count",
];

/**
 * Checks fault options, throwing a RangeError that names the bad option.
 *
 * @param options the options to check
 * @throws {RangeError} if a rate is outside [0, 1], the rates sum above 1, a delay is negative,
 *   the cap is not a whole number of 1 or more, or the script names an unknown fault
 *
 * @example
 * ```ts
 * import { validateFaults } from "./faults.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => validateFaults({ rate429: 2 }), RangeError);
 * assert.throws(() => validateFaults({ maxConcurrent: 0 }), /maxConcurrent/);
 * validateFaults({ rate429: 0.1, script: ["drop"] });
 * ```
 */
export function validateFaults(options: FaultOptions): void {
  let total = 0;
  for (const name of ["rate429", "rate5xx", "rateDrop", "ratePartial"] as const) {
    const rate = options[name] ?? 0;
    if (!(rate >= 0 && rate <= 1)) {
      throw new RangeError(`Invalid fault rate ${name}=${rate}: use a number from 0 to 1`);
    }
    total += rate;
  }
  if (total > 1) {
    throw new RangeError(`Fault rates add up to ${total}: keep their sum at most 1`);
  }
  for (const name of ["latencyMs", "slowMs", "retryAfterSeconds"] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`Invalid ${name}=${value}: use a number of 0 or more`);
    }
  }
  const cap = options.maxConcurrent;
  if (cap !== undefined && !(Number.isInteger(cap) && cap >= 1)) {
    throw new RangeError(`Invalid maxConcurrent=${cap}: use a whole number of 1 or more`);
  }
  for (const kind of options.script ?? []) {
    if (!KINDS.includes(kind)) {
      throw new RangeError(`Unknown fault "${kind}" in script: use one of ${KINDS.join(", ")}`);
    }
  }
}

/**
 * Creates a picker: it first returns the script's entries in order, then
 * seeded random faults by the rates.
 *
 * @param options rates, seed and script
 * @returns the picker
 *
 * @example
 * ```ts
 * import { createFaultPicker } from "./faults.ts";
 * import assert from "node:assert/strict";
 * const picker = createFaultPicker({ script: ["429", "drop"] });
 * assert.deepEqual([picker.next(), picker.next(), picker.next()], ["429", "drop", "ok"]);
 * ```
 */
export function createFaultPicker(options: FaultOptions): FaultPicker {
  validateFaults(options);
  const script = [...(options.script ?? [])];
  const random = createRandom(mixSeed(options.seed ?? 1, 0, 7));
  return {
    next(): FaultKind {
      const scripted = script.shift();
      if (scripted !== undefined) return scripted;
      let roll = random.next();
      const steps: [number, () => FaultKind][] = [
        [options.rate429 ?? 0, () => "429"],
        [options.rate5xx ?? 0, () => (random.chance(0.5) ? "500" : "503")],
        [options.rateDrop ?? 0, () => "drop"],
        [options.ratePartial ?? 0, () => "partial"],
      ];
      for (const [rate, kind] of steps) {
        if (roll < rate) return kind();
        roll -= rate;
      }
      return "ok";
    },
  };
}
