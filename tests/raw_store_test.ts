/**
 * The raw store checked against its manifest: damage of every kind is named,
 * the next fetch fetches exactly the damaged pages again, and tables never
 * build from a store with a gap.
 */

import assert from "node:assert/strict";
import { ENGAGEMENT_HISTORY_SOURCE } from "../lib/sources/engagement_history/mod.ts";
import { UsageError } from "../lib/errors.ts";
import { fetchHistory } from "../lib/fetch/fetch_history.ts";
import { ENGAGEMENT_HISTORY } from "../lib/sources/engagement_history/api.ts";
import { ManifestFile, type PageEntry } from "../lib/fetch/manifest.ts";
import { RawStore } from "../lib/fetch/raw_store.ts";
import { apiFolder, readStoreManifest } from "../lib/fetch/store_layout.ts";
import { verifyStore } from "../lib/fetch/verify.ts";
import { DEMO_CREDENTIALS } from "../lib/simulator/server.ts";
import { buildTables } from "../lib/tables/build.ts";
import { runScript } from "./helpers/run_script.ts";
import {
  DAY,
  fetchOptions,
  JAN_1,
  recordId,
  storedIds,
  withSimulator,
} from "./helpers/simulator.ts";

async function pageEntries(rawDir: string): Promise<PageEntry[]> {
  const manifest = await readStoreManifest(rawDir, ENGAGEMENT_HISTORY);
  const latest = new Map<string, PageEntry>();
  for (const entry of manifest.entries) if (entry.kind === "page") latest.set(entry.file, entry);
  return [...latest.values()];
}

Deno.test("verification names truncated, altered, deleted and added pages and a cut manifest; the next fetch puts exactly those right", async () => {
  await withSimulator({ count: 900, days: 3 }, async (simulator, rawDir) => {
    await fetchHistory(fetchOptions(simulator, rawDir, 3));
    const folder = apiFolder(rawDir, ENGAGEMENT_HISTORY);
    const pages = await pageEntries(rawDir);
    assert.ok(pages.length >= 9);
    const [truncated, edited, deleted] = [pages[0]!, pages[4]!, pages[7]!];
    const bytes = await Deno.readFile(`${folder}/${truncated.file}`);
    await Deno.writeFile(`${folder}/${truncated.file}`, bytes.subarray(0, bytes.length - 100));
    // An edit that keeps the JSON valid and the size the same.
    const text = await Deno.readTextFile(`${folder}/${edited.file}`);
    await Deno.writeTextFile(
      `${folder}/${edited.file}`,
      text.replace('"startTimeL":1', '"startTimeL":2'),
    );
    await Deno.remove(`${folder}/${deleted.file}`);
    const added = `${deleted.file.split("/")[0]}/offset-009900.json`;
    await Deno.copyFile(`${folder}/${pages[1]!.file}`, `${folder}/${added}`);
    await Deno.writeTextFile(`${folder}/manifest.jsonl`, '{"kind":"page","api":"engagem', {
      append: true,
    });

    const verify = await runScript("fetch", ["--verify", "--out", rawDir]);
    assert.equal(verify.code, 1, verify.stderr);
    assert.match(verify.stdout, new RegExp(`truncated: ${truncated.file}`));
    assert.match(verify.stdout, new RegExp(`altered: ${edited.file}`));
    assert.match(verify.stdout, new RegExp(`missing: ${deleted.file}`));
    assert.match(verify.stdout, new RegExp(`unlisted: ${added}`));
    assert.match(verify.stdout, /the last line is cut short/);

    await assert.rejects(
      () =>
        buildTables({
          source: ENGAGEMENT_HISTORY_SOURCE,
          inDir: rawDir,
          outDir: `${rawDir}-tables`,
        }),
      (error: unknown) =>
        error instanceof UsageError && error.message.includes(truncated.file) &&
        /does not match its manifest/.test(error.message),
    );
    await assert.rejects(() => Deno.stat(`${rawDir}-tables`), Deno.errors.NotFound);

    const before = simulator.searches.length;
    const notes: string[] = [];
    const summary = await fetchHistory(fetchOptions(simulator, rawDir, 3, {
      onNote: (note) => notes.push(note),
    }));
    const again = simulator.searches.slice(before).map((search) =>
      `${search.from}:${search.offset}`
    );
    const damaged = [truncated, edited, deleted].map((page) =>
      `${page.window.from}:${page.offset}`
    );
    assert.deepEqual(again.sort(), damaged.sort(), "exactly the damaged pages are fetched again");
    assert.equal(summary.problems.length, 4);
    assert.ok(notes.some((note) => /last line of .* was cut short/.test(note)));
    assert.ok(notes.some((note) => /unlisted files moved aside, not deleted/.test(note)));

    assert.deepEqual(
      await verifyStore(folder, (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries),
      [],
    );
    assert.equal((await ManifestFile.read(`${folder}/manifest.jsonl`)).cutTail, false);
    const expected = simulator.recordsIn(JAN_1, JAN_1 + 3 * DAY).map(recordId).sort();
    assert.deepEqual([...new Set(await storedIds(rawDir))].sort(), expected);
    const tables = await buildTables({
      source: ENGAGEMENT_HISTORY_SOURCE,
      inDir: rawDir,
      outDir: `${rawDir}-tables`,
      formats: ["csv"],
    });
    assert.equal(tables.records, 900);
    await Deno.remove(`${rawDir}-tables`, { recursive: true });
  });
});

Deno.test("--refetch fetches a complete range again on purpose", async () => {
  await withSimulator({ count: 250, days: 2 }, async (simulator, rawDir) => {
    await fetchHistory(fetchOptions(simulator, rawDir, 2));
    const first = simulator.searches.length;
    const skipped = await fetchHistory(fetchOptions(simulator, rawDir, 2));
    assert.equal(skipped.windowsSkipped, 2);
    assert.equal(simulator.searches.length, first);
    const again = await fetchHistory(fetchOptions(simulator, rawDir, 2, { refetch: true }));
    assert.equal(again.windowsSkipped, 0);
    assert.equal(simulator.searches.length, 2 * first);
    assert.equal(new Set(await storedIds(rawDir)).size, 250);
  });
});

Deno.test("a store is bound to its account; a change of host is recorded and reported", async () => {
  await withSimulator({ count: 20, days: 1 }, async (simulator, rawDir) => {
    await fetchHistory(fetchOptions(simulator, rawDir, 1));
    await assert.rejects(
      () =>
        RawStore.open(rawDir, ENGAGEMENT_HISTORY, { accountId: "11112222", host: simulator.url }),
      (error: unknown) =>
        error instanceof UsageError && /account 90412377/.test(error.message) &&
        /account 11112222/.test(error.message),
    );
    const notes: string[] = [];
    await RawStore.open(rawDir, ENGAGEMENT_HISTORY, {
      accountId: DEMO_CREDENTIALS.accountId,
      host: "http://127.0.0.1:1",
      onNote: (note) => notes.push(note),
    });
    assert.match(
      notes.join("\n"),
      /host changed from http:\/\/127\.0\.0\.1:\d+ to http:\/\/127\.0\.0\.1:1/,
    );
    const entries = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
    assert.equal(entries[0]?.kind, "store");
    assert.deepEqual(entries.filter((entry) => entry.kind === "host").map((e) => e.host), [
      "http://127.0.0.1:1",
    ]);
  });
});

Deno.test("a manifest of the first format is adopted: bound to the account, windows that ended too recently reopened", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lp-legacy-" });
  try {
    const folder = `${dir}/engagement-history`;
    await Deno.mkdir(folder, { recursive: true });
    const day = { from: JAN_1, to: JAN_1 + DAY };
    const lines = [
      {
        kind: "window",
        api: "engagement-history",
        window: day,
        count: 0,
        pages: 1,
        completedAt: new Date(JAN_1 + 3 * DAY).toISOString(),
      },
      {
        kind: "window",
        api: "engagement-history",
        window: { from: day.to, to: day.to + DAY },
        count: 0,
        pages: 1,
        completedAt: new Date(day.to + DAY - 1000).toISOString(),
      },
    ];
    await Deno.writeTextFile(
      `${folder}/manifest.jsonl`,
      lines.map((l) => JSON.stringify(l) + "\n").join(""),
    );
    const notes: string[] = [];
    const store = await RawStore.open(dir, ENGAGEMENT_HISTORY, {
      accountId: "1",
      host: "http://h",
      onNote: (note) => notes.push(note),
    });
    assert.match(notes.join(), /did not record its account; it now records account 1/);
    const windows = store.manifest.entries.filter((entry) => entry.kind === "window");
    assert.deepEqual(windows.map((w) => [w.generation, w.settled]), [[1, true], [1, false]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ManifestFile.append() keeps the lines of concurrent callers whole, in the order asked", async () => {
  const path = await Deno.makeTempFile();
  try {
    const manifest = await ManifestFile.read(path);
    const hosts = Array.from({ length: 200 }, (_, index) => `host-${index}-${"x".repeat(index)}`);
    await Promise.all(hosts.map((host) => manifest.append([{ kind: "host", host, at: "t" }])));
    const reread = await ManifestFile.read(path);
    assert.equal(reread.cutTail, false);
    assert.deepEqual(reread.entries.map((entry) => entry.kind === "host" && entry.host), hosts);
    assert.deepEqual(reread.entries, manifest.entries);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("RawStore: the same page written twice at once leaves the bytes its newest manifest line describes", async () => {
  const rawDir = await Deno.makeTempDir({ prefix: "lp-raw-concurrent-" });
  try {
    const store = await RawStore.open(rawDir, ENGAGEMENT_HISTORY, {
      accountId: "1",
      host: "http://test",
    });
    const window = { from: JAN_1, to: JAN_1 + DAY };
    const page = (records: number) => ({
      window,
      generation: records,
      offset: 0,
      limit: 100,
      count: records,
      records,
      partialResult: false,
      short: false,
      body: new TextEncoder().encode(
        JSON.stringify({ _metadata: { count: records }, interactionHistoryRecords: [] }) +
          " ".repeat(records * 997),
      ),
    });
    for (let round = 0; round < 20; round++) {
      const writers = Array.from({ length: 8 }, (_, index) => 8 * round + index + 1);
      await Promise.all(writers.map((records) => store.writePage(page(records))));
      // Any write may come last; what matters is that its line and its bytes agree.
      const entries = (await readStoreManifest(rawDir, ENGAGEMENT_HISTORY)).entries;
      assert.deepEqual(await verifyStore(apiFolder(rawDir, ENGAGEMENT_HISTORY), entries), []);
    }
  } finally {
    await Deno.remove(rawDir, { recursive: true });
  }
});
