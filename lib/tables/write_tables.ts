/**
 * The streaming heart of the tables step: raw pages in, one CSV per table
 * out (and Parquet copies), with each record kept once — its most recently
 * fetched copy — and every table's rows in the order of their record's start
 * time (ties by id).
 *
 * The store's files are read as streams in start order (page_streams.ts).
 * Pages are flattened into CSV bytes a few ahead, by workers on every core
 * when the store is large (page_pool.ts); the main thread holds each
 * record's bytes until no unread record can start before it, then writes
 * them (start_order.ts). Memory stays flat: the pages in flight, the records
 * of the last page or so of each stream, the ids written, and the CSV buffers.
 *
 * @module
 */

import type { HistoryApi } from "../fetch/history_api.ts";
import type { StoredPage } from "../fetch/store_layout.ts";
import { CsvTableWriter } from "./csv_writer.ts";
import { OPEN, pageContext, type PageRows, PARTIAL } from "./page_rows.ts";
import { pageStreams } from "./page_streams.ts";
import {
  type PageRowsSource,
  pagesOnMainThread,
  rowsInOrder,
  startPageWorkers,
} from "./page_pool.ts";
import { csvToParquet } from "./parquet.ts";
import { ChecksTally, type TablesChecks } from "./row_checker.ts";
import type { SourceSchema } from "./schema.ts";
import { findSourceModules } from "./source_modules.ts";
import {
  type HeldRecord,
  type OrderReport,
  StartOrderBuffer,
  StreamSchedule,
} from "./start_order.ts";

/** Output formats. */
export type TableFormat = "csv" | "parquet";

/** Every output format, in the order they are written. */
export const TABLE_FORMATS: readonly TableFormat[] = Object.freeze(["csv", "parquet"]);

/** Progress of a run, for a progress line. */
export type TablesProgress =
  | {
    readonly phase: "read";
    readonly pagesRead: number;
    readonly pagesTotal: number;
    readonly records: number;
  }
  | {
    readonly phase: "parquet";
    readonly table: string;
    readonly tablesDone: number;
    readonly tablesTotal: number;
  };

/** What writing the tables found and wrote. */
export interface WrittenTables {
  /** Raw files read. */
  readonly pagesRead: number;
  /** Records in those files, duplicates included. */
  readonly recordsRead: number;
  /** Distinct records written (rows of the base table). */
  readonly records: number;
  /** Records dropped because a more recently fetched copy was kept. */
  readonly duplicatesDropped: number;
  /** Records without their id (they cannot be keyed, so no rows). */
  readonly recordsWithoutId: number;
  /** Rows per table. */
  readonly rows: Readonly<Record<string, number>>;
  /** Unknown field paths → occurrences; their values are in the tables' `extra` column. */
  readonly unknownFields: Readonly<Record<string, number>>;
  /** `table.column` → values that did not fit the column type; kept in `extra`. */
  readonly typeMismatches: Readonly<Record<string, number>>;
  readonly checks: TablesChecks;
  /** Whether the rows came out in start order with the newest copies (see start_order.ts). */
  readonly order: OrderReport;
  /** Keys of records whose kept copy is still partial. */
  readonly stillPartial: readonly string[];
  /** Keys of records whose kept copy had not ended. */
  readonly stillOpen: readonly string[];
  /** Files written, relative to the folder. */
  readonly files: readonly string[];
  /** Workers that flattened the pages; 0 when the main thread did. */
  readonly workers: number;
}

/** Options of {@linkcode writeTables}. */
export interface WriteTablesOptions {
  readonly api: Pick<HistoryApi, "recordsField" | "recordState" | "emptyBodyIsEmptyPage">;
  readonly schema: SourceSchema;
  readonly formats: readonly TableFormat[];
  readonly onProgress?: (progress: TablesProgress) => void;
  /**
   * Workers that flatten pages; default one per core for a store of at least
   * {@linkcode WORKERS_FROM_BYTES}, none (the main thread) for a smaller one or
   * a source whose API description and schema are not defined in lib/sources/.
   */
  readonly workers?: number;
}

/** Raw bytes from which pages are flattened by workers: below, starting them costs more than they save. */
export const WORKERS_FROM_BYTES = 8 * 2 ** 20;

function sortedRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function defaultWorkers(pages: readonly StoredPage[]): number {
  const bytes = pages.reduce((sum, page) => sum + page.entry.bytes, 0);
  return bytes < WORKERS_FROM_BYTES ? 0 : Math.max(1, Math.min(4, navigator.hardwareConcurrency));
}

async function rowsSource(
  options: WriteTablesOptions,
  workers: number,
): Promise<{ source: PageRowsSource; workers: number }> {
  if (workers > 0) {
    const modules = await findSourceModules(options);
    const source = modules ? await startPageWorkers(modules, workers) : undefined;
    if (source) return { source, workers };
  }
  return { source: pagesOnMainThread(pageContext(options.api, options.schema)), workers: 0 };
}

/** A record's place in the rows of its page. */
interface RecordRef {
  readonly page: PageRows;
  readonly index: number;
}

/**
 * Writes every table of a schema from raw response files into `folder`.
 *
 * @param pages the store's files, newest fetch first ({@linkcode storedPages})
 * @param folder where the tables go
 * @param options the API (records field, record state), the schema, formats, progress
 * @returns what was read and written
 */
export async function writeTables(
  pages: readonly StoredPage[],
  folder: string,
  options: WriteTablesOptions,
): Promise<WrittenTables> {
  const { schema, formats } = options;
  const tables = schema.tables;
  const tableCount = tables.length;
  const csvDir = formats.includes("csv") ? folder : `${folder}/.csv`;
  await Deno.mkdir(csvDir, { recursive: true });
  const { source, workers } = await rowsSource(options, options.workers ?? defaultWorkers(pages));
  const writers: CsvTableWriter[] = [];
  const counts = {
    unknownFields: new Map<string, number>(),
    typeMismatches: new Map<string, number>(),
  };
  const tally = new ChecksTally();
  const stillPartial: string[] = [];
  const stillOpen: string[] = [];
  let recordsRead = 0, duplicatesDropped = 0, withoutId = 0, pagesRead = 0;
  const add = (target: Map<string, number>, entries: readonly (readonly [string, number])[]) => {
    for (const [key, value] of entries) target.set(key, (target.get(key) ?? 0) + value);
  };
  const write = ({ id, value: { page, index } }: HeldRecord<RecordRef>) => {
    const state = page.states[index]!;
    if (state & PARTIAL) stillPartial.push(id);
    if (state & OPEN) stillOpen.push(id);
    const notes = page.notes[index];
    if (notes) {
      if (notes.unknownFields) add(counts.unknownFields, notes.unknownFields);
      if (notes.typeMismatches) add(counts.typeMismatches, notes.typeMismatches);
      if (notes.failures) tally.add(notes.failures);
    }
    const first = index * tableCount;
    for (let table = 0; table < tableCount; table++) {
      const rows = page.rowCounts[first + table]!;
      if (rows === 0) continue;
      const bytes = page.bytes.subarray(
        page.offsets[first + table],
        page.offsets[first + table + 1],
      );
      writers[table]!.appendBytes(bytes, rows);
    }
  };

  const schedule = new StreamSchedule(pageStreams(pages));
  const buffer = new StartOrderBuffer<RecordRef>();
  try {
    for (const table of tables) {
      writers.push(
        await CsvTableWriter.create(
          `${csvDir}/${table.name}.csv`,
          table.columns.map((column) => column.name),
        ),
      );
    }
    const paths = schedule.files.map((file) => file.path);
    for await (const page of rowsInOrder(paths, source, Math.max(2, 2 * workers))) {
      const file = schedule.files[pagesRead]!;
      schedule.startFile(file);
      recordsRead += page.recordsRead;
      withoutId += page.recordsWithoutId;
      for (let index = 0; index < page.ids.length; index++) {
        const start = page.starts[index]!;
        schedule.advance(start);
        buffer.push({ start, id: page.ids[index]!, age: file.age, value: { page, index } });
      }
      schedule.endFile();
      pagesRead++;
      duplicatesDropped += buffer.release(schedule.watermark(), write);
      for (const writer of writers) if (writer.wantsFlush) await writer.flush();
      options.onProgress?.({
        phase: "read",
        pagesRead,
        pagesTotal: pages.length,
        records: buffer.written,
      });
    }
    duplicatesDropped += buffer.release(undefined, write);
  } finally {
    source.close();
  }
  const rows: Record<string, number> = {};
  for (const [index, writer] of writers.entries()) {
    await writer.close();
    rows[tables[index]!.name] = writer.rows;
  }

  const files: string[] = [];
  if (formats.includes("csv")) files.push(...tables.map((table) => `${table.name}.csv`));
  if (formats.includes("parquet")) {
    let tablesDone = 0;
    for (const table of tables) {
      csvToParquet(`${csvDir}/${table.name}.csv`, `${folder}/${table.name}.parquet`, table);
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
  return {
    pagesRead,
    recordsRead,
    records: buffer.written,
    duplicatesDropped,
    recordsWithoutId: withoutId,
    rows,
    unknownFields: sortedRecord(counts.unknownFields),
    typeMismatches: sortedRecord(counts.typeMismatches),
    checks: tally.result(),
    order: buffer.report(),
    stillPartial: stillPartial.sort(),
    stillOpen: stillOpen.sort(),
    files,
    workers,
  };
}
