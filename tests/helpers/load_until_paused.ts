/**
 * A load that stops inside a batch's transaction, for tests that kill it
 * there: it writes the batch's rows, prints `PAUSED <batch>` and waits,
 * uncommitted, until it is killed.
 *
 * Usage: load_until_paused.ts <tables dir> <db path or URL> <records per batch> <batch to pause in>
 * (a PostgreSQL password comes from PGPASSWORD).
 */

import { loadTables } from "../../lib/load/load_tables.ts";
import { resolveTarget } from "../../lib/load/target.ts";

if (import.meta.main) {
  const [inDir, db, batchRecords, pauseIn] = Deno.args;
  await loadTables({
    inDir: inDir!,
    target: resolveTarget(undefined, {
      env: (name) => name === "LP_DATABASE_URL" ? db : Deno.env.get(name),
    }),
    batchRecords: Number(batchRecords),
    beforeCommit: async ({ batch, source }) => {
      if (batch !== Number(pauseIn)) return;
      console.log(`PAUSED ${source} ${batch}`);
      // Long enough for any test to kill it; the test never waits for this.
      await new Promise((resolve) => setTimeout(resolve, 600_000));
    },
  });
  console.log("DONE");
}
