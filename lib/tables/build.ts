/**
 * The tables step: raw Engagement History pages → CSV and Parquet tables.
 *
 * Streams page by page (read → parse → flatten → append to per-table CSV
 * writers), so memory stays flat as the input grows; only the set of seen
 * engagementIds grows. Pages are read newest fetch first and the first copy of
 * an engagement wins, so the most recently fetched copy is the one kept.
 * Everything is written into a temporary folder beside the output folder and
 * swapped in at the end: a failed run leaves the previous tables untouched.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { ENGAGEMENT_HISTORY, type HistoryApi } from "../history_api.ts";
import { apiFolder, listPageFiles } from "../raw_store.ts";
import { CsvTableWriter } from "./csv_writer.ts";
import { compileModel, type FlattenCounts, flattenRecord, type Row } from "./flatten.ts";
import { isJsonObject, parseJsonKeepingNumbers } from "./json_text.ts";
import { ENGAGEMENT_HISTORY_TABLES, type TableModel } from "./model.ts";
import { csvToParquet } from "./parquet.ts";

/** Output formats. */
export type TableFormat = "csv" | "parquet";

/** Every output format, in the order they are written. */
export const TABLE_FORMATS: readonly TableFormat[] = Object.freeze(["csv", "parquet"]);

/** Name of the summary file in the output folder. */
export const SUMMARY_FILE = "_summary.json";

/**
 * A problem with the input or options that the user can fix; the message says how.
 *
 * @example
 * ```ts
 * import { buildTables, TablesInputError } from "./build.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(
 *   () => buildTables({ inDir: "no/such/folder", outDir: "unused" }),
 *   TablesInputError,
 * );
 * ```
 */
export class TablesInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TablesInputError";
  }
}

/** Progress of a run, for a progress line. */
export type TablesProgress =
  | {
    readonly phase: "read";
    readonly pagesRead: number;
    readonly pagesTotal: number;
    readonly engagements: number;
  }
  | {
    readonly phase: "parquet";
    readonly table: string;
    readonly tablesDone: number;
    readonly tablesTotal: number;
  };

/** Options of {@linkcode buildTables}. */
export interface BuildTablesOptions {
  /** Raw directory written by fetch (`data/raw`). */
  readonly inDir: string;
  /** Output directory (`data/tables`); replaced as a whole at the end of a successful run. */
  readonly outDir: string;
  /** Formats to write; default both. */
  readonly formats?: readonly TableFormat[];
  /** Called after each page and each Parquet table. */
  readonly onProgress?: (progress: TablesProgress) => void;
  /** The API whose pages to read; default Engagement History. */
  readonly api?: HistoryApi;
  /** The table model; default {@linkcode ENGAGEMENT_HISTORY_TABLES}. */
  readonly tables?: readonly TableModel[];
}

/** Outcome of the self-check on the written rows. */
export interface TablesChecks {
  /** Every table's primary key is unique and never null. */
  readonly primaryKeysUnique: boolean;
  /** Every child row's engagementId (and SDE event position) exists in its parent table. */
  readonly childRowsHaveParent: boolean;
  /** What failed, if anything (at most 20 examples). */
  readonly problems: readonly string[];
}

/** What a run did; also written to `<out>/_summary.json`. */
export interface TablesSummary {
  readonly inDir: string;
  readonly outDir: string;
  readonly formats: readonly TableFormat[];
  /** Raw page files read. */
  readonly pagesRead: number;
  /** Records in those pages, duplicates included. */
  readonly recordsRead: number;
  /** Distinct engagements written (rows of `interaction`). */
  readonly engagements: number;
  /** Records dropped because a more recently fetched copy was kept. */
  readonly duplicatesDropped: number;
  /** Records without `info.engagementId` (they cannot be keyed, so no rows). */
  readonly recordsWithoutEngagementId: number;
  /** Rows per table. */
  readonly rows: Readonly<Record<string, number>>;
  /** Unknown field paths → occurrences; their values are in the tables' `extra` column. */
  readonly unknownFields: Readonly<Record<string, number>>;
  /** `table.column` → values that did not fit the column type; kept in `extra`. */
  readonly typeMismatches: Readonly<Record<string, number>>;
  readonly checks: TablesChecks;
  /** Files written, relative to the output folder. */
  readonly files: readonly string[];
  readonly elapsedMs: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Checks one engagement's rows: keys unique and present, children under a parent. */
class RowChecker {
  primaryKeysUnique = true;
  childRowsHaveParent = true;
  readonly problems: string[] = [];
  readonly #keyIndexes = new Map<string, number[]>();
  readonly #parentOf = new Map<string, string>();
  #keys = new Map<string, Set<string>>();

  constructor(tables: readonly TableModel[]) {
    for (const table of tables) {
      this.#keyIndexes.set(
        table.name,
        table.primaryKey.map((name) => table.columns.findIndex((column) => column.name === name)),
      );
      if (table.rows.kind === "nested") this.#parentOf.set(table.name, table.rows.parent);
    }
  }

  #fail(kind: "key" | "parent", message: string): void {
    if (kind === "key") this.primaryKeysUnique = false;
    else this.childRowsHaveParent = false;
    if (this.problems.length < 20) this.problems.push(message);
  }

  startEngagement(): void {
    this.#keys = new Map();
  }

  check(table: TableModel, row: Row, engagementId: string, isBase: boolean): void {
    const indexes = this.#keyIndexes.get(table.name) ?? [];
    const key = indexes.map((index) => row[index] ?? null);
    if (key.some((cell) => cell === null)) {
      this.#fail("key", `${table.name}: a row has a null primary key column`);
    }
    if (!isBase && row[0] !== engagementId) {
      this.#fail("parent", `${table.name}: row of ${row[0]} has no interaction row`);
    }
    const seen = this.#keys.get(table.name) ?? new Set<string>();
    this.#keys.set(table.name, seen);
    const text = key.join("\u001f");
    if (seen.has(text)) this.#fail("key", `${table.name}: duplicate key ${key.join(", ")}`);
    seen.add(text);
    const parent = this.#parentOf.get(table.name);
    if (parent !== undefined) {
      const eventPosition = row[indexes[1] ?? -1] ?? "";
      const parentKey = [engagementId, eventPosition].join("\u001f");
      if (!this.#keys.get(parent)?.has(parentKey)) {
        this.#fail("parent", `${table.name}: row of ${engagementId} has no ${parent} row`);
      }
    }
  }
}

function formatsOf(formats: readonly TableFormat[] | undefined): TableFormat[] {
  const chosen = [...new Set(formats ?? TABLE_FORMATS)];
  for (const format of chosen) {
    if (!TABLE_FORMATS.includes(format)) {
      throw new TablesInputError(`Unknown format "${format}": use csv, parquet or csv,parquet`);
    }
  }
  if (chosen.length === 0) throw new TablesInputError("No output format: use csv, parquet or both");
  return chosen;
}

async function readPage(path: string, recordsField: string): Promise<unknown[]> {
  let body: unknown;
  try {
    body = parseJsonKeepingNumbers(await Deno.readTextFile(path));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TablesInputError(
      `Raw file ${path} is not valid JSON (${reason}): delete it and run \`deno task fetch\` again`,
    );
  }
  const records = isJsonObject(body) ? body[recordsField] : undefined;
  if (!Array.isArray(records)) {
    throw new TablesInputError(
      `Raw file ${path} has no "${recordsField}" array: delete it and run \`deno task fetch\` again`,
    );
  }
  return records;
}

/**
 * Builds every table from the raw pages of one API.
 *
 * @param options input and output folders, formats, progress callback
 * @returns the summary (also written to `<outDir>/_summary.json`)
 * @throws {TablesInputError} for a missing or empty input folder, a malformed
 *   raw file (named in the message) or an unknown format; the output folder is then untouched
 *
 * @example
 * ```ts
 * import { buildTables } from "./build.ts";
 * import { writePage } from "../raw_store.ts";
 * import { ENGAGEMENT_HISTORY } from "../history_api.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const body = JSON.stringify({
 *   _metadata: { count: 1 },
 *   interactionHistoryRecords: [{ info: { engagementId: "123456789012345678" } }],
 * });
 * await writePage(`${dir}/raw`, ENGAGEMENT_HISTORY, {
 *   window: { from: 0, to: 600_000 }, offset: 0, limit: 100, count: 1, records: 1,
 *   partialResult: false, body: new TextEncoder().encode(body),
 * });
 * const summary = await buildTables({ inDir: `${dir}/raw`, outDir: `${dir}/tables`, formats: ["csv"] });
 * assert.equal(summary.rows.interaction, 1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function buildTables(options: BuildTablesOptions): Promise<TablesSummary> {
  const started = performance.now();
  const api = options.api ?? ENGAGEMENT_HISTORY;
  const tables = options.tables ?? ENGAGEMENT_HISTORY_TABLES;
  const formats = formatsOf(options.formats);
  const { inDir, outDir } = options;
  if (!(await exists(inDir))) {
    throw new TablesInputError(
      `Input folder ${inDir} does not exist: run \`deno task fetch\` first, or pass --in <folder>`,
    );
  }
  const pages = await listPageFiles(inDir, api);
  if (pages.length === 0) {
    throw new TablesInputError(
      `No raw pages in ${apiFolder(inDir, api)}: run \`deno task fetch\` first, ` +
        `or pass --in <folder> with the raw folder fetch wrote`,
    );
  }

  const outPath = resolve(outDir);
  await Deno.mkdir(dirname(outPath), { recursive: true });
  const suffix = crypto.randomUUID().slice(0, 8);
  const temporary = `${outPath}.tmp-${suffix}`;
  await Deno.mkdir(temporary);
  try {
    const csvDir = formats.includes("csv") ? temporary : `${temporary}/.csv`;
    await Deno.mkdir(csvDir, { recursive: true });
    const model = compileModel(tables);
    const writers = new Map<string, CsvTableWriter>();
    for (const table of tables) {
      writers.set(
        table.name,
        await CsvTableWriter.create(
          `${csvDir}/${table.name}.csv`,
          table.columns.map((column) => column.name),
        ),
      );
    }
    const counts: FlattenCounts = { unknownFields: new Map(), typeMismatches: new Map() };
    const checker = new RowChecker(tables);
    const seen = new Set<string>();
    let recordsRead = 0, duplicatesDropped = 0, withoutId = 0, pagesRead = 0;

    // Rows of one record are held until its id is known to be new, so a
    // duplicate adds nothing; a record is small, so this stays flat.
    let pending: [TableModel, Row][] = [];
    const emit = (table: TableModel, row: Row) => pending.push([table, row]);
    const recordCounts: FlattenCounts = { unknownFields: new Map(), typeMismatches: new Map() };
    const mergeInto = (target: Map<string, number>, source: Map<string, number>) => {
      for (const [key, value] of source) target.set(key, (target.get(key) ?? 0) + value);
      source.clear();
    };

    for (const page of pages) {
      const records = await readPage(page.path, api.recordsField);
      for (const record of records) {
        recordsRead++;
        pending = [];
        const { engagementId } = flattenRecord(model, record, { emit, counts: recordCounts });
        if (engagementId === null) {
          withoutId++;
          recordCounts.unknownFields.clear();
          recordCounts.typeMismatches.clear();
          continue;
        }
        if (seen.has(engagementId)) {
          duplicatesDropped++;
          recordCounts.unknownFields.clear();
          recordCounts.typeMismatches.clear();
          continue;
        }
        seen.add(engagementId);
        mergeInto(counts.unknownFields, recordCounts.unknownFields);
        mergeInto(counts.typeMismatches, recordCounts.typeMismatches);
        checker.startEngagement();
        for (const [table, row] of pending) {
          checker.check(table, row, engagementId, table === model.base.table);
          writers.get(table.name)!.append(row);
        }
      }
      pagesRead++;
      for (const writer of writers.values()) if (writer.wantsFlush) await writer.flush();
      options.onProgress?.({
        phase: "read",
        pagesRead,
        pagesTotal: pages.length,
        engagements: seen.size,
      });
    }
    const rows: Record<string, number> = {};
    for (const [name, writer] of writers) {
      await writer.close();
      rows[name] = writer.rows;
    }

    const files: string[] = [];
    if (formats.includes("csv")) files.push(...tables.map((table) => `${table.name}.csv`));
    if (formats.includes("parquet")) {
      let tablesDone = 0;
      for (const table of tables) {
        csvToParquet(`${csvDir}/${table.name}.csv`, `${temporary}/${table.name}.parquet`, table);
        files.push(`${table.name}.parquet`);
        options.onProgress?.({
          phase: "parquet",
          table: table.name,
          tablesDone: ++tablesDone,
          tablesTotal: tables.length,
        });
      }
      if (!formats.includes("csv")) await Deno.remove(csvDir, { recursive: true });
    }

    const summary: TablesSummary = {
      inDir,
      outDir,
      formats,
      pagesRead,
      recordsRead,
      engagements: seen.size,
      duplicatesDropped,
      recordsWithoutEngagementId: withoutId,
      rows,
      unknownFields: sortedRecord(counts.unknownFields),
      typeMismatches: sortedRecord(counts.typeMismatches),
      checks: {
        primaryKeysUnique: checker.primaryKeysUnique,
        childRowsHaveParent: checker.childRowsHaveParent,
        problems: checker.problems,
      },
      files: [...files, SUMMARY_FILE],
      elapsedMs: Math.round(performance.now() - started),
    };
    await Deno.writeTextFile(
      `${temporary}/${SUMMARY_FILE}`,
      JSON.stringify(summary, null, 2) + "\n",
    );
    await swapInto(temporary, outPath, suffix);
    return summary;
  } catch (error) {
    await Deno.remove(temporary, { recursive: true }).catch(() => {});
    throw error;
  }
}

/** Replaces `target` with `temporary`; the old folder is removed only once the new one is in place. */
async function swapInto(temporary: string, target: string, suffix: string): Promise<void> {
  const old = `${target}.old-${suffix}`;
  const hadOld = await exists(target);
  if (hadOld) await Deno.rename(target, old);
  try {
    await Deno.rename(temporary, target);
  } catch (error) {
    if (hadOld) await Deno.rename(old, target).catch(() => {});
    throw error;
  }
  if (hadOld) await Deno.remove(old, { recursive: true });
}
