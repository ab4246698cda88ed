/**
 * `deno task fetch` end to end against the simulator on 127.0.0.1.
 */
import assert from "node:assert/strict";
import type { Credentials } from "../lib/credentials.ts";
import { resolveBaseUrl } from "../lib/domain.ts";
import { fetchHistory, type FetchHistoryOptions } from "../lib/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/history_api.ts";
import { listPageFiles, type PageEntry, readManifest, sha256Hex } from "../lib/raw_store.ts";
import { DEMO_CREDENTIALS, type Simulator, startSimulator } from "../lib/simulator/server.ts";
import type { FaultOptions } from "../lib/simulator/faults.ts";

const DAY = 86_400_000;
const JAN_1 = Date.UTC(2024, 0, 1);
const FETCH_SCRIPT = new URL("../scripts/fetch.ts", import.meta.url).pathname;
const FAST_RETRIES = { baseDelayMs: 20, maxDelayMs: 200 };

/** Secrets unlike any other text, so a leak anywhere is found by a plain search. */
const SECRET_CREDENTIALS: Credentials = {
  accountId: "55501234",
  consumerKey: "ck-visible-3b1f",
  consumerSecret: "SECRET-consumer-9f2d7c",
  accessToken: "tok-visible-77ae",
  accessTokenSecret: "SECRET-token-41c08e",
};

async function withSimulator(
  options: {
    count: number;
    days: number;
    faults?: FaultOptions;
    credentials?: Credentials;
    keepBodies?: number;
  },
  fn: (simulator: Simulator, rawDir: string) => Promise<void>,
): Promise<void> {
  const simulator = await startSimulator({
    dataset: { count: options.count, from: JAN_1, to: JAN_1 + options.days * DAY, seed: 7 },
    credentials: options.credentials,
    faults: options.faults,
    keepBodies: options.keepBodies,
  });
  const rawDir = await Deno.makeTempDir({ prefix: "lp-fetch-test-" });
  try {
    await fn(simulator, rawDir);
  } finally {
    await simulator.close();
    await Deno.remove(rawDir, { recursive: true });
  }
}

/** Options of a fetch from the simulator over the first `days` days of January 2024. */
function fetchOptions(
  simulator: Simulator,
  rawDir: string,
  days: number,
  extra: Partial<FetchHistoryOptions> = {},
): FetchHistoryOptions {
  return {
    api: ENGAGEMENT_HISTORY,
    credentials: DEMO_CREDENTIALS,
    baseUrl: simulator.url,
    range: { from: JAN_1, to: JAN_1 + days * DAY },
    rawDir,
    ...extra,
  };
}

function recordId(record: unknown): string {
  return (record as { info: { engagementId: string } }).info.engagementId;
}

async function storedIds(rawDir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const page of await listPageFiles(rawDir, ENGAGEMENT_HISTORY)) {
    const body = JSON.parse(await Deno.readTextFile(page.path));
    ids.push(...body.interactionHistoryRecords.map(recordId));
  }
  return ids;
}

function successfulSearches(simulator: Simulator) {
  return simulator.searches.filter((search) => search.status === 200);
}

/** Fewest search requests that can fetch every window: one per 100 records, at least one. */
function minimumRequests(simulator: Simulator, days: number): number {
  let requests = 0;
  for (let day = 0; day < days; day++) {
    const count = simulator.recordsIn(JAN_1 + day * DAY, JAN_1 + (day + 1) * DAY).length;
    requests += Math.max(1, Math.ceil(count / 100));
  }
  return requests;
}

Deno.test("fetchHistory() fetches every record of the range exactly once, with the fewest requests", async () => {
  await withSimulator({ count: 730, days: 5 }, async (simulator, rawDir) => {
    const summary = await fetchHistory(fetchOptions(simulator, rawDir, 5));
    const expected = simulator.recordsIn(JAN_1, JAN_1 + 5 * DAY).map(recordId);
    const fetched = await storedIds(rawDir);
    assert.equal(expected.length, 730);
    assert.deepEqual([...fetched].sort(), [...expected].sort());
    assert.equal(new Set(fetched).size, fetched.length, "no record stored twice");
    assert.equal(simulator.searches.length, minimumRequests(simulator, 5));
    assert.equal(summary.records, 730);
    assert.equal(summary.pages, simulator.searches.length);
  });
});

Deno.test("fetchHistory() makes no extra request when a window's total is a multiple of 100", async () => {
  await withSimulator({ count: 200, days: 1 }, async (simulator, rawDir) => {
    await fetchHistory(fetchOptions(simulator, rawDir, 1));
    assert.deepEqual(simulator.searches.map((s) => s.offset), [0, 100]);
    assert.equal((await storedIds(rawDir)).length, 200);
  });
});

Deno.test("fetchHistory() stores each body byte-identical to what the server sent, with its checksum", async () => {
  await withSimulator({ count: 250, days: 2, keepBodies: 100 }, async (simulator, rawDir) => {
    await fetchHistory(fetchOptions(simulator, rawDir, 2));
    const pages = (await readManifest(rawDir, ENGAGEMENT_HISTORY))
      .filter((entry): entry is PageEntry => entry.kind === "page");
    assert.equal(pages.length, successfulSearches(simulator).length);
    for (const page of pages) {
      const bytes = await Deno.readFile(`${rawDir}/${ENGAGEMENT_HISTORY.name}/${page.file}`);
      const sent = simulator.bodies.get(`${page.window.from}:${page.window.to}:${page.offset}`);
      assert.ok(sent, `the server sent ${page.file}`);
      assert.deepEqual(bytes, sent);
      assert.equal(page.sha256, sha256Hex(bytes));
      assert.equal(page.bytes, bytes.byteLength);
      const body = JSON.parse(new TextDecoder().decode(bytes));
      assert.equal(body._metadata.count, page.count);
      assert.equal(body.interactionHistoryRecords.length, page.records);
    }
  });
});

Deno.test("fetchHistory() survives 429, 500, 503 and dropped connections, waiting as told", async () => {
  const faults: FaultOptions = {
    script: ["ok", "429", "500", "drop", "drop", "503", "ok", "429"],
    retryAfterSeconds: 1,
  };
  await withSimulator({ count: 320, days: 2, faults }, async (simulator, rawDir) => {
    const retries: { reason: string; waitMs: number }[] = [];
    const summary = await fetchHistory(
      fetchOptions(simulator, rawDir, 2, {
        http: {
          ...FAST_RETRIES,
          onRetry: (event) => retries.push(event),
        },
      }),
    );
    const reasons = retries.map((r) => r.reason.split(" ")[0]);
    assert.deepEqual(reasons.filter((r) => r !== "connection"), ["429", "500", "503", "429"]);
    // A connection dropped before any response byte may be retried by the HTTP
    // stack itself; one dropped in the middle of a body always reaches the client.
    assert.ok(reasons.includes("connection"), `a dropped connection was retried: ${reasons}`);
    for (const retry of retries.filter((r) => r.reason === "429")) {
      assert.ok(retry.waitMs >= 1000, `waited ${retry.waitMs} ms after a 429`);
    }
    // The server saw each 429's retry at least a second after the 429 itself.
    const log = simulator.searches;
    log.forEach((search, index) => {
      if (search.fault === "429") assert.ok(log[index + 1]!.at - search.at >= 990);
    });
    assert.equal(summary.retries, retries.length);
    const expected = simulator.recordsIn(JAN_1, JAN_1 + 2 * DAY).map(recordId).sort();
    const stored = await storedIds(rawDir);
    assert.deepEqual([...stored].sort(), expected);
  });
});

Deno.test("fetchHistory() fetches a partial page again, and leaves a window incomplete if it stays partial", async () => {
  await withSimulator(
    { count: 150, days: 1, faults: { script: ["partial", "ok"] } },
    async (simulator, rawDir) => {
      const options = fetchOptions(simulator, rawDir, 1, { partialRetries: 2 });
      const cured = await fetchHistory(options);
      assert.equal(cured.partialPages, 0);
      assert.deepEqual(simulator.searches.map((s) => [s.offset, s.fault]), [[0, "partial"], [
        0,
        "ok",
      ], [100, "ok"]]);

      await Deno.remove(rawDir, { recursive: true });
      simulator.setFaults({ script: ["partial", "partial", "partial"] });
      const stuck = await fetchHistory(options);
      assert.equal(stuck.partialPages, 1);
      const manifest = await readManifest(rawDir, ENGAGEMENT_HISTORY);
      assert.ok(manifest.some((e) => e.kind === "page" && e.partialResult));
      assert.ok(!manifest.some((e) => e.kind === "window"), "window not marked complete");
    },
  );
});

Deno.test("fetchHistory() resumes after a failure, skipping windows already complete", async () => {
  // Day 1 (one page of 100) succeeds; day 2's first request fails until the retries run out.
  const faults: FaultOptions = { script: ["ok", "503", "503", "503"] };
  await withSimulator({ count: 300, days: 3, faults }, async (simulator, rawDir) => {
    const options = fetchOptions(simulator, rawDir, 3, {
      http: { ...FAST_RETRIES, maxAttempts: 3 },
    });
    await assert.rejects(fetchHistory(options), /Gave up after 3 attempts/);
    const firstRun = simulator.searches.length;
    const resumed = await fetchHistory(options);
    assert.equal(resumed.windowsSkipped, 1);
    const secondRun = simulator.searches.slice(firstRun);
    assert.ok(secondRun.every((search) => search.from >= JAN_1 + DAY), "day 1 not fetched again");
    const expected = simulator.recordsIn(JAN_1, JAN_1 + 3 * DAY).map(recordId).sort();
    assert.deepEqual([...new Set(await storedIds(rawDir))].sort(), expected);
  });
});

Deno.test("resolveBaseUrl() finds the simulator through its Domain API", async () => {
  await withSimulator({ count: 1, days: 1 }, async (simulator) => {
    const baseUrl = await resolveBaseUrl({
      accountId: DEMO_CREDENTIALS.accountId,
      serviceName: "engHistDomain",
      domainApiUrl: simulator.url,
      scheme: "http",
    });
    assert.equal(baseUrl, simulator.url);
  });
});

// --- the command itself, as a user runs it ---------------------------------

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Command lines of the process, read from /proc while it ran. */
  commandLines: string[];
}

async function runFetch(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CommandResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      FETCH_SCRIPT,
      ...args,
    ],
    env: { NO_COLOR: "1", ...options.env },
    clearEnv: true,
    cwd: options.cwd ?? Deno.cwd(),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const commandLines: string[] = [];
  const sampler = setInterval(() => {
    try {
      commandLines.push(Deno.readTextFileSync(`/proc/${child.pid}/cmdline`).replaceAll("\0", " "));
    } catch { /* the process has ended */ }
  }, 20);
  const output = await child.output();
  clearInterval(sampler);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: output.code,
    stdout: decode(output.stdout),
    stderr: decode(output.stderr),
    commandLines,
  };
}

function credentialEnv(credentials: Credentials): Record<string, string> {
  return {
    LP_ACCOUNT_ID: credentials.accountId,
    LP_CONSUMER_KEY: credentials.consumerKey,
    LP_CONSUMER_SECRET: credentials.consumerSecret,
    LP_ACCESS_TOKEN: credentials.accessToken,
    LP_ACCESS_TOKEN_SECRET: credentials.accessTokenSecret,
  };
}

function assertOneLineError(result: CommandResult, pattern: RegExp): void {
  assert.equal(result.code, 2, `exit code 2 expected, stderr: ${result.stderr}`);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line expected, got: ${result.stderr}`);
  assert.match(lines[0]!, /^error: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\bat .*\.ts:\d+/, "no stack trace");
}

Deno.test("deno task fetch: a wrong secret gives a clear 401 message and a non-zero exit", async () => {
  await withSimulator({ count: 10, days: 1 }, async (simulator, rawDir) => {
    const result = await runFetch(
      ["--from", "2024-01-01", "--to", "2024-01-01", "--out", rawDir, "--base-url", simulator.url],
      { env: credentialEnv({ ...DEMO_CREDENTIALS, consumerSecret: "not-the-secret" }) },
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /^error: 401 Unauthorized/m);
    assert.match(result.stderr, /LP_CONSUMER_SECRET/);
    assert.ok(!result.stderr.includes("not-the-secret"));
    assert.doesNotMatch(result.stderr, /\bat .*\.ts:\d+/, "no stack trace");
  });
});

Deno.test("deno task fetch: bad input gets a one-line error and exit code 2", async (t) => {
  const env = credentialEnv(DEMO_CREDENTIALS);
  const cases: [string, string[], RegExp, Record<string, string>?][] = [
    [
      "an invalid date",
      ["--from", "2024-02-30", "--to", "2024-03-01"],
      /Invalid --from "2024-02-30"/,
    ],
    [
      "a malformed date",
      ["--from", "2024-01-01", "--to", "01/31/2024"],
      /Invalid --to "01\/31\/2024": expected YYYY-MM-DD/,
    ],
    [
      "reversed dates",
      ["--from", "2024-02-01", "--to", "2024-01-01"],
      /--to 2024-01-01 is before --from 2024-02-01/,
    ],
    [
      "an unknown time zone",
      ["--from", "2024-01-01", "--to", "2024-01-02", "--tz", "Moon/Base"],
      /Unknown time zone "Moon\/Base"/,
    ],
    ["a missing --to", ["--from", "2024-01-01"], /Missing --to/],
    [
      "an unknown option",
      ["--from", "2024-01-01", "--to", "2024-01-02", "--secret", "x"],
      /--secret/,
    ],
    [
      "a bad --window",
      ["--from", "2024-01-01", "--to", "2024-01-02", "--window", "1 day"],
      /Invalid --window "1 day"/,
    ],
    ["an unwritable --out", [
      "--from",
      "2024-01-01",
      "--to",
      "2024-01-02",
      "--out",
      "/proc/lp-history",
    ], /Cannot write to --out "\/proc\/lp-history"/],
    [
      "a missing variable",
      ["--from", "2024-01-01", "--to", "2024-01-02"],
      /LP_ACCESS_TOKEN_SECRET/,
      { ...env, LP_ACCESS_TOKEN_SECRET: "" },
    ],
  ];
  for (const [name, args, pattern, caseEnv] of cases) {
    await t.step(name, async () => {
      assertOneLineError(await runFetch(args, { env: caseEnv ?? env }), pattern);
    });
  }
});

Deno.test("deno task fetch: credentials from .env work, and no secret reaches files, output or argv", async () => {
  await withSimulator(
    {
      count: 260,
      days: 2,
      credentials: SECRET_CREDENTIALS,
      faults: { latencyMs: 30, script: ["ok", "429"] },
    },
    async (simulator, rawDir) => {
      const workDir = await Deno.makeTempDir({ prefix: "lp-fetch-cwd-" });
      try {
        const env = credentialEnv(SECRET_CREDENTIALS);
        // Secrets in .env, the account in the environment: both sources are read.
        await Deno.writeTextFile(
          `${workDir}/.env`,
          Object.entries(env).filter(([name]) => name !== "LP_ACCOUNT_ID")
            .map(([name, value]) => `${name}="${value}"`).join("\n"),
        );
        const result = await runFetch(
          ["--from", "2024-01-01", "--to", "2024-01-02", "--out", rawDir],
          { cwd: workDir, env: { LP_ACCOUNT_ID: env.LP_ACCOUNT_ID!, LP_BASE_URL: simulator.url } },
        );
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /Fetched 260 records in \d+ pages/);
        assert.ok(result.commandLines.length > 0, "the command line was sampled while it ran");
        const secrets = [SECRET_CREDENTIALS.consumerSecret, SECRET_CREDENTIALS.accessTokenSecret];
        const places: [string, string][] = [
          ["stdout", result.stdout],
          ["stderr", result.stderr],
          ...result.commandLines.map((line): [string, string] => ["argv", line]),
        ];
        for await (const file of walkFiles(rawDir)) {
          places.push([file, await Deno.readTextFile(file)]);
        }
        assert.ok(places.length > 5);
        for (const [where, text] of places) {
          for (const secret of secrets) {
            assert.ok(!text.includes(secret), `secret found in ${where}`);
          }
        }
      } finally {
        await Deno.remove(workDir, { recursive: true });
      }
    },
  );
});

async function* walkFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walkFiles(path);
    else if (entry.isFile) yield path;
  }
}
