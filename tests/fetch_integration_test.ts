/**
 * `deno task fetch` end to end against the simulator on 127.0.0.1.
 */
import assert from "node:assert/strict";
import type { Credentials } from "../lib/fetch/credentials.ts";
import { resolveBaseUrl } from "../lib/fetch/domain.ts";
import { fetchHistory } from "../lib/fetch/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import type { PageEntry } from "../lib/fetch/manifest.ts";
import { readStoreManifest, sha256Hex } from "../lib/fetch/store_layout.ts";
import { DEMO_CREDENTIALS, type Simulator, startSimulator } from "../lib/simulator/server.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { SOURCES } from "../lib/sources/mod.ts";
import type { FaultOptions } from "../lib/simulator/faults.ts";
import {
  credentialEnv,
  DAY,
  fetchOptions,
  JAN_1,
  recordId,
  storedIds,
  withSimulator,
} from "./helpers/simulator.ts";

const FETCH_SCRIPT = new URL("../scripts/fetch.ts", import.meta.url).pathname;
const FAST_RETRIES = { serverErrorDelaysMs: [20, 40, 60], outageDelayMs: 100 };

/** Secrets unlike any other text, so a leak anywhere is found by a plain search. */
const SECRET_CREDENTIALS: Credentials = {
  accountId: "55501234",
  consumerKey: "ck-visible-3b1f",
  consumerSecret: "SECRET-consumer-9f2d7c",
  accessToken: "tok-visible-77ae",
  accessTokenSecret: "SECRET-token-41c08e",
};

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
    const pages = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries
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
      const options = fetchOptions(simulator, rawDir, 1, { incompleteRetries: 2 });
      const cured = await fetchHistory(options);
      assert.equal(cured.incomplete.length, 0);
      assert.deepEqual(simulator.searches.map((s) => [s.offset, s.fault]), [[0, "partial"], [
        0,
        "ok",
      ], [100, "ok"]]);

      await Deno.remove(rawDir, { recursive: true });
      simulator.setFaults({ script: ["partial", "partial", "partial"] });
      const stuck = await fetchHistory(options);
      assert.equal(stuck.incomplete.length, 1);
      assert.match(stuck.incomplete[0]!.problem, /flagged the page as partial/);
      const manifest = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
      assert.ok(manifest.some((e) => e.kind === "page" && e.partialResult));
      assert.ok(!manifest.some((e) => e.kind === "window"), "window not marked complete");
    },
  );
});

Deno.test("fetchHistory() resumes after a failure, skipping windows already complete", async () => {
  // Day 1's pages succeed; day 2's first request fails until the retries run out.
  await withSimulator({ count: 300, days: 3 }, async (simulator, rawDir) => {
    const firstDay = simulator.recordsIn(JAN_1, JAN_1 + DAY).length;
    const ok = Array.from({ length: Math.max(1, Math.ceil(firstDay / 100)) }, () => "ok" as const);
    simulator.setFaults({ script: [...ok, "503", "503", "503"] });
    const options = fetchOptions(simulator, rawDir, 3, {
      http: { serverErrorDelaysMs: [10, 10, 10], outageDelayMs: 10, maxWaitMs: 25 },
    });
    await assert.rejects(fetchHistory(options), /Gave up after \d attempts/);
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
      "--allow-sys=hostname",
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
      [
        ...["--api", "engagement-history", "--from", "2024-01-01", "--to", "2024-01-01"],
        ...["--out", rawDir, "--base-url", simulator.url],
      ],
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
          [
            "--api",
            "engagement-history",
            "--from",
            "2024-01-01",
            "--to",
            "2024-01-02",
            "--out",
            rawDir,
          ],
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

Deno.test("the simulator keeps its own limits: a client that asks for 200 records a page is refused", async () => {
  await withSimulator({ count: 300, days: 1 }, async (simulator, rawDir) => {
    const wrong = { ...ENGAGEMENT_HISTORY, maxPageSize: 200 };
    await assert.rejects(
      fetchHistory({ ...fetchOptions(simulator, rawDir, 1), api: wrong }),
      (error: unknown) =>
        error instanceof Error && /400 Bad Request/.test(error.message) &&
        /Invalid limit 200: use 1 to 100/.test(error.message),
    );
    const windowTooLong = { ...ENGAGEMENT_HISTORY, maxWindowMs: 40 * DAY };
    await assert.rejects(
      fetchHistory({
        ...fetchOptions(simulator, rawDir, 80),
        api: windowTooLong,
        windowMs: 40 * DAY,
        now: () => JAN_1 + 100 * DAY,
      }),
      /more than 31 days/,
    );
  });
});

Deno.test("deno task fetch gets both APIs by default, --api picks one, and one API failing does not stop the other", async () => {
  const dataset = { count: 300, from: JAN_1, to: JAN_1 + DAY, seed: 5 };
  const both = await startSimulator({
    serve: SOURCES.map((source) => ({ api: source.simulated, dataset })),
    clock: () => JAN_1 + 2 * DAY,
  });
  const chatsOnly = await startSimulator({
    serve: [{ api: ENGAGEMENT_HISTORY_SOURCE.simulated, dataset }],
  });
  const dir = await Deno.makeTempDir({ prefix: "lp-fetch-apis-" });
  const env = credentialEnv(DEMO_CREDENTIALS);
  const day = ["--from", "2024-01-01", "--to", "2024-01-01"];
  /** Records stored per API, each once (a record fetched again by key is also stored again). */
  const fetched = async (rawDir: string) =>
    Object.fromEntries(
      await Promise.all(
        SOURCES.map(async ({ api }) => [api.name, new Set(await storedIds(rawDir, api)).size]),
      ),
    );
  try {
    const all = await runFetch([...day, "--out", `${dir}/all`, "--base-url", both.url], { env });
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^Engagement History \(chat\): Fetched 300 records/m);
    assert.match(all.stdout, /^Messaging Interactions \(messaging\): Fetched 300 records/m);
    assert.deepEqual(await fetched(`${dir}/all`), {
      "engagement-history": 300,
      "messaging-interactions": 300,
    });
    const searches = both.searches.filter((search) => search.api === "messaging-interactions");
    assert.ok(searches.length > 0 && searches.every((search) => search.status === 200));

    const one = await runFetch(
      [...day, "--api", "messaging-interactions", "--out", `${dir}/one`, "--base-url", both.url],
      { env },
    );
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(await fetched(`${dir}/one`), {
      "engagement-history": 0,
      "messaging-interactions": 300,
    });

    // A host that serves chats only: messaging fails, chats are fetched, the exit code says so.
    const half = await runFetch([...day, "--out", `${dir}/half`, "--base-url", chatsOnly.url], {
      env,
    });
    assert.equal(half.code, 1);
    assert.match(half.stderr, /^error: Messaging Interactions \(messaging\): /m);
    assert.equal((await fetched(`${dir}/half`))["engagement-history"], 300);
  } finally {
    await both.close();
    await chatsOnly.close();
    await Deno.remove(dir, { recursive: true });
  }
});
