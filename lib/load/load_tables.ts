/**
 * The load step: the tables of `deno task tables` → a database (a DuckDB file
 * by default, or PostgreSQL), repeatably.
 *
 * A load holds the database for itself (DuckDB's file lock, a PostgreSQL
 * advisory lock), creates or extends each source's schema from its
 * `_schema.json`, records itself in `lp_history.load_runs`, stages every table
 * file into a temporary table (nothing in the database changes yet), then
 * moves the records over a batch at a time, one transaction per batch (see
 * batches.ts). Loading the same or an overlapping export again upserts the
 * base rows and replaces each reloaded record's child rows: the last load of a
 * record wins.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { acquireLock, type Lock } from "../fs/lock.ts";
import { OWNER_MARKER } from "../fs/owned_folder.ts";
import { TABLES_LOCK_FILE } from "../tables/output.ts";
import { BATCHES_TABLE, planBatches, type StagedSource, writeBatch } from "./batches.ts";
import type { LoadConnection } from "./connection.ts";
import { databaseSchemaName } from "../tables/ddl.ts";
import { checkDuckDbFile, openDuckDb } from "./duckdb.ts";
import { findSources, type SourceInput, tableFile } from "./input.ts";
import {
  finishLoadRun,
  loadRunsStatements,
  markInterruptedRuns,
  recordLoadProgress,
  startLoadRun,
} from "./load_runs.ts";
import { openPostgres } from "./postgres.ts";
import { type AddedColumn, prepareSchema, type SchemaChanges } from "./prepare_schema.ts";
import { quoteIdentifier } from "../tables/sql_text.ts";
import { type DatabaseTarget, describeTarget } from "./target.ts";

/** Records per batch (one transaction each) unless told otherwise. */
export const DEFAULT_BATCH_RECORDS = 5000;

/** Where a load is. */
export type LoadProgress =
  | {
    readonly phase: "stage";
    readonly source: string;
    readonly table: string;
    readonly tablesDone: number;
    readonly tablesTotal: number;
  }
  | {
    readonly phase: "batch";
    readonly source: string;
    readonly batchesDone: number;
    readonly batchesTotal: number;
  };

/** A batch about to commit, for {@linkcode LoadTablesOptions.beforeCommit}. */
export interface PendingBatch {
  readonly source: string;
  readonly batch: number;
  readonly batches: number;
}

/** Options of {@linkcode loadTables}. */
export interface LoadTablesOptions {
  /** The tables folder (`data/tables`), or one source's folder in it. */
  readonly inDir: string;
  /** The database. */
  readonly target: DatabaseTarget;
  /** Names of the sources to load; default every source found. */
  readonly sources?: readonly string[];
  /** Records per batch; default {@linkcode DEFAULT_BATCH_RECORDS}. */
  readonly batchRecords?: number;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Receives notes for the user: a wait for another load, interrupted loads, drift. */
  readonly onNote?: (message: string) => void;
  /**
   * Called inside each batch's transaction after its rows are written and
   * before it commits; a load waits for it (progress displays, tests that kill a load there).
   */
  readonly beforeCommit?: (batch: PendingBatch) => void | Promise<void>;
  /** The clock, epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

/** What a load did for one source. */
export interface SourceLoadSummary {
  readonly source: string;
  /** The database schema of its tables. */
  readonly schema: string;
  readonly format: string;
  readonly batches: number;
  readonly recordsNew: number;
  readonly recordsReplaced: number;
  /** Rows written per table. */
  readonly rows: Readonly<Record<string, number>>;
  /** Rows read from the files per table. */
  readonly rowsRead: Readonly<Record<string, number>>;
}

/** What a load did. */
export interface LoadSummary {
  readonly runId: string;
  /** The DuckDB path or the PostgreSQL URL, without password. */
  readonly database: string;
  readonly inDir: string;
  readonly sources: readonly SourceLoadSummary[];
  readonly changes: SchemaChanges;
  /** Start times of earlier loads found unfinished and marked `interrupted`. */
  readonly interruptedRuns: readonly string[];
  readonly elapsedMs: number;
}

/**
 * Opens the database a target names.
 *
 * @param target a DuckDB file or a PostgreSQL server
 * @returns the connection
 */
export function openDatabase(target: DatabaseTarget): Promise<LoadConnection> {
  return target.kind === "duckdb" ? openDuckDb(target.path) : openPostgres(target);
}

async function inTransaction<T>(db: LoadConnection, work: () => Promise<T>): Promise<T> {
  await db.execute("BEGIN");
  try {
    const result = await work();
    await db.execute("COMMIT");
    return result;
  } catch (error) {
    await db.execute("ROLLBACK").catch(() => {});
    throw error;
  }
}

function mergeChanges(all: readonly SchemaChanges[]): SchemaChanges {
  return {
    createdTables: all.flatMap((change) => change.createdTables),
    addedColumns: all.flatMap((change) => change.addedColumns),
    columnsNotInExport: all.flatMap((change) => change.columnsNotInExport),
    typeMismatches: all.flatMap((change) => change.typeMismatches),
  };
}

/** Takes the tables folder's lock while the files are read, when it is a tables output folder. */
async function lockTables(sources: readonly SourceInput[]): Promise<Lock | undefined> {
  const folder = dirname(sources[0]!.folder);
  try {
    Deno.statSync(join(folder, OWNER_MARKER));
  } catch {
    return undefined;
  }
  return await acquireLock(join(folder, TABLES_LOCK_FILE), {
    purpose: "deno task load",
    what: folder,
  });
}

async function stageSources(
  db: LoadConnection,
  sources: readonly SourceInput[],
  options: LoadTablesOptions,
): Promise<{ staged: StagedSource[]; rowsRead: Record<string, number>[]; formats: string[] }> {
  const staged: StagedSource[] = [];
  const rowsRead: Record<string, number>[] = [];
  const formats: string[] = [];
  const lock = await lockTables(sources);
  try {
    for (const [sourceIndex, source] of sources.entries()) {
      const stageTables = new Map<string, string>();
      const read: Record<string, number> = {};
      const used = new Set<string>();
      for (const [tableIndex, table] of source.schema.tables.entries()) {
        const file = tableFile(source, table.name, db.formats);
        used.add(file.format);
        const name = `lp_stage_${sourceIndex}_${tableIndex}`;
        read[table.name] = await db.stageTable(name, file);
        stageTables.set(table.name, name);
        options.onProgress?.({
          phase: "stage",
          source: source.schema.source,
          table: table.name,
          tablesDone: tableIndex + 1,
          tablesTotal: source.schema.tables.length,
        });
      }
      staged.push({
        schema: source.schema,
        stageTables,
        stagedRows: new Map(Object.entries(read)),
      });
      rowsRead.push(read);
      formats.push([...used].join("+"));
    }
  } finally {
    await lock?.release();
  }
  return { staged, rowsRead, formats };
}

function describeAdded(added: readonly AddedColumn[]): string {
  return added.map((column) => `${column.table}.${column.column} (${column.type})`).join(", ");
}

/**
 * Loads the tables of every source found in `inDir` into the database.
 *
 * @param options the tables folder, the database, batch size and callbacks
 * @returns what the load did (also in `lp_history.load_runs`)
 * @throws {UsageError} for a tables folder with nothing to load or a database that is not one
 */
export async function loadTables(options: LoadTablesOptions): Promise<LoadSummary> {
  const now = options.now ?? Date.now;
  const started = performance.now();
  const batchRecords = options.batchRecords ?? DEFAULT_BATCH_RECORDS;
  if (!Number.isInteger(batchRecords) || batchRecords <= 0) {
    throw new RangeError(`Invalid batch size ${batchRecords}: expected a positive integer`);
  }
  if (options.target.kind === "duckdb") checkDuckDbFile(options.target.path);
  const sources = findSources(options.inDir, options.sources);
  const runId = crypto.randomUUID();
  const db = await openDatabase(options.target);
  let runStarted = false;
  try {
    await db.holdForLoad(() =>
      options.onNote?.("note: another load into this database is running; waiting for it to end")
    );
    await inTransaction(db, async () => {
      for (const statement of loadRunsStatements(db.dialect)) await db.execute(statement);
    });
    const interruptedRuns = await markInterruptedRuns(db);
    for (const startedAt of interruptedRuns) {
      options.onNote?.(
        `note: the load started at ${startedAt} was interrupted; marked so in lp_history.load_runs`,
      );
    }
    const changes = mergeChanges(
      await inTransaction(db, async () => {
        const all: SchemaChanges[] = [];
        for (const source of sources) all.push(await prepareSchema(db, source.schema));
        return all;
      }),
    );
    if (changes.addedColumns.length > 0) {
      options.onNote?.(
        `note: columns added (schema drift): ${describeAdded(changes.addedColumns)}`,
      );
    }
    for (const mismatch of changes.typeMismatches) {
      options.onNote?.(`warning: column type differs, left as it is: ${mismatch}`);
    }
    await startLoadRun(db, {
      runId,
      startedAt: now(),
      input: resolve(options.inDir),
      inputSummary: Object.fromEntries(sources.map((source) => [source.schema.source, {
        folder: source.folder,
        records: source.summary.records,
        rows: source.summary.rows,
        formats: source.summary.formats,
      }])),
      batchesTotal: 0,
      columnsAdded: changes.addedColumns,
    });
    runStarted = true;
    const { staged, rowsRead, formats } = await stageSources(db, sources, options);
    const summaries: SourceLoadSummary[] = [];
    const totals = { batchesDone: 0, batchesTotal: 0, recordsNew: 0, recordsReplaced: 0 };
    const rowsLoaded: Record<string, number> = {};
    for (const [index, source] of staged.entries()) {
      const name = source.schema.source;
      const schema = databaseSchemaName(name);
      const plan = await planBatches(db, source, batchRecords);
      const batches = plan.batches;
      totals.batchesTotal += batches;
      await db.execute(
        `UPDATE lp_history.load_runs SET batches_total = ${totals.batchesTotal} ` +
          `WHERE run_id = '${runId}'`,
      );
      const rows: Record<string, number> = {};
      let recordsNew = 0;
      let recordsReplaced = 0;
      for (let batch = 0; batch < batches; batch++) {
        await inTransaction(db, async () => {
          const result = await writeBatch(db, source, plan, batch);
          for (const [table, count] of Object.entries(result.rows)) {
            rows[table] = (rows[table] ?? 0) + count;
            rowsLoaded[`${schema}.${table}`] = (rowsLoaded[`${schema}.${table}`] ?? 0) + count;
          }
          recordsNew += result.recordsNew;
          recordsReplaced += result.recordsReplaced;
          await recordLoadProgress(db, runId, {
            batchesDone: totals.batchesDone + 1,
            recordsNew: totals.recordsNew + recordsNew,
            recordsReplaced: totals.recordsReplaced + recordsReplaced,
            rowsLoaded,
          });
          await options.beforeCommit?.({ source: name, batch, batches });
        });
        totals.batchesDone++;
        options.onProgress?.({
          phase: "batch",
          source: name,
          batchesDone: batch + 1,
          batchesTotal: batches,
        });
      }
      totals.recordsNew += recordsNew;
      totals.recordsReplaced += recordsReplaced;
      for (const table of source.schema.tables) {
        rows[table.name] ??= 0;
        const missing = rowsRead[index]![table.name]! - rows[table.name]!;
        if (missing > 0) {
          options.onNote?.(
            `warning: ${missing} rows of ${name}/${table.name} belong to no record of its base ` +
              `table and were not loaded`,
          );
        }
      }
      for (const stage of source.stageTables.values()) {
        await db.execute(`DROP TABLE IF EXISTS ${quoteIdentifier(stage)}`);
      }
      await db.execute(`DROP TABLE IF EXISTS ${BATCHES_TABLE}`);
      summaries.push({
        source: name,
        schema,
        format: formats[index]!,
        batches,
        recordsNew,
        recordsReplaced,
        rows,
        rowsRead: rowsRead[index]!,
      });
    }
    await finishLoadRun(db, runId, { status: "succeeded" }, now());
    return {
      runId,
      database: describeTarget(options.target),
      inDir: options.inDir,
      sources: summaries,
      changes,
      interruptedRuns,
      elapsedMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (runStarted) {
      const message = error instanceof Error ? error.message : String(error);
      await finishLoadRun(db, runId, { status: "failed", message }, now()).catch(() => {});
    }
    throw error;
  } finally {
    await db.close();
  }
}
