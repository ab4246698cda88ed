/**
 * `deno task simulator`: runs the LivePerson-compatible simulator on 127.0.0.1
 * until Ctrl-C, and prints the environment a client needs to use it.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { UsageError } from "../lib/errors.ts";
import { runCli } from "../lib/cli/run.ts";
import { CREDENTIAL_ENV_VARS } from "../lib/fetch/credentials.ts";
import { userDateRange } from "../lib/cli/dates.ts";
import type { DatasetOptions } from "../lib/simulator/dataset_options.ts";
import { SOURCES } from "../lib/sources/mod.ts";
import {
  DEMO_CREDENTIALS,
  type FaultOptions,
  type SearchLogEntry,
  startSimulator,
} from "../lib/simulator/server.ts";

const HELP = `Usage: deno task simulator [options]

Runs a LivePerson-compatible server on 127.0.0.1 for the history APIs
(${SOURCES.map((source) => source.title).join(", ")}) with a synthetic,
reproducible dataset each, until Ctrl-C. It answers the Domain API and the
signed endpoints, with each API's limits and 10-minute rounding, and can
inject the failures a client must survive.

Options:
  --port N            Port on 127.0.0.1 (default 8080; 0 picks a free port).
  --count N           Number of conversations per API (default 1200).
  --from YYYY-MM-DD   First day of the data, UTC (default 2024-01-01).
  --to YYYY-MM-DD     Last day of the data, inclusive, UTC (default 2024-01-07).
  --seed N            Seed of the dataset and of the faults (default 1); the same
                      seed always gives the same records.
  --rate-429 P        Share of searches answered 429 with Retry-After (0 to 1).
  --rate-5xx P        Share of searches answered 500 or 503 (0 to 1).
  --rate-drop P       Share of searches whose connection is dropped (0 to 1).
  --rate-partial P    Share of searches answered with partialResult: true and
                      some records missing (0 to 1).
  --latency-ms N      Delay added to every search, in milliseconds (default 0).
  --retry-after N     Retry-After of a 429, in seconds (default 1).
  -h, --help          Show this help.

The server accepts the demo API key printed at start-up (demo values that only
open this simulator) and logs each search on stderr.

Example:
  deno task simulator --port 8080 --count 5000 --from 2024-01-01 --to 2024-01-31 --rate-429 0.05
`;

/** Options of the simulator command, parsed and checked. */
export interface SimulatorCommand {
  readonly port: number;
  readonly dataset: DatasetOptions;
  readonly faults: FaultOptions;
}

function numberOption(
  name: string,
  text: string | undefined,
  rule: { fallback: number; integer?: boolean; min: number; max: number; example: string },
): number {
  if (text === undefined) return rule.fallback;
  const value = Number(text);
  if (
    text.trim() === "" || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value)) ||
    value < rule.min || value > rule.max
  ) {
    throw new UsageError(
      `Invalid --${name} "${text}": expected ${
        rule.integer ? "a whole number" : "a number"
      } from ${rule.min} to ${rule.max}, e.g. --${name} ${rule.example}`,
    );
  }
  return value;
}

/**
 * Parses and checks the command line.
 *
 * @param args the arguments after the script name
 * @returns the command, or "help"
 * @throws {UsageError} naming the bad option and the fix
 *
 * @example
 * ```ts
 * import { parseSimulatorArgs } from "./simulator.ts";
 * import assert from "node:assert/strict";
 * const command = parseSimulatorArgs(["--port", "0", "--count", "10", "--rate-429", "0.1"]);
 * assert.ok(command !== "help");
 * assert.equal(command.dataset.count, 10);
 * assert.equal(command.faults.rate429, 0.1);
 * assert.throws(() => parseSimulatorArgs(["--port", "x"]), /--port/);
 * ```
 */
export function parseSimulatorArgs(args: string[]): SimulatorCommand | "help" {
  const { values } = parseCommandLine(args, {
    from: { type: "string", default: "2024-01-01" },
    to: { type: "string", default: "2024-01-07" },
    count: { type: "string" },
    seed: { type: "string" },
    port: { type: "string" },
    "rate-429": { type: "string" },
    "rate-5xx": { type: "string" },
    "rate-drop": { type: "string" },
    "rate-partial": { type: "string" },
    "latency-ms": { type: "string" },
    "retry-after": { type: "string" },
  }, { task: "simulator" });
  if (values.help) return "help";
  const rate = (name: string, text: string | undefined) =>
    numberOption(name, text, { fallback: 0, min: 0, max: 1, example: "0.05" });
  const port = numberOption("port", values.port, {
    fallback: 8080,
    integer: true,
    min: 0,
    max: 65535,
    example: "8080",
  });
  const range = userDateRange(values.from, values.to);
  const count = numberOption("count", values.count, {
    fallback: 1200,
    integer: true,
    min: 0,
    max: Math.min(100_000_000, range.to - range.from),
    example: "5000",
  });
  const seed = numberOption("seed", values.seed, {
    fallback: 1,
    integer: true,
    min: 0,
    max: 2 ** 32 - 1,
    example: "42",
  });
  const faults: FaultOptions = {
    rate429: rate("rate-429", values["rate-429"]),
    rate5xx: rate("rate-5xx", values["rate-5xx"]),
    rateDrop: rate("rate-drop", values["rate-drop"]),
    ratePartial: rate("rate-partial", values["rate-partial"]),
    latencyMs: numberOption("latency-ms", values["latency-ms"], {
      fallback: 0,
      integer: true,
      min: 0,
      max: 600_000,
      example: "200",
    }),
    retryAfterSeconds: numberOption("retry-after", values["retry-after"], {
      fallback: 1,
      integer: true,
      min: 0,
      max: 3600,
      example: "2",
    }),
    seed,
  };
  const total = (faults.rate429 ?? 0) + (faults.rate5xx ?? 0) + (faults.rateDrop ?? 0) +
    (faults.ratePartial ?? 0);
  if (total > 1) {
    throw new UsageError(
      `The --rate-* options add up to ${total}: keep their sum at most 1, e.g. --rate-429 0.1 --rate-5xx 0.05`,
    );
  }
  return { port, dataset: { ...range, count, seed }, faults };
}

/**
 * The environment lines that point a client at a simulator with the demo key.
 *
 * @param url the simulator's base URL
 * @returns `NAME=value` lines
 *
 * @example
 * ```ts
 * import { environmentLines } from "./simulator.ts";
 * import assert from "node:assert/strict";
 * assert.equal(environmentLines("http://127.0.0.1:8080")[0], "LP_BASE_URL=http://127.0.0.1:8080");
 * ```
 */
export function environmentLines(url: string): string[] {
  return [
    `LP_BASE_URL=${url}`,
    `LP_DOMAIN_API_URL=${url}`,
    ...Object.entries(CREDENTIAL_ENV_VARS).map(([field, variable]) =>
      `${variable}=${DEMO_CREDENTIALS[field as keyof typeof DEMO_CREDENTIALS]}`
    ),
  ];
}

function describeSearch(entry: SearchLogEntry): string {
  const status = entry.status === 0 ? "dropped" : String(entry.status);
  const fault = entry.fault === "ok" ? "" : ` [${entry.fault}]`;
  const records = entry.records === undefined ? "" : `, ${entry.records} records`;
  return `${entry.api} ${entry.endpoint} offset=${entry.offset} limit=${entry.limit} -> ` +
    `${status}${fault}${records}`;
}

async function main(): Promise<number> {
  const command = parseSimulatorArgs(Deno.args);
  if (command === "help") {
    console.log(HELP);
    return 0;
  }
  const simulator = await startSimulator({
    port: command.port,
    serve: SOURCES.map((source) => ({ api: source.simulated, dataset: command.dataset })),
    faults: command.faults,
    onSearch: (entry) => console.error(describeSearch(entry)),
  }).catch((error: unknown) => {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      throw new UsageError(
        `Port ${command.port} is already in use: choose another with --port, e.g. --port 8081`,
      );
    }
    throw error;
  });
  const { from, to, count, seed } = command.dataset;
  console.log(`LivePerson simulator listening on ${simulator.url}`);
  console.log(
    `Serving ${count} conversations per API from ${new Date(from).toISOString()} to ${
      new Date(to).toISOString()
    } (seed ${seed}).`,
  );
  console.log("\nPoint a client at it with these lines (demo values, not secrets):\n");
  for (const line of environmentLines(simulator.url)) console.log(line);
  console.log("\nPress Ctrl-C to stop.");
  await new Promise<void>((resolve) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
  });
  await simulator.close();
  return 0;
}

if (import.meta.main) {
  await runCli(main, { exitOnInterrupt: false });
}
