/**
 * The messaging catalogue against the simulator's conversations: every node
 * the simulator writes (bots, transfers, surveys, intents, typed and
 * unauthenticated SDEs, …) has its column or table.
 */

import assert from "node:assert/strict";
import { importPages } from "../lib/fetch/import_pages.ts";
import { MESSAGING_SOURCE } from "../lib/sources/messaging/mod.ts";
import { conversationsIn } from "../lib/sources/messaging/simulator/mod.ts";
import { buildTables } from "../lib/tables/build.ts";

Deno.test("a week of simulated conversations becomes tables with nothing unknown and every table filled", async () => {
  const dataset = { count: 2000, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 8), seed: 3 };
  const records = conversationsIn(dataset, dataset.from, dataset.to);
  const dir = await Deno.makeTempDir({ prefix: "messaging_tables_" });
  try {
    const bodies = [];
    for (let offset = 0; offset < records.length; offset += 100) {
      const page = records.slice(offset, offset + 100);
      bodies.push(new TextEncoder().encode(JSON.stringify({
        _metadata: { count: page.length },
        conversationHistoryRecords: page,
      })));
    }
    await importPages(`${dir}/raw`, MESSAGING_SOURCE.api, bodies);
    const summary = await buildTables({
      source: MESSAGING_SOURCE,
      inDir: `${dir}/raw`,
      outDir: `${dir}/tables`,
      formats: ["csv", "parquet"],
    });
    assert.equal(summary.records, records.length);
    assert.deepEqual(summary.unknownFields, {});
    assert.deepEqual(summary.typeMismatches, {});
    assert.deepEqual(summary.checks.problems, []);
    const empty = Object.entries(summary.rows).filter(([, count]) => count === 0)
      .map(([name]) => name);
    assert.deepEqual(empty, ["sde_other", "unauth_sde_other"], "only the catch-alls are empty");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
