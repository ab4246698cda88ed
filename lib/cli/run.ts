/**
 * How every command-line script ends: one line per error, exit codes that a
 * cron job can act on, and its locks released when the user presses Ctrl-C.
 *
 * Exit codes: 0 done, 1 failed, 2 the user's input is wrong
 * ({@linkcode UsageError}), 130 interrupted (Ctrl-C or SIGTERM).
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { releaseHeldLocksSync } from "../fs/lock.ts";

let signalsInstalled = false;

/**
 * On Ctrl-C or SIGTERM: release the locks this process holds (so the next run
 * starts without a take-over warning) and exit with 130.
 */
function installSignalHandlers(): void {
  if (signalsInstalled || Deno.build.os === "windows") return;
  signalsInstalled = true;
  const stop = () => {
    releaseHeldLocksSync();
    console.error("\ninterrupted: run the same command again to continue where it stopped");
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}

/**
 * An error's message fit for a user: its first paragraph, without Deno's hints
 * about permission flags (the tasks in deno.json grant what they need, so such
 * a hint would only mislead).
 *
 * @param error anything thrown
 * @returns the message
 *
 * @example
 * ```ts
 * import { userMessage } from "./run.ts";
 * import assert from "node:assert/strict";
 * const error = new Error('Requires read access to "x", run again with the --allow-read flag');
 * assert.equal(userMessage(error), 'Requires read access to "x"');
 * ```
 */
export function userMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/,? run again with the --allow-[\w-]+ flag/g, "")
    .replace(/\s*(?:Learn more at|info:|hint:)[^\n]*/g, "")
    .trim();
}

/** Options of {@linkcode runCli}. */
export interface RunCliOptions {
  /**
   * Exit with 130 on Ctrl-C and SIGTERM after releasing held locks; default
   * true. A script that stops gracefully on Ctrl-C itself (a server) turns it off.
   */
  readonly exitOnInterrupt?: boolean;
}

/**
 * Runs a script's main function and exits with its code: 2 for a
 * {@linkcode UsageError}, 1 for any other failure. Errors are printed as one
 * line; set `LP_DEBUG=1` to see the stack.
 *
 * @param main the script's work; resolves to an exit code
 * @param options how interruptions are handled
 * @returns never; the process exits
 */
export async function runCli(
  main: () => Promise<number>,
  options: RunCliOptions = {},
): Promise<never> {
  if (options.exitOnInterrupt ?? true) installSignalHandlers();
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error(`error: ${userMessage(error)}`);
    if (Deno.env.get("LP_DEBUG") === "1" && error instanceof Error) console.error(error.stack);
    Deno.exit(error instanceof UsageError ? 2 : 1);
  }
}
