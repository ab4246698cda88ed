/**
 * Crash anywhere, rerun, same result, for the tables step: killed at random
 * moments (the swap at the end included), the tables folder always holds a
 * complete set, and the next run leaves no leftovers.
 */

import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { importPages } from "../lib/fetch/import_pages.ts";
import { replaceFolder } from "../lib/fs/atomic.ts";
import { claimFolder, OWNER_MARKER } from "../lib/fs/owned_folder.ts";
import { createRandom } from "../lib/simulator/random.ts";
import { generateEngagements } from "../lib/sources/engagement_history/simulator/dataset.ts";
import { ENGAGEMENT_HISTORY_SCHEMA } from "../lib/sources/engagement_history/tables.ts";
import { startTablesBuild, SUMMARY_FILE } from "../lib/tables/output.ts";
import { spawnScript } from "./helpers/run_script.ts";

const SOURCE = "engagement-history";

/** Asserts that `<out>/<source>` holds every table and a summary that lists only files present. */
async function assertCompleteSet(out: string, records: number): Promise<void> {
  const folder = `${out}/${SOURCE}`;
  const summary = JSON.parse(await Deno.readTextFile(`${folder}/${SUMMARY_FILE}`)) as {
    records: number;
    files: string[];
  };
  assert.equal(summary.records, records);
  for (const table of ENGAGEMENT_HISTORY_SCHEMA.tables) {
    assert.ok(summary.files.includes(`${table.name}.csv`), `${table.name}.csv listed`);
  }
  for (const file of summary.files) {
    assert.ok((await Deno.stat(`${folder}/${file}`)).isFile, `${file} present`);
  }
}

async function runTables(raw: string, out: string, killAfterMs?: number) {
  const child = spawnScript("tables", ["--in", raw, "--out", out]);
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* it finished already */ }
  }, killAfterMs);
  const started = performance.now();
  const output = await child.output();
  clearTimeout(timer);
  return { output, ms: performance.now() - started };
}

Deno.test("tables killed at random moments always leaves a complete set, and the next run no leftovers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lp-crash-tables-" });
  try {
    const records = generateEngagements({
      count: 3000,
      from: Date.UTC(2024, 0, 1),
      to: Date.UTC(2024, 0, 8),
      seed: 5,
    });
    const bodies = [];
    for (let offset = 0; offset < records.length; offset += 100) {
      const page = records.slice(offset, offset + 100);
      bodies.push(new TextEncoder().encode(
        JSON.stringify({ _metadata: { count: page.length }, interactionHistoryRecords: page }),
      ));
    }
    await importPages(`${dir}/raw`, ENGAGEMENT_HISTORY, bodies);
    const out = `${dir}/tables`;
    const first = await runTables(`${dir}/raw`, out);
    assert.equal(first.output.code, 0, new TextDecoder().decode(first.output.stderr));
    await assertCompleteSet(out, 3000);

    // Kill moments range from early in a run to just past its usual end, where
    // the swap happens. A run that ends before its kill shows how long a warm
    // run takes, so later moments are drawn from that shorter span.
    const random = createRandom(99);
    let runMs = first.ms;
    let killed = 0;
    let rounds = 0;
    while (killed < 6 && rounds < 24) {
      rounds++;
      const at = Math.round(runMs * (0.2 + 0.9 * random.next()));
      const { output, ms } = await runTables(`${dir}/raw`, out, at);
      if (output.signal === "SIGKILL") killed++;
      else runMs = Math.min(runMs, ms);
      await assertCompleteSet(out, 3000);
    }
    assert.ok(killed >= 6, `only ${killed} of ${rounds} runs were killed before they ended`);

    const last = await runTables(`${dir}/raw`, out);
    assert.equal(last.output.code, 0);
    const entries = [...Deno.readDirSync(out)].map((entry) => entry.name).sort();
    assert.deepEqual(entries, [OWNER_MARKER, SOURCE]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startTablesBuild() puts back a complete set when a crash left the tables folder missing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lp-recover-" });
  try {
    const out = `${dir}/tables`;
    await claimFolder(out, "tables");
    await Deno.mkdir(`${out}/${SOURCE}`);
    await Deno.writeTextFile(`${out}/${SOURCE}/${SUMMARY_FILE}`, '{"run":1}');
    await Deno.mkdir(`${out}/.tmp-${SOURCE}-aaaaaaaa`);
    await Deno.writeTextFile(`${out}/.tmp-${SOURCE}-aaaaaaaa/${SUMMARY_FILE}`, '{"run":2}');
    // The fallback's first rename happened, its second did not: the target is missing.
    await Deno.rename(`${out}/${SOURCE}`, `${out}/.old-${SOURCE}-aaaaaaaa`);
    const notes: string[] = [];
    const build = await startTablesBuild(out, SOURCE, { onNote: (note) => notes.push(note) });
    assert.match(notes.join(), /was missing after a killed run; put back/);
    assert.equal(await Deno.readTextFile(`${out}/${SOURCE}/${SUMMARY_FILE}`), '{"run":2}');
    await build.abort();
    const entries = [...Deno.readDirSync(out)].map((entry) => entry.name).sort();
    assert.deepEqual(entries, [OWNER_MARKER, SOURCE]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("replaceFolder() without the atomic exchange renames the old folder aside, then removes it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lp-replace-" });
  try {
    await Deno.mkdir(`${dir}/target`);
    await Deno.writeTextFile(`${dir}/target/v`, "old");
    await Deno.mkdir(`${dir}/next`);
    await Deno.writeTextFile(`${dir}/next/v`, "new");
    await replaceFolder(`${dir}/next`, `${dir}/target`, {
      asideName: `${dir}/aside`,
      withoutExchange: true,
    });
    assert.equal(await Deno.readTextFile(`${dir}/target/v`), "new");
    assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["target"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
