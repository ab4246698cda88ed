/**
 * `deno task fetch`: download every Engagement History record in a date range
 * into data/raw/, one byte-exact file per page.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { asUsageError, readDotEnv, runCli, statusLine, UsageError } from "../lib/cli.ts";
import { credentialsFrom } from "../lib/credentials.ts";
import { resolveBaseUrl } from "../lib/domain.ts";
import { describeProgress, fetchHistory } from "../lib/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/history_api.ts";
import { userDateRange } from "../lib/time.ts";
import { parseDuration } from "../lib/windows.ts";

const HELP = `Usage: deno task fetch --from YYYY-MM-DD --to YYYY-MM-DD [options]

Downloads every Engagement History (chat) record whose start time falls in the
date range, and stores each API response byte-exact under --out.

Options:
  --from DATE       First day to fetch, YYYY-MM-DD (required).
  --to DATE         Last day to fetch, YYYY-MM-DD, inclusive (required):
                    --from 2024-01-01 --to 2024-01-31 is all of January.
  --tz ZONE         Time zone the days are read in, e.g. Europe/Berlin (default UTC).
  --out DIR         Folder for raw pages (default data/raw).
  --window LENGTH   Length of each request window: 30m, 6h, 1d, 2w ... (default 1d,
                    at most 31 days). Shorter windows mean smaller retries.
  --base-url URL    API host to use instead of asking the Domain API, e.g. the
                    simulator's http://127.0.0.1:8080 (or set LP_BASE_URL).
  -h, --help        Show this help.

Credentials come from the environment or a .env file in the current folder,
never from the command line:
  LP_ACCOUNT_ID, LP_CONSUMER_KEY, LP_CONSUMER_SECRET, LP_ACCESS_TOKEN,
  LP_ACCESS_TOKEN_SECRET
The API key needs the Data permission "Conversation History / Messaging Interactions".

A run that stops (Ctrl-C, network, rate limits) can be run again with the same
options: windows already complete are skipped.

Example:
  deno task fetch --from 2024-01-01 --to 2024-01-31 --tz America/New_York
`;

/** Options of the fetch command, parsed and checked. */
export interface FetchCommand {
  readonly range: { from: number; to: number };
  readonly windowMs: number;
  readonly rawDir: string;
  readonly baseUrlOverride?: string;
}

/**
 * Parses and checks the command line.
 *
 * @param args the arguments after the script name
 * @param env the environment (for LP_BASE_URL)
 * @returns the command, or "help"
 * @throws {UsageError} naming the bad input and the fix
 */
export function parseFetchArgs(
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
): FetchCommand | "help" {
  return asUsageError(() => {
    const { values } = parseArgs({
      args,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        tz: { type: "string", default: "UTC" },
        out: { type: "string", default: "data/raw" },
        window: { type: "string", default: "1d" },
        "base-url": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) return "help";
    if (!values.from || !values.to) {
      throw new UsageError(
        `Missing ${!values.from ? "--from" : "--to"}: give the days to fetch, e.g. ` +
          `--from 2024-01-01 --to 2024-01-31 (see --help)`,
      );
    }
    return {
      range: userDateRange(values.from, values.to, values.tz),
      windowMs: parseDuration(values.window),
      rawDir: values.out,
      baseUrlOverride: values["base-url"] ?? env.LP_BASE_URL,
    };
  });
}

async function checkWritable(dir: string): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true });
    const probe = `${dir}/.write-check-${crypto.randomUUID()}`;
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (error) {
    throw new UsageError(
      `Cannot write to --out "${dir}" (${(error as Error).message.split(":")[0]}): ` +
        `choose a folder you can write to`,
    );
  }
}

/**
 * Runs the fetch command.
 *
 * @param args command-line arguments
 * @returns the exit code
 */
export async function main(args: string[]): Promise<number> {
  const env = Deno.env.toObject();
  const command = parseFetchArgs(args, env);
  if (command === "help") {
    console.log(HELP);
    return 0;
  }
  const dotEnv = await readDotEnv();
  const credentials = asUsageError(() => credentialsFrom(env, dotEnv));
  await checkWritable(command.rawDir);
  const baseUrl = await resolveBaseUrl({
    accountId: credentials.accountId,
    serviceName: ENGAGEMENT_HISTORY.serviceName,
    override: command.baseUrlOverride,
    domainApiUrl: env.LP_DOMAIN_API_URL,
    scheme: env.LP_DOMAIN_API_URL?.startsWith("http://") ? "http" : "https",
  });
  const status = statusLine();
  const summary = await fetchHistory({
    api: ENGAGEMENT_HISTORY,
    credentials,
    baseUrl,
    range: command.range,
    windowMs: command.windowMs,
    rawDir: command.rawDir,
    onProgress: (progress) => status.update(describeProgress(progress)),
  }).finally(() => status.done());
  console.log(
    `Fetched ${summary.records} records in ${summary.pages} pages from ` +
      `${summary.windows - summary.windowsSkipped} windows ` +
      `(${summary.windowsSkipped} already complete, ${summary.retries} retries) into ` +
      `${command.rawDir}/${ENGAGEMENT_HISTORY.name}`,
  );
  if (summary.partialPages > 0) {
    console.error(
      `warning: ${summary.partialPages} pages stayed partial (the API reported failed ` +
        `shards) after retries; their windows are not marked complete. Run the same ` +
        `command again later to fetch them again.`,
    );
    return 1;
  }
  return 0;
}

if (import.meta.main) await runCli(() => main(Deno.args));
