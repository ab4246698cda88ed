/**
 * The streaming heart of the tables step: raw pages in, one CSV per table
 * out (and Parquet copies), with each record kept once — the newest copy.
 *
 * Pages are read newest fetch first, so the first copy of a record seen is
 * the one kept; a record's rows are held until its id is known to be new, so
 * a duplicate adds nothing. Memory stays flat: a page at a time, a record's
 * rows at a time, and the set of ids seen.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { type HistoryApi, isEmptyAnswer } from "../fetch/history_api.ts";
import { compileSchema } from "./compile.ts";
import { CsvTableWriter } from "./csv_writer.ts";
import { type FlattenCounts, flattenRecord, type Row } from "./flatten.ts";
import { isJsonObject, parseJsonKeepingNumbers } from "./json_text.ts";
import { csvToParquet } from "./parquet.ts";
import { RowChecker, type TablesChecks } from "./row_checker.ts";
import type { SourceSchema, Table } from "./schema.ts";

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
  /** Keys of records whose kept copy is still partial. */
  readonly stillPartial: readonly string[];
  /** Keys of records whose kept copy had not ended. */
  readonly stillOpen: readonly string[];
  /** Files written, relative to the folder. */
  readonly files: readonly string[];
}

/** Options of {@linkcode writeTables}. */
export interface WriteTablesOptions {
  readonly api: Pick<HistoryApi, "recordsField" | "recordState" | "emptyBodyIsEmptyPage">;
  readonly schema: SourceSchema;
  readonly formats: readonly TableFormat[];
  readonly onProgress?: (progress: TablesProgress) => void;
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

async function readPage(
  path: string,
  api: Pick<HistoryApi, "recordsField" | "emptyBodyIsEmptyPage">,
): Promise<unknown[]> {
  const { recordsField } = api;
  const text = await Deno.readTextFile(path);
  if (isEmptyAnswer(api, text)) return [];
  let body: unknown;
  try {
    body = parseJsonKeepingNumbers(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `Raw file ${path} matches its manifest but is not valid JSON (${reason}): the server ` +
        `sent it so; run \`deno task fetch --refetch\` with its dates to fetch it again`,
    );
  }
  const records = isJsonObject(body) ? body[recordsField] : undefined;
  if (!Array.isArray(records)) {
    throw new UsageError(
      `Raw file ${path} has no "${recordsField}" array: run \`deno task fetch --refetch\` ` +
        `with its dates to fetch it again`,
    );
  }
  return records;
}

/**
 * Writes every table of a schema from raw response files into `folder`.
 *
 * @param pages the response files, newest fetch first
 * @param folder where the tables go
 * @param options the API (records field, record state), the schema, formats, progress
 * @returns what was read and written
 */
export async function writeTables(
  pages: readonly { readonly path: string }[],
  folder: string,
  options: WriteTablesOptions,
): Promise<WrittenTables> {
  const { api, schema, formats } = options;
  const tables = schema.tables;
  const csvDir = formats.includes("csv") ? folder : `${folder}/.csv`;
  await Deno.mkdir(csvDir, { recursive: true });
  const compiled = compileSchema(schema);
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
  const recordCounts: FlattenCounts = { unknownFields: new Map(), typeMismatches: new Map() };
  const checker = new RowChecker(schema);
  const seen = new Set<string>();
  const stillPartial: string[] = [];
  const stillOpen: string[] = [];
  let recordsRead = 0, duplicatesDropped = 0, withoutId = 0, pagesRead = 0;
  let pending: [Table, Row][] = [];
  const emit = (table: Table, row: Row) => pending.push([table, row]);
  const mergeInto = (target: Map<string, number>, source: Map<string, number>) => {
    for (const [key, value] of source) target.set(key, (target.get(key) ?? 0) + value);
    source.clear();
  };

  for (const page of pages) {
    for (const record of await readPage(page.path, api)) {
      recordsRead++;
      pending = [];
      const { id } = flattenRecord(compiled, record, { emit, counts: recordCounts });
      if (id === null || seen.has(id)) {
        if (id === null) withoutId++;
        else duplicatesDropped++;
        recordCounts.unknownFields.clear();
        recordCounts.typeMismatches.clear();
        continue;
      }
      seen.add(id);
      const state = api.recordState(record);
      if (state?.partial) stillPartial.push(id);
      if (state?.open) stillOpen.push(id);
      mergeInto(counts.unknownFields, recordCounts.unknownFields);
      mergeInto(counts.typeMismatches, recordCounts.typeMismatches);
      checker.startRecord();
      for (const [table, row] of pending) {
        checker.check(table, row);
        writers.get(table.name)!.append(row);
      }
    }
    pagesRead++;
    for (const writer of writers.values()) if (writer.wantsFlush) await writer.flush();
    options.onProgress?.({
      phase: "read",
      pagesRead,
      pagesTotal: pages.length,
      records: seen.size,
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
    records: seen.size,
    duplicatesDropped,
    recordsWithoutId: withoutId,
    rows,
    unknownFields: sortedRecord(counts.unknownFields),
    typeMismatches: sortedRecord(counts.typeMismatches),
    checks: checker.result(),
    stillPartial: stillPartial.sort(),
    stillOpen: stillOpen.sort(),
    files,
  };
}
