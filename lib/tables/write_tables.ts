/**
 * The tables step's two phases: the store's pages into CSV tables
 * (csv_tables.ts), then Parquet copies (parquet.ts), with every table's rows
 * in the order of their record's start time and each record once, its most
 * recently fetched copy.
 *
 * Memory stays flat as the input grows: with Parquet asked for, the CSV tables
 * are written in parts of a bounded size, because polars maps each file it
 * reads into memory; polars converts a table's parts with row groups of a
 * bounded size (its writer holds a whole group), while the parts of the table
 * before are joined into its CSV file.
 *
 * @module
 */

import type { HistoryApi } from "../fetch/history_api.ts";
import type { StoredPage } from "../fetch/store_layout.ts";
import { type CsvTables, type ReadProgress, writeCsvTables } from "./csv_tables.ts";
import { joinCsvParts } from "./csv_writer.ts";
import { defaultPageWorkers } from "./page_pool.ts";
import { csvPartsToParquet, rowGroupRows } from "./parquet.ts";
import type { SourceSchema } from "./schema.ts";
import { findSourceModules } from "./source_modules.ts";

/** Output formats. */
export type TableFormat = "csv" | "parquet";

/** Every output format, in the order they are written. */
export const TABLE_FORMATS: readonly TableFormat[] = Object.freeze(["csv", "parquet"]);

/** Progress of a run, for a progress line. */
export type TablesProgress =
  | ReadProgress
  | {
    readonly phase: "parquet";
    readonly table: string;
    readonly tablesDone: number;
    readonly tablesTotal: number;
  };

/** What writing the tables found and wrote. */
export interface WrittenTables extends Omit<CsvTables, "files"> {
  /** Files written, relative to the folder. */
  readonly files: readonly string[];
}

/** Options of {@linkcode writeTables}. */
export interface WriteTablesOptions {
  readonly api: Pick<HistoryApi, "recordsField" | "recordState" | "emptyBodyIsEmptyPage">;
  readonly schema: SourceSchema;
  readonly formats: readonly TableFormat[];
  readonly onProgress?: (progress: TablesProgress) => void;
  /**
   * Page workers that flatten pages besides the main thread; default one per
   * spare core ({@linkcode defaultPageWorkers}). Each holds a heap of its own.
   * They need the source defined in lib/sources/; for another source the main
   * thread does all.
   */
  readonly workers?: number;
  /** Size of the CSV parts Parquet is made from; default {@linkcode PART_BYTES}. */
  readonly partBytes?: number;
}

/** Size of the CSV parts Parquet is made from (the CSV files are joined from them). */
export const PART_BYTES = 4 * 2 ** 20;

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
  const parquet = formats.includes("parquet");
  const csvDir = formats.includes("csv") ? folder : `${folder}/.csv`;
  await Deno.mkdir(csvDir, { recursive: true });
  const workers = options.workers ?? defaultPageWorkers(pages.length);
  const modules = workers > 0 ? await findSourceModules(options) : undefined;
  const { files: tableFiles, ...read } = await writeCsvTables(pages, csvDir, {
    api: options.api,
    schema,
    // Parquet is made from parts: polars maps a whole file at once.
    ...(parquet ? { partBytes: options.partBytes ?? PART_BYTES } : {}),
    ...(modules ? { modules, workers } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });

  // Each table's parts are joined into its CSV while polars converts the next table's.
  let joining: Promise<void> = Promise.resolve();
  const join = (index: number) => {
    if (!formats.includes("csv")) return Promise.resolve();
    const table = tables[index]!;
    return joinCsvParts(tableFiles[index]!, `${csvDir}/${table.name}.csv`);
  };
  for (const [index, table] of tables.entries()) {
    if (!parquet) {
      await join(index);
      continue;
    }
    const parts = tableFiles[index]!;
    let bytes = 0;
    for (const part of parts) bytes += (await Deno.stat(part)).size;
    const converting = csvPartsToParquet(parts, `${folder}/${table.name}.parquet`, table, {
      rowGroupRows: rowGroupRows(read.rows[table.name] ?? 0, bytes),
    });
    await Promise.all([converting, joining]);
    joining = join(index);
    options.onProgress?.({
      phase: "parquet",
      table: table.name,
      tablesDone: index + 1,
      tablesTotal: tables.length,
    });
  }
  await joining;
  const files: string[] = [];
  if (formats.includes("csv")) files.push(...tables.map((table) => `${table.name}.csv`));
  if (parquet) {
    files.push(...tables.map((table) => `${table.name}.parquet`));
    if (!formats.includes("csv")) await Deno.remove(csvDir, { recursive: true });
  }
  return { ...read, files };
}
