/**
 * The load tests, written once and run against each database (DuckDB and
 * PostgreSQL): complete and exact loads of both sources, idempotent reloads,
 * overlapping exports, loads killed inside a batch, schema drift.
 */

import assert from "node:assert/strict";
import type { LoadConnection } from "../../lib/load/connection.ts";
import { databaseSchemaName, DDL_FILES } from "../../lib/tables/ddl.ts";
import { loadTables, openDatabase } from "../../lib/load/load_tables.ts";
import { qualifiedName, quoteIdentifier } from "../../lib/tables/sql_text.ts";
import type { DatabaseTarget } from "../../lib/load/target.ts";
import type { Source } from "../../lib/sources/source.ts";
import { ENGAGEMENT_HISTORY_SOURCE } from "../../lib/sources/engagement_history/mod.ts";
import { readTableCsv } from "./read_csv.ts";
import {
  HARD_TEXTS,
  type Json,
  LOAD_SOURCES,
  readSchemaFile,
  recordContents,
  recordIdOf,
  simulatedRecords,
  updatedRecord,
  writeExport,
} from "./load_fixture.ts";

/** A database for one test, and how to read its times. */
export interface LoadTestDatabase {
  /** A new, empty database. */
  readonly create: (
    dir: string,
    name: string,
  ) => Promise<{ target: DatabaseTarget; env: Record<string, string> }>;
  /** SQL for a timestamp column as epoch milliseconds. */
  readonly epochMs: (column: string) => string;
  /** The type names information_schema shows for text and for timestamps with time zone. */
  readonly textType: string;
  readonly timestampType: string;
}

const RECORDS = { [ENGAGEMENT_HISTORY_SOURCE.name]: 240, "messaging-interactions": 160 };

function recordsOf(source: Source): Json[] {
  return simulatedRecords(source, RECORDS[source.name] ?? 100);
}

async function withDb<T>(target: DatabaseTarget, work: (db: LoadConnection) => Promise<T>) {
  const db = await openDatabase(target);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

async function count(db: LoadConnection, sql: string): Promise<number> {
  const [row] = await db.query(sql);
  return Number(Object.values(row ?? {})[0]);
}

async function contentsOf(target: DatabaseTarget, tablesDir: string) {
  return await withDb(target, async (db) => {
    const all = new Map<string, string>();
    for (const source of LOAD_SOURCES) {
      for (const [id, text] of await recordContents(db, readSchemaFile(tablesDir, source))) {
        all.set(`${source.name}/${id}`, text);
      }
    }
    return all;
  });
}

/** The same records split into two overlapping exports, the second with updates. */
function overlappingExports() {
  const first = [];
  const second = [];
  const latest = [];
  for (const source of LOAD_SOURCES) {
    const records = recordsOf(source);
    const third = Math.floor(records.length / 3);
    const updated = records.map((record, index) =>
      index >= third && index < 2 * third ? updatedRecord(source, record) : record
    );
    first.push({ source, records: records.slice(0, 2 * third) });
    second.push({ source, records: updated.slice(third) });
    latest.push({ source, records: [...records.slice(0, third), ...updated.slice(third)] });
  }
  return { first, second, latest };
}

async function readRuns(target: DatabaseTarget) {
  return await withDb(target, (db) =>
    db.query(
      `SELECT status, CAST(batches_done AS INTEGER) AS batches_done, ` +
        `CAST(records_new AS INTEGER) AS records_new, ` +
        `CAST(records_replaced AS INTEGER) AS records_replaced, ` +
        `CAST(rows_loaded AS VARCHAR) AS rows_loaded FROM lp_history.load_runs ORDER BY started_at`,
    ));
}

/**
 * Registers the load tests for one database.
 *
 * @param name the database's name in test names
 * @param database how to make and read a database; undefined when none can be had
 */
export function defineLoadTests(name: string, database: LoadTestDatabase | undefined): void {
  const test = (title: string, fn: (database: LoadTestDatabase, dir: string) => Promise<void>) =>
    Deno.test({
      name: `${name}: ${title}`,
      ignore: database === undefined,
      fn: async () => {
        const dir = await Deno.makeTempDir({ prefix: "lp-load-test-" });
        try {
          await fn(database!, dir);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      },
    });

  test("every CSV row of both sources arrives, exactly, typed, joined", async (database, dir) => {
    const parts = LOAD_SOURCES.map((source) => ({ source, records: recordsOf(source) }));
    const tablesDir = await writeExport(`${dir}/export`, parts);
    const { target } = await database.create(dir, "complete");
    const summary = await loadTables({ inDir: tablesDir, target, batchRecords: 70 });
    assert.deepEqual(summary.changes.addedColumns, []);
    await withDb(target, async (db) => {
      for (const { source, records } of parts) {
        const file = readSchemaFile(tablesDir, source);
        const schema = databaseSchemaName(source.name);
        const { id, start } = file.recordKey;
        for (const table of file.tables) {
          const csvRows = (await readTableCsv(`${tablesDir}/${source.name}/${table.name}.csv`))
            .length;
          const loaded = await count(
            db,
            `SELECT count(*) FROM ${qualifiedName(schema, table.name)}`,
          );
          assert.equal(loaded, csvRows, `${schema}.${table.name} rows`);
          if (table.parent) {
            const joins = table.parent.columns.map((column, index) =>
              `p.${quoteIdentifier(table.parent!.references[index]!)} = c.${
                quoteIdentifier(column)
              }`
            ).join(" AND ");
            const orphans = await count(
              db,
              `SELECT count(*) FROM ${qualifiedName(schema, table.name)} c WHERE NOT EXISTS ` +
                `(SELECT 1 FROM ${qualifiedName(schema, table.parent.table)} p WHERE ${joins})`,
            );
            assert.equal(orphans, 0, `${schema}.${table.name} rows without a parent`);
          }
        }
        const types = await db.query(
          `SELECT table_name, column_name, data_type FROM information_schema.columns ` +
            `WHERE table_schema = '${schema}' AND column_name IN ('${id}', '${start}')`,
        );
        assert.equal(types.length, file.tables.length * 2);
        for (const row of types) {
          const expected = row.column_name === id ? database.textType : database.timestampType;
          assert.equal(String(row.data_type).toLowerCase(), expected, `${row.table_name}`);
        }
        // Ids and start times against the raw JSON.
        const loaded = new Map(
          (await db.query(
            `SELECT ${quoteIdentifier(id)} AS id, CAST(${
              database.epochMs(quoteIdentifier(start))
            } ` +
              `AS VARCHAR) AS ms FROM ${qualifiedName(schema, file.tables[0]!.name)}`,
          )).map((row) => [row.id, Number(row.ms)]),
        );
        for (const record of records) {
          const info = record.info as Json;
          assert.equal(loaded.get(recordIdOf(source, record)), Number(info.startTimeL));
        }
        // Hard text, compared with the raw JSON.
        const [table, column, valueOf] = source === ENGAGEMENT_HISTORY_SOURCE
          ? [
            "transcript_lines",
            "text",
            (record: Json) =>
              (record.transcript as { lines?: Json[] } | undefined)?.lines?.[0]?.text,
          ] as const
          : [
            "messages",
            "text",
            (record: Json) =>
              ((record.messageRecords as Json[] | undefined)?.[0]?.messageData as
                | { msg?: Json }
                | undefined)
                ?.msg?.text,
          ] as const;
        const texts = new Map(
          (await db.query(
            `SELECT ${quoteIdentifier(id)} AS id, ${quoteIdentifier(column)} AS text FROM ` +
              `${qualifiedName(schema, table)} WHERE position = 0`,
          )).map((row) => [row.id, row.text]),
        );
        let hard = 0;
        for (const record of records) {
          const expected = valueOf(record);
          if (typeof expected !== "string") continue;
          assert.equal(texts.get(recordIdOf(source, record)), expected);
          if (HARD_TEXTS.includes(expected)) hard++;
        }
        assert.ok(hard >= HARD_TEXTS.length, `${hard} hard texts compared in ${source.name}`);
      }
    });
    const runs = await readRuns(target);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.status, "succeeded");
    assert.equal(runs[0]!.records_new, 400);
  });

  test("a second identical load changes nothing", async (database, dir) => {
    const parts = LOAD_SOURCES.map((source) => ({ source, records: recordsOf(source) }));
    const tablesDir = await writeExport(`${dir}/export`, parts);
    const { target } = await database.create(dir, "twice");
    await loadTables({ inDir: tablesDir, target, batchRecords: 100 });
    const before = await contentsOf(target, tablesDir);
    const second = await loadTables({ inDir: tablesDir, target, batchRecords: 80 });
    assert.deepEqual(await contentsOf(target, tablesDir), before);
    assert.deepEqual(second.sources.map((source) => source.recordsNew), [0, 0]);
    const runs = await readRuns(target);
    assert.deepEqual(runs.map((run) => [run.status, run.records_new, run.records_replaced]), [
      ["succeeded", 400, 0],
      ["succeeded", 0, 400],
    ]);
    assert.equal(runs[0]!.rows_loaded, runs[1]!.rows_loaded);
  });

  test(
    "an overlapping load with updated records leaves exactly the latest version",
    async (database, dir) => {
      const { first, second, latest } = overlappingExports();
      const firstDir = await writeExport(`${dir}/first`, first);
      const secondDir = await writeExport(`${dir}/second`, second);
      const latestDir = await writeExport(`${dir}/latest`, latest);
      const { target } = await database.create(dir, "overlap");
      await loadTables({ inDir: firstDir, target, batchRecords: 100 });
      const summary = await loadTables({ inDir: secondDir, target, batchRecords: 100 });
      assert.deepEqual(summary.sources.map((source) => source.recordsReplaced), [80, 53]);
      const { target: reference } = await database.create(dir, "latest");
      await loadTables({ inDir: latestDir, target: reference });
      const loaded = await contentsOf(target, latestDir);
      assert.equal(loaded.size, 400);
      assert.deepEqual(loaded, await contentsOf(reference, latestDir));
    },
  );

  test(
    "a load killed inside a batch leaves no partial batch, and the next load finishes",
    async (database, dir) => {
      const { first, second } = overlappingExports();
      const firstDir = await writeExport(`${dir}/first`, first);
      const secondDir = await writeExport(`${dir}/second`, second);
      const { target, env } = await database.create(dir, "killed");
      const { target: reference } = await database.create(dir, "reference");
      for (const db of [target, reference]) await loadTables({ inDir: firstDir, target: db });
      const before = await contentsOf(target, secondDir);
      await loadTables({ inDir: secondDir, target: reference });
      const after = await contentsOf(reference, secondDir);

      const batch = 40;
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--config",
          new URL("../../deno.json", import.meta.url).pathname,
          new URL("./load_until_paused.ts", import.meta.url).pathname,
          secondDir,
          target.kind === "duckdb" ? target.path : target.display,
          String(batch),
          "1",
        ],
        env,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      let seen = "";
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      while (!seen.includes("PAUSED")) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += value;
      }
      child.kill("SIGKILL");
      await reader.cancel();
      const status = await child.status;
      await child.stderr.cancel();
      assert.match(seen, /PAUSED engagement-history 1/);
      assert.equal(status.signal, "SIGKILL");

      const runs = await readRuns(target);
      assert.equal(runs.at(-1)!.status, "running");
      assert.equal(runs.at(-1)!.batches_done, 1);
      // The first batch: the first `batch` records of the second export in start-time order.
      const base = await readTableCsv(`${secondDir}/engagement-history/interaction.csv`);
      const firstBatch = new Set(
        base.sort((a, b) =>
          a.startTime!.localeCompare(b.startTime!) || a.engagementId!.localeCompare(b.engagementId!)
        ).slice(0, batch).map((row) => `engagement-history/${row.engagementId}`),
      );
      const now = await contentsOf(target, secondDir);
      let changedAlready = 0;
      for (const key of new Set([...before.keys(), ...after.keys()])) {
        const expected = firstBatch.has(key) ? after.get(key) : before.get(key);
        assert.equal(now.get(key), expected, `${key} is wholly as before or wholly as loaded`);
        if (firstBatch.has(key) && before.get(key) !== after.get(key)) changedAlready++;
      }
      assert.ok(changedAlready > 0, "the committed batch changed some records");

      const notes: string[] = [];
      await loadTables({ inDir: secondDir, target, onNote: (note) => notes.push(note) });
      assert.match(notes.join("\n"), /was interrupted/);
      assert.deepEqual(await contentsOf(target, secondDir), after);
      const statuses = (await readRuns(target)).map((run) => run.status);
      assert.deepEqual(statuses, ["succeeded", "interrupted", "succeeded"]);
    },
  );

  test(
    "schema drift: a missing column is added and reported, a column of the database's own kept",
    async (database, dir) => {
      const source = ENGAGEMENT_HISTORY_SOURCE;
      const tablesDir = await writeExport(`${dir}/export`, [{
        source,
        records: recordsOf(source),
      }]);
      const { target } = await database.create(dir, "drift");
      // The tables as the shipped DDL creates them, then made older and customised.
      await withDb(target, async (db) => {
        const script = await Deno.readTextFile(
          `${tablesDir}/${source.name}/${DDL_FILES[db.dialect]}`,
        );
        for (const statement of script.split(";\n").map((text) => text.trim())) {
          const sql = statement.split("\n").filter((line) => !line.startsWith("--")).join("\n");
          if (sql !== "") await db.execute(sql);
        }
        await db.execute(`ALTER TABLE engagement_history.interaction DROP COLUMN "visitorName"`);
        await db.execute(
          `ALTER TABLE engagement_history.interaction ADD COLUMN analyst_note VARCHAR`,
        );
      });
      const summary = await loadTables({ inDir: tablesDir, target });
      assert.deepEqual(summary.changes.createdTables, []);
      assert.deepEqual(
        summary.changes.addedColumns.map((added) => `${added.table}.${added.column}`),
        ["engagement_history.interaction.visitorName"],
      );
      assert.deepEqual(summary.changes.columnsNotInExport, [
        "engagement_history.interaction.analyst_note",
      ]);
      await withDb(target, async (db) => {
        const names = await count(
          db,
          `SELECT count("visitorName") FROM engagement_history.interaction`,
        );
        assert.ok(names > 0, "the added column is filled");
        assert.equal(
          await count(db, `SELECT count(analyst_note) FROM engagement_history.interaction`),
          0,
        );
      });
    },
  );
}
