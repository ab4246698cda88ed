/**
 * The read phase of the tables step: the store's pages into one CSV per table
 * (in parts when asked), each record once — its most recently fetched copy —
 * and every table's rows in the order of their record's start time, ties by id.
 *
 * The store's files are read as streams in start order (page_streams.ts) and
 * turned into CSV bytes a few pages ahead (page_rows.ts; by page workers too
 * when asked, page_pool.ts); each record's bytes are held until no unread
 * record can start before it, then written (start_order.ts). Memory stays
 * flat: the pages in flight, the records of the last page or so of each
 * stream, the ids written, and the CSV buffers.
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
  pagesInFlight,
  pagesOnMainThread,
  rowsInOrder,
  startPageWorkers,
} from "./page_pool.ts";
import { ChecksTally, type TablesChecks } from "./row_checker.ts";
import type { SourceSchema } from "./schema.ts";
import type { SourceModules } from "./source_modules.ts";
import {
  type HeldRecord,
  type OrderReport,
  StartOrderBuffer,
  StreamSchedule,
} from "./start_order.ts";

/** Progress of the read phase. */
export interface ReadProgress {
  readonly phase: "read";
  readonly pagesRead: number;
  readonly pagesTotal: number;
  readonly records: number;
}

/** What the read phase found and wrote. */
export interface CsvTables {
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
  /** Page workers that flattened the pages besides the thread that ran the phase. */
  readonly workers: number;
  /** Per table, in schema order: its CSV file, or its parts in order. */
  readonly files: readonly (readonly string[])[];
}

/** Options of {@linkcode writeCsvTables}. */
export interface CsvTablesOptions {
  readonly api: Pick<HistoryApi, "recordsField" | "recordState" | "emptyBodyIsEmptyPage">;
  readonly schema: SourceSchema;
  /** Write each table in parts of about this many bytes (see csv_writer.ts); default one file. */
  readonly partBytes?: number;
  /** Page workers to flatten pages besides this thread (which takes its share); default none. */
  readonly workers?: number;
  /** Where the API description and schema are defined; needed for page workers. */
  readonly modules?: SourceModules;
  readonly onProgress?: (progress: ReadProgress) => void;
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

async function rowsSource(
  options: CsvTablesOptions,
): Promise<{ source: PageRowsSource; workers: number }> {
  const context = pageContext(options.api, options.schema);
  const workers = options.workers ?? 0;
  if (workers > 0 && options.modules) {
    const source = await startPageWorkers(options.modules, workers, context);
    if (source) return { source, workers };
  }
  return { source: pagesOnMainThread(context), workers: 0 };
}

/** A record's place in the rows of its page. */
interface RecordRef {
  readonly page: PageRows;
  readonly index: number;
}

/**
 * Writes every table of a schema as CSV from a store's files into `csvDir`.
 *
 * @param pages the store's files, newest fetch first ({@linkcode storedPages})
 * @param csvDir where the CSV files go (`<table>.csv`, or its parts)
 * @param options the API and schema, parts, page workers, progress
 * @returns what was read and written
 */
export async function writeCsvTables(
  pages: readonly StoredPage[],
  csvDir: string,
  options: CsvTablesOptions,
): Promise<CsvTables> {
  const tables = options.schema.tables;
  const tableCount = tables.length;
  const { source, workers } = await rowsSource(options);
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
          options.partBytes === undefined ? {} : { partBytes: options.partBytes },
        ),
      );
    }
    const paths = schedule.files.map((file) => file.path);
    for await (const page of rowsInOrder(paths, source, pagesInFlight(workers))) {
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
    workers,
    files: writers.map((writer) => [...writer.files]),
  };
}
