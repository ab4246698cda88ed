/**
 * What every command-line script shares: user-error handling with exit code 2
 * and no stack trace, `.env` loading, and a progress line on stderr.
 *
 * @module
 */

import { parseDotEnv } from "./credentials.ts";

/** A mistake in what the user typed or configured; the script exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
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
 * import { asUsageError, UsageError } from "./cli.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => asUsageError(() => { throw new RangeError("bad --window") }), UsageError);
 * ```
 */
export function asUsageError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Runs a script's main function and exits: 0 or what `main` returns, 2 for a
 * {@linkcode UsageError}, 1 for any other failure. Errors are printed as one
 * line; set `LP_DEBUG=1` to see the stack.
 *
 * @param main the script's work; resolves to an exit code
 * @returns never; the process exits
 */
export async function runCli(main: () => Promise<number>): Promise<never> {
  try {
    Deno.exit(await main());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message}`);
    if (Deno.env.get("LP_DEBUG") === "1" && error instanceof Error) console.error(error.stack);
    Deno.exit(error instanceof UsageError ? 2 : 1);
  }
}

/**
 * Reads `.env` from a directory if it exists.
 *
 * @param dir folder to look in; default the current directory
 * @returns the variables it defines, or `{}`
 */
export async function readDotEnv(dir = "."): Promise<Record<string, string>> {
  try {
    return parseDotEnv(await Deno.readTextFile(`${dir}/.env`));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw new UsageError(`Cannot read ${dir}/.env: ${(error as Error).message}`);
  }
}

/** A line on stderr that is redrawn in place; silent when stderr is not a terminal. */
export interface StatusLine {
  /** Replaces the line's text (redrawn at most ten times a second). */
  update(text: string): void;
  /** Ends the line so that later output starts on a fresh one. */
  done(): void;
}

/**
 * Creates a {@linkcode StatusLine} on stderr.
 *
 * @param enabled draw it; default: when stderr is a terminal
 * @returns the status line
 */
export function statusLine(enabled = Deno.stderr.isTerminal()): StatusLine {
  const encoder = new TextEncoder();
  let lastDraw = 0;
  let pending = "";
  let drawn = false;
  const draw = () => {
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${pending}`));
    drawn = true;
    lastDraw = performance.now();
  };
  return {
    update(text) {
      pending = text;
      if (enabled && performance.now() - lastDraw >= 100) draw();
    },
    done() {
      if (!enabled) return;
      if (pending) draw();
      if (drawn) Deno.stderr.writeSync(encoder.encode("\n"));
    },
  };
}

/**
 * Formats a duration for people: `42s`, `3m 05s`, `2h 10m`.
 *
 * @param ms milliseconds
 * @returns the text
 *
 * @example
 * ```ts
 * import { formatDuration } from "./cli.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatDuration(185_000), "3m 05s");
 * ```
 */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
