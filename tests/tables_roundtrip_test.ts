/**
 * Lossless round trip over a large simulated dataset with dirty values: every
 * scalar of every source record must come back, from the CSV files parsed with
 * csv-parse, in exactly one cell with exactly its text (or its documented
 * normalisation); and the Parquet copies must hold the same values, typed.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { ENGAGEMENT_HISTORY } from "../lib/history_api.ts";
import { writePage } from "../lib/raw_store.ts";
import { generateEngagements } from "../lib/simulator/dataset.ts";
import { buildTables } from "../lib/tables/build.ts";
import { scalarText } from "../lib/tables/flatten.ts";
import { isJsonObject, parseJsonKeepingNumbers } from "../lib/tables/json_text.ts";
import {
  ABSENT_EPOCH_TEXTS,
  ABSENT_TIME_TEXTS,
  ENGAGEMENT_HISTORY_TABLES,
} from "../lib/tables/model.ts";
import { type CsvRecord, readTableCsv } from "../lib/tables/read_csv.ts";
import { epochMsToIso, lpTimeToIso } from "../lib/time.ts";

const COUNT = 2000;
const PAGE_SIZE = 100;

/** Every scalar leaf of a JSON value, as text; nulls and empty containers have none. */
function leafTexts(value: unknown, into: string[]): string[] {
  if (value === null || value === undefined) return into;
  if (Array.isArray(value)) {
    for (const item of value) leafTexts(item, into);
  } else if (typeof value === "object" && !("rawJSON" in (value as object))) {
    for (const item of Object.values(value as Record<string, unknown>)) leafTexts(item, into);
  } else if (typeof value === "number") {
    into.push(JSON.stringify(value));
  } else {
    const text = scalarText(value);
    if (text !== undefined) into.push(text);
  }
  return into;
}

function lpIso(text: string): string | null {
  try {
    return lpTimeToIso(text);
  } catch {
    return null;
  }
}

const SENTINELS = new Set([...ABSENT_TIME_TEXTS, ...ABSENT_EPOCH_TEXTS]);

class Pool {
  readonly #counts = new Map<string, number>();
  add(text: string): void {
    this.#counts.set(text, (this.#counts.get(text) ?? 0) + 1);
  }
  take(text: string): boolean {
    const count = this.#counts.get(text) ?? 0;
    if (count === 0) return false;
    if (count === 1) this.#counts.delete(text);
    else this.#counts.set(text, count - 1);
    return true;
  }
  get leftovers(): string[] {
    return [...this.#counts.entries()].flatMap(([text, count]) => Array(count).fill(text));
  }
}

Deno.test("buildTables() round-trips every value of 2000 simulated engagements through CSV and Parquet", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tables_roundtrip_" });
  try {
    const records = generateEngagements({
      count: COUNT,
      from: Date.UTC(2024, 0, 1),
      to: Date.UTC(2024, 0, 8),
      seed: 11,
    });
    for (let offset = 0; offset < COUNT; offset += PAGE_SIZE) {
      const page = records.slice(offset, offset + PAGE_SIZE);
      const body = JSON.stringify({ _metadata: { count: COUNT }, interactionHistoryRecords: page });
      await writePage(`${dir}/raw`, ENGAGEMENT_HISTORY, {
        window: { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 8) },
        offset,
        limit: PAGE_SIZE,
        count: COUNT,
        records: page.length,
        partialResult: false,
        body: new TextEncoder().encode(body),
      });
    }
    const summary = await buildTables({ inDir: `${dir}/raw`, outDir: `${dir}/tables` });
    assert.equal(summary.engagements, COUNT);
    assert.equal(summary.pagesRead, COUNT / PAGE_SIZE);
    // Fields the model does not know are allowed (they are kept in extra and
    // checked below like any other value), but worth seeing.
    if (Object.keys(summary.unknownFields).length > 0) {
      console.error("unknown fields in the simulated data:", summary.unknownFields);
    }
    assert.ok(summary.checks.primaryKeysUnique && summary.checks.childRowsHaveParent);

    // Every cell that holds a value from the record, pooled per engagement.
    const pools = new Map<string, Pool>();
    const startTimes = new Map<string, string | null>();
    const tablesRows = new Map<string, CsvRecord[]>();
    for (const table of ENGAGEMENT_HISTORY_TABLES) {
      const rows = await readTableCsv(`${dir}/tables/${table.name}.csv`);
      tablesRows.set(table.name, rows);
      assert.equal(rows.length, summary.rows[table.name], `${table.name} row count`);
      for (const row of rows) {
        const id = row.engagementId;
        assert.ok(id, `${table.name}: a row without engagementId`);
        if (table.name === "interaction") startTimes.set(id, row.startTime ?? null);
        const pool = pools.get(id) ?? new Pool();
        pools.set(id, pool);
        for (const column of table.columns) {
          const cell = row[column.name] ?? null;
          if (column.role === "key") {
            if (table.name !== "interaction" && column.name === "startTime") {
              assert.equal(cell, startTimes.get(id), `${table.name}.startTime of ${id}`);
            }
            continue;
          }
          if (column.role === "derived" && column.derive?.how === "epochMsToIso") {
            const from = row[column.derive.from] ?? null;
            assert.equal(cell, from === null ? null : epochMsToIso(from), column.name);
            continue;
          }
          if (column.role !== "field" && column.role !== "extra") continue;
          if (cell === null) continue;
          if (column.type === "json") {
            for (const text of leafTexts(parseJsonKeepingNumbers(cell), [])) pool.add(text);
          } else {
            pool.add(cell);
          }
        }
      }
    }

    let normalisedToNull = 0;
    for (const record of records) {
      const info = record.info as Record<string, unknown>;
      const id = String(info.engagementId);
      const pool = pools.get(id);
      assert.ok(pool, `no rows for ${id}`);
      const unmatched: string[] = [];
      for (const text of leafTexts(record, [])) if (!pool.take(text)) unmatched.push(text);
      for (const text of unmatched) {
        const iso = lpIso(text);
        if (iso !== null && pool.take(iso)) continue;
        if (SENTINELS.has(text) || SENTINELS.has(text.trim())) {
          normalisedToNull++;
          continue;
        }
        assert.fail(`${id}: value ${JSON.stringify(text)} is in no cell`);
      }
      assert.deepEqual(pool.leftovers, [], `${id}: cells that came from no value`);
    }
    assert.ok(normalisedToNull > 0, "the dataset should contain sentinels");

    // Parquet holds the same values, with the model's types.
    for (const table of ENGAGEMENT_HISTORY_TABLES) {
      const frame = pl.readParquet(`${dir}/tables/${table.name}.parquet`);
      const rows = tablesRows.get(table.name) ?? [];
      assert.equal(frame.height, rows.length, `${table.name}.parquet rows`);
      for (const column of table.columns) {
        const series = frame.getColumn(column.name);
        const expectedType = {
          string: "String",
          json: "String",
          integer: "Int64",
          float: "Float64",
          boolean: "Bool",
          timestamp: "Datetime",
        }[column.type];
        assert.equal(series.dtype.variant, expectedType, `${table.name}.${column.name} type`);
        const values = series.toArray() as unknown[];
        rows.forEach((row, index) => {
          const cell = row[column.name] ?? null;
          const value = values[index] ?? null;
          const label = `${table.name}.${column.name} row ${index}`;
          if (cell === null) return assert.equal(value, null, label);
          switch (column.type) {
            case "string":
            case "json":
              return assert.equal(value, cell, label);
            case "integer":
              return assert.equal(String(value), String(BigInt(cell)), label);
            case "float":
              return assert.equal(Number(value), Number(cell), label);
            case "boolean":
              return assert.equal(String(value), cell, label);
            case "timestamp":
              return assert.equal((value as Date).toISOString(), cell, label);
          }
        });
      }
    }
    // Ids never become numbers, even 18-digit ones.
    const ids = pl.readParquet(`${dir}/tables/interaction.parquet`).getColumn("engagementId");
    assert.ok((ids.toArray() as string[]).every((id) => /^\d{18}$/.test(id)));
    assert.ok(isJsonObject(JSON.parse(await Deno.readTextFile(`${dir}/tables/_summary.json`))));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
