/**
 * Crash anywhere, rerun, same result: fetch killed with SIGKILL at random
 * moments (one right as a page arrives, so while it is being written) ends,
 * once rerun, with the raw records and tables of an uninterrupted run, and no
 * page that was saved is ever fetched again.
 */

import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { fetchHistory } from "../lib/fetch/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { type SearchLogEntry, startSimulator } from "../lib/simulator/server.ts";
import { DEMO_CREDENTIALS } from "../lib/simulator/server.ts";
import { ENGAGEMENT_HISTORY_SIMULATED } from "../lib/sources/engagement_history/simulator/mod.ts";
import { buildTables } from "../lib/tables/build.ts";
import { spawnScript } from "./helpers/run_script.ts";
import { credentialEnv, DAY, JAN_1, storedIds } from "./helpers/simulator.ts";
import { createRandom } from "../lib/simulator/random.ts";
import { savedPages, sortedCsvLines } from "./helpers/store_checks.ts";

/** The simulator here serves chats only. */
const API = "--api=engagement-history";

const pageKey = (search: SearchLogEntry) => `${search.from}:${search.offset}`;

async function withCrashSimulator(
  dataset: { count: number; days: number; latencyMs: number },
  fn: (context: {
    url: string;
    searches: SearchLogEntry[];
    onAnswered: (hook: ((entry: SearchLogEntry) => void) | undefined) => void;
    dir: string;
  }) => Promise<void>,
): Promise<void> {
  let hook: ((entry: SearchLogEntry) => void) | undefined;
  const simulator = await startSimulator({
    serve: [{
      api: ENGAGEMENT_HISTORY_SIMULATED,
      // Pages are this test's concern: no records that would be fetched again by key.
      dataset: {
        count: dataset.count,
        from: JAN_1,
        to: JAN_1 + dataset.days * DAY,
        seed: 3,
        partialRate: 0,
        lateRate: 0,
        stuckOpenRate: 0,
      },
    }],
    faults: { latencyMs: dataset.latencyMs },
    onSearch: (entry) => hook?.(entry),
  });
  const dir = await Deno.makeTempDir({ prefix: "lp-crash-fetch-" });
  try {
    await fn({
      url: simulator.url,
      searches: simulator.searches,
      onAnswered: (next) => (hook = next),
      dir,
    });
  } finally {
    await simulator.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Waits for the child, reading its output to the end (a closed pipe would end it early). */
async function waitAndDrain(child: Deno.ChildProcess): Promise<Deno.CommandOutput> {
  return await child.output();
}

Deno.test("fetch killed at random moments, one while a page is written, ends like an uninterrupted run", async () => {
  await withCrashSimulator({ count: 14_000, days: 14, latencyMs: 25 }, async (context) => {
    const range = { from: JAN_1, to: JAN_1 + 14 * DAY };
    await fetchHistory({
      api: ENGAGEMENT_HISTORY,
      credentials: DEMO_CREDENTIALS,
      baseUrl: context.url,
      range,
      rawDir: `${context.dir}/whole`,
    });
    const env = { ...credentialEnv(DEMO_CREDENTIALS), LP_BASE_URL: context.url };
    // One request at a time over one-day windows, the pace these kill times were chosen for;
    // concurrent_crash_fetch_test.ts kills concurrent runs.
    const args = [
      API,
      "--from",
      "2024-01-01",
      "--to",
      "2024-01-14",
      "--out",
      `${context.dir}/killed`,
      "--concurrency",
      "1",
      "--window",
      "1d",
    ];
    const random = createRandom(20261129);
    const plan: ("random" | "page-write")[] = [
      "random",
      "random",
      "page-write",
      "random",
      "random",
      "random",
    ];
    let fetchedAgain = 0;
    for (const kind of plan) {
      const saved = await savedPages(`${context.dir}/killed`).catch(() => new Set<string>());
      const before = context.searches.length;
      const child = spawnScript("fetch", args, { env });
      if (kind === "page-write") {
        // Right as the server finishes sending a page, the client is about to write it.
        let answered = 0;
        context.onAnswered((entry) => {
          if (entry.status === 200 && ++answered === 3) child.kill("SIGKILL");
        });
      } else {
        const delay = 500 + Math.floor(random.next() * 400);
        setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* it finished already */ }
        }, delay);
      }
      const status = await waitAndDrain(child);
      context.onAnswered(undefined);
      assert.equal(status.signal, "SIGKILL", `the ${kind} kill came before the run ended`);
      const again = context.searches.slice(before).filter((search) => saved.has(pageKey(search)));
      fetchedAgain += again.length;
    }
    const finish = spawnScript("fetch", args, { env });
    assert.equal((await waitAndDrain(finish)).code, 0);
    assert.equal(fetchedAgain, 0, "no page fetched again after it was saved");

    const whole = [...await storedIds(`${context.dir}/whole`)].sort();
    const killed = [...new Set(await storedIds(`${context.dir}/killed`))].sort();
    assert.equal(whole.length, 14_000);
    assert.deepEqual(killed, whole);
    for (const name of ["whole", "killed"]) {
      await buildTables({
        source: ENGAGEMENT_HISTORY_SOURCE,
        inDir: `${context.dir}/${name}`,
        outDir: `${context.dir}/${name}-tables`,
        formats: ["csv"],
      });
    }
    assert.deepEqual(
      await sortedCsvLines(`${context.dir}/killed-tables`),
      await sortedCsvLines(`${context.dir}/whole-tables`),
    );
  });
});

Deno.test("fetch killed 20 times in quick succession on large windows still completes, fetching at most one page twice per kill", async () => {
  await withCrashSimulator({ count: 30_000, days: 14, latencyMs: 30 }, async (context) => {
    const env = { ...credentialEnv(DEMO_CREDENTIALS), LP_BASE_URL: context.url };
    const rawDir = `${context.dir}/raw`;
    // One request at a time, so that each kill cuts at most one page short.
    const args = [
      API,
      "--from",
      "2024-01-01",
      "--to",
      "2024-01-14",
      "--window",
      "2w",
      "--out",
      rawDir,
      "--concurrency",
      "1",
    ];
    const random = createRandom(7);
    const progress: number[] = [];
    for (let kill = 0; kill < 20; kill++) {
      const child = spawnScript("fetch", args, { env });
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* it finished already */ }
      }, 500 + Math.floor(random.next() * 300));
      const status = await waitAndDrain(child);
      clearTimeout(timer);
      assert.equal(status.signal, "SIGKILL", `kill ${kill + 1} came before the run ended`);
      progress.push((await savedPages(rawDir).catch(() => new Set())).size);
    }
    const before = context.searches.length;
    const finish = spawnScript("fetch", args, { env });
    assert.equal((await waitAndDrain(finish)).code, 0);
    const pages = Math.ceil(30_000 / 100);
    assert.ok(context.searches.length - before < pages, "the killed runs made progress");
    assert.ok(progress.every((saved, index) => index === 0 || saved >= progress[index - 1]!));
    assert.ok(progress.at(-1)! > progress[0]!, `progress over the kills: ${progress}`);
    const answers = new Map<string, number>();
    for (const search of context.searches.filter((search) => search.status === 200)) {
      answers.set(pageKey(search), (answers.get(pageKey(search)) ?? 0) + 1);
    }
    const twice = [...answers.values()].reduce((sum, count) => sum + count - 1, 0);
    assert.ok(twice <= 20, `${twice} pages fetched twice over 20 kills`);
    assert.equal(new Set(await storedIds(rawDir)).size, 30_000);
  });
});
