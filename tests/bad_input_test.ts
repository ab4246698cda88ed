/**
 * Bad input, across every task: each case must exit with 2, print one line
 * that names the input and the fix (without a stack trace or a hint about
 * Deno's permission flags), and leave the disk exactly as it was.
 *
 * The first cases are the refusals of the Safety rules: an output folder the
 * tool does not own is never written into.
 */

import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { importPages } from "../lib/fetch/import_pages.ts";
import { claimFolder } from "../lib/fs/owned_folder.ts";
import { DEMO_CREDENTIALS } from "../lib/simulator/server.ts";
import { runScript, type ScriptResult, treeHash } from "./helpers/run_script.ts";
import { credentialEnv } from "./helpers/simulator.ts";

interface Case {
  readonly name: string;
  readonly task: string;
  readonly args: readonly string[];
  readonly message: RegExp;
  readonly env?: Record<string, string>;
}

const SCRIPT_OF: Record<string, string> = { docs: "tables_doc", bench: "bench_tables" };

const KEYS = credentialEnv(DEMO_CREDENTIALS);
const FETCH = ["--from", "2024-01-01", "--to", "2024-01-02"];

const CASES: readonly Case[] = [
  // Outputs that cannot destroy (Safety, point 1).
  {
    name: "tables --out . (holds --in)",
    task: "tables",
    args: ["--in", "raw", "--out", "."],
    message: /--out \. contains --in raw/,
  },
  {
    name: "tables --out a parent of --in",
    task: "tables",
    args: ["--in", "sub/raw", "--out", "sub"],
    message: /--out sub contains --in sub\/raw/,
  },
  {
    name: "tables --out equal to --in",
    task: "tables",
    args: ["--in", "raw", "--out", "raw"],
    message: /--out raw is --in raw/,
  },
  {
    name: "tables --out inside --in",
    task: "tables",
    args: ["--in", "raw", "--out", "raw/tables"],
    message: /lies inside --in raw/,
  },
  {
    name: "tables --out naming a file",
    task: "tables",
    args: ["--in", "raw", "--out", "notes.txt"],
    message: /notes\.txt is a file/,
  },
  {
    name: "tables --out a folder with other files",
    task: "tables",
    args: ["--in", "raw", "--out", "mine"],
    message: /mine already holds files lp-history did not write \("keep\.txt"\)/,
  },
  {
    name: "tables --out an owned folder with a foreign file",
    task: "tables",
    args: ["--in", "raw", "--out", "tables-foreign"],
    message: /holds "foreign\.txt", which lp-history did not write/,
  },
  {
    name: "tables --out a demo folder",
    task: "tables",
    args: ["--in", "raw", "--out", "owned-demo"],
    message: /is an lp-history demo folder, not a tables folder/,
  },
  {
    name: "demo --out a folder with other files",
    task: "demo",
    args: ["--out", "mine"],
    message: /mine already holds files lp-history did not write/,
  },
  {
    name: "demo --out a file",
    task: "demo",
    args: ["--out", "notes.txt"],
    message: /notes\.txt is a file/,
  },
  {
    name: "demo --out a tables folder",
    task: "demo",
    args: ["--out", "tables-foreign"],
    message: /is an lp-history tables folder, not a demo folder/,
  },
  {
    name: "fetch --out a raw folder with foreign files",
    task: "fetch",
    args: [...FETCH, "--out", "foreign-raw", "--base-url", "http://127.0.0.1:9"],
    env: KEYS,
    message: /foreign-raw\/engagement-history holds "keep\.txt", which lp-history did not write/,
  },
  {
    name: "fetch into another account's store",
    task: "fetch",
    args: [...FETCH, "--out", "raw", "--base-url", "http://127.0.0.1:9"],
    env: { ...KEYS, LP_ACCOUNT_ID: "11112222" },
    message: /holds data of LivePerson account 90412377, and the API key is for account 11112222/,
  },
  {
    name: "fetch --out a file",
    task: "fetch",
    args: [...FETCH, "--out", "notes.txt"],
    env: KEYS,
    message: /--out notes\.txt is a file/,
  },
  // tables
  {
    name: "tables --in a file",
    task: "tables",
    args: ["--in", "notes.txt", "--out", "new"],
    message: /--in notes\.txt is a file/,
  },
  {
    name: "tables --in a missing folder",
    task: "tables",
    args: ["--in", "missing", "--out", "new"],
    message: /Input folder missing does not exist/,
  },
  {
    name: "tables --in a folder without raw pages",
    task: "tables",
    args: ["--in", "mine", "--out", "new"],
    message:
      /No raw pages in mine for engagement-history or messaging-interactions: run `deno task fetch` first/,
  },
  {
    name: "tables --in empty",
    task: "tables",
    args: ["--in", "", "--out", "new"],
    message: /Empty --in/,
  },
  {
    name: "tables --format xlsx",
    task: "tables",
    args: ["--in", "raw", "--out", "new", "--format", "xlsx"],
    message: /Invalid --format "xlsx"/,
  },
  {
    name: "tables --format empty",
    task: "tables",
    args: ["--in", "raw", "--out", "new", "--format", ""],
    message: /Invalid --format ""/,
  },
  {
    name: "tables unknown option",
    task: "tables",
    args: ["--bogus"],
    message: /Unknown option '--bogus'/,
  },
  {
    name: "tables positional argument",
    task: "tables",
    args: ["raw"],
    message: /Unexpected argument 'raw'/,
  },
  // fetch
  {
    name: "fetch --window 40d",
    task: "fetch",
    args: [...FETCH, "--window", "40d"],
    env: KEYS,
    message: /at most 31 days/,
  },
  {
    name: "fetch --window 5m",
    task: "fetch",
    args: [...FETCH, "--window", "5m"],
    env: KEYS,
    message: /multiple of 10 minutes/,
  },
  {
    name: "fetch --window 0m",
    task: "fetch",
    args: [...FETCH, "--window", "0m"],
    env: KEYS,
    message: /multiple of 10 minutes/,
  },
  {
    name: "fetch --window 1 day",
    task: "fetch",
    args: [...FETCH, "--window", "1 day"],
    env: KEYS,
    message: /Invalid --window "1 day"/,
  },
  {
    name: "fetch invalid --base-url",
    task: "fetch",
    args: [...FETCH, "--base-url", "va.enghist.liveperson.net"],
    env: KEYS,
    message: /Invalid base URL "va\.enghist\.liveperson\.net"/,
  },
  {
    name: "fetch empty --base-url",
    task: "fetch",
    args: [...FETCH, "--base-url", ""],
    env: KEYS,
    message: /Empty --base-url/,
  },
  {
    name: "fetch empty LP_BASE_URL",
    task: "fetch",
    args: FETCH,
    env: { ...KEYS, LP_BASE_URL: " " },
    message: /Empty LP_BASE_URL/,
  },
  {
    name: "fetch impossible date",
    task: "fetch",
    args: ["--from", "2024-02-30", "--to", "2024-03-01"],
    env: KEYS,
    message: /Invalid --from "2024-02-30"/,
  },
  {
    name: "fetch --to before --from",
    task: "fetch",
    args: ["--from", "2024-02-01", "--to", "2024-01-01"],
    env: KEYS,
    message: /--to 2024-01-01 is before --from 2024-02-01/,
  },
  {
    name: "fetch unknown time zone",
    task: "fetch",
    args: [...FETCH, "--tz", "Moon/Base"],
    env: KEYS,
    message: /Unknown time zone "Moon\/Base"/,
  },
  {
    name: "fetch missing --to",
    task: "fetch",
    args: ["--from", "2024-01-01"],
    env: KEYS,
    message: /Missing --to/,
  },
  {
    name: "fetch missing credential",
    task: "fetch",
    args: FETCH,
    env: { ...KEYS, LP_ACCESS_TOKEN_SECRET: "" },
    message: /Missing environment variable LP_ACCESS_TOKEN_SECRET/,
  },
  {
    name: "fetch --max-wait 0s",
    task: "fetch",
    args: [...FETCH, "--max-wait", "0s"],
    env: KEYS,
    message: /Invalid --max-wait "0s"/,
  },
  {
    name: "fetch --verify with dates",
    task: "fetch",
    args: ["--verify", ...FETCH],
    message: /--verify downloads nothing/,
  },
  {
    name: "fetch a secret on the command line",
    task: "fetch",
    args: [...FETCH, "--consumer-secret", "x"],
    env: KEYS,
    message: /Unknown option '--consumer-secret'/,
  },
  {
    name: "fetch --since-last with no earlier run",
    task: "fetch",
    args: ["--since-last", "--out", "mine", "--base-url", "http://127.0.0.1:9"],
    env: KEYS,
    message: /--since-last found no settled data in mine\/engagement-history.*run a first fetch/,
  },
  {
    name: "fetch --since-last with --from",
    task: "fetch",
    args: ["--since-last", "--from", "2024-01-01"],
    env: KEYS,
    message: /use it without --from/,
  },
  {
    name: "fetch --settle 2 hours",
    task: "fetch",
    args: [...FETCH, "--settle", "2 hours"],
    env: KEYS,
    message: /Invalid --settle "2 hours"/,
  },
  // demo, simulator, notebooks, docs, bench
  {
    name: "demo unknown option",
    task: "demo",
    args: ["--bogus"],
    message: /Unknown option '--bogus'/,
  },
  { name: "demo empty --out", task: "demo", args: ["--out", ""], message: /Empty --out/ },
  {
    name: "simulator --port x",
    task: "simulator",
    args: ["--port", "x"],
    message: /Invalid --port "x"/,
  },
  {
    name: "simulator --rate-429 2",
    task: "simulator",
    args: ["--rate-429", "2"],
    message: /Invalid --rate-429 "2"/,
  },
  {
    name: "notebooks --tables with --demo",
    task: "notebooks",
    args: ["--tables", "x", "--demo"],
    message: /either --tables DIR or --demo/,
  },
  {
    name: "notebooks unknown option",
    task: "notebooks",
    args: ["--bogus"],
    message: /Unknown option '--bogus'/,
  },
  {
    name: "docs unknown option",
    task: "docs",
    args: ["--bogus"],
    message: /Unknown option '--bogus'/,
  },
  {
    name: "recipes --reader excel",
    task: "recipes",
    args: ["--reader", "excel"],
    message: /Unknown --reader "excel": use one of nodejs-polars/,
  },
  {
    name: "recipes without tables",
    task: "recipes",
    args: ["--tables", "nowhere"],
    message: /No _schema\.json in nowhere: run `deno task tables`/,
  },
  {
    name: "load without tables",
    task: "load",
    args: [],
    message: /The tables folder data\/tables does not exist: run `deno task tables` first/,
  },
  {
    name: "load --db mysql://",
    task: "load",
    args: ["--db", "mysql://host/db"],
    message: /Unsupported database "mysql:\/\/host\/db": use a DuckDB file path or a postgres/,
  },
  {
    name: "load --batch-size 0",
    task: "load",
    args: ["--batch-size", "0"],
    message: /Invalid --batch-size "0": expected a positive number of records/,
  },
  {
    name: "load unknown option",
    task: "load",
    args: ["--bogus"],
    message: /Unknown option '--bogus'/,
  },
  {
    name: "bench --sizes abc",
    task: "bench",
    args: ["--sizes", "abc"],
    message: /Invalid --sizes "abc"/,
  },
];

async function makeFixture(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lp-bad-input-" });
  const page = new TextEncoder().encode(
    '{"_metadata":{"count":1},"interactionHistoryRecords":[{"info":{"engagementId":"e1"}}]}',
  );
  for (const raw of [`${dir}/raw`, `${dir}/sub/raw`]) {
    await importPages(raw, ENGAGEMENT_HISTORY, [page], { accountId: DEMO_CREDENTIALS.accountId });
  }
  await Deno.writeTextFile(`${dir}/notes.txt`, "my notes");
  await Deno.mkdir(`${dir}/mine`);
  await Deno.writeTextFile(`${dir}/mine/keep.txt`, "keep me");
  await claimFolder(`${dir}/tables-foreign`, "tables");
  await Deno.writeTextFile(`${dir}/tables-foreign/foreign.txt`, "not the tool's");
  await claimFolder(`${dir}/owned-demo`, "demo");
  await Deno.mkdir(`${dir}/foreign-raw/engagement-history`, { recursive: true });
  await Deno.writeTextFile(`${dir}/foreign-raw/engagement-history/keep.txt`, "keep me");
  return dir;
}

/** What a case printed, and whether the disk under its own copy of the fixture changed. */
interface Outcome {
  readonly result: ScriptResult;
  readonly before: Record<string, string>;
  readonly after: Record<string, string>;
}

/** Runs every case in its own copy of the fixture, a few at a time. */
async function runAll(fixture: string): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  const queue = [...CASES];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const dir = await Deno.makeTempDir({ prefix: "lp-bad-input-case-" });
      try {
        await new Deno.Command("cp", { args: ["-a", `${fixture}/.`, dir] }).output();
        const before = await treeHash(dir);
        const script = SCRIPT_OF[next.task] ?? next.task;
        const result = await runScript(script, next.args, {
          cwd: dir,
          env: next.env ?? {},
          task: next.task,
        });
        outcomes.set(next.name, { result, before, after: await treeHash(dir) });
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return outcomes;
}

Deno.test("every task refuses bad input with exit 2, one line that says what to do, and an unchanged disk", async (t) => {
  assert.ok(CASES.length >= 30, `${CASES.length} cases`);
  const dir = await makeFixture();
  try {
    const outcomes = await runAll(dir);
    for (const item of CASES) {
      await t.step(item.name, () => {
        const { result, before, after } = outcomes.get(item.name)!;
        assert.ok(Object.keys(before).length > 10, "the fixture was copied");
        assert.deepEqual(after, before, "nothing on disk changed");
        assert.equal(result.code, 2, `exit code, stderr: ${result.stderr}`);
        const lines = result.stderr.trim().split("\n");
        assert.equal(lines.length, 1, `one line expected: ${result.stderr}`);
        assert.match(lines[0]!, /^error: /);
        assert.match(lines[0]!, item.message);
        assert.doesNotMatch(result.stderr, /--allow-|\bat .*\.ts:\d+/);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
