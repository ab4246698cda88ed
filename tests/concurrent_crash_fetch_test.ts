/**
 * Crash anywhere, rerun, same result — with six requests in flight against a
 * server that caps concurrent requests (so 429s and shared pauses happen):
 * `deno task fetch --concurrency 6` killed with SIGKILL at random moments, one
 * right as a page arrives, ends once rerun with the very pages of an
 * uninterrupted run, and no page that was saved is fetched again.
 */

import assert from "node:assert/strict";
import { fetchHistory } from "../lib/fetch/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { apiFolder } from "../lib/fetch/store_layout.ts";
import { DEFAULT_WINDOW_MS } from "../lib/fetch/windows.ts";
import { createRandom } from "../lib/simulator/random.ts";
import { DEMO_CREDENTIALS, type SearchLogEntry, startSimulator } from "../lib/simulator/server.ts";
import { ENGAGEMENT_HISTORY_SIMULATED } from "../lib/sources/engagement_history/simulator/mod.ts";
import { spawnScript, treeHash } from "./helpers/run_script.ts";
import { credentialEnv, DAY, JAN_1, recordId, storedIds } from "./helpers/simulator.ts";
import { savedPages } from "./helpers/store_checks.ts";

/** The simulator here serves chats only. */
const API = "--api=engagement-history";

/** Every page file of the store, by path, with its hash; the manifest left out. */
async function pageFiles(rawDir: string): Promise<Record<string, string>> {
  const tree = await treeHash(apiFolder(rawDir, ENGAGEMENT_HISTORY));
  delete tree["manifest.jsonl"];
  return tree;
}

const pageKey = (search: SearchLogEntry) => `${search.from}:${search.offset}`;

Deno.test("fetch with six requests in flight, killed at random moments, ends like an uninterrupted run", async () => {
  let hook: ((entry: SearchLogEntry) => void) | undefined;
  const days = 14;
  const simulator = await startSimulator({
    serve: [{
      api: ENGAGEMENT_HISTORY_SIMULATED,
      dataset: {
        count: 20_000,
        from: JAN_1,
        to: JAN_1 + days * DAY,
        seed: 11,
        partialRate: 0,
        lateRate: 0,
        stuckOpenRate: 0,
      },
    }],
    // Fewer concurrent requests allowed than the client starts with: 429s from the first burst.
    faults: { latencyMs: 40, maxConcurrent: 4 },
    onSearch: (entry) => hook?.(entry),
  });
  const dir = await Deno.makeTempDir({ prefix: "lp-crash-concurrent-" });
  try {
    const env = { ...credentialEnv(DEMO_CREDENTIALS), LP_BASE_URL: simulator.url };
    const killed = `${dir}/killed`;
    const args = [API, "--from", "2024-01-01", "--to", "2024-01-14", "--out", killed];
    const random = createRandom(20261130);
    let fetchedAgain = 0;
    for (const kind of ["random", "page-write", "random", "random", "random", "random"]) {
      const saved = await savedPages(killed).catch(() => new Set<string>());
      const before = simulator.searches.length;
      const child = spawnScript("fetch", [...args, "--concurrency", "6"], { env });
      if (kind === "page-write") {
        // Right as the server finishes sending a page, the client is about to write it.
        let answered = 0;
        hook = (entry) => {
          if (entry.status === 200 && ++answered === 5) child.kill("SIGKILL");
        };
      } else {
        // Also past the pause the first burst's 429s cause, into the steady fetching after it.
        setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* it finished already */ }
        }, 900 + Math.floor(random.next() * 1100));
      }
      const status = await child.output();
      hook = undefined;
      assert.equal(status.signal, "SIGKILL", `the ${kind} kill came before the run ended`);
      const again = simulator.searches.slice(before)
        .filter((search) => search.status === 200 && saved.has(pageKey(search)));
      fetchedAgain += again.length;
    }
    assert.ok(
      simulator.searches.some((search) => search.overCap),
      "the server's cap answered 429",
    );
    const finish = await spawnScript("fetch", [...args, "--concurrency", "6"], { env }).output();
    assert.equal(finish.code, 0, new TextDecoder().decode(finish.stderr));
    assert.equal(fetchedAgain, 0, "no page fetched again after it was saved");

    const whole = `${dir}/whole`;
    await fetchHistory({
      api: ENGAGEMENT_HISTORY,
      credentials: DEMO_CREDENTIALS,
      baseUrl: simulator.url,
      range: { from: JAN_1, to: JAN_1 + days * DAY },
      windowMs: DEFAULT_WINDOW_MS,
      rawDir: whole,
      concurrency: 6,
    });
    assert.deepEqual(await pageFiles(killed), await pageFiles(whole));
    const expected = simulator.recordsIn(JAN_1, JAN_1 + days * DAY).map(recordId).sort();
    const ids = await storedIds(killed);
    assert.equal(ids.length, 20_000, "no record stored twice");
    assert.deepEqual(ids.sort(), expected);
  } finally {
    await simulator.close();
    await Deno.remove(dir, { recursive: true });
  }
});
