/**
 * Messaging against the simulator: every conversation stored and in the
 * tables exactly once, partial conversations replaced by their whole copies,
 * faults survived, and a `--since-last` run that picks up the conversations of
 * earlier days that closed or changed since (the `latestUpdateTime` search).
 */

import assert from "node:assert/strict";
import { sinceLastRange } from "../lib/fetch/cursor.ts";
import { fetchHistory } from "../lib/fetch/fetch_history.ts";
import { readStoreManifest } from "../lib/fetch/store_layout.ts";
import { MESSAGING_SOURCE } from "../lib/sources/messaging/mod.ts";
import { conversationAt, indexOfConversationId } from "../lib/sources/messaging/simulator/mod.ts";
import { buildTables } from "../lib/tables/build.ts";
import { readTableCsv } from "./helpers/read_csv.ts";
import { DAY, fetchOptions, JAN_1, storedIds, withSimulator } from "./helpers/simulator.ts";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const API = MESSAGING_SOURCE.api;
const SOURCE = MESSAGING_SOURCE.name;

/**
 * Every table of the messaging tables as rows, sorted. A file's preview comes
 * only in answers by id, so it depends on which copy of a conversation is the
 * newest, not on what the conversation holds; it is left out.
 */
async function sortedTables(dir: string): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for await (const entry of Deno.readDir(`${dir}/${SOURCE}`)) {
    if (!entry.name.endsWith(".csv")) continue;
    const rows = await readTableCsv(`${dir}/${SOURCE}/${entry.name}`);
    tables[entry.name] = rows.map(({ file_preview: _, ...row }) => JSON.stringify(row)).sort();
  }
  return tables;
}

async function tablesOf(rawDir: string, outDir: string) {
  const summary = await buildTables({
    source: MESSAGING_SOURCE,
    inDir: rawDir,
    outDir,
    formats: ["csv"],
  });
  return { summary, tables: await sortedTables(outDir) };
}

Deno.test("messaging: every conversation once in the tables, partial ones whole, through 429s, 5xx, drops and partial pages", async () => {
  const days = 4;
  await withSimulator({
    source: MESSAGING_SOURCE,
    count: 1500,
    days,
    rates: { partialRate: 0.1, lateRate: 0, stuckOpenRate: 0 },
    clock: () => JAN_1 + (days + 2) * DAY,
    faults: { rate429: 0.05, rate5xx: 0.05, rateDrop: 0.03, ratePartial: 0.05, seed: 3 },
  }, async (simulator, rawDir) => {
    const summary = await fetchHistory(fetchOptions(simulator, rawDir, days, {
      api: API,
      windowMs: DAY,
      concurrency: 4,
      now: () => JAN_1 + (days + 2) * DAY,
      http: { serverErrorDelaysMs: [5, 10, 15], outageDelayMs: 20, sleep: () => Promise.resolve() },
    }));
    assert.deepEqual(summary.incomplete, []);
    assert.ok(summary.retries > 0, "faults were met and survived");
    const expected = simulator.recordsIn(JAN_1, JAN_1 + days * DAY, SOURCE)
      .map((record) => API.recordState(record)!.id).sort();
    assert.equal(expected.length, 1500);
    assert.deepEqual([...new Set(await storedIds(rawDir, API))].sort(), expected);

    const { summary: tables } = await tablesOf(rawDir, `${rawDir}-tables`);
    assert.deepEqual(tables.stillPartial, [], "every partial conversation was fetched whole");
    const conversations = await readTableCsv(`${rawDir}-tables/${SOURCE}/conversation.csv`);
    assert.deepEqual(conversations.map((row) => row.conversationId).sort(), expected);

    // A partial copy lacks messages; the tables hold every message of the whole one.
    const partial = simulator.searches.filter((search) => search.id !== undefined)
      .map((search) => search.id!);
    assert.ok(partial.length > 20, `${partial.length} conversations were asked for by id`);
    const messages = await readTableCsv(`${rawDir}-tables/${SOURCE}/messages.csv`);
    const dataset = { count: 1500, from: JAN_1, to: JAN_1 + days * DAY, seed: 7 };
    for (const id of partial.slice(0, 20)) {
      const whole = conversationAt(dataset, indexOfConversationId(dataset, id)!);
      const stored = messages.filter((row) => row.conversationId === id);
      assert.equal(stored.length, (whole.messageRecords as unknown[] | undefined)?.length ?? 0, id);
    }
    await Deno.remove(`${rawDir}-tables`, { recursive: true });
  });
});

Deno.test("messaging --since-last fetches the earlier days' conversations that changed since, and ends like one full fetch", async () => {
  const firstRun = JAN_1 + 4 * DAY + 15 * MINUTE;
  const secondRun = JAN_1 + 8 * DAY + 6 * HOUR;
  const since = JAN_1 + 4 * DAY - 3 * HOUR;
  const rates = { partialRate: 0.05, lateRate: 0.2, stuckOpenRate: 0 };
  let clock = firstRun;
  await withSimulator({
    source: MESSAGING_SOURCE,
    count: 3000,
    days: 8,
    rates,
    clock: () => clock,
  }, async (simulator, rawDir) => {
    const freshness = { api: API, windowMs: DAY, now: () => clock, settleMs: 10 * MINUTE };
    const first = await fetchHistory(fetchOptions(simulator, rawDir, 8, freshness));
    assert.ok(first.stillOpen.length > 0, "some conversations were open at the first run");

    clock = secondRun;
    const entries = (await readStoreManifest(rawDir, API)).entries;
    const plan = sinceLastRange(entries, {
      lookbackMs: 3 * HOUR,
      to: clock,
      where: rawDir,
      updates: { now: clock, retentionMs: API.retentionMs },
    });
    assert.deepEqual(plan.updates, { since, range: { from: JAN_1, to: since } });
    const before = simulator.searches.length;
    const second = await fetchHistory({
      ...fetchOptions(simulator, rawDir, 8, freshness),
      ...plan,
    });
    assert.deepEqual(second.incomplete, []);
    assert.ok(second.updates?.complete && second.updates.records > 0, "changed conversations");
    const asked = simulator.searches.slice(before);
    assert.ok(asked.some((search) => search.updatedSince !== undefined), "latestUpdateTime sent");

    const full = `${rawDir}-full`;
    await fetchHistory(fetchOptions(simulator, full, 8, freshness));
    const incremental = await tablesOf(rawDir, `${rawDir}-t1`);
    const whole = await tablesOf(full, `${rawDir}-t2`);
    assert.deepEqual(incremental.summary.stillOpen, whole.summary.stillOpen);
    assert.deepEqual(incremental.tables, whole.tables);
    // The conversations open at the first run are closed now, as the full fetch shows them.
    const status = new Map(
      (await readTableCsv(`${rawDir}-t1/${SOURCE}/conversation.csv`))
        .map((row) => [row.conversationId, row.status]),
    );
    const stillOpen = new Set(whole.summary.stillOpen);
    const closedSince = first.stillOpen.filter((id) => !stillOpen.has(id));
    assert.ok(closedSince.length > 0, "conversations closed between the runs");
    for (const id of closedSince) assert.equal(status.get(id), "CLOSE", id);
    for (const dir of [full, `${rawDir}-t1`, `${rawDir}-t2`]) {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
