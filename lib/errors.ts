/**
 * The one error class for "what the user typed or configured is wrong".
 *
 * Library code throws it for bad options, folders it must not touch, stores of
 * another account and the like; the command-line runner prints its message as
 * one line and exits with 2, without a stack trace.
 *
 * @module
 */

/**
 * A mistake in the user's input; the message names the input and the fix.
 *
 * @example
 * ```ts
 * import { UsageError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const error = new UsageError('Invalid --window "40d": at most 31 days');
 * assert.equal(error.name, "UsageError");
 * ```
 */
export class UsageError extends Error {
  /**
   * @param message what was wrong and what to do instead
   * @param options the underlying error, if any
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}

/**
 * Runs `fn`, turning any error it throws into a {@linkcode UsageError}: for the
 * parsing and checking of options, where every failure is the user's input.
 *
 * @param fn the parsing step
 * @returns what `fn` returns
 *
 * @example
 * ```ts
 * import { asUsageError, UsageError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => asUsageError(() => { throw new RangeError("bad --window") }), UsageError);
 * ```
 */
export function asUsageError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
