/**
 * Answers that are 200 but not whole — a short page the server does not flag,
 * a count without the records array, an absurd count — keep their window
 * incomplete and are reported; the next run completes the window.
 */

import assert from "node:assert/strict";
import { fetchHistory } from "../lib/fetch/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { readStoreManifest } from "../lib/fetch/store_layout.ts";
import type { FaultKind } from "../lib/simulator/faults.ts";
import {
  credentialEnv,
  DAY,
  fetchOptions,
  JAN_1,
  recordId,
  storedIds,
  withSimulator,
} from "./helpers/simulator.ts";
import { runScript } from "./helpers/run_script.ts";
import { DEMO_CREDENTIALS } from "../lib/simulator/server.ts";

const CASES: readonly [FaultKind, RegExp][] = [
  [
    "short",
    /offset 100: the page holds 60 of the 100 records its count implies after 3 more attempts/,
  ],
  [
    "no-records",
    /offset 100: the API answered 200 with a count of 250 but no "interactionHistoryRecords" array/,
  ],
  ["absurd-count", /offset 0: the page holds 0 of the 100 records its count implies/],
];

for (const [fault, problem] of CASES) {
  Deno.test(`fetchHistory() keeps a window incomplete after a "${fault}" answer, and the next run completes it`, async () => {
    // One window of 250 records; the page at offset 100 meets the fault every time.
    await withSimulator({ count: 250, days: 1 }, async (simulator, rawDir) => {
      simulator.setFaults({ script: ["ok", ...Array<FaultKind>(12).fill(fault)] });
      const summary = await fetchHistory(fetchOptions(simulator, rawDir, 1));
      assert.equal(summary.incomplete.length, 1);
      assert.match(summary.incomplete[0]!.problem, /window 20240101T000000Z_20240102T000000Z/);
      assert.match(summary.incomplete[0]!.problem, problem);
      const entries = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
      assert.ok(!entries.some((entry) => entry.kind === "window"), "not marked complete");

      simulator.setFaults({});
      const next = await fetchHistory(fetchOptions(simulator, rawDir, 1));
      assert.equal(next.incomplete.length, 0);
      const expected = simulator.recordsIn(JAN_1, JAN_1 + DAY).map(recordId).sort();
      assert.deepEqual([...new Set(await storedIds(rawDir))].sort(), expected);
    });
  });
}

Deno.test("deno task fetch exits 1 and names the window when a page stays short", async () => {
  await withSimulator({ count: 250, days: 1 }, async (simulator, rawDir) => {
    simulator.setFaults({ script: ["ok", "short", "short", "short", "short"] });
    // One request at a time, so the scripted faults meet the page at offset 100.
    const result = await runScript(
      "fetch",
      ["--from", "2024-01-01", "--to", "2024-01-01", "--out", rawDir, "--concurrency", "1"],
      { env: { ...credentialEnv(DEMO_CREDENTIALS), LP_BASE_URL: simulator.url } },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /warning: incomplete: window 20240101T000000Z_20240102T000000Z, offset 100/,
    );
    assert.match(result.stderr, /run the same command again later/);
  });
});
