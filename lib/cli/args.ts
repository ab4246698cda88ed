/**
 * Reading a command's options, the same way in every script: strictly (an
 * unknown option or a missing value is a usage error that points to
 * `--help`), with `-h`/`--help` always there.
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "../errors.ts";

const HELP_OPTION = { help: { type: "boolean", short: "h", default: false } } as const;

/** Options of {@linkcode parseCommandLine}. */
export interface CommandLineSettings {
  /** The task's name, for the hint in error messages (`fetch`). */
  readonly task: string;
  /** Whether arguments without an option name are allowed (file names); default false. */
  readonly positionals?: boolean;
}

/**
 * Parses a command line.
 *
 * @param args the arguments
 * @param options the command's options, as `node:util` `parseArgs` takes them (`--help` is added)
 * @param settings the task's name and whether positionals are allowed
 * @returns the values, `help` among them, and the positionals
 * @throws {UsageError} naming the bad option and pointing to `--help`
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./args.ts";
 * import assert from "node:assert/strict";
 * const options = { out: { type: "string", default: "data" } } as const;
 * const { values } = parseCommandLine(["--out", "x"], options, { task: "demo" });
 * assert.deepEqual([values.out, values.help], ["x", false]);
 * assert.throws(
 *   () => parseCommandLine(["--outt", "x"], options, { task: "demo" }),
 *   /--outt.*see deno task demo --help/s,
 * );
 * ```
 */
export function parseCommandLine<const T extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: T,
  settings: CommandLineSettings,
) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, ...HELP_OPTION },
      strict: true,
      allowPositionals: settings.positionals ?? false,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message}: see deno task ${settings.task} --help`, { cause: error });
  }
}
