/**
 * `deno task fetch`: download every record of each LivePerson history API
 * (chats, messaging) in a date range into data/raw/, one byte-exact file per
 * page, verified against a manifest.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/args.ts";
import { userDateRange } from "../lib/cli/dates.ts";
import { runCli, userMessage } from "../lib/cli/run.ts";
import { statusLine } from "../lib/cli/status_line.ts";
import { asUsageError, UsageError } from "../lib/errors.ts";
import { formatDuration } from "../lib/format.ts";
import {
  apiFolder,
  type Credentials,
  credentialsFrom,
  DEFAULT_CONCURRENCY,
  describeProblems,
  describeProgress,
  fetchHistory,
  normalizeBaseUrl,
  readDotEnv,
  readStoreManifest,
  resolveBaseUrl,
  sinceLastRange,
  summaryLines,
  verifyStore,
  withRawLock,
} from "../lib/fetch/mod.ts";
import {
  checkWindowLength,
  DEFAULT_WINDOW_MS,
  parseDuration,
  SINCE_LAST_WINDOW_MS,
} from "../lib/fetch/windows.ts";
import { type Source, sourceByName, SOURCES } from "../lib/sources/mod.ts";

/** Most requests in flight a user may ask for: well past any gain we measured. */
const MAX_CONCURRENCY = 32;

const HELP = `Usage: deno task fetch --from YYYY-MM-DD --to YYYY-MM-DD [options]
       deno task fetch --since-last [--to YYYY-MM-DD] [options]
       deno task fetch --verify [--out DIR]

Downloads every record whose start time falls in the date range from each
LivePerson history API — Engagement History (chats) and Messaging Interactions
(messaging conversations) — and stores each API response byte-exact under
--out/<api>/, with a manifest that records each file's size and SHA-256.

Options:
  --api NAMES       Which APIs, comma-separated: ${SOURCES.map((source) => source.name).join(", ")}
                    (default: all of them, one after the other).
  --from DATE       First day to fetch, YYYY-MM-DD.
  --to DATE         Last day to fetch, YYYY-MM-DD, inclusive: --from 2024-01-01
                    --to 2024-01-31 is all of January. With --since-last it is
                    optional (default: up to now).
  --since-last      For nightly runs: fetch from where the settled data of earlier
                    runs ends (minus --lookback) up to --to or now. For messaging it
                    also asks for the conversations of earlier days that changed
                    since the last run (closed, surveyed, enriched) and stores
                    their new copies.
  --lookback LENGTH How far before that point --since-last reads again, for records
                    that appear late (default 2h).
  --settle LENGTH   A window is final once its end is this long past; newer ones
                    are fetched again by the next run (default 2h).
  --tz ZONE         Time zone the days are read in, e.g. Europe/Berlin (default UTC).
  --out DIR         Folder for raw pages (default data/raw).
  --window LENGTH   Length of each request window: 30m, 6h, 1d, 2w ... in steps of
                    10 minutes, at most 31 days for chats and 90 for messaging
                    (default 1w; 1d with --since-last).
  --concurrency N   Most requests in flight at once, 1 to ${MAX_CONCURRENCY} (default
                    ${DEFAULT_CONCURRENCY}); fewer are sent while the API answers 429.
  --refetch         Fetch the range's windows again even where complete.
  --verify          Check every stored page against the manifest and download
                    nothing; exit 1 if a file is missing, cut, altered or unlisted.
  --max-wait LENGTH How long one request may keep retrying through 429s, 5xx and
                    timeouts before the run stops (default 30m).
  --base-url URL    API host to use for every API instead of asking the Domain
                    API, e.g. the simulator's http://127.0.0.1:8080 (or set
                    LP_BASE_URL).
  -h, --help        Show this help.

Credentials come from the environment or a .env file in the current folder,
never from the command line:
  LP_ACCOUNT_ID, LP_CONSUMER_KEY, LP_CONSUMER_SECRET, LP_ACCESS_TOKEN,
  LP_ACCESS_TOKEN_SECRET
The API key needs the Data permission "Conversation History / Messaging Interactions".

Every run first verifies the pages already stored and fetches again exactly
those that are missing, cut short or altered; a run that stops (Ctrl-C,
network, rate limits) continues where it stopped when run again. Records the
API returns partial are fetched again by id at once; records still open are
fetched again by every later run until they have ended. When one API fails
(its answers, not your input), the others are still fetched.

Exit codes: 0 done, 1 failed or some windows incomplete, 2 bad input.

Examples:
  deno task fetch --from 2024-01-01 --to 2024-01-31 --tz America/New_York
  deno task fetch --since-last          # every night, after a first fetch
  deno task fetch --api messaging-interactions --from 2024-01-01 --to 2024-01-31
`;

/** Options of the fetch command, parsed and checked. */
export type FetchCommand =
  | {
    readonly mode: "fetch";
    /** The APIs to fetch, in order. */
    readonly sources: readonly Source[];
    /** The range; for --since-last only its end, the start coming from the store. */
    readonly range: { from: number; to: number } | {
      sinceLast: true;
      lookbackMs: number;
      to?: number;
    };
    readonly windowMs: number;
    readonly concurrency: number;
    readonly rawDir: string;
    readonly refetch: boolean;
    readonly maxWaitMs: number;
    readonly settleMs: number;
    readonly baseUrlOverride?: string;
  }
  | { readonly mode: "verify"; readonly rawDir: string; readonly sources: readonly Source[] }
  | { readonly mode: "help" };

function checkRawDir(rawDir: string): void {
  if (rawDir.trim() === "") throw new UsageError(`Empty --out: name the folder for raw pages`);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(rawDir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw new UsageError(
      `Cannot write to --out "${rawDir}" (${userMessage(error).split(":")[0]}): ` +
        `choose a folder you can write to`,
    );
  }
  if (!info.isDirectory) {
    throw new UsageError(`--out ${rawDir} is a file, not a folder: name a folder for raw pages`);
  }
}

/**
 * Parses and checks the command line; touches nothing.
 *
 * @param args the arguments after the script name
 * @param env the environment (for LP_BASE_URL)
 * @returns the command
 * @throws {UsageError} naming the bad input and the fix
 *
 * @example
 * ```ts
 * import { parseFetchArgs } from "./fetch.ts";
 * import assert from "node:assert/strict";
 * const command = parseFetchArgs(["--from", "2024-01-01", "--to", "2024-01-02"], {});
 * assert.equal(command.mode, "fetch");
 * assert.equal(command.mode === "fetch" && command.windowMs, 7 * 86_400_000);
 * const nightly = parseFetchArgs(["--since-last", "--concurrency", "2"], {});
 * assert.deepEqual(nightly.mode === "fetch" && [nightly.windowMs, nightly.concurrency], [86_400_000, 2]);
 * assert.throws(() => parseFetchArgs(["--since-last", "--concurrency", "0"], {}), /--concurrency "0"/);
 * assert.throws(() => parseFetchArgs(["--from", "2024-01-01", "--to", "2024-01-02", "--window", "40d"], {}), /31 days/);
 * ```
 */
export function parseFetchArgs(
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
): FetchCommand {
  const { values } = parseCommandLine(args, {
    from: { type: "string" },
    to: { type: "string" },
    tz: { type: "string", default: "UTC" },
    out: { type: "string", default: "data/raw" },
    window: { type: "string" },
    concurrency: { type: "string" },
    refetch: { type: "boolean", default: false },
    verify: { type: "boolean", default: false },
    "since-last": { type: "boolean", default: false },
    lookback: { type: "string", default: "2h" },
    settle: { type: "string", default: "2h" },
    "max-wait": { type: "string", default: "30m" },
    "base-url": { type: "string" },
    api: { type: "string" },
  }, { task: "fetch" });
  return asUsageError(() => {
    if (values.help) return { mode: "help" };
    checkRawDir(values.out);
    const sources = values.api === undefined ? SOURCES : parseApis(values.api);
    if (values.verify) {
      if (values.from || values.to || values.refetch || values["since-last"]) {
        throw new UsageError(
          `--verify downloads nothing: use it without --from, --to, --since-last and --refetch`,
        );
      }
      return { mode: "verify", rawDir: values.out, sources };
    }
    if (values["since-last"] && values.from) {
      throw new UsageError(
        `--since-last starts where earlier runs ended: use it without --from (or use --from ` +
          `and --to without --since-last to backfill)`,
      );
    }
    if (!values["since-last"] && (!values.from || !values.to)) {
      throw new UsageError(
        `Missing ${!values.from ? "--from" : "--to"}: give the days to fetch, e.g. ` +
          `--from 2024-01-01 --to 2024-01-31, or --since-last after a first fetch (see --help)`,
      );
    }
    const windowMs = values.window === undefined
      ? (values["since-last"] ? SINCE_LAST_WINDOW_MS : DEFAULT_WINDOW_MS)
      : parseDuration(values.window, "--window");
    checkWindowLength(windowMs, Math.min(...sources.map((source) => source.api.maxWindowMs)));
    const concurrency = parseConcurrency(values.concurrency);
    const maxWaitMs = parseDuration(values["max-wait"], "--max-wait");
    if (maxWaitMs < 1000) {
      throw new UsageError(`Invalid --max-wait "${values["max-wait"]}": use at least 1s, e.g. 30m`);
    }
    const baseUrl = values["base-url"] ?? env.LP_BASE_URL;
    if (baseUrl !== undefined && baseUrl.trim() === "") {
      throw new UsageError(
        `Empty ${values["base-url"] !== undefined ? "--base-url" : "LP_BASE_URL"}: give the ` +
          `API's URL, or leave it out to find the host through LivePerson's Domain API`,
      );
    }
    const lookbackMs = parseDuration(values.lookback, "--lookback");
    const range = values["since-last"]
      ? {
        sinceLast: true as const,
        lookbackMs,
        ...(values.to ? { to: userDateRange(values.to, values.to, values.tz).to } : {}),
      }
      : userDateRange(values.from!, values.to!, values.tz);
    return {
      mode: "fetch",
      sources,
      range,
      windowMs,
      concurrency,
      rawDir: values.out,
      refetch: values.refetch,
      maxWaitMs,
      settleMs: parseDuration(values.settle, "--settle"),
      ...(baseUrl === undefined ? {} : { baseUrlOverride: normalizeBaseUrl(baseUrl) }),
    };
  });
}

function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > MAX_CONCURRENCY) {
    throw new UsageError(
      `Invalid --concurrency "${text}": use a whole number from 1 to ${MAX_CONCURRENCY}, ` +
        `e.g. --concurrency 4`,
    );
  }
  return value;
}

function parseApis(text: string): Source[] {
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  if (names.length === 0) {
    throw new UsageError(
      `Empty --api: name one of ${SOURCES.map((source) => source.name).join(", ")}`,
    );
  }
  return [...new Set(names)].map((name) => sourceByName(name));
}

async function verifyOnly(rawDir: string, sources: readonly Source[]): Promise<number> {
  return await withRawLock(rawDir, "deno task fetch --verify", async () => {
    let exitCode = 0;
    for (const { api } of sources) {
      const manifest = await readStoreManifest(rawDir, api);
      const folder = apiFolder(rawDir, api);
      const problems = await verifyStore(folder, manifest.entries);
      const files = manifest.entries.filter((entry) => "file" in entry).length;
      if (manifest.cutTail) console.log(`${manifest.path}: the last line is cut short`);
      if (problems.length === 0 && !manifest.cutTail) {
        console.log(`${folder}: all stored files match the manifest (${files} file lines)`);
        continue;
      }
      for (const line of describeProblems(problems, 200)) console.log(`${folder}: ${line}`);
      console.log(`Run deno task fetch (with your usual dates) to fetch these pages again.`);
      exitCode = 1;
    }
    return exitCode;
  });
}

/**
 * Runs the fetch command: each API in turn. One that fails (the API refuses the
 * key, or stays unreachable) is reported and the next is fetched all the same;
 * bad input stops the run.
 *
 * @param args command-line arguments
 * @returns the exit code: the worst of the APIs'
 */
export async function main(args: string[]): Promise<number> {
  const env = Deno.env.toObject();
  const command = parseFetchArgs(args, env);
  if (command.mode === "help") {
    console.log(HELP);
    return 0;
  }
  if (command.mode === "verify") return await verifyOnly(command.rawDir, command.sources);
  const dotEnv = await readDotEnv();
  const credentials = asUsageError(() => credentialsFrom(env, dotEnv));
  if (command.sources.length === 1) {
    return await fetchSource(command.sources[0]!, command, credentials, env);
  }
  let exitCode = 0;
  for (const source of command.sources) {
    try {
      exitCode = Math.max(exitCode, await fetchSource(source, command, credentials, env));
    } catch (error) {
      // Bad input stops the run: it is the user's to fix, for every API alike.
      if (error instanceof UsageError) throw error;
      console.error(`error: ${source.title}: ${userMessage(error)}`);
      exitCode = 1;
    }
  }
  return exitCode;
}

async function fetchSource(
  source: Source,
  command: Extract<FetchCommand, { mode: "fetch" }>,
  credentials: Credentials,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const { api } = source;
  const baseUrl = await resolveBaseUrl({
    accountId: credentials.accountId,
    serviceName: api.serviceName,
    override: command.baseUrlOverride,
    domainApiUrl: env.LP_DOMAIN_API_URL,
    scheme: env.LP_DOMAIN_API_URL?.startsWith("http://") ? "http" : "https",
  });
  const folder = apiFolder(command.rawDir, api);
  const now = Date.now();
  const plan = "sinceLast" in command.range
    ? sinceLastRange((await readStoreManifest(command.rawDir, api)).entries, {
      lookbackMs: command.range.lookbackMs,
      to: command.range.to ?? now,
      where: folder,
      ...(api.updatedSinceBody ? { updates: { now, retentionMs: api.retentionMs } } : {}),
    })
    : { range: command.range };
  const status = statusLine();
  const summary = await fetchHistory({
    api,
    credentials,
    baseUrl,
    ...plan,
    windowMs: command.windowMs,
    concurrency: command.concurrency,
    rawDir: command.rawDir,
    refetch: command.refetch,
    settleMs: command.settleMs,
    http: {
      maxWaitMs: command.maxWaitMs,
      onRetry: (event) => {
        if (event.waitMs >= 3000) {
          status.log(
            `waiting ${formatDuration(event.waitMs)} before trying again: ${event.reason} ` +
              `(attempt ${event.attempt})`,
          );
        }
      },
    },
    onNote: (message) => status.log(message),
    onProgress: (progress) => status.update(`${source.name}: ${describeProgress(progress)}`),
  }).finally(() => status.done());
  const [line, ...warnings] = summaryLines(summary, folder);
  console.log(`${source.title}: ${line}`);
  for (const warning of warnings) console.error(warning);
  return summary.incomplete.length > 0 ? 1 : 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
